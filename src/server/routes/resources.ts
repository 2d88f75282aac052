/**
 * The first resource routes: contact search and detail, the queue (a look, no lease) and
 * logging an attempt. Each reads or writes only the signed-in user's workspace and calls the
 * same app/ use cases as the CLI.
 *
 * Not yet: per-role ownership rules (a rep sees every contact of the workspace here), and
 * buildQueue/logAttempt still work in the database's first workspace only, so a user of any
 * other workspace is refused on those two routes rather than served the wrong one.
 */

import type { FastifyRequest } from 'fastify';
import { type SqlBool, sql } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { RingbackEvent } from '../../app/events.js';
import { LogInputError, logAttempt } from '../../app/log-attempt.js';
import { buildQueue } from '../../app/queue.js';
import { logResultSchema, queueItemSchema } from '../../contracts/queue.js';
import { OUTCOMES } from '../../core/cadence/types.js';
import { normalizePhone } from '../../core/phone/normalize.js';
import { findCampaignByName } from '../../store/campaign-repo.js';
import { numbersOf } from '../../store/queue-repo.js';
import type { User } from '../../store/schema.js';
import { findDefaultWorkspace } from '../../store/workspace-repo.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { Problem } from '../problem.js';

const contactSummarySchema = z.object({
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

const contactDetailSchema = contactSummarySchema.extend({
  city: z.string(),
  region: z.string(),
  country: z.string(),
  notes: z.string(),
  numbers: z.array(
    z.object({
      e164: z.string(),
      kind: z.string(),
      extension: z.string(),
      valid: z.boolean(),
      doNotCall: z.boolean(),
    }),
  ),
});

/** Escapes LIKE wildcards; the queries say `escape '\'`. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function contactQuery(ctx: ServerContext, workspaceId: number) {
  return ctx.store.db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select([
      'c.id',
      'c.first_name',
      'c.last_name',
      'c.title',
      'co.name as company',
      'c.email',
      'c.time_zone',
      'c.owner_id',
      'c.do_not_call',
      'c.city',
      'c.region',
      'c.country',
      'c.notes',
    ])
    .where('c.workspace_id', '=', workspaceId);
}

type ContactRow = Awaited<ReturnType<ReturnType<typeof contactQuery>['executeTakeFirstOrThrow']>>;

const summaryJson = (r: ContactRow): z.infer<typeof contactSummarySchema> => ({
  id: r.id,
  name: `${r.first_name} ${r.last_name}`.trim(),
  firstName: r.first_name,
  lastName: r.last_name,
  title: r.title,
  company: r.company,
  email: r.email,
  timeZone: r.time_zone,
  ownerId: r.owner_id,
  doNotCall: r.do_not_call === 1,
});

/** buildQueue and logAttempt serve the first workspace; refuse anyone else's. */
async function requireDefaultWorkspace(ctx: ServerContext, user: User): Promise<void> {
  const workspace = await findDefaultWorkspace(ctx.store.db);
  if (!workspace || workspace.id !== user.workspace_id) {
    throw new Problem('forbidden', 'this server serves calls for its first workspace only, for now');
  }
}

/** The change is stored; a lost event must not turn it into an error. */
async function publishQuietly(ctx: ServerContext, request: FastifyRequest, event: RingbackEvent) {
  try {
    await ctx.events.publish(event);
  } catch (error) {
    request.log.warn({ err: error, type: event.type }, 'event not published');
  }
}

export function registerResourceRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Search contacts by name, company or a number typed in any format',
        querystring: z.strictObject({
          q: z.string().trim().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ contacts: z.array(contactSummarySchema) }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const { q, limit } = request.query;
      let query = contactQuery(ctx, user.workspace_id);
      if (q) {
        const workspace = await ctx.store.db
          .selectFrom('workspaces')
          .select('default_country')
          .where('id', '=', user.workspace_id)
          .executeTakeFirstOrThrow();
        const digits = q.replace(/\D/g, '').length;
        const phone = digits >= 3 ? normalizePhone(q, workspace.default_country as CountryCode) : null;
        const pattern = likePattern(q);
        query = query.where((eb) =>
          eb.or([
            sql<SqlBool>`lower(c.first_name || ' ' || c.last_name) like ${pattern} escape '\\'`,
            sql<SqlBool>`lower(co.name) like ${pattern} escape '\\'`,
            ...(phone?.ok
              ? [
                  eb(
                    'c.id',
                    'in',
                    eb
                      .selectFrom('contact_numbers as cn')
                      .innerJoin('numbers as n', 'n.id', 'cn.number_id')
                      .select('cn.contact_id')
                      .where('n.workspace_id', '=', user.workspace_id)
                      .where('n.e164', '=', phone.e164),
                  ),
                ]
              : []),
          ]),
        );
      }
      const rows = await query.orderBy('c.id').limit(limit).execute();
      return { contacts: rows.map(summaryJson) };
    },
  );

  app.get(
    '/api/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'A contact with its numbers',
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
        response: { 200: contactDetailSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const row = await contactQuery(ctx, user.workspace_id)
        .where('c.id', '=', request.params.id)
        .executeTakeFirst();
      if (!row) throw new Problem('not_found', `there is no contact ${request.params.id}`);
      const numbers = await numbersOf(ctx.store.db, user.workspace_id, [row.id]);
      return {
        ...summaryJson(row),
        city: row.city,
        region: row.region,
        country: row.country,
        notes: row.notes,
        numbers: numbers.map((n) => ({
          e164: n.e164,
          kind: n.kind,
          extension: n.extension,
          valid: n.valid,
          doNotCall: n.doNotCall,
        })),
      };
    },
  );

  app.get(
    '/api/v1/queue',
    {
      schema: {
        tags: ['queue'],
        summary: 'The calls you would make next, in order (a look: nothing is leased)',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(100).default(10),
          campaign: z.string().min(1).max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(queueItemSchema) }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      await requireDefaultWorkspace(ctx, user);
      let campaignId: number | null = null;
      if (request.query.campaign !== undefined) {
        const campaign = await findCampaignByName(ctx.store.db, user.workspace_id, request.query.campaign);
        if (!campaign) throw new Problem('not_found', `there is no campaign "${request.query.campaign}"`);
        campaignId = campaign.id;
      }
      const items = await buildQueue(ctx.store, {
        user,
        campaignId,
        now: ctx.now(),
        limit: request.query.limit,
        leaseUntil: null,
      });
      return { items };
    },
  );

  app.post(
    '/api/v1/attempts',
    {
      schema: {
        tags: ['attempts'],
        summary: 'Log the outcome of a call; the cadence schedules what follows',
        body: z.strictObject({
          contactId: z.number().int().positive(),
          outcome: z.enum(OUTCOMES),
          campaign: z.string().min(1).max(200).optional(),
          when: z.string().max(200).optional(),
          note: z.string().max(10_000).optional(),
          number: z.string().max(100).optional(),
          at: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 201: logResultSchema },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      await requireDefaultWorkspace(ctx, user);
      const body = request.body;
      try {
        const result = await logAttempt(ctx.store, {
          user,
          contactId: body.contactId,
          outcome: body.outcome,
          campaign: body.campaign,
          when: body.when,
          note: body.note,
          number: body.number,
          at: body.at === undefined ? ctx.now() : Date.parse(body.at),
        });
        await publishQuietly(ctx, request, {
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
      } catch (error) {
        if (error instanceof LogInputError) throw new Problem('unprocessable', error.message);
        throw error;
      }
    },
  );
}
