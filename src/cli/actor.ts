/**
 * Who a local command acts as, and so which workspace it works in: `--user EMAIL` wherever
 * that account is, else the only user of the default workspace, else nobody.
 */
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { findUsersByEmailInAnyWorkspace, listUsers } from '../store/user-repo.js';
import { ensureDefaultWorkspace } from '../store/workspace-repo.js';
import { UsageError } from './context.js';

/**
 * --user EMAIL (in whichever workspace has it: the command then works in that workspace), else
 * the only user of the default workspace, else nobody (the default workspace, no user).
 */
export async function resolveUser(
  store: Store,
  email: string | undefined,
  now: number,
  option = '--user',
): Promise<User | null> {
  if (email) {
    const found = await findUsersByEmailInAnyWorkspace(store.db, email);
    if (found.length === 0)
      throw new UsageError(`${option} ${email}: no such user (add one with "npx ringback users add")`);
    if (found.length > 1) {
      throw new UsageError(
        `${option} ${email}: there is an account with this email in ${found.length} workspaces ` +
          `(${found.map((u) => u.workspace_id).join(', ')}); run the command through the server with that account's token`,
      );
    }
    return found[0]!;
  }
  const workspace = await ensureDefaultWorkspace(store.db, now);
  const users = await listUsers(store.db, workspace.id);
  if (users.length === 1) return users[0]!;
  return null;
}

/** --user EMAIL (or the only user) and their workspace, else the default workspace. */
export async function workspaceOf(
  store: Store,
  email: string | undefined,
  now: number,
): Promise<{ id: number; user: User | null }> {
  const user = await resolveUser(store, email, now);
  return { id: user ? user.workspace_id : (await ensureDefaultWorkspace(store.db, now)).id, user };
}
