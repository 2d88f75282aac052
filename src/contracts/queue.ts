/**
 * A call in the queue and the result of logging an attempt, as the CLI prints them with
 * --json and the API will return them.
 */
import { z } from 'zod';
import { SKIP_REASONS } from '../core/block/skip.js';

export const queueItemSchema = z.object({
  position: z.number().int(),
  reason: z.enum(['appointment', 'callback', 'retry', 'fresh']),
  enrollmentId: z.number().int(),
  campaign: z.string(),
  contact: z.object({
    id: z.number().int(),
    name: z.string(),
    company: z.string().nullable(),
    title: z.string(),
  }),
  number: z.object({ e164: z.string(), kind: z.string(), extension: z.string() }).nullable(),
  localTime: z.object({ zone: z.string(), time: z.string(), day: z.string(), guess: z.boolean() }),
  dueAt: z.string().nullable(),
  attempts: z.number().int(),
  voicemail: z.object({
    leave: z.boolean(),
    script: z.enum(['intro', 'follow_up', 'break_up']).nullable(),
    why: z.string(),
  }),
  script: z.object({ name: z.string(), text: z.string() }),
  leasedUntil: z.string().nullable(),
  /** The campaign's attempt limit (rule 5): the card says "attempt 5 of 7". */
  attemptLimit: z.number().int(),
  /** The contact's calling window now, in words: "Inside their calling hours until 17:00 (2 h left)". */
  window: z.object({ open: z.boolean(), text: z.string() }),
  /** The last three attempts, newest first: what happened, the note, who called. */
  recent: z.array(
    z.object({
      at: z.string(),
      outcome: z.string(),
      words: z.string(),
      note: z.string(),
      by: z.string().nullable(),
    }),
  ),
  /** What to say, side by side as the moment needs: the opener, the line for a gatekeeper, the voicemail (when one is left). */
  scripts: z.object({ opener: z.string(), gatekeeper: z.string(), voicemail: z.string().nullable() }),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const nextStepSchema = z.object({
  state: z.string(),
  dueAt: z.string().nullable(),
  dueKind: z.string().nullable(),
  number: z.string().nullable(),
  voicemail: z.object({ leave: z.boolean(), script: z.string().nullable(), why: z.string() }),
  priority: z.number(),
  putOffs: z.number().int(),
  flagged: z.boolean(),
  callbackListUntil: z.string().nullable(),
  /** The next step in plain words: "Try again tomorrow morning, their time." */
  words: z.string(),
  /** Rule by rule, why (numbered as DESIGN.md's rules). */
  reasons: z.array(z.string()),
});

export const logResultSchema = z.object({
  attemptId: z.number().int(),
  contactId: z.number().int(),
  campaign: z.string(),
  outcome: z.string(),
  at: z.string(),
  number: z.string().nullable(),
  scheduledFor: z.string().nullable(),
  next: nextStepSchema,
});
export type LogResult = z.infer<typeof logResultSchema>;

/** What `ringback undo --json` prints and `POST /api/v1/undo` returns: the log or skip taken back. */
export const undoResultSchema = z.object({
  kind: z.enum(['attempt', 'skip']),
  /** The attempt's or the skip's id (both are gone now). */
  id: z.number().int(),
  contactId: z.number().int(),
  name: z.string(),
  outcome: z.string().nullable(),
  /** “Voicemail left” for Dana Lee; the skip of Dana Lee. */
  undone: z.string(),
});
export type UndoResult = z.infer<typeof undoResultSchema>;

/** What `ringback skip --json` prints and `POST /api/v1/skips` returns. */
export const skipResultSchema = z.object({
  skipId: z.number().int(),
  contactId: z.number().int(),
  campaign: z.string(),
  reason: z.enum(SKIP_REASONS).nullable(),
  /** The block it counts in; null outside a block. */
  blockId: z.number().int().nullable(),
  /** When the cadence has the contact due (a skip does not move it). */
  dueAt: z.string().nullable(),
});
export type SkipResult = z.infer<typeof skipResultSchema>;
