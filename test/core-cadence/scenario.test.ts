/**
 * One contact played through a whole cadence on the default policy (normal urgency, limit 7,
 * voicemail always, break-up on the last attempt): an intro voicemail, unanswered calls on
 * varying days and bands, the break-up voicemail on the seventh call, and the line in the sand. Every call is placed at
 * the time the engine gave; the table is what a rep would see, in the contact's zone.
 */
import { describe, expect, it } from 'vitest';
import type { CadenceAttempt, NextStep, Outcome } from '../../src/core/cadence/types.js';
import { weekdayName } from '../../src/core/time/bands.js';
import { at, attempt, bandAt, DIRECT, local, MAIN, MINUTE, MOBILE, step, weekdayAt } from './support.js';

interface Row {
  /** When the call is due, contact-local. */
  due: string;
  weekday: string;
  band: string;
  dueKind: NextStep['dueKind'];
  number: string | null;
  /** The voicemail script offered, or null when none is to be left. */
  voicemail: string | null;
  /** What happened on the call. */
  outcome: Outcome;
}

const OUTCOMES: Outcome[] = [
  'voicemail_left',
  'no_answer',
  'no_answer',
  'voicemail_left',
  'busy',
  'no_answer',
  'voicemail_left',
];

function playCadence(): { rows: Row[]; history: CadenceAttempt[]; final: NextStep } {
  const history: CadenceAttempt[] = [];
  const rows: Row[] = [];
  // A fresh prospect, first dialled when the rep's Monday block reaches it.
  let s = step({ history, now: at('2026-11-23 09:55') });
  let when = at('2026-11-23 10:00');
  for (const outcome of OUTCOMES) {
    rows.push({
      due: local(when)!,
      weekday: weekdayName(weekdayAt(when), true),
      band: bandAt(when),
      dueKind: s.dueKind,
      number: s.number,
      voicemail: s.voicemail.leave ? s.voicemail.script : null,
      outcome,
    });
    history.push(
      attempt(when, {
        outcome,
        number: s.number,
        script: outcome === 'voicemail_left' ? s.voicemail.script : null,
      }),
    );
    s = step({ history: [...history], now: when + 2 * MINUTE });
    if (s.dueAt === null) break;
    when = s.dueAt;
  }
  return { rows, history, final: s };
}

describe('a contact played through a whole cadence', () => {
  const { rows, history, final } = playCadence();

  it('schedules every attempt at the time the rules give, in the contact’s zone', () => {
    const kind = (n: string | null) =>
      n === DIRECT ? 'direct' : n === MOBILE ? 'mobile' : n === MAIN ? 'main' : '-';
    const table = rows.map(
      (r, i) =>
        `${i + 1} ${r.weekday} ${r.due} ${r.band.padEnd(9)} ${String(r.dueKind).padEnd(5)} ` +
        `${kind(r.number).padEnd(6)} ${(r.voicemail ?? '-').padEnd(9)} → ${r.outcome}`,
    );
    expect(table).toEqual([
      // Fresh prospect: the direct line first (rule 11); the intro voicemail is left.
      '1 Mon 2026-11-23 10:00 morning   fresh direct intro     → voicemail_left',
      // Rule 2: the next business day, away from Monday's morning band (rule 4).
      '2 Tue 2026-11-24 09:20 early     retry direct follow_up → no_answer',
      // Rule 1: later the same day; the direct line has failed twice, so the mobile (rule 11).
      '3 Tue 2026-11-24 11:55 midday    retry mobile follow_up → no_answer',
      // Rule 3: 4–7 days on; Monday (tried once) over Tuesday (twice); a follow-up, since calls remain.
      '4 Mon 2026-11-30 14:05 afternoon retry mobile follow_up → voicemail_left',
      // 4 days on, a weekday and band not tried yet; the mobile failed twice: the main line.
      '5 Fri 2026-12-04 16:20 late      retry main   follow_up → busy',
      // 5 days on: Wednesday, never tried (Tuesday the 8th was tried twice).
      '6 Wed 2026-12-09 09:25 early     retry main   follow_up → no_answer',
      // 7 days on: the least-tried weekday in range; early tried twice, the other bands once: morning
      // first. The last attempt the limit allows: the break-up (rule 7).
      '7 Wed 2026-12-16 10:30 morning   retry main   break_up  → voicemail_left',
    ]);
  });

  it('marks the enrollment unreachable when the seventh attempt goes unanswered', () => {
    expect(history).toHaveLength(7);
    expect(final.state).toBe('unreachable');
    expect(final.dueAt).toBeNull();
    expect(final.number).toBeNull();
    expect(final.reasons.join(' ')).toMatch(/7 attempts without a conversation reached the limit of 7/);
  });

  it('leaves the break-up voicemail exactly once, on the last attempt the limit allows', () => {
    const breakUps = history.filter((a) => a.voicemailLeft && a.script === 'break_up');
    expect(breakUps.map((a) => local(a.at))).toEqual(['2026-12-16 10:30']);
  });

  it('never gives two consecutive unanswered attempts the same band and weekday where the window allowed', () => {
    for (let i = 1; i < history.length; i++) {
      const [a, b] = [history[i - 1]!.at, history[i]!.at];
      const same = bandAt(a) === bandAt(b) && weekdayAt(a) === weekdayAt(b);
      expect(same, `${local(a)} and ${local(b)}`).toBe(false);
    }
  });

  it('keeps every call inside 09:00–17:00 on weekdays, New York time', () => {
    for (const row of rows) {
      const time = row.due.slice(11);
      expect(time >= '09:00' && time < '17:00', row.due).toBe(true);
      expect(['Sat', 'Sun']).not.toContain(row.weekday);
    }
  });
});
