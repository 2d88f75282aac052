/**
 * Write transactions that behave the same on both databases.
 *
 * On SQLite, `BEGIN IMMEDIATE` takes the write lock up front, so a second process waits on
 * the busy timeout instead of failing with SQLITE_BUSY when a read lock cannot be upgraded;
 * holding that lock is also what makes `reserveIds` safe there.
 */
import { type Kysely, sql } from 'kysely';
import type { Store } from './db.js';
import type { DialectName } from './dialect.js';
import type { Database } from './schema.js';

export async function inWriteTransaction<T>(
  store: Pick<Store, 'db' | 'dialect'>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (store.dialect === 'postgres') return store.db.transaction().execute(work);
  return store.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

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
    const rows = await sql<{ id: number }>`
      select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${count})`.execute(
      trx,
    );
    return rows.rows.map((r) => Number(r.id));
  }
  const row = await sql<{ m: number }>`select coalesce(max(id), 0) as m from ${sql.table(table)}`.execute(
    trx,
  );
  const base = Number(row.rows[0]?.m ?? 0);
  return Array.from({ length: count }, (_, i) => base + 1 + i);
}
