/**
 * Several simulation runs of one option (a cadence and a timing) and what they say together:
 * the totals' means and conversations per rep-hour with a 95 % interval over the runs.
 * Run k uses seed + k, so `--runs 5 --seed 1` repeats exactly.
 */
import { type SimulationOptions, type SimulationResult, simulate, type Timing } from './engine.js';

export interface Interval {
  mean: number;
  low: number;
  high: number;
}

export interface RunsSummary {
  runs: number;
  timing: Timing;
  prospects: number;
  repHours: number;
  dials: number;
  conversations: number;
  appointments: number;
  voicemailsLeft: number;
  callbacks: number;
  unreachable: number;
  conversationsPerRepHour: Interval;
  /** Cadence decisions made over every run. */
  decisions: number;
}

/** Two-sided 97.5 % quantiles of Student's t for 1–30 degrees of freedom; the normal beyond. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Mean of the values and a 95 % t-interval for it (a single value is its own interval). */
export function meanInterval(values: readonly number[]): Interval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: mean, high: mean };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = (T975[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}

export function summarizeRuns(timing: Timing, results: readonly SimulationResult[]): RunsSummary {
  const mean = (pick: (r: SimulationResult) => number) =>
    results.reduce((s, r) => s + pick(r), 0) / results.length;
  return {
    runs: results.length,
    timing,
    prospects: mean((r) => r.prospects),
    repHours: mean((r) => r.repHours),
    dials: mean((r) => r.dials),
    conversations: mean((r) => r.conversations),
    appointments: mean((r) => r.appointments),
    voicemailsLeft: mean((r) => r.voicemailsLeft),
    callbacks: mean((r) => r.callbacks),
    unreachable: mean((r) => r.unreachable),
    conversationsPerRepHour: meanInterval(
      results.map((r) => (r.repHours > 0 ? r.conversations / r.repHours : 0)),
    ),
    decisions: results.reduce((s, r) => s + r.decisions, 0),
  };
}

/** Runs `runs` simulations with seeds seed, seed + 1, …; `options(seed)` builds each run's options. */
export function simulateRuns(
  timing: Timing,
  runs: number,
  seed: number,
  options: (seed: number) => SimulationOptions,
): RunsSummary {
  const results: SimulationResult[] = [];
  for (let k = 0; k < runs; k++) results.push(simulate(options(seed + k)));
  return summarizeRuns(timing, results);
}
