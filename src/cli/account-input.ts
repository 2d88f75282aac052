/**
 * What `ringback users add` and `ringback workspace` check before they touch anything, the
 * same locally and through a server (`--server`): role, email, time zone, and the password
 * read from standard input.
 */
import type { Command } from 'commander';
import { UsageError } from './context.js';

export const ROLES = ['rep', 'manager', 'admin'] as const;
export type RoleName = (typeof ROLES)[number];
export const MIN_PASSWORD = 10;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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

/** Checks `users add` input and reads the password; throws a UsageError naming what is wrong. */
export async function newUserInput(
  email: string,
  flags: { role: string; timeZone?: string | undefined },
): Promise<{ role: RoleName; password: string }> {
  if (!(ROLES as readonly string[]).includes(flags.role))
    throw new UsageError(`--role ${flags.role}: use rep, manager or admin`);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError(`${email}: not an email address`);
  if (flags.timeZone && !isTimeZone(flags.timeZone)) {
    throw new UsageError(`--time-zone ${flags.timeZone}: not an IANA time zone (e.g. America/Chicago)`);
  }
  const password = await readStdin();
  if (password.length < MIN_PASSWORD) {
    throw new UsageError(`the password read from standard input must be at least ${MIN_PASSWORD} characters`);
  }
  return { role: flags.role as RoleName, password };
}

/** `--reminder-minutes`, when given: 0 to 240. */
export function reminderMinutesOption(value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new UsageError(`--reminder-minutes ${value}: a whole number of minutes from 0 to ${max}`);
  }
  return n;
}

/** The flags of `users add`, as both the local and the remote command take them. */
export interface NewUserFlags {
  role: string;
  name?: string;
  phone?: string;
  timeZone?: string;
  json?: boolean;
}

export function newUserOptions(command: Command): Command {
  return command
    .argument('<email>')
    .requiredOption('--role <role>', 'rep | manager | admin')
    .option('--name <name>', 'display name')
    .option('--phone <number>', "the user's own phone, where calls are put through")
    .option('--time-zone <zone>', 'IANA time zone, e.g. America/Chicago')
    .option('--json', 'print the user as JSON');
}

/** The flags of `workspace`, as both the local and the remote command take them. */
export interface WorkspaceFlags {
  name?: string;
  country?: string;
  timeZone?: string;
  reminderMinutes?: string;
  json?: boolean;
}

export function workspaceOptions(command: Command): Command {
  return command
    .option('--name <name>', 'the workspace name')
    .option('--country <cc>', 'default region for numbers without a country code, e.g. US, GB, DE')
    .option('--time-zone <zone>', 'time zone used when a contact has none and no number places it')
    .option('--reminder-minutes <n>', 'remind users this many minutes before an appointment (0: never)')
    .option('--json', 'print as JSON');
}
