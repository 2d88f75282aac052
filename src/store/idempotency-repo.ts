/**
 * Idempotency keys (migration 2026-11-24-050): the first response to a keyed write.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, IdempotencyKeyTable } from './schema.js';

export type IdempotencyRecord = Selectable<IdempotencyKeyTable>;

/** A key is remembered this long; a retry comes within seconds, a day covers any client. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60_000;

export async function findIdempotencyKey(
  db: Kysely<Database>,
  userId: number,
  key: string,
  now: number,
): Promise<IdempotencyRecord | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('created_at', '>', now - IDEMPOTENCY_KEY_TTL_MS)
    .executeTakeFirst();
}

/**
 * Stores a key, forgetting the user's expired ones first (so the table stays small and an old
 * key can be used again). Fails on a live key already stored (the primary key): call inside
 * the write's transaction, so a concurrent retry rolls back.
 */
export async function insertIdempotencyKey(db: Kysely<Database>, record: IdempotencyRecord): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', record.user_id)
    .where('created_at', '<=', record.created_at - IDEMPOTENCY_KEY_TTL_MS)
    .execute();
  await db.insertInto('idempotency_keys').values(record).execute();
}
