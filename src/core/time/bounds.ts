/**
 * The instants the product works with: from 1970 to the end of 2199. Far enough for any call,
 * appointment or report; beyond it dates stop being plans and start breaking arithmetic and
 * formatting (year 10000 has no ISO form), so every date an API or a person gives is checked
 * against this once, where it is read.
 */
export const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
/** Exclusive. */
export const LATEST_INSTANT = Date.UTC(2200, 0, 1);

export const INSTANT_RANGE_TEXT = 'between 1970 and 2199';

export function instantInRange(at: number): boolean {
  return Number.isFinite(at) && at >= EARLIEST_INSTANT && at < LATEST_INSTANT;
}
