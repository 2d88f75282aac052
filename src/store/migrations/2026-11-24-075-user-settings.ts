/**
 * Users: when they were deactivated (null while active; a deactivated user keeps their history
 * but can no longer sign in), and their own calling hours (JSON { start, end, days } in their
 * time zone; null: the workspace's business window).
 */
import type { Kysely } from 'kysely';
import { bigint, type DialectName } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('users').addColumn('deactivated_at', bigint).execute();
  await db.schema.alterTable('users').addColumn('calling_hours', 'text').execute();
}

export async function down(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('users').dropColumn('calling_hours').execute();
  await db.schema.alterTable('users').dropColumn('deactivated_at').execute();
}
