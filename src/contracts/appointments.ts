/** Phone appointments as the API and the command line show them. */
import { z } from 'zod';

export const APPOINTMENT_STATUS_VALUES = [
  'scheduled',
  'rescheduled',
  'cancelled',
  'held',
  'no_show',
] as const;

export const appointmentSchema = z.object({
  id: z.number().int(),
  contactId: z.number().int(),
  contact: z.string(),
  company: z.string().nullable(),
  userId: z.number().int(),
  user: z.string(),
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  title: z.string(),
  notes: z.string(),
  status: z.enum(APPOINTMENT_STATUS_VALUES),
  /** Raised by each change (the invite's SEQUENCE). */
  sequence: z.number().int(),
  /** The .ics of this appointment, relative to the server. */
  invite: z.string(),
});

export type AppointmentView = z.infer<typeof appointmentSchema>;
