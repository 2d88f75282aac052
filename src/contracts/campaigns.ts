/**
 * Campaigns and enrollments as the API takes and returns them. A campaign's policy is
 * core/cadence/policy.ts's schema (every field optional, the design's defaults filled in);
 * its scripts core/scripts/schema.ts's. Lint findings come back with every campaign.
 */
import { z } from 'zod';
import { cadencePolicySchema } from '../core/cadence/policy.js';
import { CAMPAIGN_KINDS } from '../core/scripts/defaults.js';
import { campaignScriptsSchema } from '../core/scripts/schema.js';

export const URGENCIES = ['high', 'normal', 'low'] as const;

const lintFindingSchema = z.object({
  script: z.string(),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
});

/** The longest campaign name, wherever one is given (the API, an import's campaign field). */
export const CAMPAIGN_NAME_MAX = 200;

export const campaignInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(CAMPAIGN_NAME_MAX),
  kind: z.enum(CAMPAIGN_KINDS).default('sales'),
  urgency: z.enum(URGENCIES).default('normal'),
  /** What the call is about, as the scripts say it: "cutting invoice-approval time". */
  topic: z.string().trim().min(1, 'must say what the call is about').max(200),
  /** The team it is shared with; null for the whole workspace. Default: the creator's team. */
  teamId: z.number().int().positive().nullable().optional(),
  policy: cadencePolicySchema.optional(),
  scripts: campaignScriptsSchema.optional(),
});

export const campaignUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(CAMPAIGN_NAME_MAX).optional(),
  urgency: z.enum(URGENCIES).optional(),
  topic: z.string().trim().min(1, 'must say what the call is about').max(200).optional(),
  teamId: z.number().int().positive().nullable().optional(),
  policy: cadencePolicySchema.optional(),
  scripts: campaignScriptsSchema.optional(),
  archived: z.boolean().optional(),
});

export const campaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  urgency: z.string(),
  topic: z.string(),
  teamId: z.number().int().nullable(),
  createdBy: z.number().int().nullable(),
  archived: z.boolean(),
  policy: z.record(z.string(), z.unknown()),
  scripts: z.record(z.string(), z.unknown()),
  lint: z.array(lintFindingSchema),
  /** Its enrollments: all, still being worked (new, active, snoozed, appointment), won, unreachable. */
  figures: z.object({
    enrolled: z.number().int(),
    active: z.number().int(),
    won: z.number().int(),
    unreachable: z.number().int(),
  }),
});

export type CampaignInput = z.infer<typeof campaignInputSchema>;
export type CampaignUpdate = z.infer<typeof campaignUpdateSchema>;
export type CampaignJson = z.infer<typeof campaignSchema>;

export const ENROLLMENT_STATES = [
  'new',
  'active',
  'snoozed',
  'appointment',
  'won',
  'lost',
  'unreachable',
  'dnc',
] as const;

export const enrollmentSchema = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  campaign: z.string(),
  contactId: z.number().int(),
  contact: z.string(),
  ownerId: z.number().int().nullable(),
  state: z.enum(ENROLLMENT_STATES),
  attemptCount: z.number().int(),
  nextDueAt: z.string().nullable(),
  dueKind: z.string().nullable(),
  flagged: z.boolean(),
});

export const enrollmentInputSchema = z.strictObject({
  contactId: z.number().int().positive(),
  campaignId: z.number().int().positive(),
  /** Default: the contact's owner, else you. */
  ownerId: z.number().int().positive().nullable().optional(),
});

/** By hand, an enrollment is handed to someone else, or closed as won or lost, or reopened. */
export const enrollmentUpdateSchema = z.strictObject({
  ownerId: z.number().int().positive().nullable().optional(),
  state: z.enum(['active', 'won', 'lost']).optional(),
});

export type EnrollmentJson = z.infer<typeof enrollmentSchema>;
