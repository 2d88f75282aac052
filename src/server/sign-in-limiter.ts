/**
 * Sign-in rate limiting: at most `max` failed attempts per email and client address within
 * `windowMs`, then refused until the oldest failure ages out.
 *
 * In memory, per process: enough for one server. Several processes behind a load balancer
 * each keep their own count (a later slice can move this into the store).
 *
 *   const limiter = new SignInLimiter();            // 10 failures per 15 minutes
 *   const wait = limiter.retryAfterMs(key, now);    // > 0: refuse with 429
 */

export interface SignInLimits {
  max: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS = { max: 10, windowMs: 15 * 60_000 } satisfies SignInLimits;

/** Keys kept before a sweep drops the ones with no recent failure. */
const SWEEP_AT = 10_000;

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {}

  static key(email: string, ip: string): string {
    return `${email.trim().toLowerCase()}|${ip}`;
  }

  /** Milliseconds until another attempt is allowed; 0 when it is allowed now. */
  retryAfterMs(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < this.limits.max) return 0;
    return Math.max(1, recent[recent.length - this.limits.max]! + this.limits.windowMs - now);
  }

  recordFailure(key: string, now: number): void {
    if (this.failures.size >= SWEEP_AT) this.sweep(now);
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) {
      if (this.recent(key, now).length === 0) this.failures.delete(key);
    }
  }
}
