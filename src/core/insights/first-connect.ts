/**
 * Attempts to first connect, censoring-aware (Kaplan–Meier): for each attempt number k, the
 * enrollments that made a k-th attempt still unreached (at risk) and those reached live by it.
 * An enrollment still being worked after three silent attempts is at risk for attempts 1–3
 * and simply absent from 4 on — not counted as a failure at 4 — so the curve does not sink
 * just because the campaign is young.
 *
 *   firstConnectCurve([{ attempt: 1, atRisk: 10, reached: 2 }, { attempt: 2, atRisk: 6, reached: 3 }])
 *   // → share reached by attempt 1: 0.2, by attempt 2: 1 − 0.8·0.5 = 0.6
 */

export interface FirstConnectCount {
  attempt: number;
  /** Enrollments whose k-th attempt was made with no conversation before it. */
  atRisk: number;
  /** Of those, the ones the k-th attempt reached live. */
  reached: number;
}

export interface FirstConnectPoint extends FirstConnectCount {
  /** Share of enrollments reached by attempt k (cumulative); null before any data. */
  share: number | null;
}

export function firstConnectCurve(counts: readonly FirstConnectCount[]): FirstConnectPoint[] {
  const sorted = [...counts].sort((a, b) => a.attempt - b.attempt);
  let unreached = 1;
  let seen = false;
  return sorted.map((c) => {
    if (c.atRisk > 0) {
      unreached *= 1 - c.reached / c.atRisk;
      seen = true;
    }
    return { ...c, share: seen ? 1 - unreached : null };
  });
}
