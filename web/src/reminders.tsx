/**
 * Appointment reminders (`appointment.reminder`, sent the workspace's reminder minutes before
 * each appointment) as a notice on whichever page the user is on.
 */
import { useEvents } from './events.js';
import { showToast } from './toasts.js';

interface ReminderEvent {
  contact: string;
  company: string | null;
  title: string;
  startsAt: string;
  minutesBefore: number;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function reminderText(r: ReminderEvent): { title: string; body: string } {
  const who = r.company ? `${r.contact}, ${r.company}` : r.contact;
  const when = clock.format(new Date(r.startsAt));
  return {
    title: r.minutesBefore > 0 ? `Appointment in ${r.minutesBefore} min:` : 'Appointment now:',
    body: `${who} at ${when}${r.title ? ` — ${r.title}` : ''}`,
  };
}

/** Listens for reminders while signed in; renders nothing itself (the notices are toasts). */
export function AppointmentReminders() {
  useEvents({
    'appointment.reminder': (data) => {
      const { title, body } = reminderText(data as ReminderEvent);
      // Stays until dismissed or the appointment starts: a reminder missed is an appointment missed.
      showToast(title, body, Math.max(30_000, (data as ReminderEvent).minutesBefore * 60_000));
    },
  });
  return null;
}
