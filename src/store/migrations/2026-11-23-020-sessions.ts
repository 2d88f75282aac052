/**
 * Sign-in sessions and personal API tokens. Neither secret is stored: a session's id and a
 * token's hash are the SHA-256 of the random value the client holds.
 */
import type { Kysely } from 'kysely';
import { bigint, type DialectName, refersTo, withId } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('sessions')
    // sha256 (hex) of the cookie's token.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .addColumn('last_seen_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();

  await withId(db.schema.createTable('api_tokens'), dialect)
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('last_used_at', bigint)
    .addColumn('revoked_at', bigint)
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').columns(['user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_tokens').ifExists().execute();
  await db.schema.dropTable('sessions').ifExists().execute();
}
