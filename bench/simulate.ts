/**
 * `npm run bench -- simulate`: the simulator at the size (10,000 prospects, 5 reps,
 * 12 weeks, one run; BENCH_SIM_PROSPECTS and BENCH_SIM_WEEKS to scale) on one core, each
 * timing in turn, next to a bare loop of `nextStep` calls over the same kind of histories in
 * the same run: cadence decisions per second inside the simulation against the cadence alone.
 */

import { runSimulation } from '../src/app/simulate.js';
import { nextStep } from '../src/core/cadence/next-step.js';
import { DEFAULT_POLICY } from '../src/core/cadence/policy.js';
import type { CadenceAttempt, CadenceInput } from '../src/core/cadence/types.js';
import { DEFAULT_STATE_RULES } from '../src/core/calling-hours/state-rules.js';
import type { Timing } from '../src/sim/engine.js';
import { parsePopulation } from '../src/sim/population.js';
import { writeResult } from './support.js';

const PROSPECTS = Number(process.env.BENCH_SIM_PROSPECTS ?? 10_000);
const WEEKS = Number(process.env.BENCH_SIM_WEEKS ?? 12);
const TIMINGS = (process.env.BENCH_SIM_TIMINGS ?? 'fixed,adaptive,oracle').split(',') as Timing[];

/** The cadence alone: nextStep over histories of 1–7 unanswered attempts, as a simulation makes them. */
function bareNextStep(seconds: number): number {
  const start = Date.UTC(2026, 2, 2, 14);
  const inputs: CadenceInput[] = [];
  for (let i = 0; i < 500; i++) {
    const history: CadenceAttempt[] = [];
    for (let k = 0; k <= i % 7; k++) {
      history.push({
        at: start + k * 86_400_000 + (i % 5) * 3_600_000,
        outcome: k % 2 === 0 ? 'no_answer' : 'voicemail_left',
        number: '+12125550100',
        voicemailLeft: k % 2 === 1,
        script: k % 2 === 1 ? 'intro' : null,
        scheduledFor: null,
      });
    }
    inputs.push({
      enrollment: { id: i + 1, state: 'active', putOffs: 0, flagged: false, experimentArm: null },
      history,
      contact: {
        name: 'Bench',
        kind: 'business',
        zone: i % 2 ? 'America/New_York' : 'America/Chicago',
        state: null,
        doNotCall: false,
        numbers: [{ e164: '+12125550100', kind: 'direct', valid: true, doNotCall: false }],
      },
      campaign: { id: 1, urgency: 'normal', policy: DEFAULT_POLICY },
      stateRules: DEFAULT_STATE_RULES,
      caller: { zone: 'America/New_York', window: { start: '09:30', end: '15:30', days: [1, 2, 3, 4, 5] } },
      now: history.at(-1)!.at,
    });
  }
  let n = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (const input of inputs) nextStep(input);
    n += inputs.length;
  }
  return n / seconds;
}

export async function run(): Promise<void> {
  const population = parsePopulation({});
  const bare = bareNextStep(5);
  const runs: Record<string, unknown>[] = [];
  for (const timing of TIMINGS) {
    const started = performance.now();
    const summary = runSimulation({
      population,
      option: { label: 'default', campaign: { id: 1, urgency: 'normal', policy: DEFAULT_POLICY } },
      timing,
      prospects: PROSPECTS,
      weeks: WEEKS,
      runs: 1,
      seed: 1,
    });
    const seconds = (performance.now() - started) / 1000;
    runs.push({
      timing,
      seconds: Number(seconds.toFixed(2)),
      decisions: summary.decisions,
      decisionsPerSecond: Math.round(summary.decisions / seconds),
      ratioToBareNextStep: Number((summary.decisions / seconds / bare).toFixed(3)),
      dials: summary.dials,
      conversationsPerRepHour: Number(summary.conversationsPerRepHour.mean.toFixed(3)),
    });
    process.stdout.write(`simulate ${timing}: ${seconds.toFixed(1)} s, ${summary.decisions} decisions\n`);
  }
  const path = writeResult(
    PROSPECTS === 10_000 && WEEKS === 12 ? 'simulate' : `simulate-${PROSPECTS}-${WEEKS}`,
    {
      prospects: PROSPECTS,
      reps: population.reps.count,
      weeks: WEEKS,
      bareNextStepPerSecond: Math.round(bare),
      target: 'one run in under 20 s on one core',
      runs,
    },
  );
  process.stdout.write(`${path}\n`);
}
