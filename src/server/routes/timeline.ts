/**
 * `GET /api/v1/contacts/:id/timeline` — everything that happened with a contact, newest first,
 * a page at a time: attempts (outcome, who, number, note, voicemail left and its script),
 * inbound calls and the voicemail that earned them, voicemails received, appointments,
 * callback-list entries and do-not-call changes.
 */
import { z } from 'zod';
import { contactTimeline } from '../../app/timeline.js';
import { timelineQuerySchema, timelineSchema } from '../../contracts/timeline.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';

export function registerTimelineRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/contacts/:id/timeline',
    {
      schema: {
        tags: ['contacts'],
        summary:
          'A contact’s timeline: attempts, calls and voicemails received, appointments, callbacks, do-not-call',
        description:
          'Newest first. Pass the `next` of a page as `after` to read the one that follows; `next` is null on the last page.',
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
        querystring: timelineQuerySchema,
        response: { 200: timelineSchema },
      },
    },
    async (request) =>
      contactTimeline(ctx.store.db, principalOf(request).user, request.params.id, request.query),
  );
}
