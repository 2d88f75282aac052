/**
 * The attempt-limit advisor ("draw a line in the sand", seed 001): the yield of the k-th
 * attempt — conversations per dial to people not yet reached — next to the yield of a fresh
 * prospect's first dial in the same campaign. The recommended limit is the last k before the
 * first attempt whose yield is credibly below the fresh-prospect yield (P(below) ≥ 95 %,
 * Beta-Binomial): past it, a dial is better spent on someone new. Advice only; the caller
 * shows it and a person applies it.
 *
 *   adviseLimit([{ attempt: 1, dials: 100, conversations: 20, appointments: 4 }, …])
 *   // → { recommendedLimit: 5, fresh, byAttempt: [{ attempt, yield, interval, probabilityBelow }] }
 */
import { type Interval, probabilityGreater, wilson } from './intervals.js';

export const CREDIBLY_BELOW = 0.95;

export interface AttemptYieldCount {
  attempt: number;
  dials: number;
  conversations: number;
  appointments: number;
}

export interface AttemptYield extends AttemptYieldCount {
  yield: number | null;
  interval: Interval | null;
  /** P(this attempt's true yield < a first dial's); null for attempt 1 or without dials. */
  probabilityBelow: number | null;
}

export interface Advice {
  /**
   * Null until there are first dials and later attempts to compare them with. When no attempt
   * is credibly below a first dial, the last attempt tried: the data supports at least that many.
   */
  recommendedLimit: number | null;
  byAttempt: AttemptYield[];
}

export function adviseLimit(counts: readonly AttemptYieldCount[]): Advice {
  const sorted = [...counts].sort((a, b) => a.attempt - b.attempt);
  const fresh = sorted.find((c) => c.attempt === 1);
  let limit: number | null = null;
  let stopped = false;
  const byAttempt = sorted.map((c): AttemptYield => {
    const below =
      fresh && fresh.dials > 0 && c.attempt > 1 && c.dials > 0
        ? probabilityGreater(fresh.conversations, fresh.dials, c.conversations, c.dials)
        : null;
    if (fresh && fresh.dials > 0 && !stopped) {
      if (below !== null && below >= CREDIBLY_BELOW) stopped = true;
      else if (c.dials > 0) limit = c.attempt;
    }
    return {
      ...c,
      yield: c.dials > 0 ? c.conversations / c.dials : null,
      interval: wilson(c.conversations, c.dials),
      probabilityBelow: below,
    };
  });
  const compared = sorted.some((c) => c.attempt > 1 && c.dials > 0);
  return { recommendedLimit: compared ? limit : null, byAttempt };
}
