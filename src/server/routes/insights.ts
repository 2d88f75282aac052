/**
 * `GET /api/v1/stats` — does calling pay: dials, conversations, voicemails left, callbacks
 * received (credited to the voicemail that earned them), appointments set and dials per hour
 * of block time, in total, per campaign, per user and per arm of the voicemail experiment.
 * Limited to the calls of the users the caller answers for (store/scope.ts).
 */
import { statsFor } from '../../app/insights.js';
import { statsQuerySchema, statsSchema } from '../../contracts/insights.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';

export function registerInsightsRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/stats',
    {
      schema: {
        tags: ['insights'],
        summary:
          'Dials, conversations, voicemails, callbacks, appointments and the voicemail experiment, for a period',
        description:
          'Counts the calls of the users you answer for (a rep: their own; a manager: their team; an admin: the workspace), ' +
          'narrowed by userId, teamId or campaignId. `from` is inclusive, `to` exclusive (default: the 30 days up to now). ' +
          'Every rate carries its count and what it is a share of. A callback received is an inbound call from a known ' +
          'contact; it counts for a voicemail when screening linked it to the attempt that left one. Dials per hour count ' +
          'dials made inside call blocks over the blocks’ length. The experiment compares enrollments per arm (leave a ' +
          'voicemail or not): the share reached live and the share that called back after their first dial in the period, ' +
          'with a verdict only once each arm has 30 enrollments.',
        querystring: statsQuerySchema,
        response: { 200: statsSchema },
      },
    },
    async (request) => statsFor(ctx.store.db, principalOf(request).user, request.query, ctx.now()),
  );
}
