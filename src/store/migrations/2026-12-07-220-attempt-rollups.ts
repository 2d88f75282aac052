/**
 * attempt_rollups: the insights' counts per (workspace, UTC hour, user, campaign, experiment
 * arm, the contact's local hour, weekday and band, attempt number, fresh, outcome), written in
 * the transaction that logs an attempt (core/insights/rollup.ts). Missing user, campaign and
 * arm are 0 and '' so the primary key has no nulls. Attempts logged before it are counted by
 * `ringback stats rebuild`.
 */
import type { Kysely } from 'kysely';
import { bigint } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attempt_rollups')
    .addColumn('workspace_id', bigint, (c) => c.notNull())
    .addColumn('hour_at', bigint, (c) => c.notNull())
    .addColumn('user_id', bigint, (c) => c.notNull())
    .addColumn('campaign_id', bigint, (c) => c.notNull())
    .addColumn('arm', 'text', (c) => c.notNull())
    .addColumn('local_hour', 'integer', (c) => c.notNull())
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('fresh', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('dials', bigint, (c) => c.notNull())
    .addColumn('timed_dials', bigint, (c) => c.notNull())
    .addColumn('timed_seconds', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('attempt_rollups_key', [
      'workspace_id',
      'hour_at',
      'user_id',
      'campaign_id',
      'arm',
      'local_hour',
      'weekday',
      'band',
      'attempt',
      'fresh',
      'outcome',
    ])
    .execute();
  await db.schema
    .createIndex('attempt_rollups_user_hour')
    .on('attempt_rollups')
    .columns(['user_id', 'hour_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('attempt_rollups').ifExists().execute();
}
