/**
 * The insights as the API takes and returns them (`GET /api/v1/stats`). Every rate comes with
 * its count and what it is a share of, so a reader sees the sample size behind it.
 */
import { z } from 'zod';
import { INSTANT_RANGE_TEXT, instantInRange } from '../core/time/bounds.js';

const instant = z
  .string()
  .trim()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), {
    message: 'not a date or time (e.g. 2026-11-01 or 2026-11-01T00:00:00Z)',
  })
  .refine((s) => Number.isNaN(Date.parse(s)) || instantInRange(Date.parse(s)), {
    message: `must be a date ${INSTANT_RANGE_TEXT}`,
  });

export const statsQuerySchema = z.strictObject({
  /** Start of the period, inclusive; default 30 days before `to`. */
  from: instant.optional(),
  /** End of the period, exclusive; default now. */
  to: instant.optional(),
  userId: z.coerce.number().int().positive().optional(),
  teamId: z.coerce.number().int().positive().optional(),
  campaignId: z.coerce.number().int().positive().optional(),
});
export type StatsQuery = z.infer<typeof statsQuerySchema>;

export const rateSchema = z.object({
  count: z.number().int(),
  of: z.number().int(),
  /** count / of; null when of is 0. */
  rate: z.number().nullable(),
});

const countsSchema = z.object({
  dials: z.number().int(),
  conversations: z.number().int(),
  voicemailsLeft: z.number().int(),
  callbacksReceived: z.number().int(),
  callbacksFromVoicemail: z.number().int(),
  /** Voicemails left that earned a callback (callbackRate's count). */
  voicemailsCalledBack: z.number().int(),
  appointmentsSet: z.number().int(),
  conversationRate: rateSchema,
  callbackRate: rateSchema,
  appointmentRate: rateSchema,
});

const blockTimeSchema = z.object({
  blocks: z.number().int(),
  hours: z.number(),
  dialsInBlocks: z.number().int(),
  dialsPerHour: z.number().nullable(),
});

const armSchema = z.object({
  arm: z.enum(['leave', 'skip']),
  enrollments: z.number().int(),
  dials: z.number().int(),
  voicemailsLeft: z.number().int(),
  callbackRate: rateSchema,
  conversationRate: rateSchema,
});

const intervalSchema = z.object({ low: z.number(), high: z.number() });

const comparisonSchema = z.object({
  difference: z.number().nullable(),
  z: z.number().nullable(),
  /** no_events: enough people, but nobody on either side did the thing compared. */
  verdict: z.enum(['too_few', 'no_events', 'leave_better', 'skip_better', 'no_clear_difference']),
  /** 95 % intervals (Wilson for each arm, Newcombe for the difference); null without data. */
  differenceInterval: intervalSchema.nullable(),
  leaveInterval: intervalSchema.nullable(),
  skipInterval: intervalSchema.nullable(),
  /** P(leaving voicemails does better), Beta-Binomial from uniform priors. */
  probabilityLeaveBetter: z.number().nullable(),
  /** The verdict in a sentence, with the true reason when there is none. */
  reason: z.string(),
});

/** Connect rate by the contact's local time: cells with no dials are left out. */
const heatCellSchema = z.object({
  /** 1 = Monday … 7 = Sunday. */
  weekday: z.number().int(),
  /** 0–23. */
  hour: z.number().int(),
  dials: z.number().int(),
  conversations: z.number().int(),
});

const firstConnectSchema = z.object({
  campaignId: z.number().int(),
  attempt: z.number().int(),
  /** Enrollments whose attempt `attempt` was made with nobody reached before it. */
  atRisk: z.number().int(),
  /** Of those, reached live by it. */
  reached: z.number().int(),
  /** Share reached by this attempt (Kaplan–Meier: enrollments still being worked are not failures). */
  share: z.number().nullable(),
});

const advisorSchema = z.object({
  campaignId: z.number().int(),
  campaign: z.string(),
  /** The last attempt not credibly below a fresh prospect's first dial; null without first dials. */
  recommendedLimit: z.number().int().nullable(),
  byAttempt: z.array(
    z.object({
      attempt: z.number().int(),
      dials: z.number().int(),
      conversations: z.number().int(),
      appointments: z.number().int(),
      /** Conversations per dial, with its 95 % interval. */
      yield: z.number().nullable(),
      interval: intervalSchema.nullable(),
      /** P(this attempt yields less than a first dial). */
      probabilityBelow: z.number().nullable(),
    }),
  ),
});

const costSchema = z.object({
  minutes: z.number(),
  /** Calls without a duration, whose time was estimated from their outcome. */
  estimatedCalls: z.number().int(),
  dials: z.number().int(),
  perConversation: z.number().nullable(),
  perVoicemail: z.number().nullable(),
  perCallback: z.number().nullable(),
});

export const statsSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  filters: z.object({
    userId: z.number().int().nullable(),
    teamId: z.number().int().nullable(),
    campaignId: z.number().int().nullable(),
  }),
  totals: countsSchema.extend(blockTimeSchema.shape),
  campaigns: z.array(countsSchema.extend({ campaignId: z.number().int().nullable(), campaign: z.string() })),
  users: z.array(
    countsSchema
      .extend(blockTimeSchema.shape)
      .extend({ userId: z.number().int().nullable(), user: z.string() }),
  ),
  heatmap: z.array(heatCellSchema),
  firstConnect: z.array(firstConnectSchema),
  advisor: z.array(advisorSchema),
  cost: costSchema,
  experiments: z.array(
    z.object({
      campaignId: z.number().int(),
      campaign: z.string(),
      leave: armSchema,
      skip: armSchema,
      callbacks: comparisonSchema,
      conversations: comparisonSchema,
    }),
  ),
});
export type StatsJson = z.infer<typeof statsSchema>;
