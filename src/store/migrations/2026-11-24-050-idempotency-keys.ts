/**
 * Idempotency keys of API writes (`Idempotency-Key` on POST /api/v1/attempts): the first
 * response is kept, written in the same transaction as the attempt, so a retry with the same
 * key returns it and records nothing new. The primary key makes concurrent retries collide.
 */
import type { Kysely } from 'kysely';
import { bigint, type DialectName, refersTo } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    // sha256 of the method, route and body: the same key with another request is refused.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').ifExists().execute();
}
