/**
 * Outbound calls under the compliance rules: the caller ID each click-to-call used (one of the
 * workspace's configured numbers), and whether a recording-consent notice was played, on the
 * provider call and on the attempt it logs.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('provider_calls').addColumn('caller_id', 'text').execute();
  await db.schema
    .alterTable('provider_calls')
    .addColumn('consent_notice', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('attempts')
    .addColumn('consent_notice', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('attempts').dropColumn('consent_notice').execute();
  await db.schema.alterTable('provider_calls').dropColumn('consent_notice').execute();
  await db.schema.alterTable('provider_calls').dropColumn('caller_id').execute();
}
