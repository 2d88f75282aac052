/**
 * Idempotency keys (migration 2026-11-24-050): the first response to a keyed write.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, IdempotencyKeyTable } from './schema.js';

export type IdempotencyRecord = Selectable<IdempotencyKeyTable>;

export async function findIdempotencyKey(
  db: Kysely<Database>,
  userId: number,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Fails on a key already stored (the primary key): call inside the write's transaction. */
export async function insertIdempotencyKey(db: Kysely<Database>, record: IdempotencyRecord): Promise<void> {
  await db.insertInto('idempotency_keys').values(record).execute();
}
