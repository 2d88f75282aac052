/**
 * The callback list over HTTP: your list, and circling a contact so their call rings through.
 */
import { z } from 'zod';
import { circleContact, listCallbacks } from '../../app/callbacks.js';
import { callbackLineSchema } from '../../contracts/screening.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';

export function registerCallbackRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/callbacks',
    {
      schema: {
        tags: ['callbacks'],
        summary: 'Your callback list: who you are waiting to hear from, why and since when',
        response: { 200: z.object({ callbacks: z.array(callbackLineSchema) }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      return { callbacks: await listCallbacks(ctx.store, user, ctx.now()) };
    },
  );

  app.post(
    '/api/v1/callbacks',
    {
      schema: {
        tags: ['callbacks'],
        summary: 'Circle a contact: on your callback list until a time said in words (default a week)',
        body: z.strictObject({
          contactId: z.number().int().positive(),
          until: z.string().max(200).optional(),
        }),
        response: { 201: callbackLineSchema },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const line = await circleContact(ctx.store, {
        user,
        contactId: request.body.contactId,
        until: request.body.until,
        at: ctx.now(),
      });
      reply.code(201);
      return line;
    },
  );
}
