/**
 * Import runs and their per-row errors, kept so a user can look back at what an import did.
 */
import type { Insertable, Kysely } from 'kysely';
import type { RowError } from '../core/import/draft.js';
import type { Database, ImportRunTable } from './schema.js';

export async function startImportRun(
  db: Kysely<Database>,
  run: Omit<Insertable<ImportRunTable>, 'status'>,
): Promise<number> {
  const row = await db
    .insertInto('import_runs')
    .values({ ...run, status: 'running' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function recordImportErrors(
  db: Kysely<Database>,
  runId: number,
  errors: RowError[],
): Promise<void> {
  for (let i = 0; i < errors.length; i += 500) {
    await db
      .insertInto('import_errors')
      .values(
        errors
          .slice(i, i + 500)
          .map((e) => ({ import_run_id: runId, row: e.row, field: e.field, message: e.message })),
      )
      .execute();
  }
}

export async function finishImportRun(
  db: Kysely<Database>,
  runId: number,
  counts: { read: number; created: number; updated: number; unchanged: number; rejected: number },
  now: number,
): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      status: 'done',
      read: counts.read,
      created: counts.created,
      updated: counts.updated,
      unchanged: counts.unchanged,
      rejected: counts.rejected,
      finished_at: now,
    })
    .where('id', '=', runId)
    .execute();
}

/** Marks a run that stopped on an error, with the counts it had reached. */
export async function failImportRun(
  db: Kysely<Database>,
  runId: number,
  counts: { read: number; created: number; updated: number; unchanged: number; rejected: number },
  message: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      status: 'failed',
      message,
      read: counts.read,
      created: counts.created,
      updated: counts.updated,
      unchanged: counts.unchanged,
      rejected: counts.rejected,
      finished_at: now,
    })
    .where('id', '=', runId)
    .execute();
}

/** The run is alive at `at` (written in the batch's transaction, so it commits with it). */
export async function beatImportRun(db: Kysely<Database>, runId: number, at: number): Promise<void> {
  await db.updateTable('import_runs').set({ heartbeat_at: at }).where('id', '=', runId).execute();
}

/**
 * Marks failed every run still 'running' that has not been heard from since `silentSince`:
 * its process was killed or crashed. Gives back their uploaded files, to remove.
 */
export async function failSilentImportRuns(
  db: Kysely<Database>,
  silentSince: number,
  message: string,
  now: number,
): Promise<{ id: number; uploadPath: string | null }[]> {
  const rows = await db
    .updateTable('import_runs')
    .set({ status: 'failed', message, finished_at: now })
    .where('status', '=', 'running')
    .where((eb) => eb(eb.fn.coalesce('heartbeat_at', 'started_at'), '<', silentSince))
    .returning(['id', 'upload_path'])
    .execute();
  return rows.map((r) => ({ id: r.id, uploadPath: r.upload_path }));
}
