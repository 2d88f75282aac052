/**
 * Ids are never reused, on SQLite and PostgreSQL: a contact created after the newest one was
 * deleted gets a new id — through the API, through an import (which reserves its ids), and for
 * every table whose ids the API shows. On SQLite the migration that adds AUTOINCREMENT rebuilds
 * every table of a database made before it, keeping its rows, foreign keys and indexes, and
 * leaves the same schema a new database gets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importContacts } from '../src/app/import/import-contacts.js';
import { openStore, type Store } from '../src/store/db.js';
import { migrationsFor } from '../src/store/migrations/index.js';
import { inWriteTransaction } from '../src/store/write-transaction.js';
import { appOver, seedWorld, tokenFor, type World } from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const BEFORE = '2026-12-07-250-break-up-on';

for (const { name, create } of DATABASES) {
  describe(`ids are never reused on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let auth: { authorization: string };

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 3);
      auth = { authorization: `Bearer ${await tokenFor(store, world.admin)}` };
      app = await appOver(store);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const newContact = async (lastName: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: auth,
        payload: { lastName },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };

    it('gives a contact created after the newest was deleted a new id, over the API', async () => {
      const first = await newContact('Newest');
      const del = await app.inject({ method: 'DELETE', url: `/api/v1/contacts/${first}`, headers: auth });
      expect(del.statusCode, del.body).toBe(204);
      const second = await newContact('Next');
      expect(second).toBeGreaterThan(first);
      // The old link finds nobody rather than the next person.
      const old = await app.inject({ method: 'GET', url: `/api/v1/contacts/${first}`, headers: auth });
      expect(old.statusCode).toBe(404);
    });

    it('gives an imported contact a new id after the newest was deleted (the import reserves ids)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ringback-ids-'));
      const importOne = async (last: string, phone: string) => {
        const file = join(dir, `${last}.csv`);
        writeFileSync(file, `First Name,Last Name,Phone\nImported,${last},${phone}\n`);
        const summary = await importContacts(store, { file, now: 0, worker: false });
        expect(summary.rejected).toBe(0);
        const row = await store.db
          .selectFrom('contacts')
          .select('id')
          .where('last_name', '=', last)
          .executeTakeFirstOrThrow();
        return row.id;
      };
      const first = await importOne('Imported-A', '212-555-0401');
      await store.db.deleteFrom('contacts').where('id', '=', first).execute();
      const second = await importOne('Imported-B', '212-555-0402');
      expect(second).toBeGreaterThan(first);
    });

    it('reserves ids above every id ever used, for every table whose ids the API shows', async () => {
      const tables = ['contacts', 'campaigns', 'enrollments', 'attempts', 'appointments', 'users'] as const;
      for (const table of tables) {
        const reserve = () => inWriteTransaction(store, (trx) => store.ops.reserveIds(trx, table, 1));
        const highest = await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow();
        const [next] = await reserve();
        expect(next!, table).toBeGreaterThan(Number(highest.m ?? 0));
      }
      // A row inserted with a reserved id and deleted: the next reservation is above it.
      const [id] = await inWriteTransaction(store, async (trx) => {
        const ids = await store.ops.reserveIds(trx, 'campaigns', 1);
        await trx
          .insertInto('campaigns')
          .values({
            id: ids[0]!,
            workspace_id: world.admin.workspace_id,
            name: 'Reserved',
            kind: 'sales',
            urgency: 'normal',
            policy: '{}',
            scripts: '{}',
            created_at: 0,
          })
          .execute();
        return ids;
      });
      await store.db.deleteFrom('campaigns').where('id', '=', id!).execute();
      const [again] = await inWriteTransaction(store, (trx) => store.ops.reserveIds(trx, 'campaigns', 1));
      expect(again).toBeGreaterThan(id!);
      const inserted = await store.db
        .insertInto('campaigns')
        .values({
          workspace_id: world.admin.workspace_id,
          name: 'After',
          kind: 'sales',
          urgency: 'normal',
          policy: '{}',
          scripts: '{}',
          created_at: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(inserted.id).toBeGreaterThan(id!);
    });
  });
}

/**
 * Contacts with a number each, enrolled in a campaign, written as plain rows: the app's own
 * writers know today's schema, not the one before the migration.
 */
async function seedAsOf250(store: Store, count: number) {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Old', created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const admin = await store.db
    .insertInto('users')
    .values({ workspace_id: ws.id, email: 'ada@ex.test', name: 'Ada', role: 'admin', created_at: 0 })
    .returningAll()
    .executeTakeFirstOrThrow();
  const campaign = await store.db
    .insertInto('campaigns')
    .values({
      workspace_id: ws.id,
      name: 'Q4',
      kind: 'sales',
      urgency: 'normal',
      policy: '{}',
      scripts: '{}',
      created_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contacts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const contact = await store.db
      .insertInto('contacts')
      .values({
        workspace_id: ws.id,
        first_name: 'Person',
        last_name: String(i),
        created_at: 0,
        updated_at: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const number = await store.db
      .insertInto('numbers')
      .values({ workspace_id: ws.id, e164: `+1212555${1000 + i}`, country: 'US', valid: 1, created_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('contact_numbers')
      .values({
        contact_id: contact.id,
        number_id: number.id,
        kind: 'direct',
        source: 'manual',
        created_at: 0,
      })
      .execute();
    await store.db
      .insertInto('enrollments')
      .values({
        workspace_id: ws.id,
        campaign_id: campaign.id,
        contact_id: contact.id,
        state: 'new',
        due_kind: 'fresh',
        next_due_at: 0,
        created_at: 0,
        updated_at: 0,
      })
      .execute();
    contacts.set(String(i), contact.id);
  }
  return { admin, contacts };
}

describe('the ids-never-reused migration on a SQLite database made before it', () => {
  const stores: Store[] = [];
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of databases) await d.drop();
  });
  const sqlite = DATABASES.find((d) => d.name === 'sqlite')!;

  const schemaOf = async (store: Store) =>
    (
      await sql<{ type: string; name: string; sql: string | null }>`
        select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name`.execute(
        store.db,
      )
    ).rows;

  it('rebuilds every table with AUTOINCREMENT, keeping rows, foreign keys and indexes', async () => {
    const old = await sqlite.create();
    databases.push(old);
    const store = openStore(old.config);
    stores.push(store);
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => migrationsFor(store.dialect) },
    });
    expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
    const world = await seedAsOf250(store, 4);
    // The newest contact deleted before the upgrade: its id is gone for good, but the contacts
    // kept and everything pointing at them must come through.
    const count = async (table: 'contacts' | 'contact_numbers' | 'enrollments' | 'numbers' | 'users') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = {
      contacts: await count('contacts'),
      numbers: await count('numbers'),
      contactNumbers: await count('contact_numbers'),
      enrollments: await count('enrollments'),
      users: await count('users'),
    };
    // The columns the contacts had then (later migrations add others).
    const contactRows = () =>
      store.db
        .selectFrom('contacts')
        .select(['id', 'workspace_id', 'first_name', 'last_name', 'owner_id', 'company_id', 'created_at'])
        .orderBy('id')
        .execute();
    const rows = await contactRows();

    expect((await migrator.migrateToLatest()).error).toBeUndefined();

    expect({
      contacts: await count('contacts'),
      numbers: await count('numbers'),
      contactNumbers: await count('contact_numbers'),
      enrollments: await count('enrollments'),
      users: await count('users'),
    }).toEqual(before);
    expect(await contactRows()).toEqual(rows);
    expect((await sql`pragma foreign_key_check`.execute(store.db)).rows).toEqual([]);
    expect((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db)).rows[0]).toEqual({
      foreign_keys: 1,
    });

    // The same schema, table for table and index for index, as a database made after it.
    const fresh = await sqlite.create();
    databases.push(fresh);
    const freshStore = await openTestStore(fresh);
    stores.push(freshStore);
    expect(await schemaOf(store)).toEqual(await schemaOf(freshStore));
    // Every table with an integer id, later ones included, never reuses one.
    const reusing = (await schemaOf(freshStore))
      .filter((t) => t.type === 'table' && /"id" integer primary key/i.test(t.sql ?? ''))
      .filter((t) => !/"id" integer primary key autoincrement/i.test(t.sql ?? ''))
      .map((t) => t.name);
    expect(reusing).toEqual([]);

    // Foreign keys still act: deleting a contact takes its numbers' links and enrollments along.
    const doomed = world.contacts.get('0')!;
    await store.db.deleteFrom('contacts').where('id', '=', doomed).execute();
    expect(
      await store.db
        .selectFrom('contact_numbers')
        .select('number_id')
        .where('contact_id', '=', doomed)
        .execute(),
    ).toEqual([]);
    expect(
      await store.db.selectFrom('enrollments').select('id').where('contact_id', '=', doomed).execute(),
    ).toEqual([]);
    // And the newest contact's id, deleted now, is not given out again.
    const newest = Math.max(...world.contacts.values());
    await store.db.deleteFrom('contacts').where('id', '=', newest).execute();
    const next = await store.db
      .insertInto('contacts')
      .values({ workspace_id: world.admin.workspace_id, last_name: 'Later', created_at: 0, updated_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(next.id).toBeGreaterThan(newest);
  });
});
