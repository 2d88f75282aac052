/**
 * Outgoing webhooks for admins (app/webhooks.ts): add an endpoint (the answer carries its
 * signing secret, the only time it is shown), list, remove, list deliveries, replay.
 */
import { z } from 'zod';
import {
  addWebhook,
  listDeliveries,
  listWebhooks,
  removeWebhook,
  replayDelivery,
  replayWebhook,
  type WebhookActor,
} from '../../app/webhooks.js';
import {
  addedWebhookSchema,
  webhookDeliverySchema,
  webhookEndpointInputSchema,
  webhookEndpointSchema,
} from '../../contracts/webhooks.js';
import type { User } from '../../store/schema.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';

const idParams = z.strictObject({ id: z.coerce.number().int().positive() });
const actorOf = (user: User): WebhookActor => ({ workspaceId: user.workspace_id, userId: user.id });

export function registerWebhookRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'The webhook endpoints, each with its deliveries so far and latest error',
        response: { 200: z.object({ webhooks: z.array(webhookEndpointSchema) }) },
      },
    },
    async (request) => ({ webhooks: await listWebhooks(ctx.store, actorOf(principalOf(request).user)) }),
  );

  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to events; the answer holds its signing secret, shown only this once',
        description:
          'Requests are signed to the Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature). `events` defaults to all; `allowPrivate` lets it reach loopback, private and link-local addresses.',
        body: webhookEndpointInputSchema,
        response: { 201: addedWebhookSchema },
      },
    },
    async (request, reply) => {
      const added = await addWebhook(ctx.store, actorOf(principalOf(request).user), request.body, ctx.now());
      return reply.code(201).send(added);
    },
  );

  app.delete(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Remove an endpoint and its undelivered events',
        params: idParams,
      },
    },
    async (request, reply) => {
      await removeWebhook(ctx.store, actorOf(principalOf(request).user), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/webhooks/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'The latest deliveries, newest first; of one endpoint with `endpoint`',
        querystring: z.strictObject({
          endpoint: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ deliveries: z.array(webhookDeliverySchema) }) },
      },
    },
    async (request) => ({
      deliveries: await listDeliveries(
        ctx.store,
        actorOf(principalOf(request).user),
        request.query.endpoint,
        request.query.limit,
      ),
    }),
  );

  app.post(
    '/api/v1/webhooks/:id/replay',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Enable an endpoint and send its failed deliveries again',
        params: idParams,
        response: { 200: z.object({ replayed: z.number().int(), endpoint: webhookEndpointSchema }) },
      },
    },
    async (request) =>
      replayWebhook(ctx.store, actorOf(principalOf(request).user), request.params.id, ctx.now()),
  );

  app.post(
    '/api/v1/webhooks/deliveries/:id/replay',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send one delivery again, delivered before or not (same webhook-id)',
        params: idParams,
      },
    },
    async (request, reply) => {
      await replayDelivery(ctx.store, actorOf(principalOf(request).user), request.params.id, ctx.now());
      return reply.code(204).send();
    },
  );
}
