/**
 * What screening reads and writes: the contacts owning a calling number (through the
 * workspace's one row per number, so a company's main line finds every contact sharing it),
 * the user's callback entries and appointments for those contacts, and the decisions.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { CallbackEntry, ListAppointment } from '../core/callbacks/list.js';
import { APPOINTMENT_WINDOW_MS } from '../core/callbacks/list.js';
import type { ScreenContact } from '../core/screening/screen.js';
import type { Store } from './db.js';
import { prepareOnPostgres } from './prepared.js';
import { compiledOnce, isPostgres } from './queue-repo.js';
import type { Database, ScreeningDecisionTable } from './schema.js';
import { recordWebhookEvent, recordWebhookEventOnSqlite } from './webhook-repo.js';

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
 * building and compiling cost more than the database's answer; and prepared on PostgreSQL,
 * whose planning of this join cost several times its execution.
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
  if (isPostgres(db) && !db.isTransaction) return candidateReads(db).read(workspaceId, userId, e164, at);
  const args: [number, string, number, number, number, number] = [
    workspaceId,
    e164,
    userId,
    at,
    at - APPOINTMENT_WINDOW_MS,
    at + APPOINTMENT_WINDOW_MS,
  ];
  const { rows } = await db.executeQuery(
    compiledOnce(
      db,
      'screeningCandidates',
      args,
      (ws, number, user, now, from, to) =>
        db
          .selectFrom('numbers as n')
          .innerJoin('contact_numbers as cn', 'cn.number_id', 'n.id')
          .innerJoin('contacts as c', 'c.id', 'cn.contact_id')
          .leftJoin('companies as co', 'co.id', 'c.company_id')
          .leftJoin('callback_entries as ce', (join) =>
            join
              .onRef('ce.contact_id', '=', 'c.id')
              .on('ce.user_id', '=', user)
              .on('ce.expires_at', '>', now),
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
      { prepared: true },
    ),
  );
  collectCandidates(rows, found);
  return found;
}

/** A candidate row, as both reads select it. */
interface CandidateRow {
  id: number;
  first_name: string;
  last_name: string;
  owner_id: number | null;
  company: string | null;
  kind: ScreenContact['numbers'][number]['kind'];
  e164: string;
  entry_id: number | null;
  entry_reason: CallbackEntry['reason'] | null;
  entry_attempt_id: number | null;
  entry_since_at: number | null;
  entry_expires_at: number | null;
  entry_cleared_at: number | null;
  appointment_id: number | null;
  appointment_attempt_id: number | null;
  appointment_starts_at: number | null;
  appointment_status: ListAppointment['status'] | null;
}

/** Adds one number's rows (ordered by contact, entry, appointment) to `found`, each contact, entry and appointment once. */
function collectCandidates(rows: readonly CandidateRow[], found: ScreeningCandidates): void {
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
}

/**
 * PostgreSQL: the reads of every call screened in one turn of the event loop, in one
 * statement — one round trip for a burst of webhooks instead of one each. The same join as
 * screeningCandidates, driven by the callers (numbered `ord`), so each caller's rows come out
 * together and in the same order. Prepared once. The callers come as JSON rather than arrays:
 * PostgreSQL sizes an unnested array from its value when it plans for given values, so those
 * plans looked cheaper than the generic one and were made anew (~3 ms) for every batch; a
 * JSON row set is estimated alike either way and the generic plan is kept.
 */
const CANDIDATES_SQL = `select q.ord, c.id, c.first_name, c.last_name, c.owner_id, co.name as company, cn.kind, n.e164,
  ce.id as entry_id, ce.reason as entry_reason, ce.attempt_id as entry_attempt_id,
  ce.since_at as entry_since_at, ce.expires_at as entry_expires_at, ce.cleared_at as entry_cleared_at,
  ap.id as appointment_id, ap.attempt_id as appointment_attempt_id,
  ap.starts_at as appointment_starts_at, ap.status as appointment_status
from json_to_recordset($1::json) as q(ord integer, workspace_id bigint, e164 text, user_id bigint, at bigint)
join numbers n on n.workspace_id = q.workspace_id and n.e164 = q.e164
join contact_numbers cn on cn.number_id = n.id
join contacts c on c.id = cn.contact_id
left join companies co on co.id = c.company_id
left join callback_entries ce on ce.contact_id = c.id and ce.user_id = q.user_id and ce.expires_at > q.at
left join appointments ap on ap.contact_id = c.id and ap.user_id = q.user_id
  and ap.starts_at >= q.at - $2::bigint and ap.starts_at <= q.at + $2::bigint
order by q.ord, c.id, ce.id, ap.id`;
prepareOnPostgres(CANDIDATES_SQL, 'ringback_screeningCandidatesBatch');

interface CandidateRead {
  workspaceId: number;
  userId: number;
  e164: string;
  at: number;
  resolve: (found: ScreeningCandidates) => void;
  reject: (error: unknown) => void;
}

class CandidateReads {
  private queue: CandidateRead[] = [];

  constructor(private readonly db: Kysely<Database>) {}

  read(workspaceId: number, userId: number, e164: string, at: number): Promise<ScreeningCandidates> {
    return new Promise((resolve, reject) => {
      if (this.queue.push({ workspaceId, userId, e164, at, resolve, reject }) === 1) {
        setImmediate(() => this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const { rows } = await this.db.executeQuery<CandidateRow & { ord: number }>(
        CompiledQuery.raw(CANDIDATES_SQL, [
          JSON.stringify(
            batch.map((r, i) => ({
              ord: i + 1,
              workspace_id: r.workspaceId,
              e164: r.e164,
              user_id: r.userId,
              at: r.at,
            })),
          ),
          APPOINTMENT_WINDOW_MS,
        ]),
      );
      const found = batch.map((): ScreeningCandidates => ({ contacts: [], callbacks: [], appointments: [] }));
      let from = 0;
      for (let i = 1; i <= rows.length; i++) {
        if (i === rows.length || rows[i]!.ord !== rows[from]!.ord) {
          collectCandidates(rows.slice(from, i), found[rows[from]!.ord - 1]!);
          from = i;
        }
      }
      for (const [i, r] of batch.entries()) r.resolve(found[i]!);
    } catch (error) {
      for (const r of batch) r.reject(error);
    }
  }
}

const candidateReaders = new WeakMap<Kysely<Database>, CandidateReads>();

function candidateReads(db: Kysely<Database>): CandidateReads {
  let reads = candidateReaders.get(db);
  if (!reads) {
    reads = new CandidateReads(db);
    candidateReaders.set(db, reads);
  }
  return reads;
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

/** The decision insert on SQLite (insertDecisionsSqlite), compiled once: it runs for every inbound call. */
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

/** Each decision column's PostgreSQL type, for the arrays insertDecisionsPostgres unnests. */
const DECISION_TYPES = {
  workspace_id: 'bigint',
  user_id: 'bigint',
  block_id: 'bigint',
  caller_raw: 'text',
  caller_e164: 'text',
  contact_id: 'bigint',
  action: 'text',
  reason: 'text',
  callback_entry_id: 'bigint',
  attempt_id: 'bigint',
  decided_at: 'bigint',
  call_sid: 'text',
  fail_open: 'integer',
} as const satisfies Record<(typeof DECISION_COLUMNS)[number], string>;

/**
 * One statement for any number of decisions: the values come as one array per column, so the
 * SQL is the same for every group size and is prepared once. Ids are drawn first (the `input`
 * CTE is materialized, so nextval runs once per row) to tell which rows a replayed call id
 * left out, in the order given. `set_config(…, true)` lasts until the transaction ends, so its
 * commit does not wait for the WAL flush (see writeGroupPostgres below for why
 * that is accepted).
 */
const INSERT_DECISIONS_SQL = `with input as materialized (
  select nextval('screening_decisions_id_seq') as id, t.*
  from unnest(${DECISION_COLUMNS.map((c, i) => `$${i + 1}::${DECISION_TYPES[c]}[]`).join(', ')})
    with ordinality as t(${DECISION_COLUMNS.join(', ')}, ord)
), stored as (
  insert into screening_decisions (id, ${DECISION_COLUMNS.join(', ')})
  select id, ${DECISION_COLUMNS.join(', ')} from input order by ord
  on conflict (workspace_id, call_sid) do nothing
  returning id
)
select stored.id, set_config('synchronous_commit', 'off', true) as relaxed
from input left join stored on stored.id = input.id
order by input.ord`;
prepareOnPostgres(INSERT_DECISIONS_SQL, 'ringback_insertDecisions');

/**
 * PostgreSQL: stores a group of decisions in one statement, so in one round trip. For each, its
 * id, or undefined when its call id was screened already (a replay; also a second row of the
 * group with the same call id).
 */
export async function insertDecisionsPostgres(
  db: Kysely<Database>,
  group: readonly Insertable<ScreeningDecisionTable>[],
): Promise<(number | undefined)[]> {
  const columns = DECISION_COLUMNS.map((c) => group.map((values) => values[c] ?? null));
  const { rows } = await db.executeQuery<{ id: number | null }>(
    CompiledQuery.raw(INSERT_DECISIONS_SQL, columns),
  );
  return rows.map((r) => r.id ?? undefined);
}

const decisionStatements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * SQLite: a group of decisions in one transaction, run synchronously on the raw connection —
 * one prepared insert per decision, without Kysely's asynchronous steps for the begin, each insert
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
        const id = (statement.get(...parameters) as { id: number } | undefined)?.id;
        if (id !== undefined && v.callback_entry_id != null) {
          recordWebhookEventOnSqlite(
            sqlite,
            v.workspace_id,
            CALLBACK_RECEIVED,
            callbackReceived(id, v),
            v.decided_at,
          );
        }
        return id;
      }),
    )();
  });
}

/**
 * A contact on the callback list called back: the outgoing webhook event (`callback.received`),
 * written with the decision, in its transaction, on both databases' paths.
 */
const CALLBACK_RECEIVED = 'callback.received';

function callbackReceived(id: number, v: Insertable<ScreeningDecisionTable>) {
  return {
    decisionId: id,
    userId: v.user_id,
    contactId: v.contact_id ?? null,
    caller: v.caller_e164 ?? v.caller_raw,
    callbackEntryId: v.callback_entry_id,
    attemptId: v.attempt_id ?? null,
    action: v.action,
    reason: v.reason,
    at: new Date(v.decided_at).toISOString(),
  };
}

/** A decision to store, and whether its caller has given up waiting by now. */
export interface DecisionToWrite {
  values: Insertable<ScreeningDecisionTable>;
  late: () => boolean;
}

/** What a decision says when the caller gave up waiting: the call rang through unscreened. */
const failOpen = (values: Insertable<ScreeningDecisionTable>): Insertable<ScreeningDecisionTable> => ({
  ...values,
  action: 'ring',
  reason: 'fail_open',
  fail_open: 1,
});

/**
 * Inserts a group atomically; undefined for a call id already screened (a replay). A write may
 * wait on a lock past a caller's deadline, so each decision is checked again as it is written
 * (SQLite: once the lock is had; PostgreSQL: after the insert, before the commit) and stored
 * as what really happened to the call.
 */
export async function writeDecisionGroup(
  store: Store,
  group: readonly DecisionToWrite[],
  lockWaitMs: number,
): Promise<(number | undefined)[]> {
  if (store.dialect === 'postgres') return writeGroupPostgres(store, group);
  // SQLite: one synchronous transaction (nothing runs between its inserts, so no caller can give
  // up meanwhile); another process's write lock fails fast (SQLITE_BUSY) rather than freezing
  // the process.
  return insertDecisionsSqlite(store, lockWaitMs, () =>
    group.map((p) => (p.late() ? failOpen(p.values) : p.values)),
  );
}

/**
 * PostgreSQL: the group is inserted by one statement (insertDecisionsPostgres) between begin
 * and commit — three round trips for any number of decisions, where each decision used to
 * cost one more. The transaction is kept so that a caller who gave up while the insert ran is
 * stored as the fail-open ring it got before anyone can read its decision. The commit does not
 * wait for the WAL flush (the WAL writer makes it durable within a fraction of a second): only
 * a crash of the database server itself in that moment can lose the decisions, never make
 * them inconsistent; the calls were answered either way. Waiting for the flush made every
 * group cost a disk sync.
 */
async function writeGroupPostgres(
  store: Store,
  group: readonly DecisionToWrite[],
): Promise<(number | undefined)[]> {
  return store.db.transaction().execute(async (trx) => {
    const sentLate = group.map((p) => p.late());
    const ids = await insertDecisionsPostgres(
      trx,
      group.map((p, i) => (sentLate[i] ? failOpen(p.values) : p.values)),
    );
    for (const [i, p] of group.entries()) {
      const id = ids[i];
      if (id !== undefined && !sentLate[i] && p.late()) await markDecisionFailOpen(trx, id);
      if (id !== undefined && p.values.callback_entry_id != null) {
        const v = sentLate[i] || p.late() ? failOpen(p.values) : p.values;
        await recordWebhookEvent(
          trx,
          v.workspace_id,
          CALLBACK_RECEIVED,
          callbackReceived(id, v),
          v.decided_at,
        );
      }
    }
    return ids;
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
