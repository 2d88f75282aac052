/**
 * The "if nobody ever answers" schedule a campaign page shows: the real engine run call after
 * call with nobody picking up. It never leaves the campaign window or the legal bound, stops
 * at the attempt limit, and leaves the voicemails the policy says. Seeds are fixed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cadencePolicySchema } from '../../src/core/cadence/policy.js';
import { previewSchedule } from '../../src/core/cadence/preview.js';
import { type CallingContext, isAllowedAt, windowFor } from '../../src/core/calling-hours/calling-hours.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { localParts } from '../../src/core/time/zoned.js';
import { at, NY, policyOf } from './support.js';

const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Asia/Kolkata',
  'Australia/Sydney',
];
const MONDAY_9 = at('2026-11-23 09:00');

function preview(
  settings: Record<string, unknown> = {},
  extra: Partial<Parameters<typeof previewSchedule>[0]> = {},
) {
  return previewSchedule({
    policy: policyOf(settings),
    urgency: 'normal',
    zone: NY,
    kind: 'business',
    stateRules: DEFAULT_STATE_RULES,
    from: MONDAY_9,
    ...extra,
  });
}

describe('previewSchedule', () => {
  it.each([5, 7, 10, 15])('stops after the attempt limit of %i and ends unreachable', (limit) => {
    const p = preview({ attemptLimit: limit });
    expect(p.calls).toHaveLength(limit);
    expect(p.calls.map((c) => c.attempt)).toEqual(Array.from({ length: limit }, (_, i) => i + 1));
    expect(p.endState).toBe('unreachable');
    expect(p.end).toContain(`limit of ${limit}`);
  });

  it('places the first call at the first moment of the window after the contact enters the queue', () => {
    // Saturday 21:00: the next business window opens Monday 09:00.
    const p = preview({}, { from: at('2026-11-21 21:00') });
    expect(p.calls[0]).toMatchObject({ day: 'Mon 23 Nov', time: '09:00', why: '' });
  });

  it('leaves the intro, follow-ups and the break-up once under "always", then no more messages', () => {
    const p = preview({ voicemail: 'always' });
    expect(p.calls.map((c) => c.voicemail)).toEqual([
      'intro',
      'follow_up',
      'follow_up',
      'follow_up',
      'follow_up',
      'follow_up',
      'break_up',
    ]);
  });

  it('ends at the break-up when it comes on the attempt before the last: no call follows it', () => {
    const p = preview({ voicemail: 'always', attemptLimit: 5, breakUpOn: 'before_last' });
    expect(p.calls.map((c) => c.voicemail)).toEqual(['intro', 'follow_up', 'follow_up', 'break_up']);
    expect(p.endState).toBe('unreachable');
    expect(p.end).toContain('break-up message is left');
  });

  it('leaves only the intro and the break-up under "first_and_last", none under "never"', () => {
    const firstLast = preview({ voicemail: 'first_and_last' }).calls.map((c) => c.voicemail);
    expect(firstLast.filter((v) => v !== null)).toEqual(['intro', 'break_up']);
    expect(preview({ voicemail: 'never' }).calls.every((c) => c.voicemail === null)).toBe(true);
  });

  it('shows either arm of the voicemail experiment', () => {
    expect(preview({ voicemail: 'experiment' }, { arm: 'skip' }).calls.every((c) => !c.voicemail)).toBe(true);
    expect(preview({ voicemail: 'experiment' }, { arm: 'leave' }).calls[0]!.voicemail).toBe('intro');
  });

  it('spaces the calls after the first voicemail one to two business days apart (rule 2)', () => {
    const p = preview({ voicemail: 'always' });
    const [first, second] = p.calls;
    expect(first!.day).toBe('Mon 23 Nov');
    expect(['Tue 24 Nov', 'Wed 25 Nov']).toContain(second!.day);
    expect(second!.why).toMatch(/business days after a voicemail/);
  });

  it('never leaves the campaign window or the legal bound, in any zone, for any window and limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom('business' as const, 'consumer' as const),
        fc.integer({ min: 7, max: 12 }),
        fc.integer({ min: 2, max: 8 }),
        fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
        fc.integer({ min: 1, max: 15 }),
        fc.constantFrom('always', 'never', 'first_and_last', 'experiment'),
        fc.integer({ min: 0, max: 60 * 24 * 60 }),
        (zone, kind, startHour, length, days, limit, voicemail, offsetMinutes) => {
          const window = {
            start: `${String(startHour).padStart(2, '0')}:00`,
            end: `${String(Math.min(23, startHour + length)).padStart(2, '0')}:30`,
            days,
          };
          const policy = cadencePolicySchema.parse({
            attemptLimit: limit,
            voicemail,
            businessWindow: window,
            consumerWindow: window,
          });
          const p = previewSchedule({
            policy,
            urgency: 'high',
            zone,
            kind,
            stateRules: DEFAULT_STATE_RULES,
            from: MONDAY_9 + offsetMinutes * 60_000,
          });
          const ctx: CallingContext = {
            zone,
            kind,
            state: null,
            window: windowFor(policy, kind),
            stateRules: DEFAULT_STATE_RULES,
          };
          expect(p.calls.length).toBeLessThanOrEqual(limit);
          for (const call of p.calls) {
            expect(isAllowedAt(call.at, ctx)).toEqual({ ok: true });
            const local = localParts(call.at, zone);
            expect(days).toContain(local.weekday);
            expect(local.hour).toBeGreaterThanOrEqual(8);
            expect(local.hour).toBeLessThan(21);
          }
          // Times only move forward.
          for (let i = 1; i < p.calls.length; i++) expect(p.calls[i]!.at).toBeGreaterThan(p.calls[i - 1]!.at);
          if (p.calls.length === limit) expect(p.endState).toBe('unreachable');
        },
      ),
      { seed: 20261124, numRuns: 150 },
    );
  });
});
