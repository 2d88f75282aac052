import { describe, expect, it } from 'vitest';
import { adviseLimit } from '../../src/core/insights/advisor.js';
import { CALLBACK_WINDOW_MS, creditCallbacks } from '../../src/core/insights/callbacks.js';
import { costInMinutes, ESTIMATED_SECONDS } from '../../src/core/insights/cost.js';
import { judgeArms } from '../../src/core/insights/experiment.js';
import { firstConnectCurve } from '../../src/core/insights/first-connect.js';
import { differenceInterval, probabilityGreater, wilson } from '../../src/core/insights/intervals.js';

const DAY = 86_400_000;

describe('every rate has a 95 % Wilson interval', () => {
  it('gives 3 of 10 the interval 10.8 %–60.3 % (the published Wilson figures)', () => {
    const w = wilson(3, 10)!;
    expect(w.low).toBeCloseTo(0.1078, 4);
    expect(w.high).toBeCloseTo(0.6032, 4);
  });

  it('keeps 0 of 10 inside [0, 1] with a real upper bound, and gives no interval for 0 of 0', () => {
    const w = wilson(0, 10)!;
    expect(w.low).toBe(0);
    expect(w.high).toBeCloseTo(0.2775, 4);
    expect(wilson(0, 0)).toBeNull();
  });

  it('gives the difference of two shares Newcombe’s interval (56/70 − 48/80: 0.0524 to 0.3339)', () => {
    const d = differenceInterval(56, 70, 48, 80)!;
    expect(d.low).toBeCloseTo(0.0524, 4);
    expect(d.high).toBeCloseTo(0.3339, 4);
  });

  it('computes P(p1 > p2) exactly: 1 of 1 against 0 of 1 is 5/6, equal counts are even', () => {
    // p1 ~ Beta(2,1), p2 ~ Beta(1,2): ∫ 2x · (2x − x²) dx over [0, 1] = 4/3 − 1/2.
    expect(probabilityGreater(1, 1, 0, 1)).toBeCloseTo(5 / 6, 10);
    expect(probabilityGreater(0, 1, 1, 1)).toBeCloseTo(1 / 6, 10);
    expect(probabilityGreater(7, 40, 7, 40)).toBeCloseTo(0.5, 10);
    expect(probabilityGreater(0, 0, 0, 0)).toBeCloseTo(0.5, 10);
  });
});

describe('callbacks per voicemail count voicemails that earned a call, not calls', () => {
  const vm = (id: number, at: number, voicemailLeft = true) => ({ id, contactId: 1, at, voicemailLeft });

  it('two calls after one of two voicemails are 1 of 2 (50 %), not 2 of 2', () => {
    const r = creditCallbacks(
      [vm(1, 0), vm(2, 5 * DAY)],
      [
        { contactId: 1, at: 6 * DAY },
        { contactId: 1, at: 6 * DAY + 3_600_000 },
      ],
    );
    expect(r).toEqual({ voicemailsLeft: 2, calledBack: 1, credited: [2] });
  });

  it('credits a call before the next attempt even after 7 days, and within 7 days even after the next attempt', () => {
    const late = creditCallbacks([vm(1, 0), vm(2, 10 * DAY, false)], [{ contactId: 1, at: 9 * DAY }]);
    expect(late.credited).toEqual([1]);
    const early = creditCallbacks([vm(1, 0), vm(2, DAY, false)], [{ contactId: 1, at: 3 * DAY }]);
    expect(early.credited).toEqual([1]);
  });

  it('does not credit a call after both the next attempt and the 7 days, another contact’s call, or a call before the voicemail', () => {
    const r = creditCallbacks(
      [vm(1, DAY), vm(2, 2 * DAY, false)],
      [
        { contactId: 1, at: DAY + CALLBACK_WINDOW_MS },
        { contactId: 2, at: 1.5 * DAY },
        { contactId: 1, at: DAY - 1 },
      ],
    );
    expect(r).toEqual({ voicemailsLeft: 1, calledBack: 0, credited: [] });
  });
});

describe('the voicemail experiment states the true reason when it cannot conclude', () => {
  it('says which arm is short of people', () => {
    const j = judgeArms({ count: 2, of: 20 }, { count: 1, of: 45 }, 'called back');
    expect(j.verdict).toBe('too_few');
    expect(j.reason).toBe('Too early to tell: 20 leaving voicemails; each side needs 30 people.');
  });

  it('with 202 and 210 people and no callbacks at all, says there were no callbacks rather than too few people', () => {
    const j = judgeArms({ count: 0, of: 202 }, { count: 0, of: 210 }, 'called back');
    expect(j.verdict).toBe('no_events');
    expect(j.reason).toBe('Nothing to compare yet: nobody called back on either side (202 and 210 people).');
    expect(j.probabilityLeaveBetter).toBeCloseTo(probabilityGreater(0, 202, 0, 210), 12);
  });

  it('gives each arm its interval, the difference with its interval and a verdict when the evidence is decisive', () => {
    const j = judgeArms({ count: 30, of: 200 }, { count: 5, of: 210 }, 'called back');
    expect(j.leave.rate).toBe(0.15);
    expect(j.leave.interval).toEqual(wilson(30, 200));
    expect(j.skip.interval).toEqual(wilson(5, 210));
    expect(j.difference).toBeCloseTo(0.15 - 5 / 210, 12);
    expect(j.differenceInterval).toEqual(differenceInterval(30, 200, 5, 210));
    expect(j.differenceInterval!.low).toBeGreaterThan(0);
    expect(j.probabilityLeaveBetter!).toBeGreaterThan(0.999);
    expect(j.verdict).toBe('leave_better');
    expect(j.reason).toBe(
      'Leaving voicemails works better: 100 % chance that leaving voicemails does better.',
    );
  });

  it('calls a small gap no clear difference and says so in numbers', () => {
    const j = judgeArms({ count: 11, of: 100 }, { count: 9, of: 100 }, 'called back');
    expect(j.verdict).toBe('no_clear_difference');
    expect(j.reason).toMatch(/^No clear difference yet: 11 % against 9 % called back, a \d+ % chance/);
  });
});

describe('attempts to first connect are censoring-aware', () => {
  it('does not count enrollments still being worked as failures at attempts they have not had', () => {
    // 10 enrollments: 2 reached at attempt 1; of the 8 left, 4 are still waiting for a 2nd
    // attempt, and 2 of the 4 dialled again are reached. Naively 4 of 10 = 40 %; honestly
    // 1 − (8/10)·(2/4) = 60 %.
    const curve = firstConnectCurve([
      { attempt: 2, atRisk: 4, reached: 2 },
      { attempt: 1, atRisk: 10, reached: 2 },
    ]);
    expect(curve.map((p) => p.attempt)).toEqual([1, 2]);
    expect(curve[0]!.share).toBeCloseTo(0.2, 12);
    expect(curve[1]!.share).toBeCloseTo(0.6, 12);
  });

  it('keeps the curve flat through an attempt nobody reached', () => {
    const curve = firstConnectCurve([
      { attempt: 1, atRisk: 4, reached: 1 },
      { attempt: 2, atRisk: 3, reached: 0 },
    ]);
    expect(curve[1]!.share).toBeCloseTo(0.25, 12);
  });
});

describe('cost in minutes estimates untimed calls from their outcome and says how many', () => {
  it('adds timed seconds and outcome estimates, per conversation, voicemail and callback', () => {
    const cost = costInMinutes(
      [
        { outcome: 'connected', voicemailLeft: false, dials: 2, timedDials: 1, timedSeconds: 300 },
        { outcome: 'voicemail_left', voicemailLeft: true, dials: 4, timedDials: 4, timedSeconds: 240 },
        { outcome: 'no_answer', voicemailLeft: false, dials: 4, timedDials: 0, timedSeconds: 0 },
      ],
      2,
    );
    const seconds = 300 + ESTIMATED_SECONDS.connected + 240 + 4 * ESTIMATED_SECONDS.no_answer;
    expect(cost.minutes).toBeCloseTo(seconds / 60, 12);
    expect(cost.estimatedCalls).toBe(5);
    expect(cost.perConversation).toBeCloseTo(seconds / 60 / 2, 12);
    expect(cost.perVoicemail).toBe(1);
    expect(cost.perCallback).toBe(2);
    expect(costInMinutes([], 0).perConversation).toBeNull();
  });
});

describe('the attempt-limit advisor recommends the last attempt not credibly below a first dial', () => {
  it('stops before the first attempt whose yield is credibly below a fresh prospect’s', () => {
    const advice = adviseLimit([
      { attempt: 1, dials: 100, conversations: 20, appointments: 4 },
      { attempt: 2, dials: 80, conversations: 16, appointments: 3 },
      { attempt: 3, dials: 60, conversations: 10, appointments: 1 },
      { attempt: 4, dials: 200, conversations: 10, appointments: 1 },
      { attempt: 5, dials: 50, conversations: 10, appointments: 2 },
    ]);
    expect(advice.recommendedLimit).toBe(3);
    const [, second, third, fourth] = advice.byAttempt;
    expect(second!.probabilityBelow).toBeCloseTo(probabilityGreater(20, 100, 16, 80), 12);
    expect(third!.probabilityBelow!).toBeLessThan(0.95);
    expect(fourth!.probabilityBelow!).toBeGreaterThanOrEqual(0.95);
    expect(fourth!.yield).toBe(0.05);
    expect(fourth!.interval).toEqual(wilson(10, 200));
  });

  it('gives no advice without first dials, or with nothing but first dials, to compare', () => {
    expect(
      adviseLimit([{ attempt: 2, dials: 10, conversations: 1, appointments: 0 }]).recommendedLimit,
    ).toBeNull();
    expect(
      adviseLimit([{ attempt: 1, dials: 10, conversations: 4, appointments: 1 }]).recommendedLimit,
    ).toBeNull();
  });

  it('when no attempt is credibly below a first dial, recommends the last one tried', () => {
    const advice = adviseLimit([
      { attempt: 1, dials: 50, conversations: 5, appointments: 1 },
      { attempt: 2, dials: 40, conversations: 4, appointments: 0 },
      { attempt: 3, dials: 30, conversations: 3, appointments: 1 },
    ]);
    expect(advice.recommendedLimit).toBe(3);
  });
});
