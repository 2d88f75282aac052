/**
 * Ids are never reused, so an old link, export or event never points at a different person.
 * PostgreSQL's sequences already never hand a number out twice. SQLite's `integer primary key`
 * takes max(id) + 1, so deleting the newest contact gave its id to the next one; AUTOINCREMENT
 * makes it take the highest id ever used (kept in sqlite_sequence) + 1.
 *
 * SQLite cannot add AUTOINCREMENT to a table, so each table with an integer id is rebuilt the
 * way SQLite's manual prescribes (lang_altertable.html, "other kinds of table schema changes"):
 * foreign keys off, one transaction, create the new table from the old one's own definition
 * (every column later migrations added included), copy, drop the old, rename the new, recreate
 * the indexes, check every foreign key, commit. Other tables' references name the table, not
 * the old copy, so they hold once the rename is done.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

const INTEGER_ID = /^(CREATE TABLE "(\w+)" \("id" integer primary key)(?! autoincrement)/i;

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') return;
  const tables = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'table' order by name`.execute(db);
  const rebuilt = tables.rows.filter((t) => INTEGER_ID.test(t.sql));
  if (rebuilt.length === 0) return;
  // A no-op inside a transaction, so it comes first; dropping a table with foreign keys on would
  // delete (and cascade from) every row of it.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      for (const table of rebuilt) await rebuild(db, table.name, table.sql);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) {
        throw new Error(
          `ids-never-reused: foreign keys broken by the rebuild: ${JSON.stringify(broken.rows)}`,
        );
      }
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function rebuild(db: Kysely<unknown>, name: string, definition: string): Promise<void> {
  const indexes = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'index' and tbl_name = ${name} and sql is not null`.execute(
    db,
  );
  const copy = `${name}_autoincrement`;
  const created = definition.replace(INTEGER_ID, (_all, head: string) =>
    head.replace(`"${name}"`, `"${copy}"`).concat(' autoincrement'),
  );
  await sql.raw(created).execute(db);
  await sql`insert into ${sql.table(copy)} select * from ${sql.table(name)}`.execute(db);
  await sql`drop table ${sql.table(name)}`.execute(db);
  await sql`alter table ${sql.table(copy)} rename to ${sql.table(name)}`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}

/** AUTOINCREMENT stays: going back a migration must not let ids be reused again. */
export async function down(_db: Kysely<unknown>, _dialect: DialectName): Promise<void> {}
