/**
 * Every script Ringback ships, rendered for generated contacts and reps with any subset of
 * their optional fields missing: no empty slot, no doubled space, no dangling preposition,
 * no "this is, Monday" — and lint flags exactly the renderings that had to leave words out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRIPTS, DEMO_SCRIPTS } from '../../src/core/scripts/defaults.js';
import { lintScripts } from '../../src/core/scripts/lint.js';
import { renderScript, type ScriptContext, scriptVariables } from '../../src/core/scripts/render.js';
import {
  type CampaignScripts,
  MAY_BE_EMPTY,
  type ScriptVariable,
  templateVariables,
} from '../../src/core/scripts/schema.js';
import { instantAt } from '../../src/core/time/zoned.js';

const BUILT_IN: [string, CampaignScripts][] = [
  ...Object.entries(DEFAULT_SCRIPTS).map(([k, s]): [string, CampaignScripts] => [`default ${k}`, s]),
  ...Object.entries(DEMO_SCRIPTS).map(([k, s]): [string, CampaignScripts] => [`demo ${k}`, s]),
];
const templatesOf = (s: CampaignScripts): [string, string][] => [
  ['elevator', s.elevator],
  ['intro', s.voicemail.intro],
  ['follow_up', s.voicemail.follow_up],
  ['break_up', s.voicemail.break_up],
  ['gatekeeper', s.gatekeeper],
];

const ZONES = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Australia/Sydney'];
const word = fc.constantFrom('Dana', 'Ruiz', 'Acme', 'NetSuite', 'payroll', 'Go', 'candles', 'Lee');
const words = (max: number) => fc.array(word, { minLength: 1, maxLength: max }).map((w) => w.join(' '));
/** An optional field: missing, blank, or a value. */
const maybe = (value: fc.Arbitrary<string>) => fc.oneof(fc.constant(''), fc.constant('  '), value);

const context: fc.Arbitrary<ScriptContext> = fc.record({
  contact: fc.record({
    firstName: maybe(word),
    company: maybe(words(3)),
    interests: maybe(words(4)),
    notes: maybe(words(6).map((w) => `Hook: ${w}.`)),
  }),
  user: fc.record({ name: maybe(words(2)), phone: maybe(fc.constantFrom('+14155550123', '+442079460958')) }),
  campaign: fc.record({ topic: maybe(words(5)) }),
  now: fc.integer({ min: 0, max: 400 }).map((d) => instantAt('2026-01-05', '10:00', 'UTC') + d * 86_400_000),
  nextCall: fc.option(fc.constant(instantAt('2027-03-02', '15:00', 'UTC')), { nil: null }),
  zone: fc.constantFrom(...ZONES),
});

const PREPOSITIONS = 'about|at|for|with|like|to|of|from|in|on|by|is|it’s|this is';
/** What a broken rendering looks like. */
const FLAWS: [string, RegExp][] = [
  ['a placeholder or marker', /\{\{|\}\}|[\u0000-\u0008\ue000-\uf8ff]/],
  ['a doubled space', / {2}/],
  ['a space before punctuation', / [,;:.!?]/],
  ['two marks in a row', /[,;:—–] ?[,;:.!?—–]|[.!?] ?[,;:]/],
  ['a dangling word before punctuation', new RegExp(`(^|\\s)(${PREPOSITIONS})\\s*([,;:.!?—–]|$)`, 'i')],
  ['punctuation first', /^[,;:.!?—–]/],
  ['a sentence starting in lower case', /[.!?]\s+\p{Ll}/u],
  ['a preposition before a preposition', /\b(about|at|for|like)\s+(at|about|with|for)\b/i],
];

describe('every built-in script, for any contact and rep', () => {
  it.each(BUILT_IN)('%s: renders without an empty slot, doubled space or dangling word', (_, scripts) => {
    fc.assert(
      fc.property(context, (ctx) => {
        const vars = scriptVariables(ctx);
        for (const [name, template] of templatesOf(scripts)) {
          const { text } = renderScript(template, vars);
          for (const [flaw, pattern] of FLAWS) {
            if (pattern.test(text)) throw new Error(`${name} has ${flaw}: "${text}"`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(BUILT_IN)('%s: lint errs exactly when a value the message needs is empty', (_, scripts) => {
    fc.assert(
      fc.property(context, (ctx) => {
        const vars = scriptVariables(ctx);
        const used = new Set(
          templatesOf(scripts).flatMap(([, t]) => templateVariables(t)),
        ) as Set<ScriptVariable>;
        const needed = [...used].filter((v) => !MAY_BE_EMPTY.has(v) && vars[v] === '');
        const flagged = lintScripts(scripts, { known: vars }).filter((f) => f.code === 'empty_value');
        expect(flagged.length > 0).toBe(needed.length > 0);
        for (const v of needed) expect(flagged.some((f) => f.message.includes(`{{${v}}}`))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('reads as written for a contact and rep with every field known', () => {
    const vars = scriptVariables({
      contact: { firstName: 'Dana', company: 'Acme', interests: 'NetSuite', notes: '' },
      user: { name: 'Sam Ortiz', phone: '+14155550123' },
      campaign: { topic: 'cutting invoice-approval time' },
      now: instantAt('2026-11-23', '10:00', 'America/New_York'),
      nextCall: instantAt('2026-11-26', '14:00', 'America/New_York'),
      zone: 'America/New_York',
    });
    expect(renderScript(DEFAULT_SCRIPTS.sales.voicemail.follow_up, vars).text).toBe(
      'Hi Dana, Sam Ortiz again, Monday, November 23. I’d still like to compare notes on cutting ' +
        'invoice-approval time — I understand you’re interested in NetSuite. It takes ten minutes. ' +
        'I’m at 415-555-0123, and I’ll try you Thursday afternoon.',
    );
  });

  it('leaves out only what it must for the contact of the issue: no name, no phone, no company', () => {
    const vars = scriptVariables({
      contact: { firstName: 'Zed', company: '', interests: '', notes: '' },
      user: { name: '', phone: '' },
      campaign: { topic: 'freight audits' },
      now: instantAt('2026-11-02', '10:00', 'America/New_York'),
      nextCall: instantAt('2026-11-04', '14:00', 'America/New_York'),
      zone: 'America/New_York',
    });
    expect(renderScript(DEFAULT_SCRIPTS.sales.voicemail.intro, vars).text).toBe(
      'I’m calling about freight audits at your company. I’ll try you Wednesday afternoon.',
    );
    expect(renderScript(DEFAULT_SCRIPTS.sales.elevator, vars).text).toBe(
      'I help teams like yours with freight audits. Is that worth two minutes of your time?',
    );
  });
});
