/**
 * Write transactions that behave the same on both databases.
 *
 * On SQLite, `BEGIN IMMEDIATE` takes the write lock up front, so a second process waits on
 * the busy timeout instead of failing with SQLITE_BUSY when a read lock cannot be upgraded;
 * holding that lock is also what makes `reserveIds` safe there.
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Store } from './db.js';
import type { DialectName } from './dialect.js';
import type { Database } from './schema.js';

// Compiled once: these run around every logged outcome.
const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

export async function inWriteTransaction<T>(
  store: Pick<Store, 'db' | 'dialect'>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (store.dialect === 'postgres') return store.db.transaction().execute(work);
  return store.db.connection().execute(async (conn) => {
    await conn.executeQuery(BEGIN_IMMEDIATE);
    try {
      const result = await work(conn);
      await conn.executeQuery(COMMIT);
      return result;
    } catch (error) {
      await conn.executeQuery(ROLLBACK);
      throw error;
    }
  });
}

/** PostgreSQL: the sequence behind each table's id column. */
const sequenceOf = new Map<keyof Database, string>();

/**
 * Reserves `count` consecutive-or-not ids for `table` so a multi-row insert knows each row's id
 * without relying on the order of RETURNING rows, which neither database promises.
 * Call inside `inWriteTransaction`.
 */
export async function reserveIds(
  trx: Kysely<Database>,
  dialect: DialectName,
  table: keyof Database,
  count: number,
): Promise<number[]> {
  if (count === 0) return [];
  if (dialect === 'postgres') {
    // The sequence is named once per process (every database has the same migrations), and as a
    // regclass once per statement: nextval() of a text name would look it up for every id.
    let seq = sequenceOf.get(table);
    if (seq === undefined) {
      const found = await sql<{ seq: string }>`select pg_get_serial_sequence(${table}, 'id') as seq`.execute(
        trx,
      );
      seq = found.rows[0]!.seq;
      sequenceOf.set(table, seq);
    }
    const rows = await sql<{ id: number }>`
      select nextval(${seq}::regclass) as id from generate_series(1, ${count})`.execute(trx);
    return rows.rows.map((r) => Number(r.id));
  }
  // The highest id ever used, not the highest alive: a deleted row's id is never handed out again.
  // The rows inserted with these ids move sqlite_sequence on (AUTOINCREMENT does that for
  // explicit ids too).
  const row = await sql<{ m: number }>`select max(
      coalesce((select max(id) from ${sql.table(table)}), 0),
      coalesce((select seq from sqlite_sequence where name = ${table}), 0)) as m`.execute(trx);
  const base = Number(row.rows[0]?.m ?? 0);
  return Array.from({ length: count }, (_, i) => base + 1 + i);
}

/** Page cache for a bulk write, in KiB: the indexes an import inserts into at random stay in memory. */
const BULK_CACHE_KIB = 32 * 1024;
/** WAL pages between checkpoints during a bulk write (the default is 1000). */
const BULK_CHECKPOINT_PAGES = 64 * 1024;

/**
 * Runs a bulk write, an import of many batches, with settings that suit it. On SQLite the
 * connection gets a bigger page cache and checkpoints every 256 MB of WAL rather than every
 * 4 MB: each batch's commit rewrites pages of the same indexes, and a checkpoint copies
 * (and syncs) them all, so fewer checkpoints copy far less. Every commit is in the WAL as
 * before, so a killed process loses no committed batch. Afterwards the settings are restored
 * and the WAL is checkpointed and truncated.
 */
export async function withBulkWrites<T>(
  store: Pick<Store, 'dialect' | 'sqlite'>,
  work: () => Promise<T>,
): Promise<T> {
  const sqlite = store.dialect === 'sqlite' ? store.sqlite : undefined;
  if (!sqlite) return work();
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  const autocheckpoint = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma(`cache_size = ${Math.min(cacheSize, -BULK_CACHE_KIB)}`);
  // 0 means the owner checkpoints by hand; leave that alone.
  if (autocheckpoint > 0)
    sqlite.pragma(`wal_autocheckpoint = ${Math.max(autocheckpoint, BULK_CHECKPOINT_PAGES)}`);
  try {
    return await work();
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`);
    sqlite.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
    if (sqlite.open && !sqlite.inTransaction) sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
}
