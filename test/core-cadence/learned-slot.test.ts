/**
 * Best time to call, learned (insights issue, point 6): among the slots rules 1–4 and 12
 * allow, the cadence prefers those its model says answer more, by seeded Thompson sampling;
 * without data, or with learning off, it keeps the fixed cadence.
 */
import { describe, expect, it } from 'vitest';
import { nextStep } from '../../src/core/cadence/next-step.js';
import { cadencePolicySchema, DEFAULT_POLICY } from '../../src/core/cadence/policy.js';
import type { CadenceInput } from '../../src/core/cadence/types.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { buildModel, type CellCount, type Segment } from '../../src/core/insights/best-time.js';
import { BANDS, bandOf } from '../../src/core/time/bands.js';
import { instantAt, localParts } from '../../src/core/time/zoned.js';

const NY = 'America/New_York';
const segment: Segment = { campaignId: 1, kind: 'business', region: 'New York', titleGroup: 'finance' };

function input(enrollmentId: number, extra: Partial<CadenceInput> = {}): CadenceInput {
  const at = instantAt('2026-03-02', '10:30', NY);
  return {
    enrollment: { id: enrollmentId, state: 'active', putOffs: 0, flagged: false, experimentArm: null },
    history: [
      {
        at,
        outcome: 'voicemail_left',
        number: '+12125550101',
        voicemailLeft: true,
        script: 'intro',
        scheduledFor: null,
      },
    ],
    contact: {
      name: 'Dana Lee',
      kind: 'business',
      zone: NY,
      state: null,
      doNotCall: false,
      numbers: [{ e164: '+12125550101', kind: 'direct', valid: true, doNotCall: false }],
    },
    campaign: { id: 1, urgency: 'normal', policy: DEFAULT_POLICY },
    stateRules: DEFAULT_STATE_RULES,
    now: at,
    ...extra,
  };
}

/** A seeded history: this segment answers afternoons four times as often as any other band. */
function afternoonsAnswer(): CellCount[] {
  const cells: CellCount[] = [];
  for (const band of BANDS) {
    for (let weekday = 1; weekday <= 5; weekday++) {
      cells.push({ segment, band, weekday, dials: 400, answers: band === 'afternoon' ? 80 : 20 });
    }
  }
  return cells;
}

const bandOfStep = (dueAt: number | null) => bandOf(localParts(dueAt!, NY).minutesOfDay);

describe('the learned slot choice', () => {
  it('prefers the band a seeded history makes clearly better, and says why in words', () => {
    const model = buildModel(afternoonsAnswer());
    const bands = Array.from({ length: 40 }, (_, i) =>
      nextStep(input(i + 1, { bestTime: { model, segment } })),
    );
    const afternoons = bands.filter((s) => bandOfStep(s.dueAt) === 'afternoon').length;
    expect(afternoons).toBeGreaterThanOrEqual(36);
    const fixed = Array.from({ length: 40 }, (_, i) => nextStep(input(i + 1)));
    expect(fixed.filter((s) => bandOfStep(s.dueAt) === 'afternoon').length).toBeLessThan(afternoons);
    const step = bands.find((s) => bandOfStep(s.dueAt) === 'afternoon')!;
    expect(step.reasons.join(' ')).toMatch(
      /afternoons answer about (twice|[\d.]+ times) as often for finance contacts in New York/,
    );
  });

  it('keeps rule 2: the learned time stays within 1–2 business days of the voicemail', () => {
    const model = buildModel(afternoonsAnswer());
    for (let id = 1; id <= 20; id++) {
      const step = nextStep(input(id, { bestTime: { model, segment } }));
      expect(['2026-03-03', '2026-03-04']).toContain(localParts(step.dueAt!, NY).dateKey);
    }
  });

  it('gives the same plan for the same inputs', () => {
    const model = buildModel(afternoonsAnswer());
    const a = nextStep(input(7, { bestTime: { model, segment } }));
    const b = nextStep(input(7, { bestTime: { model: buildModel(afternoonsAnswer()), segment } }));
    expect(b).toEqual(a);
  });

  it('falls back to the fixed cadence when learning is off or nothing has been learned', () => {
    const model = buildModel(afternoonsAnswer());
    const off = { ...DEFAULT_POLICY, ...cadencePolicySchema.parse({ learnBestTime: false }) };
    for (let id = 1; id <= 10; id++) {
      const fixed = nextStep(input(id));
      expect(nextStep(input(id, { bestTime: { model: buildModel([]), segment } }))).toEqual(fixed);
      expect(
        nextStep(
          input(id, { bestTime: { model, segment }, campaign: { id: 1, urgency: 'normal', policy: off } }),
        ),
      ).toEqual(fixed);
    }
  });
});
