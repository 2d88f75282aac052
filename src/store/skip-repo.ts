/**
 * Skips: calls passed over without dialling. Counted in the block summary; a rep's skips in
 * the block in force keep those contacts out of that rep's queue until the block ends.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, SkipTable } from './schema.js';

export async function insertSkip(db: Kysely<Database>, skip: Insertable<SkipTable>): Promise<number> {
  const row = await db.insertInto('skips').values(skip).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function skipById(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('skips as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .select(['s.id', 's.enrollment_id', 's.contact_id', 's.skipped_at', 'c.first_name', 'c.last_name'])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function deleteSkip(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('skips').where('id', '=', id).execute();
}

/** The enrollments a user skipped in a block. */
export async function skippedInBlock(db: Kysely<Database>, blockId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('skips').select('enrollment_id').where('block_id', '=', blockId).execute();
  return new Set(rows.map((r) => r.enrollment_id));
}

export async function countSkipsOfBlock(db: Kysely<Database>, blockId: number): Promise<number> {
  const row = await db
    .selectFrom('skips')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('block_id', '=', blockId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
