/**
 * An appointment's lifecycle (rule 9): set (scheduled), moved (rescheduled), called off
 * (cancelled), kept (held) or missed (no_show). Only a live appointment changes; each change
 * raises its sequence so a calendar holding the invite takes the newer one, and says what
 * happens to the enrollment that waits for it.
 */
export const APPOINTMENT_STATUSES = ['scheduled', 'rescheduled', 'cancelled', 'held', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export type AppointmentChange =
  | { kind: 'reschedule'; startsAt: number }
  | { kind: 'cancel' }
  | { kind: 'held' }
  | { kind: 'no_show' };

export type AppointmentChangeKind = AppointmentChange['kind'];

export interface AppointmentState {
  status: AppointmentStatus;
  startsAt: number;
  sequence: number;
}

/** What a change does to the appointment and to the enrollment still waiting for it. */
export interface AppointmentChanged extends AppointmentState {
  /** The reminder goes out again for the new time; a finished appointment is never reminded. */
  remindAgain: boolean;
  /**
   * The enrollment waiting for this appointment: `move` keeps it an appointment at the new
   * time; `retry` makes it a call due now (with a put-off for a no-show, rule 8); `rest` takes
   * it off the queue until the call held is logged.
   */
  enrollment: 'move' | 'retry' | 'retry_with_put_off' | 'rest';
}

export function isLive(status: AppointmentStatus): boolean {
  return status === 'scheduled' || status === 'rescheduled';
}

const DONE_WORDS: Record<Exclude<AppointmentStatus, 'scheduled' | 'rescheduled'>, string> = {
  cancelled: 'was cancelled',
  held: 'was held',
  no_show: 'was marked a no-show',
};

const CHANGE_WORDS: Record<AppointmentChangeKind, string> = {
  reschedule: 'rescheduled',
  cancel: 'cancelled',
  held: 'marked held',
  no_show: 'marked a no-show',
};

/** Why an appointment in `status` takes no change of this kind, or null when it may. */
export function refusedChange(status: AppointmentStatus, kind: AppointmentChangeKind): string | null {
  if (isLive(status)) return null;
  return `The appointment ${DONE_WORDS[status as keyof typeof DONE_WORDS]}, so it cannot be ${CHANGE_WORDS[kind]}.`;
}

/** The change, or why it cannot be made (a sentence for the rep). */
export function changeAppointment(
  current: AppointmentState,
  change: AppointmentChange,
  now: number,
): { ok: true; changed: AppointmentChanged } | { ok: false; message: string } {
  const refused = refusedChange(current.status, change.kind);
  if (refused !== null) return { ok: false, message: refused };
  const sequence = current.sequence + 1;
  switch (change.kind) {
    case 'reschedule':
      if (change.startsAt <= now) {
        return { ok: false, message: 'The new time has passed: give a time to come.' };
      }
      if (change.startsAt === current.startsAt) {
        return { ok: false, message: 'The appointment is at that time already.' };
      }
      return {
        ok: true,
        changed: {
          status: 'rescheduled',
          startsAt: change.startsAt,
          sequence,
          remindAgain: true,
          enrollment: 'move',
        },
      };
    case 'cancel':
      return {
        ok: true,
        changed: { ...current, status: 'cancelled', sequence, remindAgain: false, enrollment: 'retry' },
      };
    case 'held':
    case 'no_show':
      if (current.startsAt > now) {
        return {
          ok: false,
          message: `The appointment has not started yet, so it cannot be ${CHANGE_WORDS[change.kind]}.`,
        };
      }
      return {
        ok: true,
        changed: {
          ...current,
          status: change.kind,
          sequence,
          remindAgain: false,
          enrollment: change.kind === 'held' ? 'rest' : 'retry_with_put_off',
        },
      };
  }
}

/** A status as a rep reads it. */
export const STATUS_WORDS: Record<AppointmentStatus, string> = {
  scheduled: 'scheduled',
  rescheduled: 'rescheduled',
  cancelled: 'cancelled',
  held: 'held',
  no_show: 'no-show',
};
