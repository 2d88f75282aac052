/**
 * Calling: the queue (a look, or taking the next calls with a lease), logging an attempt
 * (with `Idempotency-Key`), snooze and do-not-call. The same app/ use cases as the CLI, acting
 * in the signed-in user's workspace.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { logAttempt } from '../../app/log-attempt.js';
import { buildQueue } from '../../app/queue.js';
import { skipCall } from '../../app/skip.js';
import { doNotCall, snoozeContact } from '../../app/snooze-and-dnc.js';
import { undoLast } from '../../app/undo.js';
import { isoInstant } from '../../contracts/instant.js';
import {
  type LogResult,
  logResultSchema,
  queueItemSchema,
  skipResultSchema,
  undoResultSchema,
} from '../../contracts/queue.js';
import { SKIP_REASONS } from '../../core/block/skip.js';
import { OUTCOMES } from '../../core/cadence/types.js';
import { NUMBER_KINDS } from '../../core/contact-fields.js';
import { findCampaignByName } from '../../store/campaign-repo.js';
import { findContactInScope } from '../../store/contact-repo.js';
import { findIdempotencyKey, insertIdempotencyKey } from '../../store/idempotency-repo.js';
import type { User } from '../../store/schema.js';
import { workspaceOfUser } from '../../store/workspace-repo.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { Problem } from '../problem.js';
import { publish, queueChanged } from '../publish.js';
import { QueueCache } from '../queue-cache.js';
import { scopeOf } from './index.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

async function requireContact(ctx: ServerContext, user: User, id: number): Promise<void> {
  if (!(await findContactInScope(ctx.store.db, user, id)))
    throw new Problem('not_found', `there is no contact ${id}`);
}

async function campaignIdOf(
  ctx: ServerContext,
  user: User,
  name: string | undefined,
): Promise<number | null> {
  if (name === undefined) return null;
  const campaign = await findCampaignByName(ctx.store.db, user.workspace_id, name);
  if (!campaign) throw new Problem('not_found', `there is no campaign "${name}"`);
  return campaign.id;
}

const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'printable ASCII without spaces, at most 200 characters')
  .optional();

const attemptBody = z.strictObject({
  contactId: z.number().int().positive(),
  outcome: z.enum(OUTCOMES),
  campaign: z.string().min(1).max(200).optional(),
  when: z.string().max(200).optional(),
  note: z.string().max(10_000).optional(),
  number: z.string().max(100).optional(),
  at: isoInstant.optional(),
  durationSeconds: z.number().int().min(0).max(86_400).optional(),
  learnedNumber: z.string().max(100).optional(),
  learnedKind: z.enum(NUMBER_KINDS).optional(),
});

/** Routes above that announce their own changes. */
const ANNOUNCED = new Set([
  '/api/v1/attempts',
  '/api/v1/skips',
  '/api/v1/queue',
  '/api/v1/contacts/:id/snooze',
  '/api/v1/dnc',
]);

/**
 * Every other successful write to contacts, campaigns, enrollments or imports announces
 * `queue.changed` before its response leaves, so no one reads a stale queue after it.
 */
export function registerQueueChangeAnnouncements(app: ZodApp, ctx: ServerContext): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url ?? '';
    if (request.method === 'GET' || reply.statusCode >= 300 || ANNOUNCED.has(url) || !request.principal)
      return payload;
    const scope = scopeOf(request.method, url);
    if (scope === 'contact' || scope === 'campaign' || scope === 'enrollment') {
      await queueChanged(ctx, request, request.principal.user, `${request.method} ${url}`);
    }
    return payload;
  });
}

export function registerCallRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/queue',
    {
      schema: {
        tags: ['queue'],
        summary: 'The calls you would make next, in order (a look: nothing is leased)',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(10),
          campaign: z.string().min(1).max(200).optional(),
          at: isoInstant.optional(),
        }),
        response: { 200: z.object({ items: z.array(queueItemSchema) }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const { at, limit } = request.query;
      const campaignId = await campaignIdOf(ctx, user, request.query.campaign);
      const now = ctx.now();
      // A look at another time is a replay: planned afresh, never cached.
      const key = at === undefined ? QueueCache.key(user.id, campaignId, limit) : null;
      const cached = key === null ? undefined : ctx.queueCache.get(key, now);
      if (cached) return { items: cached };
      const generation = ctx.queueCache.generation(user.workspace_id);
      const items = await buildQueue(ctx.store, {
        user,
        campaignId,
        now: at === undefined ? now : Date.parse(at),
        limit,
        leaseUntil: null,
      });
      if (key !== null) ctx.queueCache.set(key, user.workspace_id, generation, items, now);
      return { items };
    },
  );

  app.post(
    '/api/v1/queue',
    {
      schema: {
        tags: ['queue'],
        summary: 'Take your next calls: they are leased to you so no colleague dials them meanwhile',
        body: z.strictObject({
          limit: z.number().int().min(1).max(100).default(10),
          campaign: z.string().min(1).max(200).optional(),
          leaseMinutes: z
            .number()
            .int()
            .min(1)
            .max(24 * 60)
            .default(30),
          at: isoInstant.optional(),
        }),
        response: { 200: z.object({ items: z.array(queueItemSchema) }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const body = request.body;
      const now = body.at === undefined ? ctx.now() : Date.parse(body.at);
      const items = await buildQueue(ctx.store, {
        user,
        campaignId: await campaignIdOf(ctx, user, body.campaign),
        now,
        limit: body.limit,
        leaseUntil: now + body.leaseMinutes * 60_000,
      });
      if (items.length > 0) {
        await queueChanged(ctx, request, user, 'leased', { contactIds: items.map((i) => i.contact.id) });
      }
      return { items };
    },
  );

  app.post(
    '/api/v1/attempts',
    {
      schema: {
        tags: ['attempts'],
        summary:
          'Log the outcome of a call; the cadence schedules what follows. With an Idempotency-Key header, ' +
          'a retry returns the first result and records nothing new.',
        headers: z.object({ [IDEMPOTENCY_HEADER]: idempotencyKey }),
        body: attemptBody,
        response: { 201: logResultSchema },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const body = request.body;
      const key = request.headers[IDEMPOTENCY_HEADER];
      const fingerprint = createHash('sha256')
        .update(`POST /api/v1/attempts ${JSON.stringify(body)}`)
        .digest('hex');
      const replay = async (): Promise<LogResult | undefined> => {
        if (key === undefined) return undefined;
        const stored = await findIdempotencyKey(ctx.store.db, user.id, key, ctx.now());
        if (!stored) return undefined;
        if (stored.fingerprint !== fingerprint) {
          throw new Problem('unprocessable', 'this Idempotency-Key was used with a different request', [
            { path: '/headers/idempotency-key', message: 'already used with a different body' },
          ]);
        }
        reply.header('idempotent-replayed', 'true');
        return JSON.parse(stored.response) as LogResult;
      };
      const first = await replay();
      if (first) {
        reply.code(201);
        return first;
      }
      await requireContact(ctx, user, body.contactId);
      let result: LogResult;
      try {
        const now = ctx.now();
        result = await logAttempt(ctx.store, {
          user,
          scoped: true,
          contactId: body.contactId,
          outcome: body.outcome,
          campaign: body.campaign,
          when: body.when,
          note: body.note,
          number: body.number,
          durationSeconds: body.durationSeconds,
          learnedNumber: body.learnedNumber,
          learnedKind: body.learnedKind,
          at: body.at === undefined ? now : Date.parse(body.at),
          inTransaction:
            key === undefined
              ? undefined
              : (db, logged) =>
                  insertIdempotencyKey(db, {
                    user_id: user.id,
                    key,
                    workspace_id: user.workspace_id,
                    fingerprint,
                    status: 201,
                    response: JSON.stringify(logged),
                    created_at: now,
                  }),
        });
      } catch (error) {
        // A concurrent retry with the same key committed first: this one rolled back; answer as it did.
        const winner = await replay().catch(() => undefined);
        if (winner) {
          reply.code(201);
          return winner;
        }
        throw error;
      }
      ctx.queueCache.dropWorkspace(user.workspace_id);
      await publish(ctx, request, {
        workspaceId: user.workspace_id,
        userId: user.id,
        type: 'attempt.logged',
        data: {
          attemptId: result.attemptId,
          contactId: result.contactId,
          outcome: result.outcome,
          next: { state: result.next.state, dueAt: result.next.dueAt },
        },
      });
      reply.code(201);
      return result;
    },
  );

  app.post(
    '/api/v1/skips',
    {
      schema: {
        tags: ['attempts'],
        summary:
          'Skip a call without dialling (a reason is optional): the skip is counted in your block, the ' +
          'contact keeps its due time and leaves your queue until the block ends',
        body: z.strictObject({
          contactId: z.number().int().positive(),
          campaign: z.string().min(1).max(200).optional(),
          reason: z.enum(SKIP_REASONS).optional(),
        }),
        response: { 201: skipResultSchema },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      await requireContact(ctx, user, request.body.contactId);
      const result = await skipCall(ctx.store, { user, scoped: true, ...request.body, at: ctx.now() });
      await queueChanged(ctx, request, user, 'skipped', { contactId: result.contactId });
      reply.code(201);
      return result;
    },
  );

  app.post(
    '/api/v1/undo',
    {
      schema: {
        tags: ['attempts'],
        summary:
          'Undo your last logged call or skip, within 2 minutes of it: the attempt, the follow-up it ' +
          'scheduled, callback-list entries, appointment and counts are taken back (409 when too late)',
        response: { 200: undoResultSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const workspace = await workspaceOfUser(ctx.store.db, user);
      const result = await undoLast(ctx.store, user, ctx.now(), user.time_zone || workspace.time_zone);
      await publish(ctx, request, {
        workspaceId: user.workspace_id,
        userId: user.id,
        type: 'attempt.undone',
        data: { kind: result.kind, id: result.id, contactId: result.contactId },
      });
      await queueChanged(ctx, request, user, 'undone', { contactId: result.contactId });
      return result;
    },
  );

  app.post(
    '/api/v1/contacts/:id/snooze',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Take a contact out of the queue until a time ("Monday 9am", "in two weeks")',
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
        body: z.strictObject({ until: z.string().trim().min(1).max(200) }),
        response: {
          200: z.object({ contactId: z.number().int(), until: z.string(), enrollments: z.number().int() }),
        },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      await requireContact(ctx, user, request.params.id);
      const result = await snoozeContact(ctx.store, {
        user,
        contactId: request.params.id,
        until: request.body.until,
        now: ctx.now(),
      });
      await queueChanged(ctx, request, user, 'snoozed', { contactId: result.contactId });
      return result;
    },
  );

  app.post(
    '/api/v1/dnc',
    {
      schema: {
        tags: ['do-not-call'],
        summary: 'Put a number (any format) or a contact (its id) on the workspace do-not-call list',
        body: z.strictObject({
          target: z.string().trim().min(1).max(100),
          reason: z.string().trim().max(500).optional(),
        }),
        response: {
          200: z.object({ kind: z.enum(['contact', 'number']), target: z.string(), added: z.boolean() }),
        },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const { target, reason } = request.body;
      // A contact id names a contact only when the user may see it; otherwise it is read as a number.
      if (/^\d{1,15}$/.test(target)) await requireContact(ctx, user, Number(target));
      const result = await doNotCall(ctx.store, { user, target, now: ctx.now(), reason });
      if (result.added) await queueChanged(ctx, request, user, 'do_not_call', { target: result.target });
      return result;
    },
  );
}
