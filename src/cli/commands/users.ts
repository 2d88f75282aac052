/**
 * `ringback users add|list` — accounts of the workspace.
 */
import type { Command } from 'commander';
import type { CountryCode } from 'libphonenumber-js';
import { hashPassword } from '../../app/passwords.js';
import { normalizePhone } from '../../core/phone/normalize.js';
import type { Role } from '../../store/schema.js';
import { findUserByEmail, insertUser, listUsers, setUserPassword } from '../../store/user-repo.js';
import { ensureDefaultWorkspace } from '../../store/workspace-repo.js';
import { CommandError, clockNow, printJson, printTable, UsageError, withStore } from '../context.js';

const ROLES: Role[] = ['rep', 'manager', 'admin'];
const MIN_PASSWORD = 10;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('password (then Enter, Ctrl-D): ');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage the people who use Ringback');
  users
    .command('add')
    .description('add a user; the password is read from standard input')
    .argument('<email>')
    .requiredOption('--role <role>', 'rep | manager | admin')
    .option('--name <name>', 'display name')
    .option('--phone <number>', "the user's own phone, where calls are put through")
    .option('--time-zone <zone>', 'IANA time zone, e.g. America/Chicago')
    .option('--json', 'print the user as JSON')
    .action(
      async (
        email: string,
        flags: { role: string; name?: string; phone?: string; timeZone?: string; json?: boolean },
      ) => {
        if (!ROLES.includes(flags.role as Role))
          throw new UsageError(`--role ${flags.role}: use rep, manager or admin`);
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError(`${email}: not an email address`);
        if (flags.timeZone && !isTimeZone(flags.timeZone)) {
          throw new UsageError(`--time-zone ${flags.timeZone}: not an IANA time zone (e.g. America/Chicago)`);
        }
        const password = await readStdin();
        if (password.length < MIN_PASSWORD) {
          throw new UsageError(
            `the password read from standard input must be at least ${MIN_PASSWORD} characters`,
          );
        }
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
            role: flags.role as Role,
            phone,
            time_zone: flags.timeZone ?? workspace.time_zone,
            created_at: now,
          });
          await setUserPassword(store.db, created.id, await hashPassword(password));
          return created;
        });
        const shown = {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          phone: user.phone,
          timeZone: user.time_zone,
        };
        if (flags.json) printJson(shown);
        else process.stdout.write(`added ${user.email} (${user.role})\n`);
      },
    );
  users
    .command('list')
    .description('list users')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const rows = await withStore(async (store) => {
        const workspace = await ensureDefaultWorkspace(store.db, clockNow());
        return listUsers(store.db, workspace.id);
      });
      const shown = rows.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        phone: u.phone,
        timeZone: u.time_zone,
        // Deactivated on the Settings page (PATCH /api/v1/users/:id): cannot sign in.
        active: u.deactivated_at === null,
      }));
      if (flags.json) printJson(shown);
      else printTable(shown);
    });
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
