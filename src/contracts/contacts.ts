/**
 * Contacts and their numbers as the API takes and returns them.
 */
import { z } from 'zod';
import { CONTACT_KINDS, NUMBER_KINDS } from '../core/contact-fields.js';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const text = (max: number) => z.string().trim().max(max);

export const numberInputSchema = z.strictObject({
  /** As typed: "(415) 555-0123", "+44 20 7946 0958", "415.555.0123 x204". */
  number: z.string().trim().min(3).max(100),
  kind: z.enum(NUMBER_KINDS).default('direct'),
});

const contactFields = z.strictObject({
  firstName: text(200),
  lastName: text(200),
  title: text(200),
  company: text(200).nullable(),
  email: z.union([z.literal(''), z.email().max(320)]),
  timeZone: z.union([
    z.literal(''),
    z.string().refine(isTimeZone, { message: 'not an IANA time zone (e.g. America/New_York)' }),
  ]),
  kind: z.enum(CONTACT_KINDS),
  interests: text(2000),
  notes: text(10_000),
  city: text(200),
  region: text(200),
  country: text(2),
  ownerId: z.number().int().positive().nullable(),
});

export const contactUpdateSchema = contactFields.partial();

export const contactCreateSchema = contactUpdateSchema
  .extend({ numbers: z.array(numberInputSchema).max(20).default([]) })
  .refine((c) => Boolean(c.firstName || c.lastName || c.numbers.length > 0), {
    message: 'a contact needs a name or a number',
    path: ['lastName'],
  });

export type ContactCreate = z.infer<typeof contactCreateSchema>;
export type ContactUpdate = z.infer<typeof contactUpdateSchema>;

export const contactSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  title: z.string(),
  company: z.string().nullable(),
  email: z.string(),
  timeZone: z.string(),
  ownerId: z.number().int().nullable(),
  doNotCall: z.boolean(),
});

export const contactNumberSchema = z.object({
  id: z.number().int(),
  e164: z.string(),
  kind: z.string(),
  extension: z.string(),
  valid: z.boolean(),
  doNotCall: z.boolean(),
});

export const contactDetailSchema = contactSummarySchema.extend({
  kind: z.enum(CONTACT_KINDS),
  interests: z.string(),
  city: z.string(),
  region: z.string(),
  country: z.string(),
  notes: z.string(),
  numbers: z.array(contactNumberSchema),
  enrollments: z.array(
    z.object({
      id: z.number().int(),
      campaignId: z.number().int(),
      campaign: z.string(),
      state: z.string(),
      ownerId: z.number().int().nullable(),
      attemptCount: z.number().int(),
      nextDueAt: z.string().nullable(),
    }),
  ),
});

export type ContactSummary = z.infer<typeof contactSummarySchema>;
export type ContactDetail = z.infer<typeof contactDetailSchema>;
