/**
 * What screening reads and writes: the contacts owning a calling number (through the
 * workspace's one row per number, so a company's main line finds every contact sharing it),
 * the user's callback entries and appointments for those contacts, and the decisions.
 */
import type { Insertable, Kysely } from 'kysely';
import type { CallbackEntry, ListAppointment } from '../core/callbacks/list.js';
import { APPOINTMENT_WINDOW_MS } from '../core/callbacks/list.js';
import type { ScreenContact } from '../core/screening/screen.js';
import type { Store } from './db.js';
import type { Database, ScreeningDecisionTable } from './schema.js';

export interface ScreeningCandidates {
  contacts: ScreenContact[];
  callbacks: CallbackEntry[];
  appointments: ListAppointment[];
}

/** Everything screenCall needs for one number and one user at `at`; three indexed reads. */
export async function screeningCandidates(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number,
  e164: string | null,
  at: number,
): Promise<ScreeningCandidates> {
  if (e164 === null) return { contacts: [], callbacks: [], appointments: [] };
  const rows = await db
    .selectFrom('numbers as n')
    .innerJoin('contact_numbers as cn', 'cn.number_id', 'n.id')
    .innerJoin('contacts as c', 'c.id', 'cn.contact_id')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select(['c.id', 'c.first_name', 'c.last_name', 'c.owner_id', 'co.name as company', 'cn.kind', 'n.e164'])
    .where('n.workspace_id', '=', workspaceId)
    .where('n.e164', '=', e164)
    .orderBy('c.id')
    .execute();
  if (rows.length === 0) return { contacts: [], callbacks: [], appointments: [] };
  const ids = rows.map((r) => r.id);
  const [entries, appointments] = await Promise.all([
    db
      .selectFrom('callback_entries')
      .select(['id', 'contact_id', 'reason', 'attempt_id', 'since_at', 'expires_at', 'cleared_at'])
      .where('user_id', '=', userId)
      .where('contact_id', 'in', ids)
      .where('expires_at', '>', at)
      .execute(),
    db
      .selectFrom('appointments')
      .select(['id', 'contact_id', 'attempt_id', 'starts_at', 'status'])
      .where('user_id', '=', userId)
      .where('contact_id', 'in', ids)
      .where('starts_at', '>=', at - APPOINTMENT_WINDOW_MS)
      .where('starts_at', '<=', at + APPOINTMENT_WINDOW_MS)
      .execute(),
  ]);
  return {
    contacts: rows.map((r) => ({
      id: r.id,
      name: `${r.first_name} ${r.last_name}`.trim(),
      company: r.company,
      ownerId: r.owner_id,
      numbers: [{ e164: r.e164, kind: r.kind }],
    })),
    callbacks: entries.map(toEntry),
    appointments: appointments.map((a) => ({
      id: a.id,
      contactId: a.contact_id,
      attemptId: a.attempt_id,
      startsAt: a.starts_at,
      status: a.status,
    })),
  };
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

export async function insertDecision(
  db: Kysely<Database>,
  values: Insertable<ScreeningDecisionTable>,
): Promise<number> {
  const row = await db
    .insertInto('screening_decisions')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
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

export async function workspaceById(db: Kysely<Database>, id: number) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
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
    const previous = sqlite.pragma('busy_timeout', { simple: true }) as number;
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
    try {
      return await work(conn);
    } finally {
      sqlite.pragma(`busy_timeout = ${previous}`);
    }
  });
}
