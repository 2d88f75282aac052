/**
 * An appointment as an iCalendar invite (RFC 5545, made with ical-generator): one UID per
 * appointment for its whole life (`appointment-ID@HOST`), so a calendar updates the event it
 * holds instead of adding another; METHOD:REQUEST while it stands and METHOD:CANCEL once called
 * off, with SEQUENCE raised by each change. It names the number to dial and each party's zone,
 * since the rep and the prospect are often in different ones.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { AppointmentStatus } from './lifecycle.js';

export interface InviteAppointment {
  id: number;
  startsAt: number;
  durationMinutes: number;
  title: string;
  notes: string;
  status: AppointmentStatus;
  sequence: number;
  /** When the invite was last changed (DTSTAMP). */
  stampedAt: number;
  contact: { name: string; company: string | null; zone: string | null; number: string | null };
  rep: { name: string; email: string; zone: string };
}

/** The stable UID: the server's host makes it unique across servers. */
export function inviteUid(id: number, host: string): string {
  return `appointment-${id}@${host}`;
}

function zoneLine(who: string, zone: string | null, at: number): string {
  if (!zone) return `${who}: time zone not known`;
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at);
  return `${who}: ${local} (${zone})`;
}

export function appointmentInvite(a: InviteAppointment, host: string): string {
  const cancelled = a.status === 'cancelled';
  const calendar = ical({
    prodId: { company: 'Ringback', product: 'Ringback', language: 'EN' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  const who = a.contact.company ? `${a.contact.name} (${a.contact.company})` : a.contact.name;
  const dial = a.contact.number
    ? `Call ${who} on ${a.contact.number}.`
    : `Call ${who}; no number is on file.`;
  const description = [
    dial,
    zoneLine(who, a.contact.zone, a.startsAt),
    zoneLine(a.rep.name || a.rep.email, a.rep.zone, a.startsAt),
    ...(a.notes ? ['', a.notes] : []),
  ].join('\n');
  calendar.createEvent({
    id: inviteUid(a.id, host),
    sequence: a.sequence,
    stamp: new Date(a.stampedAt),
    start: new Date(a.startsAt),
    end: new Date(a.startsAt + a.durationMinutes * 60_000),
    summary: a.title,
    description,
    location: a.contact.number ?? '',
    organizer: { name: a.rep.name || a.rep.email, email: a.rep.email },
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  const text = calendar.toString();
  // RFC 5545 ends every line, the last included, with CRLF.
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
