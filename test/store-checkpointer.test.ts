import { copyFileSync, existsSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKSTOP_PAGES, startCheckpointer } from '../src/store/checkpointer.js';
import { ensureDefaultWorkspace } from '../src/store/workspace-repo.js';
import { createSqliteDatabase, openTestStore, type TestDatabase } from './support/stores.js';

/**
 * What the database file holds without its WAL: only what a checkpoint has copied into it.
 * A copy taken while a checkpoint writes the file can be torn: that counts as nothing yet.
 */
function contactsInFileAlone(path: string): number {
  const copy = `${path}.file-only`;
  copyFileSync(path, copy);
  const db = new BetterSqlite3(copy, { readonly: true });
  try {
    const table = db.prepare("select 1 from sqlite_master where name = 'contacts'").get();
    return table ? (db.prepare('select count(*) as n from contacts').get() as { n: number }).n : 0;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

describe('WAL checkpoints on a worker thread (ringback serve on SQLite)', () => {
  let database: TestDatabase;
  afterAll(() => database?.drop());

  it('copies committed writes into the database file without the writing connection checkpointing', async () => {
    database = await createSqliteDatabase();
    const path = database.config.sqlitePath!;
    const store = await openTestStore(database);
    const sqlite = store.sqlite!;
    const checkpointer = startCheckpointer(store, { everyMs: 20 });
    try {
      expect(checkpointer).not.toBeNull();
      // The writing connection only checkpoints as a backstop, far apart.
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
      const workspace = await ensureDefaultWorkspace(store.db, 0);
      for (let i = 0; i < 50; i++) {
        await store.db
          .insertInto('contacts')
          .values({ workspace_id: workspace.id, first_name: `C${i}`, created_at: i, updated_at: i })
          .execute();
      }
      expect(existsSync(`${path}-wal`)).toBe(true);
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
      // The worker copies them into the file on its own, within a few of its periods.
      let copied = 0;
      for (let tries = 0; tries < 100 && copied < 50; tries++) {
        await new Promise((r) => setTimeout(r, 20));
        copied = contactsInFileAlone(path);
      }
      expect(copied).toBe(50);
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await checkpointer?.stop();
      // Stopped: the connection has its own auto-checkpoint back.
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(8192);
      await store.close();
    }
  });

  it('is not started for a store without a file of its own', async () => {
    const memory = new BetterSqlite3(':memory:');
    try {
      expect(startCheckpointer({ dialect: 'sqlite', sqlite: memory })).toBeNull();
    } finally {
      memory.close();
    }
  });
});
