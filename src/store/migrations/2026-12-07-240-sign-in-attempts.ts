/**
 * Sign-in attempts counted in the database, so every server process on it shares one count
 * (server/sign-in-limiter.ts). One row per key and window; `window_start` ages rows out.
 */
import type { Kysely } from 'kysely';
import { bigint } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', bigint, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_window')
    .on('sign_in_attempts')
    .columns(['window_start'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_attempts').ifExists().execute();
}
