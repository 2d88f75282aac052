/**
 * SQLite: an event's deliveries are written by a trigger on the event's insert, so the outbox
 * write in a change's transaction is one statement there too (PostgreSQL does it in one
 * statement with a data-modifying CTE, which SQLite lacks). Deliveries are never looked up by
 * event alone, so that index goes: one index fewer to write per delivery.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_event').ifExists().execute();
  if (dialect !== 'sqlite') return;
  await sql`create trigger webhook_events_fan_out after insert on webhook_events for each row begin
    insert into webhook_deliveries (endpoint_id, event_id, state, attempts, next_attempt_at, created_at)
    select endpoint_id, new.id, 'pending', 0, new.created_at, new.created_at
    from webhook_subscriptions where workspace_id = new.workspace_id and event_type = new.type;
  end`.execute(db);
}

export async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') await sql`drop trigger if exists webhook_events_fan_out`.execute(db);
  await db.schema
    .createIndex('webhook_deliveries_event')
    .on('webhook_deliveries')
    .columns(['event_id'])
    .execute();
}
