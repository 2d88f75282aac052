/**
 * Users and teams of a workspace.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, User, UserTable } from './schema.js';
import { type Actor, userInScope } from './scope.js';

export async function findUserByEmail(
  db: Kysely<Database>,
  workspaceId: number,
  email: string,
): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Every account with this email, one per workspace at most, oldest first. */
export async function findUsersByEmailInAnyWorkspace(db: Kysely<Database>, email: string): Promise<User[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .orderBy('id')
    .execute();
}

export async function insertUser(db: Kysely<Database>, user: Insertable<UserTable>): Promise<User> {
  return db
    .insertInto('users')
    .values({ ...user, email: user.email.trim().toLowerCase() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setUserPassword(db: Kysely<Database>, id: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

/** The users of a workspace an actor answers for (scope.ts); every one when no actor. */
export async function usersInScope(
  db: Kysely<Database>,
  workspaceId: number,
  actor: Actor | null,
): Promise<Pick<User, 'id' | 'email'>[]> {
  let query = db
    .selectFrom('users as u')
    .select(['u.id', 'u.email'])
    .where('u.workspace_id', '=', workspaceId);
  if (actor) query = query.where(userInScope(actor, 'u'));
  return query.orderBy('u.id').execute();
}

export async function listUsers(db: Kysely<Database>, workspaceId: number): Promise<User[]> {
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
}

export async function ensureTeam(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
  now: number,
): Promise<number> {
  await db
    .insertInto('teams')
    .values({ workspace_id: workspaceId, name, created_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'name']).doNothing())
    .execute();
  const team = await db
    .selectFrom('teams')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return team.id;
}
