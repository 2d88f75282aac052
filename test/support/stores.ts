/**
 * Real databases for tests: a fresh SQLite file, and a fresh PostgreSQL database on the
 * server at RINGBACK_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres).
 * There is no skipping: when PostgreSQL is not reachable, the PostgreSQL tests fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openStore, type Store, type StoreConfig } from '../../src/store/db.js';

export const PG_ADMIN_URL = process.env.RINGBACK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** Environment for a child `ringback` process pointing at this database. */
  env: Record<string, string>;
  config: StoreConfig;
  drop(): Promise<void>;
}

export async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'ringback-test-'));
  const path = join(dir, 'ringback.db');
  return {
    name: 'sqlite',
    env: { RINGBACK_DB: path, DATABASE_URL: '' },
    config: { sqlitePath: path },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `rb_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    env: { DATABASE_URL: url.toString(), RINGBACK_DB: '' },
    config: { databaseUrl: url.toString(), poolSize: 4 },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export const DATABASES = [
  { name: 'sqlite', create: createSqliteDatabase },
  { name: 'postgres', create: createPostgresDatabase },
] as const;

/** Opens and migrates a store on a test database. */
export async function openTestStore(database: TestDatabase): Promise<Store> {
  const store = openStore(database.config);
  await migrateToLatest(store);
  return store;
}
