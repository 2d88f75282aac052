/**
 * When to try a failed delivery again: exponential back-off with jitter, a receiver's
 * `Retry-After` honoured, and a point after which the endpoint is given up on (disabled).
 * Pure: time and randomness are arguments.
 */
export interface RetrySchedule {
  /** The wait after the first failure; each further failure doubles it. */
  firstDelayMs: number;
  /** The longest wait between two tries. */
  maxDelayMs: number;
  /** How long after its first try a delivery is still retried; then the endpoint is disabled. */
  retryForMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** About 20 tries over three days and a bit: 5 s, 10 s, 20 s … then every 6 hours. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  firstDelayMs: 5000,
  maxDelayMs: 6 * HOUR,
  retryForMs: 3 * 24 * HOUR + HOUR,
};

export type RetryDecision = { kind: 'retry'; at: number } | { kind: 'give_up' };

/**
 * After failed try number `attempts` (1 for the first) at `now`, of a delivery first tried at
 * `firstAttemptAt`. `random` in [0, 1) spreads retries of many deliveries apart (±20 %); a
 * `Retry-After` of the receiver's replaces the back-off, within the longest wait.
 */
export function afterFailure(
  schedule: RetrySchedule,
  attempts: number,
  firstAttemptAt: number,
  now: number,
  random: number,
  retryAfterMs: number | null,
): RetryDecision {
  if (now - firstAttemptAt >= schedule.retryForMs) return { kind: 'give_up' };
  const backoff = Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** Math.min(attempts - 1, 30));
  const delay =
    retryAfterMs !== null
      ? Math.min(schedule.maxDelayMs, Math.max(0, retryAfterMs))
      : Math.round(backoff * (0.8 + 0.4 * random));
  // The last try falls at the end of the retry period, not beyond it, nor never.
  return { kind: 'retry', at: Math.min(now + delay, firstAttemptAt + schedule.retryForMs) };
}

/** `Retry-After`: whole seconds, or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
