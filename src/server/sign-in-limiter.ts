/**
 * Sign-in rate limiting, counted in the store so every server process on the database shares
 * one count. Each attempt is counted before its password is checked, so parallel requests
 * cannot all slip under the limit:
 *
 * - at most `max` attempts per email and client address within `windowMs` (a success clears it);
 * - at most `perAddressMax` attempts per client address across all emails (against spraying one
 *   password over many accounts); a success gives its own attempt back, never the others.
 *
 *   const limiter = new SignInLimiter(store.db);              // 10 and 50 per 15 minutes
 *   const wait = await limiter.admit(email, ip, now);          // > 0: refuse with 429
 *   … check the password …
 *   await limiter.succeeded(email, ip);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import {
  clearSignInAttempts,
  countSignInAttempt,
  deleteSignInAttemptsBefore,
  refundSignInAttempt,
} from '../store/sign-in-repo.js';

export interface SignInLimits {
  max: number;
  windowMs: number;
  /** Attempts per client address across every email. */
  perAddressMax: number;
}

export const DEFAULT_SIGN_IN_LIMITS = {
  max: 10,
  windowMs: 15 * 60_000,
  perAddressMax: 50,
} satisfies SignInLimits;

/** Old counters are swept at most this often per process. */
const SWEEP_EVERY_MS = 60_000;

export class SignInLimiter {
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  private static accountKey(email: string, ip: string): string {
    return `account:${email.trim().toLowerCase()}|${ip}`;
  }

  private static addressKey(ip: string): string {
    return `address:${ip}`;
  }

  /**
   * Counts this attempt; returns the milliseconds until another is allowed when it is over a
   * limit (refuse it without checking the password), else 0.
   */
  async admit(email: string, ip: string, now: number): Promise<number> {
    const { windowMs } = this.limits;
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await deleteSignInAttemptsBefore(this.db, now - windowMs);
    }
    const account = await countSignInAttempt(this.db, SignInLimiter.accountKey(email, ip), now, windowMs);
    const address = await countSignInAttempt(this.db, SignInLimiter.addressKey(ip), now, windowMs);
    const waits = [
      account.attempts > this.limits.max ? account.windowStart + windowMs - now : 0,
      address.attempts > this.limits.perAddressMax ? address.windowStart + windowMs - now : 0,
    ];
    const wait = Math.max(...waits);
    return wait > 0 ? Math.max(1, wait) : 0;
  }

  async succeeded(email: string, ip: string): Promise<void> {
    await clearSignInAttempts(this.db, SignInLimiter.accountKey(email, ip));
    await refundSignInAttempt(this.db, SignInLimiter.addressKey(ip));
  }
}
