/**
 * The import-indexes migration on a database that already holds contacts and numbers, on
 * SQLite and PostgreSQL: links survive the rebuild, and the indexes are the ones it promises.
 */
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/db.js';
import { migrationsFor } from '../src/store/migrations/index.js';
import { DATABASES, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);

async function indexNames(store: Store, table: string): Promise<string[]> {
  const rows =
    store.dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(
          store.db,
        )
      : await sql<{
          name: string;
        }>`select indexname as name from pg_indexes where tablename = ${table}`.execute(store.db);
  return rows.rows.map((r) => r.name).sort();
}

for (const { name, create } of DATABASES) {
  describe(`import-indexes migration on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it('keeps every number link of an existing database and leaves the indexes imports and deletes need', async () => {
      database = await create();
      store = openStore(database.config);
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: async () => migrationsFor(store.dialect) },
      });
      const before = await migrator.migrateTo('2026-11-23-020-sessions');
      expect(before.error).toBeUndefined();

      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Test', created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const contacts = await store.db
        .insertInto('contacts')
        .values(
          [1, 2, 3].map((i) => ({
            workspace_id: ws.id,
            first_name: `C${i}`,
            created_at: NOW,
            updated_at: NOW,
          })),
        )
        .returning('id')
        .execute();
      const numbers = await store.db
        .insertInto('numbers')
        .values(
          ['+14155550101', '+14155550102'].map((e164) => ({ workspace_id: ws.id, e164, created_at: NOW })),
        )
        .returning('id')
        .execute();
      const links = [
        { contact_id: contacts[0]!.id, number_id: numbers[0]!.id, kind: 'direct' as const, extension: '204' },
        { contact_id: contacts[1]!.id, number_id: numbers[1]!.id, kind: 'main' as const, extension: '' },
        { contact_id: contacts[2]!.id, number_id: numbers[1]!.id, kind: 'main' as const, extension: '' },
      ];
      await store.db
        .insertInto('contact_numbers')
        .values(links.map((l) => ({ ...l, source: 'import', created_at: NOW })))
        .execute();

      const after = await migrator.migrateToLatest();
      expect(after.error).toBeUndefined();
      const kept = await store.db
        .selectFrom('contact_numbers')
        .select(['contact_id', 'number_id', 'kind', 'extension'])
        .orderBy('contact_id')
        .execute();
      expect(kept).toEqual(links);
      await expect(
        store.db
          .insertInto('contact_numbers')
          .values({ ...links[0]!, source: 'import', created_at: NOW })
          .execute(),
      ).rejects.toThrow(/unique|duplicate/i);

      if (store.dialect === 'sqlite') {
        const table = await sql<{
          sql: string;
        }>`select sql from sqlite_master where name = 'contact_numbers'`.execute(store.db);
        expect(table.rows[0]!.sql).toMatch(/without rowid$/i);
        expect(store.sqlite!.pragma('foreign_key_check', { simple: false })).toEqual([]);
      }
      expect(await indexNames(store, 'contacts')).toEqual(
        expect.arrayContaining(['contacts_company', 'contacts_email_key', 'contacts_owner']),
      );
      expect(await indexNames(store, 'contacts')).not.toContain('contacts_name');
      expect(await indexNames(store, 'contact_numbers')).toContain('contact_numbers_number');
      expect(await indexNames(store, 'attempts')).toContain('attempts_number');

      // Deleting a contact still takes its links with it.
      await store.db.deleteFrom('contacts').where('id', '=', contacts[2]!.id).execute();
      expect(await store.db.selectFrom('contact_numbers').select('contact_id').execute()).toHaveLength(2);

      const down = await migrator.migrateTo('2026-11-23-020-sessions');
      expect(down.error).toBeUndefined();
      expect(await indexNames(store, 'contacts')).toContain('contacts_name');
      expect(
        await store.db
          .selectFrom('contact_numbers')
          .select(['contact_id', 'number_id', 'kind', 'extension'])
          .orderBy('contact_id')
          .execute(),
      ).toEqual(links.slice(0, 2));
    });
  });
}
