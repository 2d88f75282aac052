/**
 * A contact's timeline as the API returns it (`GET /api/v1/contacts/:id/timeline`): entries of
 * every kind, newest first, and the cursor of the next page.
 */

import { z } from 'zod';
import { OUTCOMES } from '../core/cadence/types.js';
import { APPOINTMENT_STATUS_VALUES } from './appointments.js';

const base = {
  id: z.number().int(),
  at: z.string(),
  /** Who made, took or set it; null when nobody (an import, a deleted user). */
  user: z.string().nullable(),
};

export const timelineEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('attempt'),
    ...base,
    outcome: z.enum(OUTCOMES),
    number: z.string().nullable(),
    campaign: z.string().nullable(),
    note: z.string(),
    voicemailLeft: z.boolean(),
    /** The script offered: intro, follow_up, break_up… */
    script: z.string().nullable(),
    durationSeconds: z.number().int().nullable(),
    /** The time the outcome named (callback, appointment, return date). */
    scheduledFor: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('inbound_call'),
    ...base,
    action: z.enum(['ring', 'voicemail']),
    reason: z.string(),
    from: z.string().nullable(),
    /** The attempt screening credited the call to (the voicemail that earned it). */
    creditedTo: z.object({ attemptId: z.number().int(), at: z.string(), voicemail: z.boolean() }).nullable(),
  }),
  z.object({
    kind: z.literal('voicemail'),
    ...base,
    from: z.string().nullable(),
    url: z.string(),
    durationSeconds: z.number().int(),
    transcription: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('appointment'),
    ...base,
    title: z.string(),
    status: z.enum(APPOINTMENT_STATUS_VALUES),
    durationMinutes: z.number().int(),
  }),
  z.object({
    kind: z.literal('callback_entry'),
    ...base,
    reason: z.enum(['voicemail_left', 'callback_requested', 'appointment', 'manual']),
    expiresAt: z.string(),
    clearedAt: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('do_not_call'),
    ...base,
    /** The number put on the list; null when the whole contact was. */
    number: z.string().nullable(),
    reason: z.string(),
    source: z.string(),
  }),
]);

export const timelineQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next` of the previous page. */
  after: z.string().trim().max(80).optional(),
});

export const timelineSchema = z.object({
  entries: z.array(timelineEntrySchema),
  /** Pass as `after` for the next page; null on the last. */
  next: z.string().nullable(),
});

export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
export type TimelineJson = z.infer<typeof timelineSchema>;
