/**
 * Call blocks over HTTP: starting one switches your screening and leases its first calls to
 * you until it ends (the queue's own leasing); stopping it returns the summary of the calls
 * sent to voicemail meanwhile.
 */
import { z } from 'zod';
import { BlockInputError, blockJson, MAX_BLOCK_MINUTES, startBlock, stopBlock } from '../../app/blocks.js';
import { buildQueue } from '../../app/queue.js';
import { queueItemSchema } from '../../contracts/queue.js';
import { blockSchema, blockSummarySchema } from '../../contracts/screening.js';
import { isInBlock } from '../../core/screening/screen.js';
import { latestBlockOf } from '../../store/block-repo.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { Problem } from '../problem.js';

const translate = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BlockInputError) throw new Problem('unprocessable', error.message);
    throw error;
  }
};

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
        },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const now = ctx.now();
      const started = await translate(() => startBlock(ctx.store, user, request.body.minutes, now));
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
      return translate(() => stopBlock(ctx.store, user, ctx.now()));
    },
  );
}
