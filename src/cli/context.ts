/**
 * What every command shares: opening the store from the environment, the clock, output, and
 * exit codes (0 done, 1 failed, 2 used wrongly).
 */
import type { AppFailure } from '../app/errors.js';
import { assertUnreachable } from '../core/unreachable.js';
import type { Store } from '../store/db.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the user can act on: printed without a stack trace. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** What a use case refused, as the command line reports it: 2 when the command was asked wrongly. */
export function exitCodeOf(failure: AppFailure): 1 | 2 {
  switch (failure.code) {
    case 'not_found':
    case 'invalid':
    case 'block_running':
    case 'webhook_field':
    case 'undo_refused':
    case 'current_password':
      return 2;
    case 'unreadable_file':
    case 'call_refused':
    case 'provider_failed':
    case 'webhook_rejected':
    case 'demo_refused':
    case 'import_undo_refused':
      return 1;
    default:
      return assertUnreachable(failure, 'app failure');
  }
}

export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: the remote CLI and --help never open a database.
  const { configFromEnv, migrateToLatest, openStore } = await import('../store/db.js');
  const store = openStore(configFromEnv());
  try {
    await migrateToLatest(store);
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The clock, read once per command; `--at` overrides it where a command offers it. */
export function clockNow(): number {
  return Date.now();
}

/** `--at`: an ISO time that must carry a zone, or the machine's zone would decide and replays differ. */
export function parseIsoAt(at: string): number {
  const t = Date.parse(at);
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d\d:?\d\d)$/i.test(at) || Number.isNaN(t)) {
    throw new UsageError(`--at ${at}: use an ISO time with a zone, e.g. 2026-11-24T15:00:00Z`);
  }
  return t;
}

export function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${name} ${value}: expected a positive whole number`);
  return n;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(rows: Record<string, unknown>[], columns?: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(cols.map((c) => cell(r[c])))}\n`);
}
