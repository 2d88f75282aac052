/**
 * Settings as the API takes and returns them: calling hours (the workspace's default windows
 * for new campaigns, each user's own hours), the block greeting, the telephony provider as
 * an admin sees it (the auth token never shown back in full), users and teams, and the
 * "if nobody ever answers" schedule preview of a campaign.
 */
import { z } from 'zod';
import { callingWindowSchema } from '../core/cadence/policy.js';
import { isoInstant } from './instant.js';

export const ROLES = ['rep', 'manager', 'admin'] as const;

export const callingHoursSchema = z.object({
  /** Defaults for new campaigns, contact-local. */
  business: callingWindowSchema,
  consumer: callingWindowSchema,
});

export const callingHoursResponseSchema = z.object({
  workspace: callingHoursSchema,
  /** The caller's own hours in their zone; null: the workspace business window. */
  mine: callingWindowSchema.nullable(),
  timeZone: z.string(),
});

export const myCallingHoursInputSchema = z.strictObject({
  hours: callingWindowSchema.nullable(),
});

export const greetingSchema = z.object({
  /** The workspace's template, or null for the built-in one. */
  template: z.string().nullable(),
  default: z.string(),
  variables: z.record(z.string(), z.string()),
  maxChars: z.number().int(),
});

export const greetingInputSchema = z.strictObject({
  template: z.string().max(2000).nullable(),
});

export const telephonyViewSchema = z.object({
  configured: z.boolean(),
  provider: z.string().nullable(),
  accountSid: z.string().nullable(),
  /** "••••1234": enough to tell tokens apart, never enough to use one. */
  authTokenHint: z.string().nullable(),
  callerId: z.string().nullable(),
  apiBaseUrl: z.string().nullable(),
  numbers: z.record(z.string(), z.string()),
  deadlineMs: z.number().int().nullable(),
  /** Recorded voicemail drops by "email" or "email/campaign": sent back unchanged when saving. */
  voicemailDrops: z.record(z.string(), z.string()),
  /** Click-to-call conversations are recorded (a consent notice first where a party's state requires it). */
  recordCalls: z.boolean(),
  webhookUrl: z.string(),
});

export const managedUserSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  teamId: z.number().int().nullable(),
  active: z.boolean(),
});

export const userUpdateSchema = z.strictObject({
  name: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
  teamId: z.number().int().positive().nullable().optional(),
  active: z.boolean().optional(),
  /** A new starting password, e.g. when reactivating; for another user it signs them out everywhere. */
  password: z.string().min(10).max(1024).optional(),
  /** Your current password: needed to change your own. */
  currentPassword: z.string().max(1024).optional(),
});

export const teamSchema = z.object({ id: z.number().int(), name: z.string() });
export const teamInputSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });

export const previewQuerySchema = z.strictObject({
  /** The sample contact's zone; default: the workspace's. */
  zone: z.string().optional(),
  /** ISO 8601 instant the contact enters the queue; default: now. */
  from: isoInstant.optional(),
  kind: z.enum(['business', 'consumer']).default('business'),
  /** Under the voicemail experiment: which arm to show. */
  arm: z.enum(['leave', 'skip']).default('leave'),
  urgency: z.enum(['high', 'normal', 'low']).optional(),
  /** A draft policy (JSON) to preview instead of the saved one: the page previews as you edit. */
  policy: z.string().max(8000).optional(),
});

export const previewSchema = z.object({
  zone: z.string(),
  calls: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.string(),
      day: z.string(),
      time: z.string(),
      voicemail: z.enum(['intro', 'follow_up', 'break_up']).nullable(),
      why: z.string(),
    }),
  ),
  endState: z.string(),
  end: z.string(),
});

export type CallingHoursJson = z.infer<typeof callingHoursResponseSchema>;
export type GreetingJson = z.infer<typeof greetingSchema>;
export type TelephonyView = z.infer<typeof telephonyViewSchema>;
export type ManagedUser = z.infer<typeof managedUserSchema>;
export type UserUpdate = z.infer<typeof userUpdateSchema>;
export type TeamJson = z.infer<typeof teamSchema>;
export type PreviewJson = z.infer<typeof previewSchema>;
export type CallingHours = z.infer<typeof callingHoursSchema>;
export type CallingWindowJson = z.infer<typeof callingWindowSchema>;

/** A day in the workspace's holiday calendar. */
export const holidayDaySchema = z.object({
  date: z.string(),
  name: z.string(),
  /** The country's public holiday, or a day the workspace added. */
  source: z.enum(['public', 'custom']),
});
export type HolidayDayJson = z.infer<typeof holidayDaySchema>;

export const holidayListSchema = z.object({
  year: z.number().int(),
  /** Whose public holidays the calendar starts from; null for none. */
  country: z.string().nullable(),
  days: z.array(holidayDaySchema),
  /** Public holidays of the year the workspace works anyway. */
  removed: z.array(holidayDaySchema),
});
export type HolidayListJson = z.infer<typeof holidayListSchema>;

export const holidayInputSchema = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  name: z.string().max(100).optional(),
});
