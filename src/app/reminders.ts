/**
 * Appointment reminders: `appointment.reminder` on the user's event stream a workspace-set
 * number of minutes (default 10) before each scheduled appointment.
 *
 *   const timer = startReminderTimer({ store, events, now: Date.now, everyMs: 15_000, onError });
 *   await sendDueReminders(store, events, now); // one pass, e.g. from a test
 *
 * Every server process may run the timer: a reminder is claimed in the database before it is
 * published (reminded_at set where still null), so with several processes it goes out once.
 * Like every event it is live only; a reminder claimed by a process that then fails to
 * publish is not sent again (the appointment itself is stored and listed).
 */
import type { Store } from '../store/db.js';
import { claimReminders, type DueReminder, dueReminders } from '../store/reminder-repo.js';
import type { EventBus } from './events.js';

export const REMINDER_EVENT = 'appointment.reminder';
/** Reminders handled per query; the next tick takes the rest. */
const BATCH = 200;

export interface ReminderData {
  appointmentId: number;
  contactId: number;
  contact: string;
  company: string | null;
  title: string;
  startsAt: string;
  /** Whole minutes from the reminder to the appointment. */
  minutesBefore: number;
}

function reminderData(r: DueReminder, now: number): ReminderData {
  return {
    appointmentId: r.id,
    contactId: r.contact_id,
    contact: [r.first_name, r.last_name].filter(Boolean).join(' '),
    company: r.company,
    title: r.title,
    startsAt: new Date(r.starts_at).toISOString(),
    minutesBefore: Math.round((r.starts_at - now) / 60_000),
  };
}

/** Claims and publishes every reminder due at `now`; returns how many this call sent. */
export async function sendDueReminders(store: Store, events: EventBus, now: number): Promise<number> {
  let sent = 0;
  for (;;) {
    const due = await dueReminders(store.db, now, BATCH);
    if (due.length === 0) return sent;
    const claimed = new Set(
      await claimReminders(
        store.db,
        due.map((r) => r.id),
        now,
      ),
    );
    for (const r of due) {
      if (!claimed.has(r.id)) continue;
      await events.publish({
        workspaceId: r.workspace_id,
        userId: r.user_id,
        type: REMINDER_EVENT,
        data: reminderData(r, now),
      });
      sent++;
    }
    if (due.length < BATCH) return sent;
  }
}

export interface ReminderTimer {
  /** Runs one pass now (after any pass in progress); resolves with how many it sent. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

/** Runs sendDueReminders every `everyMs`, one pass at a time; errors go to onError. */
export function startReminderTimer(options: {
  store: Store;
  events: EventBus;
  now: () => number;
  everyMs: number;
  onError: (error: unknown) => void;
}): ReminderTimer {
  let running: Promise<number> = Promise.resolve(0);
  const tick = () => {
    running = running
      .catch(() => 0)
      .then(() => sendDueReminders(options.store, options.events, options.now()));
    return running;
  };
  const interval = setInterval(() => {
    tick().catch(options.onError);
  }, options.everyMs);
  // The timer alone never keeps a process alive.
  interval.unref();
  return {
    tick,
    stop: async () => {
      clearInterval(interval);
      await running.catch(() => 0);
    },
  };
}
