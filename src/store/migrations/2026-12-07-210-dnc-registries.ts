/**
 * Registry do-not-call lists (US National Registry, Canada's DNCL, UK TPS and CTPS): one
 * current list per workspace and source, with its date and the prefixes it covers, and its
 * numbers as E.164 digits. The numbers' key is (list, number) so a list is replaced by a range
 * delete and loaded in key order; SQLite keeps them WITHOUT ROWID, the key being the row.
 * No foreign key on the numbers: millions of rows are written at once, and only this store's
 * registry code writes them, always with their list.
 */
import { type Kysely, sql } from 'kysely';
import { bigint, type DialectName, refersTo, withId } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await withId(db.schema.createTable('dnc_registry_lists'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('numbers', bigint, (c) => c.notNull())
    .addColumn('coverage', 'text', (c) => c.notNull())
    .addColumn('loaded_at', bigint, (c) => c.notNull())
    .addColumn('loaded_by', bigint, refersTo('users', 'set null'))
    .addUniqueConstraint('dnc_registry_lists_source', ['workspace_id', 'source'])
    .execute();
  await db.schema
    .createTable('dnc_registry_numbers')
    .addColumn('list_id', bigint, (c) => c.notNull())
    .addColumn('number', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('dnc_registry_numbers_pk', ['list_id', 'number'])
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dnc_registry_numbers').ifExists().execute();
  await db.schema.dropTable('dnc_registry_lists').ifExists().execute();
}
