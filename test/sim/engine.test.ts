/**
 * The simulator's engine: seeded and repeatable, and every simulated call obeys the rules the
 * product obeys — calling hours, the reps' blocks, the voicemail policy, the attempt limit.
 */
import { describe, expect, it } from 'vitest';
import { type CadencePolicy, cadencePolicySchema, DEFAULT_POLICY } from '../../src/core/cadence/policy.js';
import { LIVE_OUTCOMES } from '../../src/core/cadence/types.js';
import { isAllowedAt, legalBound, windowFor } from '../../src/core/calling-hours/calling-hours.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { localParts } from '../../src/core/time/zoned.js';
import { type SimDial, type SimulationOptions, simulate } from '../../src/sim/engine.js';
import { parsePopulation } from '../../src/sim/population.js';
import { meanInterval } from '../../src/sim/runs.js';

function run(overrides: Partial<SimulationOptions> = {}, policy: CadencePolicy = DEFAULT_POLICY) {
  const dials: SimDial[] = [];
  const result = simulate({
    population: parsePopulation({}),
    campaign: { id: 1, urgency: 'normal', policy },
    prospects: 300,
    reps: 2,
    weeks: 4,
    seed: 3,
    startDay: '2026-03-02',
    onDial: (d) => dials.push(d),
    ...overrides,
  });
  return { result, dials };
}

describe('the simulator', () => {
  it('gives the same result and the same calls for the same seed, and others for another', () => {
    const a = run();
    const b = run();
    expect(b.result).toEqual(a.result);
    expect(b.dials.map((d) => [d.prospect.id, d.attempt.at, d.attempt.outcome])).toEqual(
      a.dials.map((d) => [d.prospect.id, d.attempt.at, d.attempt.outcome]),
    );
    expect(run({ seed: 4 }).result).not.toEqual(a.result);
  });

  it('dials only inside the reps’ blocks and the contact’s calling hours (a requested time inside the law’s)', () => {
    const { dials } = run();
    expect(dials.length).toBeGreaterThan(500);
    for (const d of dials.filter((x) => !x.inbound)) {
      const rep = localParts(d.startedAt, 'America/New_York');
      const minutes = rep.hour * 60 + rep.minute;
      const inBlock =
        (minutes >= 9 * 60 + 30 && minutes < 11 * 60) || (minutes >= 14 * 60 && minutes < 15 * 60 + 30);
      expect(inBlock, new Date(d.startedAt).toISOString()).toBe(true);
      const ctx = {
        zone: d.prospect.zone,
        kind: d.prospect.kind,
        state: d.prospect.state,
        window: windowFor(DEFAULT_POLICY, d.prospect.kind),
        stateRules: DEFAULT_STATE_RULES,
      };
      expect(isAllowedAt(d.startedAt, legalBound(ctx)).ok).toBe(true);
    }
  });

  it('never leaves a voicemail under the "never" policy, so nobody calls back after one', () => {
    const { result, dials } = run({}, cadencePolicySchema.parse({ voicemail: 'never' }));
    expect(result.voicemailsLeft).toBe(0);
    expect(result.callbacks).toBe(0);
    expect(dials.some((d) => d.attempt.outcome === 'voicemail_skipped')).toBe(true);
  });

  it('stops at the attempt limit without a conversation and counts the enrollment unreachable', () => {
    const policy = cadencePolicySchema.parse({ attemptLimit: 3 });
    const { result, dials } = run({ weeks: 6 }, policy);
    const byProspect = new Map<number, SimDial[]>();
    for (const d of dials) byProspect.set(d.prospect.id, [...(byProspect.get(d.prospect.id) ?? []), d]);
    let unreachable = 0;
    for (const list of byProspect.values()) {
      let sinceLive = 0;
      for (const d of list) {
        // A return date (rule 10) starts the count again, as a conversation does.
        const back =
          (d.attempt.outcome === 'away' || d.attempt.outcome === 'gatekeeper') &&
          d.attempt.scheduledFor !== null;
        sinceLive = LIVE_OUTCOMES.has(d.attempt.outcome) ? 0 : back ? 0 : sinceLive + 1;
        expect(sinceLive).toBeLessThanOrEqual(3);
      }
      if (list.at(-1)!.step.state === 'unreachable') unreachable++;
    }
    expect(unreachable).toBe(result.unreachable);
    expect(unreachable).toBeGreaterThan(0);
  });

  it('reaches about 5 % of cold dials live on the default population (Gong × 30MPC)', () => {
    const { result } = run({ prospects: 1000, reps: 3, weeks: 6 });
    const rate = result.conversations / result.dials;
    expect(rate).toBeGreaterThan(0.03);
    expect(rate).toBeLessThan(0.08);
  });

  it('counts what it simulated: conversations and voicemails are among the calls made', () => {
    const { result, dials } = run();
    expect(result.dials).toBe(dials.filter((d) => !d.inbound).length);
    expect(result.conversations).toBe(dials.filter((d) => LIVE_OUTCOMES.has(d.attempt.outcome)).length);
    expect(result.voicemailsLeft).toBe(dials.filter((d) => d.attempt.voicemailLeft).length);
    expect(result.callbacks).toBeGreaterThanOrEqual(dials.filter((d) => d.inbound).length);
    expect(result.repHours).toBe(2 * 20 * 3);
  });
});

describe('the interval over runs', () => {
  it('is a Student t interval around the mean', () => {
    const i = meanInterval([1, 2, 3, 4, 5]);
    expect(i.mean).toBe(3);
    // s = 1.5811, s/√5 = 0.7071, t(0.975, 4) = 2.776
    expect(i.low).toBeCloseTo(3 - 2.776 * Math.SQRT1_2, 3);
    expect(i.high).toBeCloseTo(3 + 2.776 * Math.SQRT1_2, 3);
    expect(meanInterval([2])).toEqual({ mean: 2, low: 2, high: 2 });
  });
});
