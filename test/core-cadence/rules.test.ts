/**
 * DESIGN.md "Cadence rules" 1–13, one describe per rule, on the engine's real answers: every
 * time is read back in the contact's zone. The default contact is a business contact in New
 * York with a direct line, a mobile and the company's main line; Monday 23 Nov 2026 is the
 * first day of the examples (no workspace holidays unless a test names some).
 */
import { describe, expect, it } from 'vitest';
import { URGENCY_PRIORITY } from '../../src/core/cadence/next-step.js';
import type { Outcome } from '../../src/core/cadence/types.js';
import { daysBetween, localParts, parseHhmm } from '../../src/core/time/zoned.js';
import {
  at,
  attempt,
  bandAt,
  DAY,
  DIRECT,
  HOUR,
  historyOf,
  isoLocal,
  local,
  MAIN,
  MOBILE,
  NY,
  num,
  step,
  weekdayAt,
} from './support.js';

/** The local date and HH:MM of a due time, split. */
function parts(
  dueAt: number | null,
  zone = NY,
): { date: string; time: string; minutes: number; weekday: number } {
  if (dueAt === null) throw new Error('no due time');
  const p = localParts(dueAt, zone);
  const [date, time] = local(dueAt, zone)!.split(' ') as [string, string];
  return { date, time, minutes: p.minutesOfDay, weekday: p.weekday };
}

function expectInside(
  dueAt: number | null,
  start: string,
  end: string,
  days: readonly number[],
  zone = NY,
): void {
  const p = parts(dueAt, zone);
  expect(p.minutes, `${p.date} ${p.time}`).toBeGreaterThanOrEqual(parseHhmm(start));
  expect(p.minutes, `${p.date} ${p.time}`).toBeLessThan(parseHhmm(end));
  expect(days, `${p.date} ${p.time}`).toContain(p.weekday);
}

const WEEKDAYS = [1, 2, 3, 4, 5];

describe('rule 1: no message left', () => {
  it.each<Outcome>(['no_answer', 'busy', 'voicemail_skipped'])(
    'retries later the same day when no message was left and 3 hours of the window remain (%s at 10:00)',
    (outcome) => {
      const s = step({ history: historyOf([['2026-11-23 10:00', outcome]]) });
      expect(s.state).toBe('active');
      expect(s.dueKind).toBe('retry');
      expect(isoLocal(s.dueAt!)).toBe('2026-11-23T11:50:00-05:00');
      expect(s.reasons.join(' ')).toMatch(/rule 1/);
    },
  );

  it.each(['13:30', '14:00'])(
    'retries later the same day when a no-answer at %s leaves at least 3 hours of the 09:00–17:00 window',
    (time) => {
      const s = step({ history: historyOf([[`2026-11-23 ${time}`, 'no_answer']]) });
      const p = parts(s.dueAt);
      expect(p.date).toBe('2026-11-23');
      expect(s.dueAt!).toBeGreaterThan(at(`2026-11-23 ${time}`));
      expectInside(s.dueAt, '09:00', '17:00', WEEKDAYS);
    },
  );

  it('waits for the next business day when fewer than 3 hours of the window remain', () => {
    const monday = step({ history: historyOf([['2026-11-23 14:30', 'no_answer']]) });
    expect(local(monday.dueAt)).toBe('2026-11-24 09:20');
    const friday = step({ history: historyOf([['2026-11-27 14:30', 'busy']]) });
    expect(parts(friday.dueAt).date).toBe('2026-11-30');
    expect(friday.reasons.join(' ')).toMatch(/less than 3 hours of calling left today \(rule 1\)/);
  });

  it('retries at most twice a day', () => {
    const s = step({
      history: historyOf([
        ['2026-11-23 09:10', 'no_answer'],
        ['2026-11-23 10:30', 'busy'],
      ]),
    });
    // Six hours of the window are left, but two calls were made today.
    expect(local(s.dueAt)).toBe('2026-11-24 11:55');
    expect(s.reasons.join(' ')).toMatch(/already 2 attempts today/);
    const three = step({
      policy: { maxAttemptsPerDay: 3 },
      history: historyOf([
        ['2026-11-23 09:10', 'no_answer'],
        ['2026-11-23 10:30', 'busy'],
      ]),
    });
    expect(parts(three.dueAt).date).toBe('2026-11-23');
  });
});

describe('rule 2: after a voicemail', () => {
  it('schedules the next attempt 1–2 business days after a voicemail and keeps the contact on the callback list at least 7 days', () => {
    const monday = step({ history: historyOf([['2026-11-23 10:15', 'voicemail_left']]) });
    expect(monday.dueKind).toBe('retry');
    expect(local(monday.dueAt)).toBe('2026-11-24 09:20');
    expect(local(monday.callbackListUntil)).toBe('2026-11-30 10:15');

    const friday = step({ history: historyOf([['2026-11-27 10:15', 'voicemail_left']]) });
    expect(local(friday.dueAt)).toBe('2026-11-30 09:20');
    expect(friday.callbackListUntil).toBe(at('2026-11-27 10:15') + 7 * DAY);
  });

  it('counts business days past a workspace holiday', () => {
    const s = step({
      holidays: new Set(['2026-11-24']),
      history: historyOf([['2026-11-23 10:15', 'voicemail_left']]),
    });
    expect(parts(s.dueAt).date).toBe('2026-11-25');
  });

  it('keeps the contact on the callback list until the next attempt when that is later than the minimum', () => {
    const s = step({
      policy: { callbackListMinDays: 1 },
      holidays: new Set(['2026-11-30']),
      history: historyOf([['2026-11-27 10:15', 'voicemail_left']]),
    });
    expect(local(s.dueAt)).toBe('2026-12-01 09:20');
    expect(s.callbackListUntil).toBe(s.dueAt);
  });
});

describe('rule 3: spacing by urgency', () => {
  const threeTries = historyOf([
    ['2026-11-23 10:00', 'no_answer'],
    ['2026-11-23 14:30', 'no_answer'],
    ['2026-11-24 09:20', 'voicemail_left'],
  ]);

  it.each([
    ['high', 2, 4, '2026-11-26 12:05'],
    ['normal', 4, 7, '2026-12-01 12:05'],
    ['low', 7, 10, '2026-12-02 12:05'],
  ] as const)(
    'spaces attempts 2–4 / 4–7 / 7–10 days by urgency from the fourth attempt (%s: %i–%i days)',
    (urgency, min, max, expected) => {
      const s = step({ urgency, history: threeTries });
      expect(local(s.dueAt)).toBe(expected);
      const gap = daysBetween('2026-11-24', parts(s.dueAt).date);
      expect(gap).toBeGreaterThanOrEqual(min);
      expect(gap).toBeLessThanOrEqual(max);
      expect(s.priority).toBe(URGENCY_PRIORITY[urgency]);
    },
  );

  it('spaces a no-answer at the fourth attempt by urgency instead of retrying the same day', () => {
    const s = step({
      history: historyOf([
        ['2026-11-23 10:00', 'voicemail_left'],
        ['2026-11-24 09:20', 'no_answer'],
        ['2026-11-24 11:50', 'no_answer'],
        ['2026-11-30 09:15', 'no_answer'],
      ]),
    });
    const gap = daysBetween('2026-11-30', parts(s.dueAt).date);
    expect(gap).toBeGreaterThanOrEqual(4);
    expect(gap).toBeLessThanOrEqual(7);
  });

  it('spaces attempts by urgency from the fourth attempt whatever the last outcome (gatekeeper with no return date)', () => {
    const s = step({
      history: historyOf([
        ['2026-11-23 10:00', 'no_answer'],
        ['2026-11-23 14:00', 'no_answer'],
        ['2026-11-24 09:30', 'voicemail_left'],
        ['2026-11-30 14:00', 'no_answer'],
        ['2026-12-04 10:30', 'gatekeeper'],
      ]),
    });
    const gap = daysBetween('2026-12-04', parts(s.dueAt).date);
    expect(gap, local(s.dueAt)!).toBeGreaterThanOrEqual(4);
    expect(gap, local(s.dueAt)!).toBeLessThanOrEqual(7);
  });

  it('follows the campaign setting for the attempt spacing starts from', () => {
    const s = step({
      policy: { urgencySpacingFromAttempt: 6 },
      history: historyOf([
        ['2026-11-23 10:00', 'no_answer'],
        ['2026-11-23 14:30', 'no_answer'],
        ['2026-11-24 09:20', 'voicemail_left'],
      ]),
    });
    // Still rule 2: one or two business days after the voicemail.
    expect(['2026-11-25', '2026-11-26']).toContain(parts(s.dueAt).date);
  });
});

describe('rule 4: vary the band and weekday', () => {
  it('avoids the band and weekday of earlier unanswered attempts when the window allows', () => {
    // Same day: 10:00 (morning) went unanswered, so the retry is not in the morning.
    const sameDay = step({ history: historyOf([['2026-11-23 10:00', 'no_answer']]) });
    expect(bandAt(sameDay.dueAt!)).not.toBe('morning');

    // Thursday and Tuesday went unanswered; high urgency allows Thu 26 – Sat 28: Friday, at a band not yet tried.
    const history = historyOf([
      ['2026-11-19 10:00', 'no_answer'],
      ['2026-11-19 14:30', 'no_answer'],
      ['2026-11-24 09:20', 'voicemail_left'],
    ]);
    const s = step({ urgency: 'high', history });
    expect(local(s.dueAt)).toBe('2026-11-27 12:05');
    const tried = history.map((a) => bandAt(a.at));
    expect(tried).not.toContain(bandAt(s.dueAt!));
    expect(history.map((a) => weekdayAt(a.at))).not.toContain(weekdayAt(s.dueAt!));
  });

  it('repeats a band only when the window leaves no other', () => {
    const s = step({
      policy: { businessWindow: { start: '09:00', end: '10:00', days: WEEKDAYS } },
      history: historyOf([['2026-11-23 09:10', 'no_answer']]),
    });
    expect(local(s.dueAt)).toBe('2026-11-24 09:20');
  });
});

describe('rule 5: the line in the sand', () => {
  const unanswered = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      attempt(at('2026-11-02 10:00') + i * 2 * DAY + (i % 3) * 2 * HOUR, {
        outcome: i % 2 === 0 ? 'no_answer' : 'voicemail_left',
      }),
    );

  it('marks the enrollment unreachable at the attempt limit without a conversation', () => {
    const before = step({ history: unanswered(6) });
    expect(before.state).toBe('active');
    expect(before.dueAt).not.toBeNull();

    const s = step({ history: unanswered(7) });
    expect(s.state).toBe('unreachable');
    expect(s.dueAt).toBeNull();
    expect(s.dueKind).toBeNull();
    expect(s.number).toBeNull();
    expect(s.reasons.join(' ')).toMatch(/limit of 7/);

    expect(step({ policy: { attemptLimit: 5 }, history: unanswered(5) }).state).toBe('unreachable');
    expect(step({ policy: { attemptLimit: 10 }, history: unanswered(7) }).state).toBe('active');
  });

  it.each([
    ['not_interested', 'lost'],
    ['do_not_call', 'dnc'],
    ['won', 'won'],
  ] as const)('ends the enrollment on not_interested / do_not_call / won (%s → %s)', (outcome, state) => {
    const s = step({ history: historyOf([['2026-11-23 10:00', outcome]]) });
    expect(s.state).toBe(state);
    expect(s.dueAt).toBeNull();
    expect(s.number).toBeNull();
    expect(s.voicemail.leave).toBe(false);
  });
});

describe('rule 6: voicemail policy', () => {
  const history = historyOf([
    ['2026-11-23 10:00', 'voicemail_left'],
    ['2026-11-24 11:50', 'no_answer'],
    ['2026-11-24 14:00', 'no_answer'],
  ]);
  const offered = (voicemail: string, n: number, extra: Record<string, unknown> = {}) =>
    step({ policy: { voicemail }, history: history.slice(0, n), ...extra }).voicemail;

  it('always: leaves the intro, then follow-ups', () => {
    expect(offered('always', 0)).toMatchObject({ leave: true, script: 'intro' });
    expect(offered('always', 1)).toMatchObject({ leave: true, script: 'follow_up' });
  });

  it('never: leaves no message', () => {
    for (const n of [0, 1, 3]) expect(offered('never', n)).toMatchObject({ leave: false, script: null });
  });

  it('first_and_last: leaves the intro and the break-up only', () => {
    expect(offered('first_and_last', 0)).toMatchObject({ leave: true, script: 'intro' });
    expect(offered('first_and_last', 1)).toMatchObject({ leave: false, script: null });
    expect(offered('first_and_last', 2)).toMatchObject({ leave: false, script: null });
    expect(offered('first_and_last', 3)).toMatchObject({ leave: false, script: null });
    expect(
      step({ policy: { voicemail: 'first_and_last', attemptLimit: 4 }, history: history.slice(0, 3) })
        .voicemail,
    ).toMatchObject({ leave: true, script: 'break_up' });
  });

  it('experiment: assigns each enrollment an arm, stable and recorded, and acts on it', () => {
    const arms = [1, 2, 3, 4, 5, 6].map(
      (id) => step({ enrollment: { id }, campaignId: 1, policy: { voicemail: 'experiment' } }).experimentArm,
    );
    expect(arms).toEqual(['leave', 'skip', 'skip', 'skip', 'leave', 'skip']);
    for (const id of [1, 2]) {
      const first = step({ enrollment: { id }, policy: { voicemail: 'experiment' } });
      const later = step({
        enrollment: { id },
        policy: { voicemail: 'experiment' },
        history: history.slice(0, 1),
      });
      expect(later.experimentArm).toBe(first.experimentArm);
      expect(first.voicemail.leave).toBe(first.experimentArm === 'leave');
      expect(later.voicemail.leave).toBe(later.experimentArm === 'leave');
    }
  });

  it('experiment: a recorded arm wins over a fresh draw', () => {
    const s = step({ enrollment: { id: 1, experimentArm: 'skip' }, policy: { voicemail: 'experiment' } });
    expect(s.experimentArm).toBe('skip');
    expect(s.voicemail.leave).toBe(false);
  });

  it('records no arm when the campaign runs no experiment', () => {
    expect(step({ policy: { voicemail: 'always' } }).experimentArm).toBeNull();
  });
});

describe('rule 7: the break-up message', () => {
  const tries = historyOf([
    ['2026-11-23 10:00', 'voicemail_left'],
    ['2026-11-24 11:50', 'no_answer'],
    ['2026-11-24 14:00', 'no_answer'],
    ['2026-11-30 09:35', { outcome: 'voicemail_left', script: 'break_up' }],
  ]);

  it('offers the break-up only on the last attempt the limit allows, never while more are planned', () => {
    expect(step({ history: tries.slice(0, 3) }).voicemail).toMatchObject({
      leave: true,
      script: 'follow_up',
    });
    const limit4 = { attemptLimit: 4 };
    expect(step({ policy: limit4, history: tries.slice(0, 2) }).voicemail.script).toBe('follow_up');
    expect(step({ policy: limit4, history: tries.slice(0, 3) }).voicemail).toMatchObject({
      leave: true,
      script: 'break_up',
    });
  });

  it('offers it from the attempt before the last under "before_last", and calls no more once it is left', () => {
    const policy = { attemptLimit: 5, breakUpOn: 'before_last' };
    expect(step({ policy, history: tries.slice(0, 2) }).voicemail.script).toBe('follow_up');
    expect(step({ policy, history: tries.slice(0, 3) }).voicemail).toMatchObject({
      leave: true,
      script: 'break_up',
    });
    const after = step({ policy, history: tries });
    expect(after).toMatchObject({ state: 'unreachable', dueAt: null, number: null });
    expect(after.voicemail).toMatchObject({ leave: false, script: null });
    expect(after.reasons.join(' ')).toMatch(/break-up message is left, so no more calls.*\(rule 7\)/);
  });

  it('keeps offering the break-up until one is actually left, and leaves it at most once', () => {
    const policy = { attemptLimit: 5, breakUpOn: 'before_last' };
    const missed = [...tries.slice(0, 3), attempt(at('2026-11-30 09:35'), { outcome: 'no_answer' })];
    expect(step({ policy, history: missed }).voicemail).toMatchObject({ leave: true, script: 'break_up' });
    const talkedAfter = historyOf([
      ['2026-11-23 10:00', { outcome: 'voicemail_left', script: 'break_up' }],
      ['2026-11-24 10:00', 'connected'],
      ['2026-11-30 10:00', 'no_answer'],
      ['2026-11-30 14:00', 'no_answer'],
    ]);
    const later = step({ policy: { attemptLimit: 3 }, history: talkedAfter });
    expect(later.state).toBe('active');
    expect(later.voicemail).toMatchObject({ leave: false, script: null });
  });

  it('offers no break-up after a conversation until the limit nears again', () => {
    const talked = historyOf([
      ['2026-11-23 10:00', 'connected'],
      ['2026-11-30 10:00', 'no_answer'],
      ['2026-11-30 14:00', 'no_answer'],
    ]);
    expect(step({ history: talked }).voicemail.script).not.toBe('break_up');
    expect(step({ policy: { attemptLimit: 3 }, history: talked }).voicemail.script).toBe('break_up');
  });
});

describe('rule 8: requested callbacks and put-offs', () => {
  const asked = at('2026-11-24 16:45');

  it('schedules a requested callback exactly at the requested time', () => {
    const s = step({
      history: historyOf([['2026-11-23 10:00', { outcome: 'callback_requested', scheduledFor: asked }]]),
    });
    expect(s.dueKind).toBe('callback');
    expect(s.dueAt).toBe(asked);
    expect(isoLocal(s.dueAt!)).toBe('2026-11-24T16:45:00-05:00');
    expect(s.number).toBe(DIRECT);
  });

  it('keeps a requested callback outside the campaign window but inside 08:00–21:00 at exactly the requested time', () => {
    const evening = at('2026-11-24 18:30');
    const s = step({
      history: historyOf([['2026-11-23 10:00', { outcome: 'callback_requested', scheduledFor: evening }]]),
    });
    expect(s.dueAt).toBe(evening);
    expect(s.dueKind).toBe('callback');
  });

  it('calls back at the first legal time when the time asked for is outside 08:00–21:00 local (rule 12 wins)', () => {
    const late = at('2026-11-24 21:30');
    const s = step({
      history: historyOf([['2026-11-23 10:00', { outcome: 'callback_requested', scheduledFor: late }]]),
    });
    expect(s.dueKind).toBe('callback');
    expect(local(s.dueAt)).toBe('2026-11-25 08:00');
    expect(s.reasons.join(' ')).toMatch(
      /asked for tomorrow 21:30, but 9:30 pm for Dana Lee: calls are allowed only 8 am–9 pm local time .*\(rule 12\); calling at the first time it allows, Wednesday 08:00/,
    );
    expect(s.callbackListUntil).toBe(s.dueAt! + DAY);
  });

  it('calls a consumer back on the next day state law allows when the day asked for is barred', () => {
    const chicago = 'America/Chicago';
    const sunday = at('2026-11-29 14:00', chicago);
    const s = step({
      contact: { kind: 'consumer', state: 'AL', zone: chicago },
      history: historyOf(
        [['2026-11-27 10:00', { outcome: 'callback_requested', scheduledFor: sunday }]],
        chicago,
      ),
    });
    expect(local(s.dueAt, chicago)).toBe('2026-11-30 08:00');
    expect(s.reasons.join(' ')).toMatch(/no sales calls to consumers on Sundays \(rule 12\)/);
  });

  it('counts a put-off when the scheduled callback does not reach them and flags after 2', () => {
    const first = step({
      history: historyOf([
        ['2026-11-23 10:00', { outcome: 'callback_requested', scheduledFor: asked }],
        ['2026-11-24 16:45', 'no_answer'],
      ]),
    });
    expect(first.putOffs).toBe(1);
    expect(first.flagged).toBe(false);

    const second = step({
      enrollment: { putOffs: 1 },
      history: historyOf([
        ['2026-11-23 10:00', { outcome: 'callback_requested', scheduledFor: asked }],
        ['2026-11-24 16:45', 'no_answer'],
        ['2026-11-25 10:00', { outcome: 'callback_requested', scheduledFor: at('2026-11-26 15:00') }],
        ['2026-11-26 15:00', 'voicemail_left'],
      ]),
    });
    expect(second.putOffs).toBe(2);
    expect(second.flagged).toBe(true);
    expect(second.priority).toBeLessThan(URGENCY_PRIORITY.normal);
    expect(second.reasons.join(' ')).toMatch(/2 put-offs: priority lowered and flagged/);
  });

  it('lowers the priority only after 2 put-offs', () => {
    const first = step({
      history: historyOf([
        ['2026-11-23 10:00', { outcome: 'callback_requested', scheduledFor: asked }],
        ['2026-11-24 16:45', 'no_answer'],
      ]),
    });
    expect(first.putOffs).toBe(1);
    expect(first.priority).toBe(URGENCY_PRIORITY.normal);
  });

  it('counts no put-off when the callback reaches them', () => {
    const s = step({
      history: historyOf([
        ['2026-11-23 10:00', { outcome: 'callback_requested', scheduledFor: asked }],
        ['2026-11-24 16:45', 'connected'],
      ]),
    });
    expect(s.putOffs).toBe(0);
    expect(s.flagged).toBe(false);
  });
});

describe('rule 9: appointments', () => {
  it('schedules an appointment at its time', () => {
    const when = at('2026-11-25 14:30');
    const s = step({
      history: historyOf([['2026-11-23 10:00', { outcome: 'appointment_set', scheduledFor: when }]]),
    });
    expect(s.state).toBe('appointment');
    expect(s.dueKind).toBe('appointment');
    expect(s.dueAt).toBe(when);
    expect(isoLocal(s.dueAt!)).toBe('2026-11-25T14:30:00-05:00');
    expect(s.reasons.join(' ')).toMatch(/top of the queue from 10 minutes before \(rule 9\)/);
  });

  it('moves an appointment set outside 08:00–21:00 local to the first legal time', () => {
    const dawn = at('2026-11-25 07:00');
    const s = step({
      history: historyOf([['2026-11-23 10:00', { outcome: 'appointment_set', scheduledFor: dawn }]]),
    });
    expect(s.dueKind).toBe('appointment');
    expect(local(s.dueAt)).toBe('2026-11-25 08:00');
    expect(s.reasons.join(' ')).toMatch(/asked for Wednesday 07:00, but .*\(rule 12\).*\(rule 9\)/);
  });
});

describe('rule 10: away', () => {
  it.each(['away', 'gatekeeper'] as const)(
    'snoozes until the return date when away or a gatekeeper says they are out (%s)',
    (outcome) => {
      const back = at('2026-12-07 00:00');
      const s = step({ history: historyOf([['2026-11-23 10:00', { outcome, scheduledFor: back }]]) });
      expect(s.state).toBe('snoozed');
      expect(s.dueKind).toBe('retry');
      expect(s.dueAt!).toBeGreaterThanOrEqual(back);
      // On the return date or the business day after (rule 4 may move it off an earlier attempt's weekday).
      expect(['2026-12-07', '2026-12-08']).toContain(parts(s.dueAt).date);
      expectInside(s.dueAt, '09:00', '17:00', WEEKDAYS);
    },
  );

  /** Unanswered calls two days apart from `from`, alternating no answer and voicemail. */
  const unansweredFrom = (from: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      attempt(at(from) + i * 2 * DAY + (i % 3) * 2 * HOUR, {
        outcome: i % 2 === 0 ? 'no_answer' : 'voicemail_left',
      }),
    );

  it.each(['away', 'gatekeeper'] as const)(
    'snoozes until the return date even on the attempt that reaches the limit: rule 10 before rule 5 (%s)',
    (outcome) => {
      const back = at('2026-11-23 00:00');
      const history = [
        ...unansweredFrom('2026-11-02 10:00', 4),
        attempt(at('2026-11-11 10:00'), { outcome, scheduledFor: back }),
      ];
      const s = step({ policy: { attemptLimit: 5 }, history });
      expect(s.state).toBe('snoozed');
      expect(s.dueAt!).toBeGreaterThanOrEqual(back);
      expect(s.reasons[0]).toMatch(/the limit of 5 attempts counts the calls after their return \(rule 5\)$/);
    },
  );

  it('counts the attempt limit from the return: the calls after it reach the limit, not those before', () => {
    const history = [
      ...unansweredFrom('2026-11-02 10:00', 4),
      attempt(at('2026-11-11 10:00'), { outcome: 'away', scheduledFor: at('2026-11-23 00:00') }),
      ...unansweredFrom('2026-11-23 10:00', 4),
    ];
    expect(step({ policy: { attemptLimit: 5 }, history }).state).toBe('active');
    history.push(attempt(at('2026-12-03 11:00'), { outcome: 'no_answer' }));
    const s = step({ policy: { attemptLimit: 5 }, history });
    expect(s.state).toBe('unreachable');
    expect(s.reasons.join(' ')).toMatch(
      /5 attempts since their return, without a conversation, reached the limit of 5/,
    );
  });

  it('snoozes past a weekend return date to the next business day', () => {
    const s = step({
      history: historyOf([['2026-11-23 10:00', { outcome: 'away', scheduledFor: at('2026-11-28 00:00') }]]),
    });
    expect(local(s.dueAt)).toBe('2026-11-30 09:20');
  });
});

describe('rule 11: which number', () => {
  it('dials direct first, the mobile after 2 failed direct attempts, the main line when the others fail', () => {
    const dialled: (string | null)[] = [];
    const history = historyOf([]);
    const times = [
      '2026-11-23 10:00',
      '2026-11-23 14:00',
      '2026-11-24 10:00',
      '2026-11-24 14:00',
      '2026-11-25 10:00',
    ];
    dialled.push(step({ history }).number);
    for (const t of times) {
      history.push(attempt(at(t), { outcome: 'no_answer', number: dialled.at(-1)! }));
      dialled.push(step({ history, policy: { urgencySpacingFromAttempt: 50 } }).number);
    }
    expect(dialled).toEqual([DIRECT, DIRECT, MOBILE, MOBILE, MAIN, MAIN]);
  });

  it('dials the number that reached them last time', () => {
    const s = step({
      history: historyOf([
        ['2026-11-23 10:00', { outcome: 'connected', number: MOBILE }],
        ['2026-11-30 10:00', 'no_answer'],
      ]),
    });
    expect(s.number).toBe(MOBILE);
    expect(s.reasons.join(' ')).toMatch(/dial the number that reached them last time/);
  });

  it('never dials a bad number or a number answered by the wrong person', () => {
    const bad = step({
      history: historyOf([['2026-11-23 10:00', { outcome: 'bad_number', number: DIRECT }]]),
    });
    expect(bad.number).toBe(MOBILE);
    const wrong = step({
      history: historyOf([
        ['2026-11-23 10:00', { outcome: 'bad_number', number: DIRECT }],
        ['2026-11-23 11:50', { outcome: 'wrong_person', number: MOBILE }],
      ]),
    });
    expect(wrong.number).toBe(MAIN);
    const none = step({
      history: historyOf([
        ['2026-11-23 10:00', { outcome: 'bad_number', number: DIRECT }],
        ['2026-11-23 11:50', { outcome: 'wrong_person', number: MOBILE }],
        ['2026-11-24 10:00', { outcome: 'bad_number', number: MAIN }],
      ]),
    });
    expect(none.state).toBe('unreachable');
    expect(none.number).toBeNull();
    expect(none.dueAt).toBeNull();
  });

  it('skips a number already known to be dead', () => {
    const s = step({
      contact: { numbers: [num(DIRECT, 'direct', { valid: false }), num(MOBILE, 'mobile')] },
    });
    expect(s.number).toBe(MOBILE);
  });
});

describe('rule 12: calling hours', () => {
  const wide = { start: '06:00', end: '23:00', days: [1, 2, 3, 4, 5, 6, 7] };

  it('never schedules outside 08:00–21:00 local nor outside the campaign window', () => {
    // A campaign window wider than the law: the law wins at both ends.
    const evening = step({
      policy: { businessWindow: wide },
      history: historyOf([['2026-11-23 20:00', 'no_answer']]),
    });
    expect(local(evening.dueAt)).toBe('2026-11-24 08:20');
    const dawn = step({
      policy: { businessWindow: wide },
      history: historyOf([['2026-11-23 10:00', { outcome: 'away', scheduledFor: at('2026-11-25 05:00') }]]),
    });
    expectInside(dawn.dueAt, '08:00', '21:00', wide.days);
    // A narrow window: Tuesdays and Thursdays 13:00–15:00.
    const narrow = { start: '13:00', end: '15:00', days: [2, 4] };
    const s = step({
      policy: { businessWindow: narrow },
      history: historyOf([['2026-11-24 13:10', 'no_answer']]),
    });
    expect(local(s.dueAt)).toBe('2026-11-26 13:50');
    expectInside(s.dueAt, narrow.start, narrow.end, narrow.days);
  });

  it('retries the same day when 3 hours remain before 21:00 even though the campaign window runs later', () => {
    const s = step({
      policy: { businessWindow: wide },
      history: historyOf([['2026-11-23 17:30', 'no_answer']]),
    });
    expect(parts(s.dueAt).date).toBe('2026-11-23');
    expectInside(s.dueAt, '08:00', '21:00', wide.days);
  });

  it('calls a consumer 09:00–20:00, Monday to Saturday', () => {
    const consumer = { kind: 'consumer' as const, state: 'NY' };
    const evening = step({ contact: consumer, history: historyOf([['2026-11-23 16:00', 'no_answer']]) });
    expect(parts(evening.dueAt).date).toBe('2026-11-23');
    expectInside(evening.dueAt, '17:00', '20:00', [1]);
    const friday = step({ contact: consumer, history: historyOf([['2026-11-27 18:30', 'no_answer']]) });
    expect(local(friday.dueAt)).toBe('2026-11-28 09:20');
    // A business contact at the same moment waits for Monday.
    const business = step({ history: historyOf([['2026-11-27 16:30', 'no_answer']]) });
    expect(parts(business.dueAt).date).toBe('2026-11-30');
  });

  it('retries a consumer the same day when a no-answer at 16:30 leaves 3½ hours before 20:00', () => {
    const s = step({
      contact: { kind: 'consumer', state: 'NY' },
      history: historyOf([['2026-11-23 16:30', 'no_answer']]),
    });
    expect(parts(s.dueAt).date).toBe('2026-11-23');
    expectInside(s.dueAt, '09:00', '20:00', [1]);
  });

  it('keeps a Florida consumer to 3 calls in 24 hours', () => {
    const history = historyOf([
      ['2026-11-23 18:00', 'no_answer'],
      ['2026-11-23 19:15', 'no_answer'],
      ['2026-11-24 09:05', 'no_answer'],
    ]);
    const policy = { urgencySpacingFromAttempt: 6 };
    const fl = step({ policy, contact: { kind: 'consumer', state: 'FL' }, history });
    // The fourth call waits until the first of the three is 24 hours old.
    expect(local(fl.dueAt)).toBe('2026-11-24 18:00');
    expect(fl.dueAt!).toBeGreaterThanOrEqual(at('2026-11-23 18:00') + DAY);
    const ny = step({ policy, contact: { kind: 'consumer', state: 'NY' }, history });
    expect(ny.dueAt!).toBeLessThan(at('2026-11-23 18:00') + DAY);
  });

  it('says it is the Florida cap, not the hours left, when the cap pushes a retry to the next day', () => {
    const policy = {
      urgencySpacingFromAttempt: 6,
      sameDayRetryMinHoursLeft: 1,
      consumerWindow: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
    };
    const history = historyOf([
      ['2026-11-23 18:00', 'no_answer'],
      ['2026-11-23 18:30', 'no_answer'],
      ['2026-11-24 09:00', 'no_answer'],
    ]);
    const fl = step({ policy, contact: { kind: 'consumer', state: 'FL' }, history });
    expect(parts(fl.dueAt).date).toBe('2026-11-25');
    const why = fl.reasons.join(' ');
    expect(why).toContain("Florida's cap of 3 calls in 24 hours leaves no time to call again today (rule 1)");
    expect(why).not.toMatch(/hours of calling left/);
  });

  it('says "1 hour", not "1 hours", when that is all the policy asks for', () => {
    const s = step({
      policy: { sameDayRetryMinHoursLeft: 1 },
      history: historyOf([['2026-11-23 16:30', 'no_answer']]),
    });
    expect(s.reasons.join(' ')).toContain('less than 1 hour of calling left today (rule 1)');
  });

  it('ends Florida consumer calls at 20:00 even when the campaign window runs to 21:00', () => {
    const policy = { consumerWindow: { start: '09:00', end: '21:00', days: [1, 2, 3, 4, 5, 6, 7] } };
    const history = historyOf([
      ['2026-11-23 10:00', { outcome: 'away', scheduledFor: at('2026-11-24 20:15') }],
    ]);
    const ny = step({ policy, contact: { kind: 'consumer', state: 'NY' }, history });
    expect(local(ny.dueAt)).toBe('2026-11-24 20:30');
    const fl = step({ policy, contact: { kind: 'consumer', state: 'FL' }, history });
    expect(local(fl.dueAt)).toBe('2026-11-25 09:20');
    expectInside(fl.dueAt, '08:00', '20:00', policy.consumerWindow.days);
  });
});

describe('rule 13: do not call', () => {
  it('a do-not-call contact is never scheduled', () => {
    for (const history of [[], historyOf([['2026-11-23 10:00', 'no_answer']])]) {
      const s = step({ contact: { doNotCall: true }, history });
      expect(s.state).toBe('dnc');
      expect(s.dueAt).toBeNull();
      expect(s.dueKind).toBeNull();
      expect(s.number).toBeNull();
    }
  });

  it('a do-not-call number is never dialled', () => {
    const s = step({
      contact: { numbers: [num(DIRECT, 'direct', { doNotCall: true }), num(MOBILE, 'mobile')] },
    });
    expect(s.number).toBe(MOBILE);
    const only = step({
      contact: { numbers: [num(DIRECT, 'direct', { doNotCall: true })] },
      history: historyOf([['2026-11-23 10:00', 'no_answer']]),
    });
    expect(only.state).toBe('dnc');
    expect(only.number).toBeNull();
  });

  it('a contact who asked not to be called is never scheduled again, even after a later attempt was logged', () => {
    const s = step({
      history: historyOf([
        ['2026-11-23 10:00', 'do_not_call'],
        ['2026-11-24 10:00', 'no_answer'],
      ]),
    });
    expect(s.state).toBe('dnc');
    expect(s.dueAt).toBeNull();
    expect(s.number).toBeNull();
  });

  it('an enrollment already in the dnc state is never scheduled again', () => {
    const s = step({ enrollment: { state: 'dnc' }, history: historyOf([['2026-11-24 10:00', 'no_answer']]) });
    expect(s.state).toBe('dnc');
    expect(s.dueAt).toBeNull();
    expect(s.number).toBeNull();
  });
});
