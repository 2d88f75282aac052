/**
 * Call blocks over HTTP: starting one switches your screening and leases its first calls to
 * you until it ends (the queue's own leasing); stopping it hands those calls back and returns
 * the summary of the calls sent to voicemail meanwhile. Both announce `queue.changed`, so
 * colleagues' queues (and cached looks at them) see the leases come and go.
 *
 * Starting while a block runs is 409 Conflict, the running block in the problem's `block`
 * member and `Location: /api/v1/blocks/current`: a second start is nearly always a double
 * click or a second tab, and silently extending or replacing the block would change what
 * rings through without the user asking. Stop it first to start another.
 */
import { z } from 'zod';
import { blockJson, MAX_BLOCK_MINUTES, startBlock, stopBlock } from '../../app/blocks.js';
import { buildQueue } from '../../app/queue.js';
import { queueItemSchema } from '../../contracts/queue.js';
import { blockSchema, blockSummarySchema } from '../../contracts/screening.js';
import { isInBlock } from '../../core/screening/screen.js';
import { latestBlockOf } from '../../store/block-repo.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { queueChanged } from '../publish.js';

/** What `POST /api/v1/blocks` answers while a block runs (documented in the OpenAPI). */
const blockRunningProblem = z
  .object({
    type: z.literal('/problems/conflict'),
    title: z.string(),
    status: z.literal(409),
    detail: z.string(),
    instance: z.string(),
    block: blockSchema,
  })
  .describe('A call block is running: the problem names it (block) and Location points to it; stop it first');

export function registerBlockRoutes(app: ZodApp, ctx: ServerContext): void {
  app.post(
    '/api/v1/blocks',
    {
      schema: {
        tags: ['blocks'],
        summary:
          'Start a call block: only expected calls ring through, and its first calls are leased to you',
        body: z.strictObject({
          minutes: z.number().int().min(1).max(MAX_BLOCK_MINUTES),
          calls: z.number().int().min(0).max(100).default(10),
        }),
        response: {
          201: z.object({
            block: blockSchema,
            closed: blockSummarySchema.nullable(),
            calls: z.array(queueItemSchema),
          }),
          409: blockRunningProblem,
        },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const now = ctx.now();
      const started = await startBlock(ctx.store, user, request.body.minutes, now);
      const calls =
        request.body.calls > 0
          ? await buildQueue(ctx.store, {
              user,
              campaignId: null,
              now,
              limit: request.body.calls,
              leaseUntil: Date.parse(started.block.plannedEndAt),
            })
          : [];
      await queueChanged(ctx, request, user, 'block_started', {
        blockId: started.block.id,
        contactIds: calls.map((c) => c.contact.id),
      });
      reply.code(201);
      return { ...started, calls };
    },
  );

  app.get(
    '/api/v1/blocks/current',
    {
      schema: {
        tags: ['blocks'],
        summary: 'Your call block in force, or null',
        response: { 200: z.object({ block: blockSchema.nullable() }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const latest = await latestBlockOf(ctx.store.db, user.id);
      const inForce =
        latest &&
        isInBlock(
          {
            id: latest.id,
            startedAt: latest.started_at,
            plannedEndAt: latest.planned_end_at,
            endedAt: latest.ended_at,
          },
          ctx.now(),
        );
      return { block: inForce ? blockJson(latest) : null };
    },
  );

  app.post(
    '/api/v1/blocks/current/stop',
    {
      schema: {
        tags: ['blocks'],
        summary: 'End your call block; the summary lists the calls sent to voicemail and who they were',
        response: { 200: blockSummarySchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const summary = await stopBlock(ctx.store, user, ctx.now());
      await queueChanged(ctx, request, user, 'block_ended', { blockId: summary.block.id });
      return summary;
    },
  );
}
