/**
 * Outgoing webhooks in the store: endpoints and their subscriptions, the outbox of events, and
 * the deliveries a worker claims, sends and settles.
 *
 * `recordWebhookEvent` is the outbox write: called inside the transaction of the change it
 * announces, so the event is stored exactly when the change is. With no endpoint of the
 * workspace subscribed to the type it is one statement that writes nothing.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Insertable, type Kysely, sql } from 'kysely';
import { prepareOnPostgres } from './prepared.js';
import { isPostgres } from './queue-repo.js';
import type { Database, Millis, WebhookDeliveryState, WebhookEndpointTable } from './schema.js';

type Db = Kysely<Database>;

// PostgreSQL: the event and its deliveries in one statement, planned once per connection.
const RECORD_EVENT_POSTGRES = `with e as (
  insert into webhook_events (workspace_id, type, payload, created_at)
  select $1::bigint, $2::text, $3::text, $4::bigint
  where exists (select 1 from webhook_subscriptions where workspace_id = $1 and event_type = $2)
  returning id)
insert into webhook_deliveries (endpoint_id, event_id, state, attempts, next_attempt_at, created_at)
select s.endpoint_id, e.id, 'pending', 0, $4, $4
from e join webhook_subscriptions s on s.workspace_id = $1 and s.event_type = $2`;
prepareOnPostgres(RECORD_EVENT_POSTGRES, 'ringback_recordWebhookEvent');

// SQLite: the event alone; its deliveries are written by the trigger webhook_events_fan_out
// (migration 2026-12-08-360).
const RECORD_EVENT_SQLITE = `insert into webhook_events (workspace_id, type, payload, created_at)
select ?, ?, ?, ?
where exists (select 1 from webhook_subscriptions where workspace_id = ? and event_type = ?)`;

/**
 * Stores an event for every endpoint of the workspace subscribed to `type`; call inside the
 * write transaction of the change it announces. `data` is the event's `data` member. One
 * statement either way, writing nothing when no endpoint is subscribed.
 */
export async function recordWebhookEvent(
  db: Db,
  workspaceId: number,
  type: string,
  data: unknown,
  at: Millis,
): Promise<void> {
  const payload = JSON.stringify(data);
  await db.executeQuery(
    isPostgres(db)
      ? CompiledQuery.raw(RECORD_EVENT_POSTGRES, [workspaceId, type, payload, at])
      : CompiledQuery.raw(RECORD_EVENT_SQLITE, [workspaceId, type, payload, at, workspaceId, type]),
  );
}

const sqliteStatements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * recordWebhookEvent for a write that runs synchronously on the raw SQLite connection, inside
 * its transaction (the screening decisions' group commit).
 */
export function recordWebhookEventOnSqlite(
  sqlite: BetterSqlite3.Database,
  workspaceId: number,
  type: string,
  data: unknown,
  at: Millis,
): void {
  let statement = sqliteStatements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(RECORD_EVENT_SQLITE);
    sqliteStatements.set(sqlite, statement);
  }
  statement.run(workspaceId, type, JSON.stringify(data), at, workspaceId, type);
}

export async function insertWebhookEndpoint(
  db: Db,
  values: Insertable<WebhookEndpointTable>,
  events: readonly string[],
): Promise<number> {
  const { id } = await db
    .insertInto('webhook_endpoints')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('webhook_subscriptions')
    .values(events.map((event_type) => ({ workspace_id: values.workspace_id, event_type, endpoint_id: id })))
    .execute();
  return id;
}

/** Deletes an endpoint of the workspace with its subscriptions and deliveries; false when there is none. */
export async function deleteWebhookEndpoint(db: Db, workspaceId: number, id: number): Promise<boolean> {
  const deleted = await db
    .deleteFrom('webhook_endpoints')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

export interface EndpointRow {
  id: number;
  url: string;
  events: string;
  allow_private: number;
  disabled_at: number | null;
  disabled_reason: string | null;
  created_at: number;
  pending: number;
  failed: number;
  delivered: number;
  last_error: string | null;
  last_error_at: number | null;
  last_delivered_at: number | null;
}

/** The workspace's endpoints with their delivery counts and latest error; oldest first. */
export async function webhookEndpoints(db: Db, workspaceId: number, id?: number): Promise<EndpointRow[]> {
  const count = (state: WebhookDeliveryState) =>
    sql<number>`(select count(*) from webhook_deliveries d where d.endpoint_id = e.id and d.state = ${state})`;
  const rows = await db
    .selectFrom('webhook_endpoints as e')
    .select([
      'e.id',
      'e.url',
      'e.events',
      'e.allow_private',
      'e.disabled_at',
      'e.disabled_reason',
      'e.created_at',
      count('pending').as('pending'),
      count('failed').as('failed'),
      count('delivered').as('delivered'),
      sql<
        string | null
      >`(select d.last_error from webhook_deliveries d where d.endpoint_id = e.id and d.last_error is not null order by d.last_attempt_at desc limit 1)`.as(
        'last_error',
      ),
      sql<
        number | null
      >`(select max(d.last_attempt_at) from webhook_deliveries d where d.endpoint_id = e.id and d.last_error is not null)`.as(
        'last_error_at',
      ),
      sql<
        number | null
      >`(select max(d.delivered_at) from webhook_deliveries d where d.endpoint_id = e.id)`.as(
        'last_delivered_at',
      ),
    ])
    .where('e.workspace_id', '=', workspaceId)
    .$if(id !== undefined, (q) => q.where('e.id', '=', id!))
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    ...r,
    pending: Number(r.pending),
    failed: Number(r.failed),
    delivered: Number(r.delivered),
  }));
}

export interface DeliveryRow {
  id: number;
  endpoint_id: number;
  event_id: number;
  type: string;
  state: WebhookDeliveryState;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
}

/** The workspace's latest deliveries, newest first; of one endpoint when `endpointId` is given. */
export async function webhookDeliveries(
  db: Db,
  workspaceId: number,
  endpointId: number | undefined,
  limit: number,
): Promise<DeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .innerJoin('webhook_events as v', 'v.id', 'd.event_id')
    .select([
      'd.id',
      'd.endpoint_id',
      'd.event_id',
      'v.type',
      'd.state',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.last_status',
      'd.last_error',
      'd.delivered_at',
      'd.created_at',
    ])
    .where('e.workspace_id', '=', workspaceId)
    .$if(endpointId !== undefined, (q) => q.where('d.endpoint_id', '=', endpointId!))
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Sends an endpoint's failed deliveries again (from now, with fresh retries) and enables it;
 * returns how many deliveries were put back, or null when the workspace has no such endpoint.
 */
export async function replayWebhookEndpoint(db: Db, workspaceId: number, id: number, now: Millis) {
  const enabled = await db
    .updateTable('webhook_endpoints')
    .set({ disabled_at: null, disabled_reason: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(enabled.numUpdatedRows) === 0) return null;
  const replayed = await db
    .updateTable('webhook_deliveries')
    .set(fresh(now))
    .where('endpoint_id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(replayed.numUpdatedRows);
}

/** Sends one delivery again (delivered or not), enabling its endpoint; false when the workspace has no such delivery. */
export async function replayWebhookDelivery(db: Db, workspaceId: number, id: number, now: Millis) {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select('d.endpoint_id')
    .where('e.workspace_id', '=', workspaceId)
    .where('d.id', '=', id)
    .executeTakeFirst();
  if (!row) return false;
  await db.updateTable('webhook_deliveries').set(fresh(now)).where('id', '=', id).execute();
  await db
    .updateTable('webhook_endpoints')
    .set({ disabled_at: null, disabled_reason: null })
    .where('id', '=', row.endpoint_id)
    .execute();
  return true;
}

const fresh = (now: Millis) => ({
  state: 'pending' as const,
  attempts: 0,
  next_attempt_at: now,
  first_attempt_at: null,
  delivered_at: null,
});

export interface ClaimedEndpoint {
  id: number;
  url: string;
  secret: string;
  allow_private: number;
}

/**
 * Leases up to `limit` enabled endpoints whose oldest undelivered event is due, until
 * `leaseUntil`, under `token`. An endpoint is leased to one worker at a time, in any process:
 * that keeps its events in order and sends each once. On PostgreSQL rows another process is
 * claiming are skipped, not waited for; SQLite's write lock serialises the claims.
 */
export async function claimWebhookEndpoints(
  db: Db,
  now: Millis,
  leaseUntil: Millis,
  token: string,
  limit: number,
): Promise<ClaimedEndpoint[]> {
  const headDueAt = sql<number | null>`(select d.next_attempt_at from webhook_deliveries d
    where d.endpoint_id = e.id and d.state = 'pending' order by d.event_id limit 1)`;
  const due = db
    .selectFrom('webhook_endpoints as e')
    .select('e.id')
    .where('e.disabled_at', 'is', null)
    .where('e.claimed_until', '<=', now)
    .where(headDueAt, '<=', now)
    .orderBy('e.claimed_until')
    .limit(limit)
    .$if(isPostgres(db), (q) => q.forUpdate().skipLocked());
  return db
    .updateTable('webhook_endpoints')
    .set({ claimed_until: leaseUntil, claim_token: token })
    .where('id', 'in', due)
    .where('claimed_until', '<=', now)
    .returning(['id', 'url', 'secret', 'allow_private'])
    .execute();
}

export interface DueDelivery {
  id: number;
  event_id: number;
  attempts: number;
  first_attempt_at: number | null;
  next_attempt_at: number;
  type: string;
  payload: string;
  created_at: number;
}

/** An endpoint's undelivered events, oldest first: the order they must be sent in. */
export async function pendingDeliveries(db: Db, endpointId: number, limit: number): Promise<DueDelivery[]> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as v', 'v.id', 'd.event_id')
    .select([
      'd.id',
      'd.event_id',
      'd.attempts',
      'd.first_attempt_at',
      'd.next_attempt_at',
      'v.type',
      'v.payload',
      'v.created_at',
    ])
    .where('d.endpoint_id', '=', endpointId)
    .where('d.state', '=', 'pending')
    .orderBy('d.event_id')
    .limit(limit)
    .execute();
}

export interface DeliveredAttempt {
  id: number;
  status: number;
  at: Millis;
}

export interface FailedAttempt {
  id: number;
  status: number | null;
  error: string;
  at: Millis;
  firstAttemptAt: Millis;
  /** The next try; null when retries ran out (the delivery fails, the endpoint is disabled). */
  retryAt: Millis | null;
}

/**
 * What a worker's batch came to: the deliveries that went through, the one that failed (if
 * any), and the endpoint's lease handed back. Call inside a write transaction.
 */
export async function settleWebhookBatch(
  db: Db,
  endpointId: number,
  token: string,
  delivered: readonly DeliveredAttempt[],
  failed: FailedAttempt | null,
  now: Millis,
): Promise<void> {
  const byStatus = new Map<number, DeliveredAttempt[]>();
  for (const d of delivered) byStatus.set(d.status, [...(byStatus.get(d.status) ?? []), d]);
  for (const [status, group] of byStatus) {
    await db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        state: 'delivered',
        attempts: eb('attempts', '+', 1),
        first_attempt_at: eb.fn.coalesce('first_attempt_at', sql.val(group[0]!.at)),
        last_attempt_at: group[group.length - 1]!.at,
        delivered_at: group[group.length - 1]!.at,
        last_status: status,
      }))
      .where(
        'id',
        'in',
        group.map((d) => d.id),
      )
      .execute();
  }
  if (failed) {
    await db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        state: failed.retryAt === null ? 'failed' : 'pending',
        attempts: eb('attempts', '+', 1),
        first_attempt_at: failed.firstAttemptAt,
        last_attempt_at: failed.at,
        last_status: failed.status,
        last_error: failed.error,
        ...(failed.retryAt === null ? {} : { next_attempt_at: failed.retryAt }),
      }))
      .where('id', '=', failed.id)
      .execute();
    if (failed.retryAt === null) {
      await db
        .updateTable('webhook_endpoints')
        .set({ disabled_at: now, disabled_reason: `retries ran out: ${failed.error}` })
        .where('id', '=', endpointId)
        .execute();
    }
  }
  await db
    .updateTable('webhook_endpoints')
    .set({ claimed_until: now, claim_token: null })
    .where('id', '=', endpointId)
    .where('claim_token', '=', token)
    .execute();
}

/** Hands back an endpoint's lease without any delivery settled (a worker stopping). */
export async function releaseWebhookEndpoint(db: Db, endpointId: number, token: string, now: Millis) {
  await db
    .updateTable('webhook_endpoints')
    .set({ claimed_until: now, claim_token: null })
    .where('id', '=', endpointId)
    .where('claim_token', '=', token)
    .execute();
}
