/**
 * Indexes for bulk import, each justified by a query or a foreign key:
 *
 * - contact_numbers becomes a WITHOUT ROWID table on SQLite: its primary key (contact_id,
 *   number_id) is the table, so linking a number writes two B-trees (that key and
 *   contact_numbers_number) instead of three. PostgreSQL has no rowid; its table is unchanged.
 * - contacts_name (workspace, last name, first name) goes: no query reads it (contact search
 *   matches lower(first || ' ' || last) anywhere in the name, which no index serves, and lists
 *   sort by id), and every contact created paid for it.
 * - contacts_owner and contacts_company hold only contacts that have an owner or a company:
 *   they serve `owner_id = ?` / `company_id = ?` (and the foreign keys' set null when a user or
 *   company is deleted), which never look for NULL, and an import without --owner writes none.
 * - attempts_number: deleting a number sets its attempts' number_id to null, which read every
 *   attempt without it.
 */
import { type Kysely, sql } from 'kysely';
import { bigint, type DialectName, refersTo } from '../dialect.js';

async function rebuildContactNumbers(db: Kysely<unknown>, withoutRowid: boolean): Promise<void> {
  await sql`alter table contact_numbers rename to contact_numbers_old`.execute(db);
  // The old table's index names stay taken until it is dropped.
  await db.schema.dropIndex('contact_numbers_number').execute();
  await db.schema
    .createTable('contact_numbers')
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('number_id', bigint, (c) => refersTo('numbers', 'cascade')(c.notNull()))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('direct', 'mobile', 'main', 'assistant', 'home', 'other')`),
    )
    .addColumn('extension', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_numbers_pk', ['contact_id', 'number_id'])
    .$call((t) => (withoutRowid ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await sql`insert into contact_numbers (contact_id, number_id, kind, extension, source, created_at)
    select contact_id, number_id, kind, extension, source, created_at from contact_numbers_old
    order by contact_id, number_id`.execute(db);
  await db.schema.dropTable('contact_numbers_old').execute();
  await db.schema
    .createIndex('contact_numbers_number')
    .on('contact_numbers')
    .columns(['number_id'])
    .execute();
}

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') await rebuildContactNumbers(db, true);

  await db.schema.dropIndex('contacts_name').execute();
  await db.schema.dropIndex('contacts_owner').execute();
  await db.schema
    .createIndex('contacts_owner')
    .on('contacts')
    .columns(['owner_id'])
    .where(sql.ref('owner_id'), 'is not', null)
    .execute();
  await db.schema.dropIndex('contacts_company').execute();
  await db.schema
    .createIndex('contacts_company')
    .on('contacts')
    .columns(['company_id'])
    .where(sql.ref('company_id'), 'is not', null)
    .execute();

  await db.schema
    .createIndex('attempts_number')
    .on('attempts')
    .columns(['number_id'])
    .where(sql.ref('number_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema.dropIndex('attempts_number').execute();
  await db.schema.dropIndex('contacts_company').execute();
  await db.schema.createIndex('contacts_company').on('contacts').columns(['company_id']).execute();
  await db.schema.dropIndex('contacts_owner').execute();
  await db.schema.createIndex('contacts_owner').on('contacts').columns(['owner_id']).execute();
  await db.schema
    .createIndex('contacts_name')
    .on('contacts')
    .columns(['workspace_id', 'last_name', 'first_name'])
    .execute();
  if (dialect === 'sqlite') await rebuildContactNumbers(db, false);
}
