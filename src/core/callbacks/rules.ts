/**
 * When a call puts a contact on the caller's callback list, and until when: the rules the
 * cadence applies when an outcome is logged, and the demo's simulated calls follow too.
 *
 *   voicemailListUntil(leftAt, nextAttemptAt, 2) // rule 2: until the next attempt, at least 2 days
 *   requestedCallbackUntil(askedFor)             // rule 8: until a day after the time asked
 *
 * What takes a contact off the list again is `endsTheWait` (list.ts): a live conversation.
 */
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/**
 * Rule 2: a voicemail keeps the contact on the caller's list until the next attempt or for
 * `minDays`, whichever is later — the caller is waiting for the message to be answered.
 */
export function voicemailListUntil(leftAt: number, nextAttemptAt: number | null, minDays: number): number {
  return Math.max(nextAttemptAt ?? 0, leftAt + minDays * DAY);
}

/** Rule 8: a contact who asked to be called back stays on the list until a day after the time asked. */
export function requestedCallbackUntil(askedFor: number): number {
  return askedFor + DAY;
}

/**
 * A booked appointment keeps its contact on the list (as an entry, for the demo's history of
 * past blocks) until an hour after it ends; live screening also reads the appointment itself.
 */
export function appointmentListUntil(startsAt: number, durationMinutes: number): number {
  return startsAt + durationMinutes * 60_000 + HOUR;
}
