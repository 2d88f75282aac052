/**
 * The break-up migration on a database whose campaigns were saved with the old
 * "break-up from attempt N" setting, on SQLite and PostgreSQL: every stored policy reads
 * under the new schema, tied to the last attempt, and nothing else in it changes.
 */
import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { cadencePolicySchema } from '../src/core/cadence/policy.js';
import { openStore, type Store } from '../src/store/db.js';
import { migrationsFor } from '../src/store/migrations/index.js';
import { DATABASES, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 11, 7, 9, 0, 0);

for (const { name, create } of DATABASES) {
  describe(`break-up migration on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it('replaces breakUpFromAttempt with breakUpOn "last" and keeps the rest of each policy', async () => {
      database = await create();
      store = openStore(database.config);
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: async () => migrationsFor(store.dialect) },
      });
      expect((await migrator.migrateTo('2026-12-07-210-dnc-registries')).error).toBeUndefined();
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Test', created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const old = { attemptLimit: 10, voicemail: 'first_and_last', breakUpFromAttempt: 6 };
      await store.db
        .insertInto('campaigns')
        .values([
          {
            workspace_id: ws.id,
            name: 'Old',
            kind: 'sales',
            urgency: 'normal',
            policy: JSON.stringify(old),
            scripts: '{}',
            created_at: NOW,
          },
          {
            workspace_id: ws.id,
            name: 'Bare',
            kind: 'sales',
            urgency: 'low',
            policy: '{}',
            scripts: '{}',
            created_at: NOW,
          },
        ])
        .execute();

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await store.db
        .selectFrom('campaigns')
        .select(['name', 'policy'])
        .orderBy('name')
        .execute();
      const policies = Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.policy)]));
      expect(policies).toEqual({
        Bare: {},
        Old: { attemptLimit: 10, voicemail: 'first_and_last', breakUpOn: 'last' },
      });
      expect(cadencePolicySchema.parse(policies.Old)).toMatchObject({ attemptLimit: 10, breakUpOn: 'last' });

      expect((await migrator.migrateTo('2026-12-07-210-dnc-registries')).error).toBeUndefined();
      const down = await store.db
        .selectFrom('campaigns')
        .select('policy')
        .where('name', '=', 'Old')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(down.policy)).toEqual({
        attemptLimit: 10,
        voicemail: 'first_and_last',
        breakUpFromAttempt: 4,
      });
    });
  });
}
