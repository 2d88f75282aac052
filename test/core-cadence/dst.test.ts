/**
 * The cadence across daylight-saving switches: every decision is made on the contact's wall
 * clock, so a follow-up lands at the same local time whether or not the clocks moved in
 * between — only its UTC instant shifts by the hour. New York switches on 2026-03-08 and
 * 2026-11-01; London on 2026-03-29 and 2026-10-25, so for three weeks in March a London
 * contact is four hours ahead of a New York rep instead of five.
 */
import { describe, expect, it } from 'vitest';
import type { CadenceAttempt, Outcome } from '../../src/core/cadence/types.js';
import { localParts, parseHhmm } from '../../src/core/time/zoned.js';
import { attempt, DAY, historyOf, isoLocal, LONDON, NY, step } from './support.js';

/**
 * A voicemail left on `friday` at 10:15 local, then the calls the engine schedules, each going
 * unanswered: the instants they are due at.
 */
function followUps(
  friday: string,
  zone: string,
  unanswered: Outcome[] = ['no_answer', 'no_answer'],
): number[] {
  const history: CadenceAttempt[] = historyOf([[`${friday} 10:15`, 'voicemail_left']], zone);
  const dues: number[] = [];
  const contact = { zone, state: zone === NY ? 'NY' : null };
  for (let i = 0; i <= unanswered.length; i++) {
    const s = step({ history, contact });
    expect(s.dueAt, s.reasons.join(' | ')).not.toBeNull();
    dues.push(s.dueAt!);
    const outcome = unanswered[i];
    if (outcome) history.push(attempt(s.dueAt!, { outcome, number: s.number }));
  }
  return dues;
}

function expectInBusinessHours(instant: number, zone: string): void {
  const p = localParts(instant, zone);
  const where = isoLocal(instant, zone);
  expect(p.minutesOfDay, where).toBeGreaterThanOrEqual(parseHhmm('09:00'));
  expect(p.minutesOfDay, where).toBeLessThan(parseHhmm('17:00'));
  expect([1, 2, 3, 4, 5], where).toContain(p.weekday);
}

const wallClock = (instant: number, zone: string) => isoLocal(instant, zone).slice(11, 16);

describe('America/New_York across the spring-forward switch of 2026-03-08', () => {
  it('follows up a Friday voicemail on the following business days at the same local times as a week without a switch', () => {
    const before = followUps('2026-02-27', NY);
    const across = followUps('2026-03-06', NY);
    expect(across.map((t) => isoLocal(t, NY))).toEqual([
      '2026-03-09T09:20:00-04:00', // Monday, 1 business day after the voicemail, early band (10:15 was morning)
      '2026-03-09T11:55:00-04:00', // same day, rule 1, midday
      '2026-03-13T14:05:00-04:00', // fourth attempt, 4 days later (rule 3), afternoon
    ]);
    expect(before.map((t) => isoLocal(t, NY))).toEqual([
      '2026-03-02T09:20:00-05:00',
      '2026-03-02T11:55:00-05:00',
      '2026-03-06T14:05:00-05:00',
    ]);
    // Same wall clock, one hour less of UTC: the week is 7 days of calendar but 167 hours.
    across.forEach((t, i) => {
      expect(wallClock(t, NY)).toBe(wallClock(before[i]!, NY));
      expectInBusinessHours(t, NY);
    });
    expect(across[0]! - before[0]!).toBe(7 * DAY - 3_600_000);
  });

  it('schedules on the switch day itself at a local time that exists, inside the window', () => {
    const everyDay = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5, 6, 7] };
    const s = step({
      policy: { businessWindow: everyDay },
      history: historyOf([['2026-03-07 15:30', 'no_answer']]),
    });
    expect(isoLocal(s.dueAt!, NY)).toBe('2026-03-08T09:20:00-04:00');
  });
});

describe('America/New_York across the fall-back switch of 2026-11-01', () => {
  it('follows up a Friday voicemail on the following business days at the same local times as a week without a switch', () => {
    const before = followUps('2026-10-23', NY);
    const across = followUps('2026-10-30', NY);
    expect(across.map((t) => isoLocal(t, NY))).toEqual([
      '2026-11-02T09:20:00-05:00',
      '2026-11-02T11:55:00-05:00',
      '2026-11-06T14:05:00-05:00',
    ]);
    expect(before.map((t) => isoLocal(t, NY))).toEqual([
      '2026-10-26T09:20:00-04:00',
      '2026-10-26T11:55:00-04:00',
      '2026-10-30T14:05:00-04:00',
    ]);
    across.forEach((t, i) => {
      expect(wallClock(t, NY)).toBe(wallClock(before[i]!, NY));
      expectInBusinessHours(t, NY);
    });
    expect(across[0]! - before[0]!).toBe(7 * DAY + 3_600_000);
  });

  it('schedules on the switch day itself once, at the local time meant, inside the window', () => {
    const everyDay = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5, 6, 7] };
    const s = step({
      policy: { businessWindow: everyDay },
      history: historyOf([['2026-10-31 15:30', 'no_answer']]),
    });
    expect(isoLocal(s.dueAt!, NY)).toBe('2026-11-01T09:20:00-05:00');
  });
});

describe('a contact in Europe/London called by a rep in New York', () => {
  it('keeps every time in the contact’s zone while New York has switched and London has not', () => {
    const s = step({
      contact: { zone: LONDON, state: null },
      history: historyOf([['2026-03-16 13:00', 'no_answer']], LONDON),
    });
    expect(isoLocal(s.dueAt!, LONDON)).toBe('2026-03-16T14:20:00+00:00');
    // The rep in New York sees it at 10:20, four hours behind (five outside these three weeks).
    expect(isoLocal(s.dueAt!, NY)).toBe('2026-03-16T10:20:00-04:00');
  });

  it('follows up a voicemail left the Friday before London’s switch at London times, however early that is in New York', () => {
    const dues = followUps('2026-03-27', LONDON);
    expect(dues.map((t) => isoLocal(t, LONDON))).toEqual([
      '2026-03-30T09:20:00+01:00',
      '2026-03-30T11:55:00+01:00',
      '2026-04-03T14:05:00+01:00',
    ]);
    for (const t of dues) expectInBusinessHours(t, LONDON);
    expect(isoLocal(dues[0]!, NY)).toBe('2026-03-30T04:20:00-04:00');
  });
});
