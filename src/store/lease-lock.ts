/**
 * Serialises handing out queue leases within a workspace on PostgreSQL, the way SQLite's
 * write lock already does: two reps pulling calls at once, even from different campaigns that
 * share a contact, then never lease the same contact. Held until the transaction ends.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from './dialect.js';
import type { Database } from './schema.js';

/** An arbitrary constant naming this lock among the database's advisory locks. */
const LEASE_LOCK_CLASS = 0x52424b; // "RBK"

export async function lockLeases(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: number,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(${LEASE_LOCK_CLASS}, ${workspaceId}::int)`.execute(db);
}
