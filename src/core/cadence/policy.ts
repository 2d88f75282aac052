/**
 * A campaign's cadence policy: every number in DESIGN.md's cadence rules is a setting here,
 * with the design's defaults. Stored as JSON on the campaign and validated on the way in.
 */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like "09:00"');

const window = z
  .object({
    start: hhmm,
    end: hhmm,
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    days: z.array(z.number().int().min(1).max(7)).min(1),
  })
  .refine((w) => w.start < w.end, { message: 'start must be before end' });

/** A calling window in local time: also the workspace default and a user's own hours. */
export const callingWindowSchema = window;

const days = (min: number, max: number) =>
  z
    .object({ min: z.number().min(0), max: z.number().min(0) })
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
    .default({ min, max });

export const VOICEMAIL_POLICIES = ['always', 'never', 'first_and_last', 'experiment'] as const;
/** Which attempts may carry the break-up: the last only, or the one before the last and the last. */
export const BREAK_UP_ON = ['last', 'before_last'] as const;

export const cadencePolicySchema = z
  .object({
    /** Rule 1: same-day retry needs this many hours of the window left, at most this many a day. */
    sameDayRetryMinHoursLeft: z.number().min(0).max(24).default(3),
    maxAttemptsPerDay: z.number().int().min(1).max(10).default(2),
    /** Rule 2: business days until the next attempt after a voicemail. */
    afterVoicemailBusinessDays: days(1, 2),
    /** Rule 2: minimum days a voicemail keeps the contact on the callback list. */
    callbackListMinDays: z.number().min(0).default(7),
    /** Rule 3: spacing from this attempt on follows urgency. */
    urgencySpacingFromAttempt: z.number().int().min(1).default(4),
    spacingDays: z
      .object({ high: days(2, 4), normal: days(4, 7), low: days(7, 10) })
      .default({ high: { min: 2, max: 4 }, normal: { min: 4, max: 7 }, low: { min: 7, max: 10 } }),
    /** Rule 5: "a line in the sand". */
    attemptLimit: z.number().int().min(1).max(50).default(7),
    /** Rule 6. */
    voicemail: z.enum(VOICEMAIL_POLICIES).default('always'),
    /**
     * Rule 7: the break-up voicemail belongs to the end of the cadence — offered on the last
     * attempt the limit allows, or from the one before it; once it is left, no call follows.
     */
    breakUpOn: z.enum(BREAK_UP_ON).default('last'),
    /** Rule 8: put-offs before the enrollment is lowered and flagged. */
    maxPutOffs: z.number().int().min(0).default(2),
    /** Rule 9: appointments lead the queue from this many minutes before. */
    appointmentLeadMinutes: z.number().int().min(0).max(240).default(10),
    /** Rule 11: failed direct attempts before trying the mobile. */
    directAttemptsBeforeMobile: z.number().int().min(0).default(2),
    /** Rule 12: calling windows in the contact's local time. */
    businessWindow: window.default({ start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] }),
    consumerWindow: window.default({ start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6] }),
    /** Queue: share of a block's slots kept for people never called before. */
    freshShare: z.number().min(0).max(1).default(0.3),
    /** Learning: choose among the allowed slots by when this kind of contact answers; off keeps the fixed cadence. */
    learnBestTime: z.boolean().default(true),
  })
  .strict();

export type CadencePolicy = z.infer<typeof cadencePolicySchema>;

export const DEFAULT_POLICY: CadencePolicy = cadencePolicySchema.parse({});
