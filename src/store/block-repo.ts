/**
 * Call blocks: a user's time boxes. A user has at most one open block (ended_at null); the
 * latest one is what screening reads.
 */
import type { Kysely } from 'kysely';
import { compiledOnce } from './queue-repo.js';
import type { Database } from './schema.js';

/** The user's newest block (running or ended); compiled once, as screening reads it for every inbound call. */
export async function latestBlockOf(db: Kysely<Database>, userId: number) {
  const { rows } = await db.executeQuery(
    compiledOnce(db, 'latestBlockOf', [userId], (user) =>
      db
        .selectFrom('call_blocks')
        .selectAll()
        .where('user_id', '=', user)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1),
    ),
  );
  return rows[0];
}

/**
 * What a user dialled from `from` to `to`: every call, and the first calls of an enrollment
 * (a fresh prospect's) among them.
 */
export async function callsBetween(
  db: Kysely<Database>,
  userId: number,
  from: number,
  to: number,
): Promise<{ calls: number; fresh: number }> {
  const row = await db
    .selectFrom('attempts as a')
    .where('a.user_id', '=', userId)
    .where('a.started_at', '>=', from)
    .where('a.started_at', '<=', to)
    .select((eb) => [
      eb.fn.countAll<number | string>().as('calls'),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(
              eb.and([
                eb('a.enrollment_id', 'is not', null),
                eb.not(
                  eb.exists(
                    eb
                      .selectFrom('attempts as p')
                      .select('p.id')
                      .whereRef('p.enrollment_id', '=', 'a.enrollment_id')
                      .whereRef('p.started_at', '<', 'a.started_at'),
                  ),
                ),
              ]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('fresh'),
    ])
    .executeTakeFirstOrThrow();
  return { calls: Number(row.calls), fresh: Number(row.fresh ?? 0) };
}

export async function insertBlock(
  db: Kysely<Database>,
  values: { workspace_id: number; user_id: number; started_at: number; planned_end_at: number },
): Promise<number> {
  const row = await db
    .insertInto('call_blocks')
    .values({ ...values, ended_at: null, stats: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function endBlock(
  db: Kysely<Database>,
  id: number,
  endedAt: number,
  stats: string,
): Promise<void> {
  await db.updateTable('call_blocks').set({ ended_at: endedAt, stats }).where('id', '=', id).execute();
}

export async function deleteBlock(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('call_blocks').where('id', '=', id).execute();
}

/** PostgreSQL: serialises two starts or stops of the same user's block (SQLite's write lock already does). */
export async function lockUser(db: Kysely<Database>, userId: number): Promise<void> {
  await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

/** The calls a user logged from `from` to `to`, with the contact's name: what a block summary reads. */
export async function attemptsBetween(db: Kysely<Database>, userId: number, from: number, to: number) {
  return db
    .selectFrom('attempts as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select([
      'a.id',
      'a.outcome',
      'a.voicemail_left',
      'a.scheduled_for',
      'a.contact_id',
      'c.first_name',
      'c.last_name',
      'co.name as company',
    ])
    .where('a.user_id', '=', userId)
    .where('a.started_at', '>=', from)
    .where('a.started_at', '<=', to)
    .orderBy('a.started_at')
    .orderBy('a.id')
    .execute();
}
