/**
 * Whether the last logged outcome (or skip) may still be undone: for exactly two minutes after
 * it was logged, and only while nobody has logged a later call on the same enrollment (undoing
 * it then would throw that call's result away). Pure: the time is a parameter.
 */
import { formatHhmm, localParts } from '../time/zoned.js';

export const UNDO_WINDOW_MS = 2 * 60_000;

export interface UndoCandidate {
  /** What it was, in words: `“Voicemail left” for Dana Lee`. */
  what: string;
  loggedAt: number;
  /** Someone logged a later call on the same enrollment since. */
  superseded: boolean;
}

export type UndoVerdict =
  | { ok: true }
  | { ok: false; reason: 'nothing' | 'too_late' | 'superseded'; message: string };

export function undoVerdict(last: UndoCandidate | null, now: number, zone: string): UndoVerdict {
  if (last === null) {
    return {
      ok: false,
      reason: 'nothing',
      message: 'there is nothing to undo: no call has been logged or skipped since the last undo',
    };
  }
  const elapsed = now - last.loggedAt;
  if (elapsed > UNDO_WINDOW_MS) {
    const at = formatHhmm(localParts(last.loggedAt, zone).minutesOfDay);
    return {
      ok: false,
      reason: 'too_late',
      message:
        `${last.what} was logged at ${at} (${zone}), ${elapsedWords(elapsed)} ago; ` +
        'a call can be undone for 2 minutes after it is logged, so this one stays as it is',
    };
  }
  if (last.superseded) {
    return {
      ok: false,
      reason: 'superseded',
      message: `${last.what} cannot be undone: a later call on the same contact has been logged since`,
    };
  }
  return { ok: true };
}

function elapsedWords(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    return rest === 0 || minutes >= 10
      ? `${minutes} minute${minutes === 1 ? '' : 's'}`
      : `${minutes} min ${rest} s`;
  }
  const hours = Math.floor(seconds / 3600);
  return `over ${hours} hour${hours === 1 ? '' : 's'}`;
}
