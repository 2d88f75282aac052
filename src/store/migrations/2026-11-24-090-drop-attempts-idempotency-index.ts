/**
 * Drops `attempts_idempotency`: API idempotency keys live in their own table
 * (2026-11-24-050), nothing writes `attempts.idempotency_key` any more, and the unique index
 * still took an entry (and a page written) for every attempt logged.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.dropIndex('attempts_idempotency').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('attempts_idempotency')
    .on('attempts')
    .columns(['workspace_id', 'user_id', 'idempotency_key'])
    .unique()
    .execute();
}
