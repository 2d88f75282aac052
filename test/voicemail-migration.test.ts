/**
 * The one-voicemail-per-call migration on a database that already holds a second recording of
 * a call, on SQLite and PostgreSQL: the first message received stays, the later one goes, other
 * calls' messages are untouched, and from then on the database itself refuses a second one.
 */
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/db.js';
import { migrationsFor } from '../src/store/migrations/index.js';
import { DATABASES, type TestDatabase } from './support/stores.js';

for (const { name, create } of DATABASES) {
  describe(`one voicemail per call on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it('keeps the first recording of a call and refuses a second one afterwards', async () => {
      database = await create();
      store = openStore(database.config);
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: async () => migrationsFor(store.dialect) },
      });
      expect((await migrator.migrateTo('2026-12-08-300-ids-never-reused')).error).toBeUndefined();
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Old', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const user = await store.db
        .insertInto('users')
        .values({ workspace_id: ws.id, email: 'rex@ex.test', role: 'rep', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const voicemail = (callSid: string, recordingSid: string, at: number) => ({
        workspace_id: ws.id,
        user_id: user.id,
        call_sid: callSid,
        recording_sid: recordingSid,
        recording_url: `https://api.twilio.com/r/${recordingSid}`,
        duration_s: 5,
        received_at: at,
      });
      await store.db
        .insertInto('voicemails')
        .values([
          voicemail('CA1', 'RE1', 1000),
          voicemail('CA1', 'RE1-again', 2000),
          voicemail('CA2', 'RE2', 3000),
        ])
        .execute();

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const left = await store.db
        .selectFrom('voicemails')
        .select(['call_sid', 'recording_sid'])
        .orderBy('id')
        .execute();
      expect(left).toEqual([
        { call_sid: 'CA1', recording_sid: 'RE1' },
        { call_sid: 'CA2', recording_sid: 'RE2' },
      ]);
      await expect(
        store.db
          .insertInto('voicemails')
          .values(voicemail('CA2', 'RE2-again', 4000))
          .execute(),
      ).rejects.toThrow(/unique|UNIQUE/);
    });
  });
}
