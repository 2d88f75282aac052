/**
 * Signed outgoing webhooks (a transactional outbox): the endpoints an admin subscribed, which
 * event types each wants, the events themselves (written in the transaction of the change they
 * announce) and one delivery per endpoint and event.
 *
 * An endpoint is claimed by one delivery worker at a time (`claimed_until`, a lease), which is
 * what keeps its events in order and delivers each once with several server processes. The
 * partial index finds an endpoint's oldest undelivered event without reading its history.
 */
import { type Kysely, sql } from 'kysely';
import { bigint, type DialectName, refersTo, withId } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await withId(db.schema.createTable('webhook_endpoints'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('allow_private', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', bigint)
    .addColumn('disabled_reason', 'text')
    .addColumn('claimed_until', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('claim_token', 'text')
    .addColumn('created_by', bigint, refersTo('users', 'set null'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('workspace_id', bigint, (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', bigint, (c) => refersTo('webhook_endpoints', 'cascade')(c.notNull()))
    .addPrimaryKeyConstraint('webhook_subscriptions_pk', ['workspace_id', 'event_type', 'endpoint_id'])
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_endpoint')
    .on('webhook_subscriptions')
    .columns(['endpoint_id'])
    .execute();
  await withId(db.schema.createTable('webhook_events'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await withId(db.schema.createTable('webhook_deliveries'), dialect)
    .addColumn('endpoint_id', bigint, (c) => refersTo('webhook_endpoints', 'cascade')(c.notNull()))
    .addColumn('event_id', bigint, (c) => refersTo('webhook_events', 'cascade')(c.notNull()))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', bigint, (c) => c.notNull())
    .addColumn('first_attempt_at', bigint)
    .addColumn('last_attempt_at', bigint)
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_endpoint_event', ['endpoint_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_pending')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'event_id'])
    .where(sql.ref('state'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_event')
    .on('webhook_deliveries')
    .columns(['event_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').ifExists().execute();
  await db.schema.dropTable('webhook_events').ifExists().execute();
  await db.schema.dropTable('webhook_subscriptions').ifExists().execute();
  await db.schema.dropTable('webhook_endpoints').ifExists().execute();
}
