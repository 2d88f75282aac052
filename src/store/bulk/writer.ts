/**
 * Bulk writes and key lookups for an import batch, behind one interface: one file per driver
 * (sqlite.ts, postgres.ts), where the ways each database is fastest to fill live, and index.ts
 * picks the store's. Everything runs inside the caller's write transaction.
 */
import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { Database } from '../schema.js';

export type KeyedTable = 'contacts' | 'numbers' | 'companies';
export type KeyColumn = 'email_key' | 'e164' | 'name_key';

export interface BulkWriter {
  /** The transaction written in. */
  readonly trx: Kysely<Database>;
  /** Ids for `count` new rows of `table`, taken from its sequence (write-transaction.ts). */
  reserveIds(table: keyof Database, count: number): Promise<number[]>;
  /**
   * Inserts rows, each an array of values in `columns` order, and says how many went in (fewer
   * than given when `conflict` skipped some).
   */
  insert(
    table: keyof Database,
    columns: readonly string[],
    values: readonly unknown[][],
    conflict?: readonly string[],
  ): Promise<number>;
  /** As insert, giving the ids of the rows that went in; each row has its `id` column. */
  insertReturningIds(
    table: keyof Database,
    columns: readonly string[],
    values: readonly unknown[][],
    conflict?: readonly string[],
  ): Promise<number[]>;
  /** The id of each key's row in a workspace (the first by id), by position. */
  idsOf(
    table: KeyedTable,
    keyColumn: KeyColumn,
    ws: number,
    keys: readonly string[],
  ): Promise<(number | undefined)[]>;
  /** The contacts having each number as a personal one (PERSONAL_KINDS), in id order, by number id. */
  personalOwners(numberIds: readonly number[]): Promise<Map<number, number[]>>;
  /** Keys of a lookup, in the parts one statement takes. */
  keyParts<T>(keys: readonly T[]): Iterable<T[]>;
  /** `column` is one of `keys` (a part from keyParts). */
  oneOf(column: string, keys: readonly unknown[], type: 'bigint' | 'text'): RawBuilder<SqlBool>;
}

/** What `held` keeps for `key` (a transaction, a connection), made on first use. */
export function heldFor<K extends object, V>(held: WeakMap<K, V>, key: K, make: () => V): V {
  let value = held.get(key);
  if (value === undefined) {
    value = make();
    held.set(key, value);
  }
  return value;
}
