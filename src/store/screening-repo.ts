/**
 * What screening reads and writes: the contacts owning a calling number (through the
 * workspace's one row per number, so a company's main line finds every contact sharing it),
 * the user's callback entries and appointments for those contacts, and the decisions.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable, Kysely } from 'kysely';
import type { CallbackEntry, ListAppointment } from '../core/callbacks/list.js';
import { APPOINTMENT_WINDOW_MS } from '../core/callbacks/list.js';
import type { ScreenContact } from '../core/screening/screen.js';
import type { Store } from './db.js';
import { compiledOnce } from './queue-repo.js';
import type { Database, ScreeningDecisionTable } from './schema.js';

export interface ScreeningCandidates {
  contacts: ScreenContact[];
  callbacks: CallbackEntry[];
  appointments: ListAppointment[];
}

/**
 * Everything screenCall needs for one number and one user at `at`, in one indexed read: the
 * contacts owning the number, each joined to the user's unexpired callback entries and
 * appointments near `at` for it (rarely more than one row per contact; duplicates from the
 * joins are dropped here). Compiled once (compiledOnce): on the inbound webhook Kysely's
 * building and compiling cost more than the database's answer.
 */
export async function screeningCandidates(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number,
  e164: string | null,
  at: number,
): Promise<ScreeningCandidates> {
  const found: ScreeningCandidates = { contacts: [], callbacks: [], appointments: [] };
  if (e164 === null) return found;
  const args: [number, string, number, number, number, number] = [
    workspaceId,
    e164,
    userId,
    at,
    at - APPOINTMENT_WINDOW_MS,
    at + APPOINTMENT_WINDOW_MS,
  ];
  const { rows } = await db.executeQuery(
    compiledOnce(db, 'screeningCandidates', args, (ws, number, user, now, from, to) =>
      db
        .selectFrom('numbers as n')
        .innerJoin('contact_numbers as cn', 'cn.number_id', 'n.id')
        .innerJoin('contacts as c', 'c.id', 'cn.contact_id')
        .leftJoin('companies as co', 'co.id', 'c.company_id')
        .leftJoin('callback_entries as ce', (join) =>
          join.onRef('ce.contact_id', '=', 'c.id').on('ce.user_id', '=', user).on('ce.expires_at', '>', now),
        )
        .leftJoin('appointments as ap', (join) =>
          join
            .onRef('ap.contact_id', '=', 'c.id')
            .on('ap.user_id', '=', user)
            .on('ap.starts_at', '>=', from)
            .on('ap.starts_at', '<=', to),
        )
        .select([
          'c.id',
          'c.first_name',
          'c.last_name',
          'c.owner_id',
          'co.name as company',
          'cn.kind',
          'n.e164',
          'ce.id as entry_id',
          'ce.reason as entry_reason',
          'ce.attempt_id as entry_attempt_id',
          'ce.since_at as entry_since_at',
          'ce.expires_at as entry_expires_at',
          'ce.cleared_at as entry_cleared_at',
          'ap.id as appointment_id',
          'ap.attempt_id as appointment_attempt_id',
          'ap.starts_at as appointment_starts_at',
          'ap.status as appointment_status',
        ])
        .where('n.workspace_id', '=', ws)
        .where('n.e164', '=', number)
        .orderBy('c.id')
        .orderBy('ce.id')
        .orderBy('ap.id'),
    ),
  );
  const seen = new Set<string>();
  const first = (key: string) => !seen.has(key) && seen.add(key) !== undefined;
  for (const r of rows) {
    if (first(`c${r.id}`)) {
      found.contacts.push({
        id: r.id,
        name: `${r.first_name} ${r.last_name}`.trim(),
        company: r.company,
        ownerId: r.owner_id,
        numbers: [{ e164: r.e164, kind: r.kind }],
      });
    }
    if (r.entry_id !== null && first(`e${r.entry_id}`)) {
      found.callbacks.push({
        id: r.entry_id,
        contactId: r.id,
        reason: r.entry_reason!,
        attemptId: r.entry_attempt_id,
        sinceAt: r.entry_since_at!,
        expiresAt: r.entry_expires_at!,
        clearedAt: r.entry_cleared_at,
      });
    }
    if (r.appointment_id !== null && first(`a${r.appointment_id}`)) {
      found.appointments.push({
        id: r.appointment_id,
        contactId: r.id,
        attemptId: r.appointment_attempt_id,
        startsAt: r.appointment_starts_at!,
        status: r.appointment_status!,
      });
    }
  }
  return found;
}

export function toEntry(r: {
  id: number;
  contact_id: number;
  reason: CallbackEntry['reason'];
  attempt_id: number | null;
  since_at: number;
  expires_at: number;
  cleared_at: number | null;
}): CallbackEntry {
  return {
    id: r.id,
    contactId: r.contact_id,
    reason: r.reason,
    attemptId: r.attempt_id,
    sinceAt: r.since_at,
    expiresAt: r.expires_at,
    clearedAt: r.cleared_at,
  };
}

const DECISION_COLUMNS = [
  'workspace_id',
  'user_id',
  'block_id',
  'caller_raw',
  'caller_e164',
  'contact_id',
  'action',
  'reason',
  'callback_entry_id',
  'attempt_id',
  'decided_at',
  'call_sid',
  'fail_open',
] as const satisfies readonly (keyof ScreeningDecisionTable)[];

/** The decision insert, compiled once: it runs for every inbound call. */
function decisionInsert(db: Kysely<Database>, values: Insertable<ScreeningDecisionTable>) {
  const args = DECISION_COLUMNS.map((c) => values[c] ?? null);
  return compiledOnce(db, 'insertDecision', args, (...slots) =>
    db
      .insertInto('screening_decisions')
      .values(
        Object.fromEntries(
          DECISION_COLUMNS.map((c, i) => [c, slots[i]]),
        ) as Insertable<ScreeningDecisionTable>,
      )
      .onConflict((oc) => oc.columns(['workspace_id', 'call_sid']).doNothing())
      .returning('id'),
  );
}

/**
 * Stores a decision; undefined when its call id was screened already (a replay), which leaves
 * the transaction usable.
 */
export async function insertDecision(
  db: Kysely<Database>,
  values: Insertable<ScreeningDecisionTable>,
): Promise<number | undefined> {
  const { rows } = await db.executeQuery(decisionInsert(db, values));
  return rows[0]?.id;
}

const decisionStatements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * SQLite: a group of decisions in one transaction, run synchronously on the raw connection —
 * insertDecision's statement, without Kysely's asynchronous steps for the begin, each insert
 * and the commit, which together cost more than the writes. Kysely's connection is held
 * meanwhile, so the group never lands inside another caller's open transaction. `values` is
 * asked for at the moment of writing (a caller may have given up while the lock was awaited).
 * Waits at most `lockWaitMs` for another process's write lock, then throws SQLITE_BUSY.
 * Undefined for a call id already screened (a replay).
 */
export function insertDecisionsSqlite(
  store: Pick<Store, 'db' | 'dialect' | 'sqlite'>,
  lockWaitMs: number,
  values: () => readonly Insertable<ScreeningDecisionTable>[],
): Promise<(number | undefined)[]> {
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('insertDecisionsSqlite needs a SQLite store');
  return withShortLockWait(store, lockWaitMs, async () => {
    const group = values();
    return sqlite.transaction(() =>
      group.map((v) => {
        const { sql, parameters } = decisionInsert(store.db, v);
        let statement = decisionStatements.get(sqlite);
        if (statement?.source !== sql) {
          statement = sqlite.prepare(sql);
          decisionStatements.set(sqlite, statement);
        }
        return (statement.get(...parameters) as { id: number } | undefined)?.id;
      }),
    )();
  });
}

export async function decisionByCallSid(db: Kysely<Database>, workspaceId: number, callSid: string) {
  return db
    .selectFrom('screening_decisions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('call_sid', '=', callSid)
    .executeTakeFirst();
}

/** A decision turned into a fail-open ring after the fact (it was stored, but too late for the call). */
export async function markDecisionFailOpen(db: Kysely<Database>, id: number): Promise<void> {
  await db
    .updateTable('screening_decisions')
    .set({ action: 'ring', reason: 'fail_open', fail_open: 1 })
    .where('id', '=', id)
    .execute();
}

/** The decisions made during a block, oldest first, with who called. */
export async function decisionsOfBlock(db: Kysely<Database>, blockId: number) {
  return db
    .selectFrom('screening_decisions as d')
    .leftJoin('contacts as c', 'c.id', 'd.contact_id')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .leftJoin('voicemails as v', 'v.decision_id', 'd.id')
    .select([
      'd.id',
      'd.action',
      'd.reason',
      'd.caller_raw',
      'd.caller_e164',
      'd.contact_id',
      'd.decided_at',
      'd.attempt_id',
      'c.first_name',
      'c.last_name',
      'co.name as company',
      'v.id as voicemail_id',
      'v.recording_url',
      'v.duration_s',
      'v.transcription',
    ])
    .where('d.block_id', '=', blockId)
    .orderBy('d.decided_at')
    .orderBy('d.id')
    .execute();
}

/** True for a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** True when SQLite gave up waiting for another connection's write lock. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs a write waiting at most `ms` for another connection's lock. better-sqlite3 waits
 * synchronously, so the store's 10-second busy timeout would freeze every request of the
 * process while another process holds the write lock; this path fails fast instead (SQLITE_BUSY)
 * and the caller retries later. Holding Kysely's connection keeps other queries from running
 * under the shortened timeout. PostgreSQL waits asynchronously: no change there.
 */
export async function withShortLockWait<T>(
  store: Pick<Store, 'db' | 'dialect' | 'sqlite'>,
  ms: number,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const sqlite = store.sqlite;
  if (store.dialect !== 'sqlite' || !sqlite) return work(store.db);
  return store.db.connection().execute(async (conn) => {
    const previous = busyTimeout(sqlite);
    busyTimeout(sqlite, Math.max(0, Math.floor(ms)));
    try {
      return await work(conn);
    } finally {
      busyTimeout(sqlite, previous);
    }
  });
}

const busyTimeoutStatements = new WeakMap<
  BetterSqlite3.Database,
  Map<number | 'read', BetterSqlite3.Statement>
>();

/**
 * Reads the busy timeout, or sets it to `ms`. The statements are prepared once per connection:
 * better-sqlite3's pragma() prepares anew each time, which cost more than the write it guarded.
 */
function busyTimeout(sqlite: BetterSqlite3.Database, ms?: number): number {
  let held = busyTimeoutStatements.get(sqlite);
  if (!held) {
    held = new Map();
    busyTimeoutStatements.set(sqlite, held);
  }
  const key = ms ?? 'read';
  let statement = held.get(key);
  if (!statement) {
    statement = sqlite
      .prepare(ms === undefined ? 'PRAGMA busy_timeout' : `PRAGMA busy_timeout = ${ms}`)
      .pluck();
    held.set(key, statement);
  }
  return statement.get() as number;
}
