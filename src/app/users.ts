/**
 * An admin managing the workspace's people: change a user's name, role or team, deactivate
 * them (they can no longer sign in: password, sessions and API tokens go; their contacts and
 * history stay) or bring them back with a new starting password; and the teams users belong to.
 * An admin cannot demote or deactivate themselves, so the workspace always keeps an active admin
 * (the one making the change). Setting someone else's password signs them out everywhere and
 * revokes their tokens; changing one's own needs the current one.
 */
import type { ManagedUser, TeamJson, UserUpdate } from '../contracts/settings.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { AppError, invalid, notFound } from './errors.js';
import { hashPassword, verifyPassword } from './passwords.js';

export function managedUserJson(u: User): ManagedUser {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    teamId: u.team_id,
    active: u.deactivated_at === null || u.deactivated_at === undefined,
  };
}

export async function changeUser(
  store: Store,
  actor: User,
  id: number,
  update: UserUpdate,
  now: number,
): Promise<ManagedUser> {
  if (update.password && id === actor.id) {
    if (!update.currentPassword) {
      throw new AppError('to change your own password, give your current one (currentPassword)', {
        code: 'current_password',
        problem: 'missing',
      });
    }
    if (!actor.password_hash || !(await verifyPassword(actor.password_hash, update.currentPassword))) {
      throw new AppError('the current password is wrong', { code: 'current_password', problem: 'wrong' });
    }
  }
  const passwordHash = update.password ? await hashPassword(update.password) : null;
  return inWriteTransaction(store, async (db) => {
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', actor.workspace_id)
      .executeTakeFirst();
    if (!user) throw notFound(`there is no user ${id}`);
    const wasActive = user.deactivated_at === null;
    const active = update.active ?? wasActive;
    const role = update.role ?? user.role;
    if (user.id === actor.id && (!active || role !== 'admin')) {
      throw invalid(
        'you cannot deactivate yourself or give up your own admin role: ask another admin',
        !active ? '/active' : '/role',
      );
    }
    if (!wasActive && active && !passwordHash) {
      throw invalid('set a new starting password to reactivate this user', '/password');
    }
    if (update.teamId) {
      const team = await db
        .selectFrom('teams')
        .select('id')
        .where('id', '=', update.teamId)
        .where('workspace_id', '=', actor.workspace_id)
        .executeTakeFirst();
      if (!team) throw invalid(`there is no team ${update.teamId}`, '/teamId');
    }
    const changed = await db
      .updateTable('users')
      .set({
        ...(update.name !== undefined ? { name: update.name } : {}),
        ...(update.teamId !== undefined ? { team_id: update.teamId } : {}),
        role,
        deactivated_at: active ? null : (user.deactivated_at ?? now),
        ...(passwordHash ? { password_hash: passwordHash } : {}),
        ...(!active ? { password_hash: null } : {}),
      })
      .where('id', '=', user.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (!active || (passwordHash && user.id !== actor.id)) {
      // Signed out everywhere: a deactivated user's session or token must not outlive the decision.
      await db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    }
    // A password reset by an admin means the old one may be known to someone else: every way in
    // that the old password opened (sessions, tokens minted with them) closes.
    if (!active || (passwordHash && user.id !== actor.id)) {
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', user.id)
        .where('revoked_at', 'is', null)
        .execute();
    }
    return managedUserJson(changed);
  });
}

export async function listTeams(store: Store, actor: User): Promise<TeamJson[]> {
  return store.db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspace_id', '=', actor.workspace_id)
    .orderBy('name')
    .execute();
}

export async function createTeam(store: Store, actor: User, name: string, now: number): Promise<TeamJson> {
  return inWriteTransaction(store, async (db) => {
    const taken = await db
      .selectFrom('teams')
      .select('id')
      .where('workspace_id', '=', actor.workspace_id)
      .where('name', '=', name)
      .executeTakeFirst();
    if (taken) throw invalid(`there is already a team "${name}"`, '/name');
    return db
      .insertInto('teams')
      .values({ workspace_id: actor.workspace_id, name, created_at: now })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
  });
}
