/**
 * Sign-in attempt counters (migration 2026-12-07-240): fixed windows per key, counted with one
 * upsert so parallel requests, in one process or several, each get their own number.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, Millis } from './schema.js';

/**
 * Counts one attempt under `key` and returns the attempts in its window (this one included)
 * and when that window started; a window older than `windowMs` starts over.
 */
export async function countSignInAttempt(
  db: Kysely<Database>,
  key: string,
  now: Millis,
  windowMs: number,
): Promise<{ attempts: number; windowStart: Millis }> {
  const expired = sql<boolean>`sign_in_attempts.window_start <= cast(${now - windowMs} as bigint)`;
  const row = await db
    .insertInto('sign_in_attempts')
    .values({ key, window_start: now, attempts: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        attempts: sql<number>`case when ${expired} then 1 else sign_in_attempts.attempts + 1 end`,
        window_start: sql<number>`case when ${expired} then cast(${now} as bigint) else sign_in_attempts.window_start end`,
      }),
    )
    .returning(['attempts', 'window_start'])
    .executeTakeFirstOrThrow();
  return { attempts: Number(row.attempts), windowStart: Number(row.window_start) };
}

/** Takes one attempt back (a successful sign-in does not use up its address's allowance). */
export async function refundSignInAttempt(db: Kysely<Database>, key: string): Promise<void> {
  await db
    .updateTable('sign_in_attempts')
    .set({ attempts: sql<number>`attempts - 1` })
    .where('key', '=', key)
    .where('attempts', '>', 0)
    .execute();
}

export async function clearSignInAttempts(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('key', '=', key).execute();
}

/** Drops the counters whose window ended before `before`. */
export async function deleteSignInAttemptsBefore(db: Kysely<Database>, before: Millis): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('window_start', '<', before).execute();
}
