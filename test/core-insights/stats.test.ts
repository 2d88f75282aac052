import { describe, expect, it } from 'vitest';
import {
  type ArmCount,
  compareShares,
  MIN_ARM_SIZE,
  MIN_BLOCK_MS,
  type OutcomeCount,
  rate,
  summarizeStats,
} from '../../src/core/insights/stats.js';

const HOUR = 3_600_000;
const row = (o: Partial<OutcomeCount> & Pick<OutcomeCount, 'outcome' | 'count'>): OutcomeCount => ({
  userId: 1,
  campaignId: 10,
  voicemailLeft: false,
  ...o,
});
const arm = (a: Partial<ArmCount> & Pick<ArmCount, 'arm' | 'enrollments'>): ArmCount => ({
  campaignId: 10,
  dials: a.enrollments * 2,
  voicemailsLeft: 0,
  reached: 0,
  calledBack: 0,
  ...a,
});

describe('the insights maths', () => {
  it('counts conversations as the outcomes with the contact on the line, and appointments among them', () => {
    const stats = summarizeStats({
      outcomes: [
        row({ outcome: 'no_answer', count: 6 }),
        row({ outcome: 'voicemail_left', voicemailLeft: true, count: 4 }),
        row({ outcome: 'gatekeeper', count: 2 }),
        row({ outcome: 'connected', count: 3 }),
        row({ outcome: 'appointment_set', count: 1 }),
        row({ outcome: 'not_interested', count: 1 }),
      ],
      callbacks: [],
      blocks: [],
      arms: [],
    });
    expect(stats.totals.dials).toBe(17);
    expect(stats.totals.conversations).toBe(5);
    expect(stats.totals.voicemailsLeft).toBe(4);
    expect(stats.totals.appointmentsSet).toBe(1);
    expect(stats.totals.conversationRate).toEqual({ count: 5, of: 17, rate: 5 / 17 });
    expect(stats.totals.appointmentRate).toEqual({ count: 1, of: 5, rate: 0.2 });
  });

  it('credits a callback to the voicemail that earned it, and to that attempt’s campaign', () => {
    const stats = summarizeStats({
      outcomes: [
        row({ outcome: 'voicemail_left', voicemailLeft: true, count: 8 }),
        row({ campaignId: 20, outcome: 'voicemail_left', voicemailLeft: true, count: 2 }),
      ],
      callbacks: [
        { userId: 1, campaignId: 10, fromVoicemail: true, count: 2 },
        { userId: 1, campaignId: 10, fromVoicemail: false, count: 1 },
        { userId: 1, campaignId: null, fromVoicemail: false, count: 3 },
      ],
      blocks: [],
      arms: [],
    });
    expect(stats.totals.callbacksReceived).toBe(6);
    expect(stats.totals.callbacksFromVoicemail).toBe(2);
    expect(stats.totals.callbackRate).toEqual({ count: 2, of: 10, rate: 0.2 });
    const [ten, twenty, none] = stats.byCampaign;
    expect(ten).toMatchObject({ campaignId: 10, callbacksReceived: 3, callbackRate: { count: 2, of: 8 } });
    expect(twenty).toMatchObject({
      campaignId: 20,
      callbacksReceived: 0,
      callbackRate: { count: 0, of: 2, rate: 0 },
    });
    expect(none).toMatchObject({
      campaignId: null,
      dials: 0,
      callbacksReceived: 3,
      callbackRate: { rate: null },
    });
  });

  it('divides dials made inside blocks by the blocks’ hours, per user and in total', () => {
    const stats = summarizeStats({
      outcomes: [row({ outcome: 'no_answer', count: 50 }), row({ userId: 2, outcome: 'busy', count: 5 })],
      callbacks: [],
      blocks: [
        { userId: 1, startedAt: 0, endAt: HOUR, dials: 30 },
        { userId: 1, startedAt: 2 * HOUR, endAt: 2.5 * HOUR, dials: 15 },
        { userId: 3, startedAt: 0, endAt: HOUR / 2, dials: 0 },
      ],
      arms: [],
    });
    expect(stats.totals).toMatchObject({ blocks: 3, hours: 2, dialsInBlocks: 45, dialsPerHour: 22.5 });
    expect(stats.byUser.map((u) => [u.userId, u.dials, u.dialsPerHour])).toEqual([
      [1, 50, 30],
      [2, 5, null],
      [3, 0, 0],
    ]);
  });

  it('gives no pace for less than ten minutes of block time', () => {
    const short = summarizeStats({
      outcomes: [],
      callbacks: [],
      blocks: [{ userId: 1, startedAt: 0, endAt: MIN_BLOCK_MS - 1, dials: 2 }],
      arms: [],
    });
    expect(short.totals).toMatchObject({ blocks: 1, dialsInBlocks: 2, dialsPerHour: null });
    const enough = summarizeStats({
      outcomes: [],
      callbacks: [],
      blocks: [{ userId: 1, startedAt: 0, endAt: MIN_BLOCK_MS, dials: 2 }],
      arms: [],
    });
    expect(enough.totals.dialsPerHour).toBeCloseTo(12, 10);
  });

  it('gives no rate for an empty denominator rather than 0 % or NaN', () => {
    expect(rate(0, 0)).toEqual({ count: 0, of: 0, rate: null });
    const stats = summarizeStats({ outcomes: [], callbacks: [], blocks: [], arms: [] });
    expect(stats.totals.conversationRate.rate).toBeNull();
    expect(stats.totals.dialsPerHour).toBeNull();
  });

  it('compares the experiment’s arms by enrollment, with each arm’s sample size', () => {
    const stats = summarizeStats({
      outcomes: [],
      callbacks: [],
      blocks: [],
      arms: [
        arm({ arm: 'leave', enrollments: 200, voicemailsLeft: 180, reached: 40, calledBack: 30 }),
        arm({ arm: 'skip', enrollments: 200, reached: 38, calledBack: 6 }),
      ],
    });
    const [e] = stats.experiments;
    expect(e!.leave).toMatchObject({
      enrollments: 200,
      voicemailsLeft: 180,
      callbackRate: { count: 30, of: 200 },
    });
    expect(e!.skip.callbackRate).toEqual({ count: 6, of: 200, rate: 0.03 });
    expect(e!.callbacks.verdict).toBe('leave_better');
    expect(e!.callbacks.difference).toBeCloseTo(0.12, 10);
    expect(e!.conversations.verdict).toBe('no_clear_difference');
  });

  it('gives no verdict while an arm has fewer than the minimum enrollments, however large the gap', () => {
    const small = compareShares(rate(MIN_ARM_SIZE - 1, MIN_ARM_SIZE - 1), rate(0, 200));
    expect(small.verdict).toBe('too_few');
    expect(compareShares(rate(0, 0), rate(5, 50))).toEqual({ difference: null, z: null, verdict: 'too_few' });
  });

  it('says the arm without voicemails did better when its share is significantly higher', () => {
    // pooled p = 0.15, se = sqrt(0.15·0.85·(2/100)) ≈ 0.0505; z = −0.1/0.0505 ≈ −1.98
    const c = compareShares(rate(10, 100), rate(20, 100));
    expect(c.z).toBeCloseTo(-1.98, 2);
    expect(c.verdict).toBe('skip_better');
    expect(compareShares(rate(11, 100), rate(20, 100)).verdict).toBe('no_clear_difference');
  });
});
