/**
 * Skipping a call: passing over the contact on the card without dialling, with an optional
 * reason. A skip is not an attempt, so the cadence's due time stands; the contact goes back to
 * the queue (for colleagues at once, for the rep who skipped after the block).
 */
import { assertUnreachable } from '../unreachable.js';

export const SKIP_REASONS = ['bad_moment', 'need_research', 'not_now'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export function isSkipReason(value: string): value is SkipReason {
  return (SKIP_REASONS as readonly string[]).includes(value);
}

/** The reason as a rep says it. */
export function skipReasonWords(reason: SkipReason): string {
  switch (reason) {
    case 'bad_moment':
      return 'bad moment to call';
    case 'need_research':
      return 'needs research first';
    case 'not_now':
      return 'not now';
    default:
      return assertUnreachable(reason, 'skip reason');
  }
}
