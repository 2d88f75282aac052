/**
 * Outgoing webhooks as the API, the CLI's --json and the Settings page see them. The secret is
 * in the answer to adding an endpoint only: it is shown once.
 */
import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../core/webhooks/events.js';

export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);

export const webhookEndpointInputSchema = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  /** Every event when omitted. */
  events: z
    .array(z.string())
    .max(WEBHOOK_EVENTS.length * 2)
    .optional(),
  allowPrivate: z.boolean().default(false),
});
export type WebhookEndpointInput = z.input<typeof webhookEndpointInputSchema>;

export const webhookEndpointSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  allowPrivate: z.boolean(),
  createdAt: z.string(),
  /** Null while enabled; when its retries ran out, the time and why. */
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
  pending: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastDeliveredAt: z.string().nullable(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** What adding an endpoint answers: the one time the signing secret is shown. */
export const addedWebhookSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  secret: z.string(),
});
export type AddedWebhook = z.infer<typeof addedWebhookSchema>;

export const webhookDeliverySchema = z.object({
  id: z.number().int(),
  endpointId: z.number().int(),
  /** The `webhook-id` the receiver sees. */
  webhookId: z.string(),
  type: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
