/**
 * Sessions and personal API tokens (migration 2026-11-23-020). Callers hand in hashes, never
 * the secrets themselves.
 *
 */
import type { Kysely, Selectable } from 'kysely';
import type { TokenScope } from '../core/tokens/mint.js';
import type { ApiTokenTable, Database, Millis, SessionTable, User } from './schema.js';

export type Session = Selectable<SessionTable>;
export type ApiToken = Selectable<ApiTokenTable>;

export async function insertSession(db: Kysely<Database>, session: Session): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/** The live session with this id and its user; undefined when unknown or expired. */
export async function findSession(
  db: Kysely<Database>,
  id: string,
  now: number,
): Promise<{ session: Session; user: User } | undefined> {
  const session = await db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!session) return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', session.user_id).executeTakeFirst();
  return user ? { session, user } : undefined;
}

export async function touchSession(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

/** Drops a user's expired sessions (done at each sign-in, so the table does not grow forever). */
export async function deleteExpiredSessions(
  db: Kysely<Database>,
  userId: number,
  now: number,
): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function insertApiToken(
  db: Kysely<Database>,
  token: {
    user_id: number;
    name: string;
    token_hash: string;
    created_at: Millis;
    scope?: TokenScope;
    expires_at?: Millis | null;
  },
): Promise<ApiToken> {
  return db
    .insertInto('api_tokens')
    .values({ ...token, last_used_at: null, revoked_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The unrevoked token with this hash and its user. */
export async function findApiToken(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<{ token: ApiToken; user: User } | undefined> {
  const token = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!token) return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', token.user_id).executeTakeFirst();
  return user ? { token, user } : undefined;
}

export async function touchApiToken(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiToken[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

/** Revokes one of the user's tokens; false when the user has no such live token. */
export async function revokeApiToken(
  db: Kysely<Database>,
  userId: number,
  id: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How a signed-in user came in: a session (by its id, the cookie's hash) or an API token (by its id). */
export type Credential = { sessionId: string } | { tokenId: number };

/**
 * True while a credential still lets its user in: the session is there and unexpired, or the
 * token unrevoked and unexpired, and the user is active.
 */
export async function credentialLive(
  db: Kysely<Database>,
  credential: Credential,
  now: number,
): Promise<boolean> {
  const row =
    'sessionId' in credential
      ? await db
          .selectFrom('sessions')
          .innerJoin('users', 'users.id', 'sessions.user_id')
          .select('users.deactivated_at')
          .where('sessions.id', '=', credential.sessionId)
          .where('sessions.expires_at', '>', now)
          .executeTakeFirst()
      : await db
          .selectFrom('api_tokens')
          .innerJoin('users', 'users.id', 'api_tokens.user_id')
          .select('users.deactivated_at')
          .where('api_tokens.id', '=', credential.tokenId)
          .where('api_tokens.revoked_at', 'is', null)
          .where((eb) =>
            eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]),
          )
          .executeTakeFirst();
  return row !== undefined && row.deactivated_at === null;
}
