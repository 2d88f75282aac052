/**
 * The callback list: the contacts a user is expecting to hear from, each with why and since
 * when. Entries come from the rules (a voicemail left, a callback requested — written by
 * logAttempt from the cadence's `callbackListUntil`), from phone appointments (on the list
 * from 30 minutes before until 30 minutes after their start) and by hand ("circling" a
 * contact). An entry drops off when it expires or a later conversation clears it.
 *
 *   callbackList(entries, appointments, now) // → one line per contact, appointments first
 */
import { type AppointmentStatus, isLive as isLiveAppointment } from '../appointments/lifecycle.js';
import { LIVE_OUTCOMES, type Outcome } from '../cadence/types.js';
import { describeLocal } from '../time/bands.js';
import { assertUnreachable } from '../unreachable.js';

export const CALLBACK_REASONS = ['voicemail_left', 'callback_requested', 'appointment', 'manual'] as const;
export type CallbackReason = (typeof CALLBACK_REASONS)[number];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** An appointment puts its contact through from this long before its start until this long after. */
export const APPOINTMENT_WINDOW_MS = 30 * MINUTE;
/** A circled contact stays on the list this long unless a time is given. */
export const DEFAULT_CIRCLE_MS = 7 * DAY;
/** Nobody is circled for more than a year: a typo ("2062") would otherwise ring through forever. */
export const MAX_CIRCLE_MS = 366 * DAY;

export interface CallbackEntry {
  id: number;
  contactId: number;
  reason: CallbackReason;
  /** The attempt that put the contact on the list (the voicemail left, the call that booked it). */
  attemptId: number | null;
  sinceAt: number;
  expiresAt: number;
  clearedAt: number | null;
}

export interface ListAppointment {
  id: number;
  contactId: number;
  attemptId: number | null;
  startsAt: number;
  status: AppointmentStatus;
}

/** One line of the list: the entry (or appointment) that best says why the contact is expected. */
export interface ListedCallback {
  contactId: number;
  reason: CallbackReason;
  attemptId: number | null;
  sinceAt: number;
  expiresAt: number;
  /** The stored entry; null for an appointment, which lives in its own table. */
  entryId: number | null;
  appointmentId: number | null;
}

/**
 * Whether logging `outcome` clears the caller's entries for the contact: once they have spoken,
 * the caller is no longer waiting to hear from them (a callback they asked for is a new entry).
 */
export function endsTheWait(outcome: Outcome): boolean {
  return LIVE_OUTCOMES.has(outcome);
}

export function isLive(entry: CallbackEntry, at: number): boolean {
  return entry.sinceAt <= at && at < entry.expiresAt && (entry.clearedAt === null || entry.clearedAt > at);
}

export function isAppointmentSoon(appointment: ListAppointment, at: number): boolean {
  return (
    isLiveAppointment(appointment.status) &&
    at >= appointment.startsAt - APPOINTMENT_WINDOW_MS &&
    at <= appointment.startsAt + APPOINTMENT_WINDOW_MS
  );
}

/**
 * The live list at `at`, one line per contact: an appointment about to start wins (it is the
 * most pressing reason), else the most recent live entry. Ordered by that, then newest first.
 */
export function callbackList(
  entries: readonly CallbackEntry[],
  appointments: readonly ListAppointment[],
  at: number,
): ListedCallback[] {
  const byContact = new Map<number, ListedCallback>();
  for (const a of appointments) {
    if (!isAppointmentSoon(a, at)) continue;
    const held = byContact.get(a.contactId);
    if (held && Math.abs(held.sinceAt - at) <= Math.abs(a.startsAt - at)) continue;
    byContact.set(a.contactId, {
      contactId: a.contactId,
      reason: 'appointment',
      attemptId: a.attemptId,
      sinceAt: a.startsAt,
      expiresAt: a.startsAt + APPOINTMENT_WINDOW_MS,
      entryId: null,
      appointmentId: a.id,
    });
  }
  for (const e of entries) {
    if (!isLive(e, at)) continue;
    const held = byContact.get(e.contactId);
    if (held && (held.appointmentId !== null || later(held, e))) continue;
    byContact.set(e.contactId, {
      contactId: e.contactId,
      reason: e.reason,
      attemptId: e.attemptId,
      sinceAt: e.sinceAt,
      expiresAt: e.expiresAt,
      entryId: e.id,
      appointmentId: null,
    });
  }
  return [...byContact.values()].sort(
    (a, b) =>
      Number(b.appointmentId !== null) - Number(a.appointmentId !== null) ||
      b.sinceAt - a.sinceAt ||
      a.contactId - b.contactId,
  );
}

/** Held beats candidate when it is more recent (ties: the higher entry id, the later written). */
function later(held: ListedCallback, candidate: CallbackEntry): boolean {
  if (held.sinceAt !== candidate.sinceAt) return held.sinceAt > candidate.sinceAt;
  return (held.entryId ?? 0) > candidate.id;
}

export type CircleResult = { ok: true; sinceAt: number; expiresAt: number } | { ok: false; message: string };

/** Circling a contact by hand: on the list from now until `until` (default a week). */
export function circle(at: number, until: number | null): CircleResult {
  const expiresAt = until ?? at + DEFAULT_CIRCLE_MS;
  if (expiresAt <= at) return { ok: false, message: 'the time given is not in the future' };
  if (expiresAt - at > MAX_CIRCLE_MS)
    return { ok: false, message: 'a contact is circled for at most a year' };
  return { ok: true, sinceAt: at, expiresAt };
}

/** "voicemail left yesterday 10:02", "circled today 09:00", "appointment today 14:00" — in `zone`. */
export function describeWhy(
  line: Pick<ListedCallback, 'reason' | 'sinceAt'>,
  zone: string,
  now: number,
): string {
  const when = describeLocal(line.sinceAt, zone, now);
  switch (line.reason) {
    case 'voicemail_left':
      return `voicemail left ${when}`;
    case 'callback_requested':
      return `asked to be called back (since ${when})`;
    case 'appointment':
      return `appointment ${when}`;
    case 'manual':
      return `circled ${when}`;
    default:
      return assertUnreachable(line.reason);
  }
}
