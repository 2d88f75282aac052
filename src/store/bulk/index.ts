/**
 * The bulk writer of a store's database (writer.ts describes it).
 */
import type { Kysely } from 'kysely';
import type { Store } from '../db.js';
import type { Database } from '../schema.js';
import { PostgresBulkWriter } from './postgres.js';
import { SqliteBulkWriter } from './sqlite.js';
import type { BulkWriter } from './writer.js';

export type { BulkWriter } from './writer.js';

/** The bulk writer of the store's database, for a transaction on it. */
export function bulkWriter(
  trx: Kysely<Database>,
  store: Pick<Store, 'dialect' | 'sqlite' | 'copyFrom'>,
): BulkWriter {
  if (store.dialect === 'postgres') return new PostgresBulkWriter(trx, store.copyFrom);
  if (!store.sqlite) throw new Error('bulk writes on SQLite need its connection');
  return new SqliteBulkWriter(trx, store.sqlite);
}
