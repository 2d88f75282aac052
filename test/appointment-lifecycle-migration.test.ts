/**
 * The appointment-lifecycle migration on a database holding appointments of every old status,
 * on SQLite and PostgreSQL: `done` becomes held and `missed` no_show, every row and its id
 * stays, each starts at sequence 0, the new statuses are accepted, an unknown one is refused,
 * and going back restores the old words.
 */
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/db.js';
import { migrationsFor } from '../src/store/migrations/index.js';
import { DATABASES, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 11, 8, 9, 0, 0);
const BEFORE = '2026-12-08-360-webhook-fan-out';

for (const { name, create } of DATABASES) {
  describe(`appointment-lifecycle migration on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it('maps done to held and missed to no_show, keeps every row, and goes back', async () => {
      database = await create();
      store = openStore(database.config);
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: async () => migrationsFor(store.dialect) },
      });
      expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Test', created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const user = await store.db
        .insertInto('users')
        .values({
          workspace_id: ws.id,
          email: 'rex@ex.test',
          role: 'rep',
          password_hash: 'x',
          created_at: NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const contact = await store.db
        .insertInto('contacts')
        .values({
          workspace_id: ws.id,
          first_name: 'Dana',
          last_name: 'Ruiz',
          created_at: NOW,
          updated_at: NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const old = ['scheduled', 'done', 'cancelled', 'missed'];
      for (const [i, status] of old.entries()) {
        await sql`insert into appointments (workspace_id, contact_id, user_id, starts_at, status, uid, created_at)
          values (${ws.id}, ${contact.id}, ${user.id}, ${NOW + i}, ${status}, ${`old-${i}`}, ${NOW})`.execute(
          store.db,
        );
      }

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await store.db
        .selectFrom('appointments')
        .select(['uid', 'status', 'sequence'])
        .orderBy('starts_at')
        .execute();
      expect(rows).toEqual([
        { uid: 'old-0', status: 'scheduled', sequence: 0 },
        { uid: 'old-1', status: 'held', sequence: 0 },
        { uid: 'old-2', status: 'cancelled', sequence: 0 },
        { uid: 'old-3', status: 'no_show', sequence: 0 },
      ]);
      await store.db
        .updateTable('appointments')
        .set({ status: 'rescheduled', sequence: 1 })
        .where('uid', '=', 'old-0')
        .execute();
      await expect(
        sql`update appointments set status = 'done' where uid = 'old-0'`.execute(store.db),
      ).rejects.toThrow(/check/i);

      expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
      const back = await sql<{ uid: string; status: string }>`
        select uid, status from appointments order by starts_at`.execute(store.db);
      expect(back.rows.map((r) => r.status)).toEqual(['scheduled', 'done', 'cancelled', 'missed']);
    });
  });
}
