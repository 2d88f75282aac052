/**
 * `ringback users add|list` — accounts of the workspace.
 */
import type { Command } from 'commander';
import type { CountryCode } from 'libphonenumber-js';
import { hashPassword } from '../../app/passwords.js';
import { normalizePhone } from '../../core/phone/normalize.js';
import { findUserByEmail, insertUser, listUsers, setUserPassword } from '../../store/user-repo.js';
import { ensureDefaultWorkspace } from '../../store/workspace-repo.js';
import { type NewUserFlags, newUserInput, newUserOptions } from '../account-input.js';
import { CommandError, clockNow, UsageError, withStore } from '../context.js';
import { printUserAdded, printUsers } from '../print-results.js';

export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage the people who use Ringback');
  newUserOptions(
    users.command('add').description('add a user; the password is read from standard input'),
  ).action(async (email: string, flags: NewUserFlags) => {
    const { role, password } = await newUserInput(email, flags);
    const user = await withStore(async (store) => {
      const now = clockNow();
      const workspace = await ensureDefaultWorkspace(store.db, now);
      let phone: string | null = null;
      if (flags.phone) {
        const parsed = normalizePhone(flags.phone, workspace.default_country as CountryCode);
        if (!parsed.ok) throw new UsageError(`--phone: ${parsed.reason}`);
        phone = parsed.e164;
      }
      if (await findUserByEmail(store.db, workspace.id, email)) {
        throw new CommandError(`${email} already has an account`);
      }
      const created = await insertUser(store.db, {
        workspace_id: workspace.id,
        email,
        name: flags.name ?? '',
        role,
        phone,
        time_zone: flags.timeZone ?? workspace.time_zone,
        created_at: now,
      });
      await setUserPassword(store.db, created.id, await hashPassword(password));
      return created;
    });
    printUserAdded({ ...user, timeZone: user.time_zone }, flags.json);
  });
  users
    .command('list')
    .description('list users')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const rows = await withStore(async (store) => {
        const workspace = await ensureDefaultWorkspace(store.db, clockNow());
        return listUsers(store.db, workspace.id);
      });
      printUsers(
        // Deactivated on the Settings page (PATCH /api/v1/users/:id): cannot sign in.
        rows.map((u) => ({ ...u, timeZone: u.time_zone, active: u.deactivated_at === null })),
        flags.json,
      );
    });
}
