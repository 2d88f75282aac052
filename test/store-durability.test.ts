import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteDatabase, openTestStore, type TestDatabase } from './support/stores.js';

const WRITER = fileURLToPath(new URL('./support/durability-writer.mjs', import.meta.url));

describe('SQLite durability', () => {
  let database: TestDatabase;
  afterAll(() => database?.drop());

  it('keeps every acknowledged write when the process is killed with SIGKILL', async () => {
    database = await createSqliteDatabase();
    const path = database.config.sqlitePath!;
    const child = spawn(process.execPath, [WRITER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: number[] = [];
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.on('error', reject);
      child.stdout.on('data', (data: Buffer) => {
        buffer += data.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) if (/^\d+$/.test(line)) acknowledged.push(Number(line));
        if (acknowledged.length >= 300) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await new Promise((r) => child.once('close', r));
    expect(child.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const store = await openTestStore(database);
    try {
      const stored = await store.db.selectFrom('contacts').select('id').execute();
      const ids = new Set(stored.map((r) => r.id));
      const lost = acknowledged.filter((id) => !ids.has(id));
      expect(lost).toEqual([]);
      const integrity = store.sqlite!.pragma('integrity_check', { simple: true });
      expect(integrity).toBe('ok');
    } finally {
      await store.close();
    }
  });

  it('runs in WAL mode with foreign keys on and a busy timeout', async () => {
    const db = await createSqliteDatabase();
    const store = await openTestStore(db);
    try {
      expect(store.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.sqlite!.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
      await expect(
        store.db.insertInto('contacts').values({ workspace_id: 999, created_at: 0, updated_at: 0 }).execute(),
      ).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
