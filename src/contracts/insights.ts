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

const comparisonSchema = z.object({
  difference: z.number().nullable(),
  z: z.number().nullable(),
  verdict: z.enum(['too_few', 'leave_better', 'skip_better', 'no_clear_difference']),
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
