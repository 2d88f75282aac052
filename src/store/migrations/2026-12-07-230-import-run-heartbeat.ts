/**
 * An import run says it is alive: its process stamps `heartbeat_at` with every batch it
 * commits, so a run left 'running' by a killed process can be told from one still at work on
 * another server, and marked failed. `upload_path` is the uploaded file (API imports), removed
 * when the run ends, and by that clean-up when its process could not.
 */
import type { Kysely } from 'kysely';
import { bigint, type DialectName } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('import_runs').addColumn('heartbeat_at', bigint).execute();
  await db.schema.alterTable('import_runs').addColumn('upload_path', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('import_runs').dropColumn('upload_path').execute();
  await db.schema.alterTable('import_runs').dropColumn('heartbeat_at').execute();
}
