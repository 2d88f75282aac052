/**
 * Rendering a script for one contact: every variable filled, empty values dropped with the
 * punctuation they strand, and the rep's number, the date and the next call said in words.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  renderScript,
  type ScriptVariables,
  scriptVariables,
  spokenDate,
  spokenNumber,
} from '../../src/core/scripts/render.js';
import { SCRIPT_VARIABLES } from '../../src/core/scripts/schema.js';
import { instantAt } from '../../src/core/time/zoned.js';

const NY = 'America/New_York';
/** Monday 23 November 2026, 10:00 in New York. */
const NOW = instantAt('2026-11-23', '10:00', NY);

const FULL: ScriptVariables = {
  first_name: 'Dana',
  company: 'Acme Logistics',
  my_name: 'Sam Ortiz',
  my_number: '415-555-0123',
  topic: 'cutting invoice-approval time',
  today: 'Monday, November 23',
  next_call: 'Thursday afternoon',
  hook: 'I saw you moved to NetSuite',
};
const EMPTY: ScriptVariables = Object.fromEntries(SCRIPT_VARIABLES.map((v) => [v, ''])) as ScriptVariables;

const INTRO =
  'Hi {{first_name}}, this is {{my_name}}, {{today}}. I’m calling about {{topic}} at {{company}} — {{hook}}. ' +
  'Call me at {{my_number}}. I’ll try you {{next_call}}.';

describe('renderScript with every variable known', () => {
  it('fills each placeholder with its value and reports nothing missing', () => {
    expect(renderScript(INTRO, FULL)).toEqual({
      text:
        'Hi Dana, this is Sam Ortiz, Monday, November 23. I’m calling about cutting invoice-approval time at ' +
        'Acme Logistics — I saw you moved to NetSuite. Call me at 415-555-0123. I’ll try you Thursday afternoon.',
      missing: [],
    });
  });

  it('accepts spaces inside the braces, as the schema does', () => {
    expect(renderScript('Hi {{ first_name }}.', FULL).text).toBe('Hi Dana.');
  });

  it('inserts values once, without expanding placeholders inside them', () => {
    expect(renderScript('About {{topic}}.', { ...FULL, topic: '{{my_name}}' }).text).toBe(
      'About {{my_name}}.',
    );
  });

  it('leaves an unknown placeholder visible for the rep, and does not report it missing', () => {
    expect(renderScript('Hi {{firstname}}.', FULL)).toEqual({ text: 'Hi {{firstname}}.', missing: [] });
  });

  it('trims values and collapses runs of spaces in values and template alike', () => {
    expect(
      renderScript('Hi  {{first_name}},   it’s {{my_name}}.', { ...FULL, my_name: '  Sam \n Ortiz ' }).text,
    ).toBe('Hi Dana, it’s Sam Ortiz.');
  });

  it('leaves text away from empty values exactly as written', () => {
    const word = fc.stringMatching(/^[A-Za-z’]{1,8}[,;.!?]?$/);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(word, fc.constantFrom(...SCRIPT_VARIABLES)), { maxLength: 20 }),
        (parts) => {
          const template = parts
            .map((p) => (SCRIPT_VARIABLES.includes(p as never) ? `{{${p}}}` : p))
            .join(' ');
          const expected = parts
            .map((p) => (SCRIPT_VARIABLES.includes(p as never) ? FULL[p as never] : p))
            .join(' ');
          expect(renderScript(template, FULL)).toEqual({ text: expected, missing: [] });
        },
      ),
    );
  });
});

describe('renderScript with empty values', () => {
  it('reports the empty variables the template uses, once each, in order of appearance', () => {
    const vars = { ...FULL, hook: '', first_name: ' ', my_number: '' };
    expect(renderScript(INTRO + ' Bye {{first_name}}.', vars).missing).toEqual([
      'first_name',
      'hook',
      'my_number',
    ]);
  });

  it('does not report an empty variable the template does not use', () => {
    expect(renderScript('Hi {{first_name}}.', { ...FULL, hook: '' }).missing).toEqual([]);
  });

  it('drops an empty first name with its space: "Hi {{first_name}}, this is…" reads "Hi, this is…"', () => {
    expect(renderScript('Hi {{first_name}}, this is {{my_name}}.', { ...FULL, first_name: '' }).text).toBe(
      'Hi, this is Sam Ortiz.',
    );
  });

  it('lets an empty hook after a dash drop out before the full stop', () => {
    expect(renderScript('About {{topic}} — {{hook}}. Call me.', { ...FULL, hook: '' }).text).toBe(
      'About cutting invoice-approval time. Call me.',
    );
  });

  it('keeps one mark, not a dangling ", ," or "; ,", when no sentence ends at the gap', () => {
    expect(renderScript('From Ledgerline, {{first_name}}, about it.', { ...FULL, first_name: '' }).text).toBe(
      'From Ledgerline, about it.',
    );
    expect(renderScript('About it; {{hook}}, and more.', { ...FULL, hook: '' }).text).toBe(
      'About it; and more.',
    );
  });

  it('keeps the sentence end when a whole sentence was the empty value', () => {
    expect(renderScript('Hi. {{hook}}. Call me.', { ...FULL, hook: '' }).text).toBe('Hi. Call me.');
  });

  it('capitalises the next word when an empty value opened the text', () => {
    expect(renderScript('{{first_name}}, are you there? {{hook}}.', EMPTY).text).toBe('Are you there?');
  });

  it('capitalises the next word when the gap ends a sentence', () => {
    expect(
      renderScript('Hi {{first_name}}. {{hook}}, and then.', { ...FULL, first_name: '', hook: '' }).text,
    ).toBe('Hi. And then.');
  });

  it('drops a trailing dash and keeps a trailing sentence end', () => {
    expect(renderScript('Call me — {{hook}}', { ...FULL, hook: '' }).text).toBe('Call me');
    expect(renderScript('Thanks, {{first_name}}!', { ...FULL, first_name: '' }).text).toBe('Thanks!');
  });

  it('renders nothing for a template of empty values, with each reported', () => {
    expect(renderScript('{{hook}}. {{next_call}}', EMPTY)).toEqual({
      text: '',
      missing: ['hook', 'next_call'],
    });
  });

  it('never leaves a space before punctuation, a double space or a doubled mark where a value was empty', () => {
    const word = fc.constantFrom('Hi', 'call', 'me', 'about', 'it', 'at', 'Dana');
    const mark = fc.constantFrom('', ',', ';', '.', '?', ' —');
    const item = fc.tuple(fc.oneof(word, fc.constantFrom(...SCRIPT_VARIABLES)), mark);
    const vars = fc.record(
      Object.fromEntries(SCRIPT_VARIABLES.map((v) => [v, fc.constantFrom('', 'x')])) as Record<
        keyof ScriptVariables,
        fc.Arbitrary<string>
      >,
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), vars, (items, values) => {
        const template = items
          .map(([p, m]) => `${SCRIPT_VARIABLES.includes(p as never) ? `{{${p}}}` : p}${m}`)
          .join(' ');
        const { text } = renderScript(template, values);
        expect(text).not.toMatch(/ {2}| [,;.?]|[,;.?] ?[,;.?]|^[,;.?—]|[\u0000\u0001]/);
      }),
    );
  });
});

describe('renderScript never leaves a slot empty: a fallback, or the words that need it go', () => {
  it('drops the sentence of an empty name or number rather than "this is, Monday" or "reach me at;"', () => {
    const vars = { ...FULL, my_name: '', my_number: '' };
    expect(renderScript(INTRO, vars).text).toBe(
      'I’m calling about cutting invoice-approval time at Acme Logistics — I saw you moved to NetSuite. ' +
        'I’ll try you Thursday afternoon.',
    );
    expect(renderScript('Hi {{first_name}}, {{my_name}} again, {{today}}. Bye.', vars).text).toBe('Bye.');
  });

  it('says "your company" for an empty company, and "teams like yours"', () => {
    const vars = { ...FULL, company: '' };
    expect(renderScript('I’m calling about {{topic}} at {{company}}.', vars).text).toBe(
      'I’m calling about cutting invoice-approval time at your company.',
    );
    expect(renderScript('I help teams like {{company}} with it.', vars).text).toBe(
      'I help teams like yours with it.',
    );
    expect(renderScript('Hi. {{company}} could use it.', vars).text).toBe('Hi. Your company could use it.');
  });

  it('drops the sentence of an empty topic rather than "calling about at Acme"', () => {
    expect(renderScript(INTRO, { ...FULL, topic: '' }).text).toBe(
      'Hi Dana, this is Sam Ortiz, Monday, November 23. Call me at 415-555-0123. I’ll try you Thursday afternoon.',
    );
  });

  it('drops only the coda that promises the next call when none is planned', () => {
    const vars = { ...FULL, next_call: '' };
    expect(renderScript('I’m at {{my_number}}, and I’ll try you {{next_call}}.', vars).text).toBe(
      'I’m at 415-555-0123.',
    );
    expect(renderScript('Ring me at {{my_number}}; otherwise I’ll try you {{next_call}}.', vars).text).toBe(
      'Ring me at 415-555-0123.',
    );
    expect(renderScript('Call me at {{my_number}}, or I’ll try you {{next_call}}. Bye.', vars).text).toBe(
      'Call me at 415-555-0123. Bye.',
    );
  });

  it('drops a first name or hook the grammar needs with its sentence: no "for’s team", no "because."', () => {
    const vars = { ...FULL, first_name: '', hook: '' };
    expect(
      renderScript('Hi. A candidate for {{first_name}}’s team. Is {{first_name}} free?', vars).text,
    ).toBe('Hi.');
    expect(renderScript('I call because {{hook}}. Bye.', vars).text).toBe('Bye.');
  });
});

describe('spokenNumber', () => {
  it('says a North American number as 415-555-0123', () => {
    expect(spokenNumber('+14155550123')).toBe('415-555-0123');
    expect(spokenNumber('+14165550199')).toBe('416-555-0199');
  });

  it('says other numbers in the international format, since the listener may be abroad', () => {
    expect(spokenNumber('+442079460958')).toBe('+44 20 7946 0958');
    expect(spokenNumber('+33142685300')).toBe('+33 1 42 68 53 00');
  });

  it('returns what it cannot read as typed, trimmed', () => {
    expect(spokenNumber(' ext. 12 ')).toBe('ext. 12');
    expect(spokenNumber('')).toBe('');
  });
});

describe('scriptVariables', () => {
  const context = {
    contact: {
      firstName: ' Dana ',
      company: 'Acme Logistics',
      interests: 'NetSuite, AP automation',
      notes: '',
    },
    user: { name: 'Sam Ortiz', phone: '+14155550123' },
    campaign: { topic: 'cutting invoice-approval time' },
    now: NOW,
    nextCall: instantAt('2026-11-26', '14:00', NY),
    zone: NY,
  };

  it('builds every variable: the number spoken, the date and the next call in words, the hook', () => {
    expect(scriptVariables(context)).toEqual({
      first_name: 'Dana',
      company: 'Acme Logistics',
      my_name: 'Sam Ortiz',
      my_number: '415-555-0123',
      topic: 'cutting invoice-approval time',
      today: 'Monday, November 23',
      next_call: 'Thursday afternoon',
      hook: 'I understand you’re interested in NetSuite',
    });
  });

  it('says today’s date as the contact’s clock reads it', () => {
    // 02:00 UTC on Monday is still Sunday evening in New York.
    const mondayEarlyUtc = Date.UTC(2026, 10, 23, 2, 0);
    expect(spokenDate(mondayEarlyUtc, NY)).toBe('Sunday, November 22');
    expect(spokenDate(mondayEarlyUtc, 'Europe/Paris')).toBe('Monday, November 23');
    expect(scriptVariables({ ...context, now: mondayEarlyUtc, nextCall: null }).today).toBe(
      'Sunday, November 22',
    );
  });

  it('leaves next_call empty when no call is planned, so no sentence promises one', () => {
    const vars = scriptVariables({ ...context, nextCall: null });
    expect(vars.next_call).toBe('');
    expect(renderScript('Call me. I’ll try you {{next_call}}.', vars)).toEqual({
      text: 'Call me.',
      missing: ['next_call'],
    });
  });
});
