/**
 * Screening decisions, the callback list and block summaries as the CLI prints them with
 * --json and the API returns them.
 */
import { z } from 'zod';

export const screenContactSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  company: z.string().nullable(),
  numberKind: z.string(),
});

export const callbackForSchema = z.object({
  reason: z.enum(['voicemail_left', 'callback_requested', 'appointment', 'manual']),
  /** The attempt that earned the callback: the voicemail left, the call that asked for it. */
  attemptId: z.number().int().nullable(),
  entryId: z.number().int().nullable(),
  appointmentId: z.number().int().nullable(),
  since: z.string(),
});

/** Exactly what `ringback screen --json` prints. */
export const screenResultSchema = z.object({
  action: z.enum(['ring', 'voicemail']),
  reason: z.string(),
  contact: screenContactSchema.nullable(),
  callbackFor: callbackForSchema.nullable(),
});
export type ScreenResult = z.infer<typeof screenResultSchema>;

export const callbackLineSchema = z.object({
  contact: z.object({ id: z.number().int(), name: z.string(), company: z.string().nullable() }),
  reason: callbackForSchema.shape.reason,
  why: z.string(),
  since: z.string(),
  until: z.string(),
  attemptId: z.number().int().nullable(),
  entryId: z.number().int().nullable(),
  appointmentId: z.number().int().nullable(),
});
export type CallbackLine = z.infer<typeof callbackLineSchema>;

export const blockSchema = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  startedAt: z.string(),
  plannedEndAt: z.string(),
  endedAt: z.string().nullable(),
});

const summaryContactSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  company: z.string().nullable(),
});

/**
 * The rep's report of a block, computed on the server: the same in `ringback block stop --json`,
 * `POST /api/v1/blocks/current/stop` and the web page.
 */
export const blockSummarySchema = z.object({
  block: blockSchema,
  /** The rep's time zone: every `yourTime` is in it. */
  zone: z.string(),
  counts: z.object({
    dials: z.number().int(),
    conversations: z.number().int(),
    voicemailsLeft: z.number().int(),
    appointmentsSet: z.number().int(),
    /** Inbound calls from contacts on the rep's callback list during the block. */
    callbacksReceived: z.number().int(),
    skips: z.number().int(),
  }),
  pace: z.object({
    minutes: z.number().int(),
    /** Null when the block lasted under a minute. */
    dialsPerHour: z.number().int().nullable(),
  }),
  /** Callbacks and appointments agreed during the block, in time order. */
  promises: z.array(
    z.object({
      kind: z.enum(['callback', 'appointment']),
      contact: summaryContactSchema,
      at: z.string(),
      /** "tomorrow 15:00", in the rep's zone. */
      yourTime: z.string(),
      zone: z.string(),
    }),
  ),
  rangThrough: z.number().int(),
  sentToVoicemail: z.array(
    z.object({
      decisionId: z.number().int(),
      at: z.string(),
      /** "10:07", in the rep's zone. */
      yourTime: z.string(),
      caller: z.string(),
      contact: summaryContactSchema.nullable(),
      /** Why it went to voicemail, in words: "not on your callback list". */
      reason: z.string(),
      voicemail: z
        .object({ url: z.string(), durationSeconds: z.number().int(), transcription: z.string().nullable() })
        .nullable(),
    }),
  ),
});
export type BlockSummary = z.infer<typeof blockSummarySchema>;
