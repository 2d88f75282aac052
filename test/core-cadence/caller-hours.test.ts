/**
 * A rep's own calling hours: follow-ups are planned where the contact's window and the hours
 * of whoever makes the next call meet, each read on its own clock.
 */
import { describe, expect, it } from 'vitest';
import { nextStep } from '../../src/core/cadence/next-step.js';
import { DEFAULT_POLICY } from '../../src/core/cadence/policy.js';
import {
  type CallerHours,
  type CallingContext,
  callingWindowsOn,
  isAllowedAt,
  legalBound,
  nextAllowedAt,
  windowFor,
  withCallerHours,
} from '../../src/core/calling-hours/calling-hours.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { at, historyOf, inputOf, local, NY } from './support.js';

const LA = 'America/Los_Angeles';
const WEEKDAYS = [1, 2, 3, 4, 5];

function contactIn(zone: string): CallingContext {
  return {
    zone,
    kind: 'business',
    state: null,
    window: windowFor(DEFAULT_POLICY, 'business'),
    stateRules: DEFAULT_STATE_RULES,
    name: 'Dana Lee',
  };
}

const rep = (zone: string, start: string, end: string, days = WEEKDAYS): CallerHours => ({
  zone,
  window: { start, end, days },
});

const spans = (windows: { start: number; end: number }[], zone: string) =>
  windows.map((w) => `${local(w.start, zone)}–${local(w.end, zone)!.slice(11)}`);

describe("the caller's own hours", () => {
  it("narrow the contact's window to where both meet, each on its own clock", () => {
    // A New York rep working 09:00–14:00 reaches Los Angeles 06:00–11:00: only 09:00–11:00 there is both.
    const ctx = { ...contactIn(LA), caller: rep(NY, '09:00', '14:00') };
    expect(spans(callingWindowsOn('2026-11-24', ctx), LA)).toEqual(['2026-11-24 09:00–11:00']);
  });

  it("follow the caller's date when the contact's day crosses the caller's midnight", () => {
    // New York 09:00–17:00 on Tuesday is Tokyo 23:00 Tuesday to 07:00 Wednesday.
    const ctx = { ...contactIn(NY), caller: rep('Asia/Tokyo', '06:00', '10:00') };
    expect(spans(callingWindowsOn('2026-11-24', ctx), NY)).toEqual(['2026-11-24 16:00–17:00']);
  });

  it("close the contact's day when the caller does not work it", () => {
    const ctx = { ...contactIn(NY), caller: rep(NY, '09:00', '17:00', [1, 2, 3, 4]) };
    expect(callingWindowsOn('2026-11-27', ctx)).toEqual([]);
    expect(local(nextAllowedAt(at('2026-11-27 10:00'), ctx))).toBe('2026-11-30 09:00');
  });

  it('say so in the caller’s own time when a moment is outside them', () => {
    const ctx = { ...contactIn(LA), caller: rep(NY, '09:00', '14:00') };
    expect(isAllowedAt(at('2026-11-24 12:00', LA), ctx)).toEqual({
      ok: false,
      reason: '3:00 pm Tuesday your time: outside your own calling hours, 9 am–2 pm Mon–Fri',
    });
  });

  it('never bind a time the contact asked for: the legal bound drops them', () => {
    const ctx = { ...contactIn(LA), caller: rep(NY, '09:00', '14:00') };
    expect(isAllowedAt(at('2026-11-24 15:00', LA), legalBound(ctx)).ok).toBe(true);
  });

  it("are set aside when they never meet the contact's window", () => {
    // Paris 09:00–17:00 is Los Angeles 00:00–08:00.
    expect(
      withCallerHours(contactIn(LA), rep('Europe/Paris', '09:00', '17:00'), at('2026-11-24 08:00')),
    ).toBeNull();
    expect(withCallerHours(contactIn(LA), rep(NY, '09:00', '14:00'), at('2026-11-24 08:00'))).not.toBeNull();
  });
});

describe('the cadence with the caller’s hours', () => {
  const noAnswer = historyOf([['2026-11-24 09:05', 'no_answer']], LA);

  it('plans the next attempt inside both windows, and counts the hours left in both', () => {
    const input = inputOf({ history: noAnswer, contact: { zone: LA, state: 'CA' } });
    const hours = rep(NY, '09:00', '14:00');
    // Alone, the Los Angeles day has 7 hours left; with a rep stopping at 14:00 New York, under 2.
    expect(nextStep(input).reasons[0]).toContain('trying again this morning');
    const bound = nextStep({ ...input, caller: hours });
    expect(bound.reasons[0]).toContain(
      'trying again tomorrow morning: less than 3 hours of calling left today',
    );
    expect(local(bound.dueAt, LA)!.slice(0, 10)).toBe('2026-11-25');
    expect(isAllowedAt(bound.dueAt!, { ...contactIn(LA), caller: hours }).ok).toBe(true);
  });

  it("falls back to the contact's window, and says why, when the hours never meet", () => {
    const input = inputOf({ history: noAnswer, contact: { zone: LA, state: 'CA' } });
    const step = nextStep({ ...input, caller: rep('Europe/Paris', '09:00', '17:00') });
    expect(step.dueAt).toBe(nextStep(input).dueAt);
    expect(step.reasons[0]).toBe(
      "your own calling hours never meet Dana Lee's window — planned in their window alone",
    );
  });
});
