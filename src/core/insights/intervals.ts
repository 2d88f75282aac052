/**
 * Uncertainty for the insights: a 95 % interval for every share (Wilson score), an interval for
 * the difference of two shares (Newcombe's hybrid score, built from the two Wilson intervals),
 * and the probability that one share is truly higher than another (Beta-Binomial, uniform
 * priors, computed exactly). Pure numbers in, numbers out.
 *
 *   wilson(3, 10)                  // → { low: 0.108, high: 0.603 }
 *   differenceInterval(8, 20, 2, 20) // → { low, high } around 0.30
 *   probabilityGreater(8, 20, 2, 20) // → P(p1 > p2) ≈ 0.98
 *
 * Wilson rather than the textbook p ± 1.96·√(p(1−p)/n) because call data is full of small
 * counts and shares near 0, where the textbook interval collapses to a point or leaves [0, 1].
 */

/** The 97.5th percentile of the standard normal: two-sided 95 %. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval of count/n; null when n is 0 (no data is not a share of 0). */
export function wilson(count: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = count / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Interval of p1 − p2 (Newcombe 1998, method 10): each side's distance from the point estimate
 * comes from the two Wilson intervals. Null when either sample is empty.
 */
export function differenceInterval(c1: number, n1: number, c2: number, n2: number): Interval | null {
  const w1 = wilson(c1, n1);
  const w2 = wilson(c2, n2);
  if (!w1 || !w2) return null;
  const p1 = c1 / n1;
  const p2 = c2 / n2;
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9): about 15 significant digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

/**
 * P(p1 > p2) when p1 ~ Beta(c1 + 1, n1 − c1 + 1) and p2 ~ Beta(c2 + 1, n2 − c2 + 1): the
 * posteriors of the two shares from uniform priors. Exact closed form for integer parameters
 * (a sum over the first posterior's alpha), so the same counts always give the same answer.
 */
export function probabilityGreater(c1: number, n1: number, c2: number, n2: number): number {
  const a1 = c1 + 1;
  const b1 = n1 - c1 + 1;
  const a2 = c2 + 1;
  const b2 = n2 - c2 + 1;
  // P(p1 > p2) = Σ_{i=0}^{a1−1} B(a2 + i, b1 + b2) / ((b1 + i) · B(1 + i, b1) · B(a2, b2))
  let total = 0;
  for (let i = 0; i < a1; i++) {
    total += Math.exp(logBeta(a2 + i, b1 + b2) - Math.log(b1 + i) - logBeta(1 + i, b1) - logBeta(a2, b2));
  }
  return Math.min(1, Math.max(0, total));
}
