/**
 * What undoing an import needs, written as the import runs: the contacts and numbers it
 * created carry its run's id, and each stored contact it changed has a journal entry holding
 * what that batch changed and the values before. `undone_at` marks a run undone (its status
 * stays what it was: the check on `status` predates undo).
 */
import type { Kysely } from 'kysely';
import { bigint, type DialectName, refersTo, withId } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  // No foreign key and no index: a tag costs an import nothing, and undo is rare.
  await db.schema.alterTable('contacts').addColumn('import_run_id', bigint).execute();
  await db.schema.alterTable('numbers').addColumn('import_run_id', bigint).execute();
  await db.schema.alterTable('import_runs').addColumn('undone_at', bigint).execute();
  await withId(db.schema.createTable('import_journal'), dialect)
    .addColumn('import_run_id', bigint, (c) => refersTo('import_runs', 'cascade')(c.notNull()))
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('before', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('import_journal_run')
    .on('import_journal')
    .columns(['import_run_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_journal').execute();
  await db.schema.alterTable('import_runs').dropColumn('undone_at').execute();
  await db.schema.alterTable('numbers').dropColumn('import_run_id').execute();
  await db.schema.alterTable('contacts').dropColumn('import_run_id').execute();
}
