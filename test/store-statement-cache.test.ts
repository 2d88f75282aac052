/**
 * The SQLite store hands Kysely one prepared statement per SQL text (db.ts).
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../src/store/db.js';

describe('statement cache', () => {
  let sqlite: BetterSqlite3.Database;
  afterEach(() => {
    if (sqlite?.open) sqlite.close();
  });

  it('prepares a SQL text once and hands back the same statement', () => {
    sqlite = new BetterSqlite3(':memory:');
    const cached = withStatementCache(sqlite);
    const a = cached.prepare('select 1 as one');
    const b = cached.prepare('select 1 as one');
    expect(b).toBe(a);
    expect(cached.prepare('select 2 as two')).not.toBe(a);
  });

  it('keeps only the most recently used statements', () => {
    sqlite = new BetterSqlite3(':memory:');
    const cached = withStatementCache(sqlite, 2);
    const one = cached.prepare('select 1');
    const two = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(one); // now the most recent
    cached.prepare('select 3'); // evicts "select 2"
    expect(cached.prepare('select 1')).toBe(one);
    expect(cached.prepare('select 2')).not.toBe(two);
  });

  it('prepares a second statement while the cached one is still being iterated', async () => {
    sqlite = new BetterSqlite3(':memory:');
    const db = new Kysely<{ t: { n: number } }>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    await db.schema.createTable('t').addColumn('n', 'integer').execute();
    await db
      .insertInto('t')
      .values([1, 2, 3].map((n) => ({ n })))
      .execute();
    const text = 'select n from t order by n';
    const cached = withStatementCache(sqlite);
    const outer = cached.prepare(text) as unknown as BetterSqlite3.Statement;
    const seen: number[][] = [];
    for (const row of outer.iterate() as IterableIterator<{ n: number }>) {
      const inner = cached.prepare(text) as unknown as BetterSqlite3.Statement;
      expect(inner).not.toBe(outer);
      seen.push([row.n, (inner.all() as { n: number }[]).length]);
    }
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    // Kysely through the cache: the same query twice, and a streamed one.
    const q = () => db.selectFrom('t').select('n').orderBy('n').execute();
    expect(await q()).toEqual(await q());
    const streamed: number[] = [];
    for await (const r of db.selectFrom('t').select('n').orderBy('n').stream()) streamed.push(r.n);
    expect(streamed).toEqual([1, 2, 3]);
    expect((await sql<{ c: number }>`select count(*) as c from t`.execute(db)).rows[0]!.c).toBe(3);
    await db.destroy();
  });
});
