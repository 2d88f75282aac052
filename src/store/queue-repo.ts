/**
 * What the queue and the cadence read and write: due and fresh enrollments (indexed by
 * owner/campaign, state and due time), their contacts, numbers and attempts, and leases.
 */
import {
  type Compilable,
  CompiledQuery,
  type Expression,
  type Kysely,
  PostgresAdapter,
  type SqlBool,
  sql,
} from 'kysely';
import type { CadenceAttempt, CadenceNumber, Outcome } from '../core/cadence/types.js';
import { compareBy, QUEUE_ORDER, type QueueOrderField, type QueueReason } from '../core/queue/order.js';
import { prepareOnPostgres } from './prepared.js';
import type { Database } from './schema.js';

/** Where an argument goes in a query compiled by compiledOnce. */
class Slot {
  constructor(readonly index: number) {}
}

const shapes = new Map<string, { sql: string; parameters: readonly unknown[] }>();

/**
 * A query of a fixed shape, built and compiled once per database kind and then only given its
 * values. Kysely builds and compiles a query's SQL on every run, and on the hot paths (the
 * queue, logging an outcome) that costs about as much as SQLite takes to answer. `build` gets
 * placeholders for `args`: it must use each as one value (never an `in` list) and never look
 * at it, and `shape` must name one `build` (and any variant it takes from outside `args`).
 * `prepared`: on PostgreSQL, also planned once per connection (see prepareOnPostgres).
 */
export function compiledOnce<A extends readonly unknown[], R>(
  db: Kysely<Database>,
  shape: string,
  args: A,
  build: (...slots: A) => Compilable<R>,
  options: { prepared?: boolean } = {},
): CompiledQuery<R> {
  const postgres = isPostgres(db);
  const key = `${postgres ? 'postgres' : 'sqlite'} ${shape}`;
  let compiled = shapes.get(key);
  if (!compiled) {
    compiled = build(...(args.map((_, i) => new Slot(i)) as unknown as A)).compile();
    if (postgres && options.prepared) prepareOnPostgres(compiled.sql, `ringback_${shape}`);
    shapes.set(key, compiled);
  }
  const parameters = compiled.parameters.map((p) => (p instanceof Slot ? args[p.index] : p));
  return CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>;
}

/** The statements compiled so far on `database`, by shape: the hot queries, as SQL to review. */
export function compiledShapes(database: 'sqlite' | 'postgres'): { shape: string; sql: string }[] {
  return [...shapes]
    .filter(([key]) => key.startsWith(`${database} `))
    .map(([key, compiled]) => ({ shape: key.slice(database.length + 1), sql: compiled.sql }))
    .sort((a, b) => a.shape.localeCompare(b.shape));
}

export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export interface CandidateRow {
  enrollment_id: number;
  contact_id: number;
  campaign_id: number;
  owner_id: number | null;
  state: Database['enrollments']['state'];
  due_kind: Database['enrollments']['due_kind'];
  next_due_at: number | null;
  priority: number;
  put_offs: number;
  flagged: number;
  experiment_arm: 'leave' | 'skip' | null;
  attempt_count: number;
  enrolled_at: number;
  first_name: string;
  last_name: string;
  title: string;
  company: string | null;
  kind: 'business' | 'consumer';
  time_zone: string;
  region: string;
  country: string;
  interests: string;
  notes: string;
  campaign_name: string;
  urgency: 'high' | 'normal' | 'low';
  topic: string;
}

/**
 * The queue's four lists (DESIGN.md "Queue order"): appointments, requested callbacks, due
 * retries and fresh prospects. Each is read in the order core/queue takes from it, so the
 * first rows of a list are the ones it would take first.
 */
export type CandidateList = QueueReason;

export interface CandidateQuery {
  workspaceId: number;
  /** The user the calls are for: their enrollments and unassigned ones. */
  userId: number | null;
  campaignId: number | null;
  now: number;
  /** Appointments due by this instant are read: they lead the queue before their time (rule 9). */
  appointmentsDueBy: number;
  /** Rows per page. */
  limit: number;
}

export interface CandidatePage {
  rows: CandidateRow[];
  /** Whether the list has nothing after these rows. */
  complete: boolean;
}

/** One key of a list's order: the selected column, and its direction. */
interface OrderKey {
  column: 'e.next_due_at' | 'e.id' | 'e.priority' | 'e.put_offs' | 'e.created_at';
  field: 'next_due_at' | 'enrollment_id' | 'priority' | 'put_offs' | 'enrolled_at';
  desc?: true;
}

/** Where each field of core's queue order is stored, and read back. */
const STORED: Record<QueueOrderField, Omit<OrderKey, 'desc'>> = {
  dueAt: { column: 'e.next_due_at', field: 'next_due_at' },
  enrollmentId: { column: 'e.id', field: 'enrollment_id' },
  priority: { column: 'e.priority', field: 'priority' },
  putOffs: { column: 'e.put_offs', field: 'put_offs' },
  enrolledAt: { column: 'e.created_at', field: 'enrolled_at' },
};

/** A list's ORDER BY, as core/queue/order.ts declares it. */
const orderOf = (list: CandidateList): readonly OrderKey[] =>
  QUEUE_ORDER[list].map((key) => ({ ...STORED[key.field], ...(key.desc ? { desc: key.desc } : {}) }));

/**
 * What each list reads and in which order (the indexes of migration 2026-11-24-040). The kind
 * and state conditions of the partial indexes are literals: a parameter would hide from both
 * databases that the index applies.
 */
const LISTS: Record<
  CandidateList,
  { order: readonly OrderKey[]; where: (dueBy: number) => Expression<SqlBool>[] }
> = {
  appointment: {
    order: orderOf('appointment'),
    where: (dueBy) => [
      sql<SqlBool>`e.due_kind in ('appointment', 'callback')`,
      sql<SqlBool>`e.due_kind = 'appointment'`,
      sql<SqlBool>`e.next_due_at <= ${dueBy}`,
    ],
  },
  callback: {
    order: orderOf('callback'),
    where: (dueBy) => [
      sql<SqlBool>`e.due_kind in ('appointment', 'callback')`,
      sql<SqlBool>`e.due_kind = 'callback'`,
      sql<SqlBool>`e.next_due_at <= ${dueBy}`,
    ],
  },
  retry: {
    order: orderOf('retry'),
    where: (dueBy) => [sql<SqlBool>`e.due_kind = 'retry'`, sql<SqlBool>`e.next_due_at <= ${dueBy}`],
  },
  fresh: {
    order: orderOf('fresh'),
    where: () => [sql<SqlBool>`e.state = 'new'`],
  },
};

/** Enrollment states the scheduled lists and retries are read from. */
const DUE_STATES = ['active', 'snoozed', 'appointment'] as const;

/**
 * Whose enrollments one query reads: the user's own (their id), the unassigned ones (null), or
 * everyone's (undefined, when no user is given).
 */
type Owner = number | null | undefined;

/** What a list query is given: values, or compiledOnce's placeholders for them. */
interface ListValues {
  workspaceId: number;
  /** The list's due bound (appointments: the lead ahead; callbacks and retries: now). */
  dueBy: number;
  now: number;
  /** The user the calls are for, -1 for none. */
  me: number;
  ownerId: number;
  campaignId: number;
  limit: number;
  /** The previous page's last row's values of the list's order keys. */
  after: number[];
}

/** A list's rows for one owner (a user, unassigned, anyone), of one campaign or all, after a row or from the start. */
interface ListVariant {
  list: CandidateList;
  owner: 'user' | 'unassigned' | 'anyone';
  oneCampaign: boolean;
  after: boolean;
}

/** The one candidate query. */
function listQuery(db: Kysely<Database>, variant: ListVariant, v: ListValues) {
  const { order, where } = LISTS[variant.list];
  let query = db
    .selectFrom('enrollments as e')
    .innerJoin('contacts as c', 'c.id', 'e.contact_id')
    .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select([
      'e.id as enrollment_id',
      'e.contact_id',
      'e.campaign_id',
      'e.owner_id',
      'e.state',
      'e.due_kind',
      'e.next_due_at',
      'e.priority',
      'e.put_offs',
      'e.flagged',
      'e.experiment_arm',
      'e.attempt_count',
      'e.created_at as enrolled_at',
      'c.first_name',
      'c.last_name',
      'c.title',
      'co.name as company',
      'c.kind',
      'c.time_zone',
      'c.region',
      'c.country',
      'c.interests',
      'c.notes',
      'k.name as campaign_name',
      'k.urgency',
      'k.topic',
    ])
    .where('e.workspace_id', '=', v.workspaceId)
    .where('c.do_not_call', '=', 0)
    .where('k.archived_at', 'is', null);
  for (const condition of where(v.dueBy)) query = query.where(condition);
  if (variant.list !== 'fresh') query = query.where('e.state', 'in', DUE_STATES);
  if (variant.oneCampaign) query = query.where('e.campaign_id', '=', v.campaignId);
  if (variant.owner === 'user') query = query.where('e.owner_id', '=', v.ownerId);
  if (variant.owner === 'unassigned') query = query.where('e.owner_id', 'is', null);
  // Leased to someone else, directly or through another campaign of the same contact: not yours.
  query = query
    .where((eb) =>
      eb.or([
        eb('e.lease_user_id', 'is', null),
        eb('e.lease_expires_at', '<=', v.now),
        eb('e.lease_user_id', '=', v.me),
      ]),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('enrollments as other')
            .select('other.id')
            .whereRef('other.contact_id', '=', 'e.contact_id')
            .where('other.lease_user_id', '!=', v.me)
            .where('other.lease_expires_at', '>', v.now),
        ),
      ),
    );
  if (variant.after) query = query.where(afterKeys(order, v.after));
  for (const key of order) query = query.orderBy(key.column, key.desc ? 'desc' : 'asc');
  return query.limit(v.limit);
}

/** Rows strictly after the keys' `values` in `order`: (a > x) or (a = x and ((b > y) or …)). */
function afterKeys(order: readonly OrderKey[], values: readonly number[]): Expression<SqlBool> {
  const [key, ...rest] = order;
  const value = values[0];
  const past = sql<SqlBool>`${sql.ref(key!.column)} ${sql.raw(key!.desc ? '<' : '>')} ${value}`;
  if (rest.length === 0) return past;
  return sql<SqlBool>`(${past} or (${sql.ref(key!.column)} = ${value} and ${afterKeys(rest, values.slice(1))}))`;
}

/** A list's page for one owner, through compiledOnce: one compiled shape per variant. */
async function readList(
  db: Kysely<Database>,
  q: CandidateQuery,
  list: CandidateList,
  owner: Owner,
  after: CandidateRow | null,
): Promise<CandidateRow[]> {
  const variant: ListVariant = {
    list,
    owner: owner === undefined ? 'anyone' : owner === null ? 'unassigned' : 'user',
    oneCampaign: q.campaignId !== null,
    after: after !== null,
  };
  const keys = LISTS[list].order.map((k) => (after ? (after[k.field] as number) : 0));
  const args = [
    q.workspaceId,
    list === 'appointment' ? q.appointmentsDueBy : q.now,
    q.now,
    q.userId ?? -1,
    owner ?? 0,
    q.campaignId ?? 0,
    q.limit,
    ...keys,
  ];
  const shape = `candidates ${variant.list} ${variant.owner} ${variant.oneCampaign} ${variant.after}`;
  const { rows } = await db.executeQuery(
    compiledOnce(db, shape, args, (...slots) => {
      const [workspaceId, dueBy, now, me, ownerId, campaignId, limit, ...afterValues] = slots as number[];
      return listQuery(db, variant, {
        workspaceId: workspaceId!,
        dueBy: dueBy!,
        now: now!,
        me: me!,
        ownerId: ownerId!,
        campaignId: campaignId!,
        limit: limit!,
        after: afterValues,
      });
    }),
  );
  return rows as CandidateRow[];
}

/**
 * The next page of a list: up to `q.limit` rows after `after` (from the start when null).
 *
 * A user's candidates are their own enrollments and the unassigned ones. Each of the two is
 * read on its own, in index order up to the limit, and the two pages are merged: with an `or`
 * over the owner neither database can read in order, so both would sort the user's whole
 * backlog to return the first few rows.
 */
export async function candidatePage(
  db: Kysely<Database>,
  q: CandidateQuery,
  list: CandidateList,
  after: CandidateRow | null,
): Promise<CandidatePage> {
  const read = (owner: Owner) => readList(db, q, list, owner, after);
  if (q.userId === null) {
    const rows = await read(undefined);
    return { rows, complete: rows.length < q.limit };
  }
  const mine = await read(q.userId);
  const unassigned = await read(null);
  if (unassigned.length === 0) return { rows: mine, complete: mine.length < q.limit };
  // In core's order, read from the rows, for merging the owners' pages.
  const merged = [...mine, ...unassigned].sort(
    compareBy(QUEUE_ORDER[list], (row: CandidateRow, field) => row[STORED[field].field] ?? 0),
  );
  return {
    rows: merged.slice(0, q.limit),
    complete: mine.length < q.limit && unassigned.length < q.limit && merged.length <= q.limit,
  };
}

/** The campaigns' policies and scripts (JSON, a kilobyte or two each), read once for all rows. */
export async function campaignTexts(
  db: Kysely<Database>,
  campaignIds: readonly number[],
): Promise<Map<number, { policy: string; scripts: string }>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('campaigns')
    .select(['id', 'policy', 'scripts'])
    .where('id', 'in', [...new Set(campaignIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { policy: r.policy, scripts: r.scripts }]));
}

export async function leaseEnrollments(
  db: Kysely<Database>,
  enrollmentIds: number[],
  userId: number,
  until: number,
  now: number,
): Promise<number[]> {
  if (enrollmentIds.length === 0) return [];
  const ids = idList(db, enrollmentIds);
  await db.executeQuery(
    compiledOnce(db, 'lease', [ids, userId, until, now] as const, (ids, user, until, now) =>
      db
        .updateTable('enrollments')
        .set({ lease_user_id: user, lease_expires_at: until })
        .where(idIn(db, 'id', ids))
        .where((eb) =>
          eb.or([
            eb('lease_user_id', 'is', null),
            eb('lease_expires_at', '<=', now),
            eb('lease_user_id', '=', user),
          ]),
        ),
    ),
  );
  const { rows } = await db.executeQuery(
    compiledOnce(db, 'leased', [ids, userId, until] as const, (ids, user, until) =>
      db
        .selectFrom('enrollments')
        .select('id')
        .where(idIn(db, 'id', ids))
        .where('lease_user_id', '=', user)
        .where('lease_expires_at', '=', until),
    ),
  );
  return rows.map((r) => r.id);
}

export async function releaseLeases(db: Kysely<Database>, userId: number): Promise<void> {
  await db
    .updateTable('enrollments')
    .set({ lease_user_id: null, lease_expires_at: null })
    .where('lease_user_id', '=', userId)
    .execute();
}

/**
 * `column in (ids)` with the ids as one parameter (`idList`), so the statement is the same for
 * any number of ids: SQLite reuses its prepared statement, PostgreSQL plans a short text.
 */
function idIn(db: Kysely<Database>, column: string, idList: unknown): Expression<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`${sql.ref(column)} = any(${idList}::bigint[])`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${idList}))`;
}

/** The parameter idIn takes: an array on PostgreSQL, JSON text on SQLite. */
function idList(db: Kysely<Database>, ids: readonly number[]): unknown {
  return isPostgres(db) ? [...ids] : JSON.stringify(ids);
}

export type NumberRow = CadenceNumber & {
  contactId: number;
  numberId: number;
  extension: string;
  /** Why a registry bars the number, when one does (app/dnc-registry.ts scrubNumbers). */
  dncReason?: string;
};

export async function numbersOf(
  db: Kysely<Database>,
  workspaceId: number,
  contactIds: number[],
): Promise<NumberRow[]> {
  if (contactIds.length === 0) return [];
  // One contact (logging an outcome) is an index lookup; a list goes through idIn.
  const one = contactIds.length === 1;
  const { rows } = await db.executeQuery(
    compiledOnce(
      db,
      one ? 'numbersOf one' : 'numbersOf',
      [workspaceId, one ? contactIds[0] : idList(db, contactIds)] as const,
      (workspace, ids) =>
        db
          .selectFrom('contact_numbers as cn')
          .innerJoin('numbers as n', 'n.id', 'cn.number_id')
          .leftJoin('dnc_entries as d', (j) =>
            j.onRef('d.e164', '=', 'n.e164').on('d.workspace_id', '=', workspace),
          )
          .select([
            'cn.contact_id',
            'n.id as number_id',
            'n.e164',
            'cn.kind',
            'cn.extension',
            'n.valid',
            'd.id as dnc_id',
          ])
          .where((eb) => (one ? eb('cn.contact_id', '=', ids as number) : idIn(db, 'cn.contact_id', ids)))
          .orderBy('cn.contact_id')
          .orderBy('cn.created_at'),
    ),
  );
  return rows.map(toNumberRow);
}

/**
 * One enrollment's attempts as historyOf reads them, from the covering index alone: each
 * attempt's number is taken from the contact's `numbers`, already read, rather than looked up
 * in the numbers table attempt by attempt. An attempt on a number that is no longer the
 * contact's sends it to historyOf.
 */
export async function historyWithNumbers(
  db: Kysely<Database>,
  enrollmentId: number,
  numbers: readonly NumberRow[],
): Promise<CadenceAttempt[]> {
  const { rows } = await db.executeQuery(
    compiledOnce(db, 'historyWithNumbers', [enrollmentId] as const, (id) =>
      db
        .selectFrom('attempts as a')
        .select([
          'a.started_at',
          'a.outcome',
          'a.number_id',
          'a.voicemail_left',
          'a.script',
          'a.scheduled_for',
        ])
        .where('a.enrollment_id', '=', id)
        .orderBy('a.started_at')
        .orderBy('a.id'),
    ),
  );
  const e164Of = new Map(numbers.map((n) => [n.numberId, n.e164]));
  if (rows.some((r) => r.number_id !== null && !e164Of.has(r.number_id))) {
    return (await historyOf(db, [enrollmentId])).get(enrollmentId) ?? [];
  }
  return rows.map((r) =>
    toCadenceAttempt({ ...r, e164: r.number_id === null ? null : e164Of.get(r.number_id)! }),
  );
}

/** A row of numbersOf (or an object with its column names, as enrollmentsForLog reads them). */
export function toNumberRow(r: {
  contact_id: number;
  number_id: number;
  e164: string;
  kind: NumberRow['kind'];
  extension: string;
  valid: number;
  dnc_id: number | null;
}): NumberRow {
  return {
    contactId: r.contact_id,
    numberId: r.number_id,
    e164: r.e164,
    kind: r.kind,
    extension: r.extension,
    valid: r.valid === 1,
    doNotCall: r.dnc_id !== null,
  };
}

/** A row of historyOf (or an object with its column names, as enrollmentsForLog reads them). */
export function toCadenceAttempt(r: {
  started_at: number;
  outcome: CadenceAttempt['outcome'];
  e164: string | null;
  voicemail_left: number;
  script: string | null;
  scheduled_for: number | null;
}): CadenceAttempt {
  return {
    at: r.started_at,
    outcome: r.outcome,
    number: r.e164,
    voicemailLeft: r.voicemail_left === 1,
    script: (r.script as CadenceAttempt['script']) ?? null,
    scheduledFor: r.scheduled_for,
  };
}

export async function historyOf(
  db: Kysely<Database>,
  enrollmentIds: number[],
): Promise<Map<number, CadenceAttempt[]>> {
  const out = new Map<number, CadenceAttempt[]>();
  if (enrollmentIds.length === 0) return out;
  // One enrollment (logging an outcome) reads its index range in order, with nothing to sort.
  const one = enrollmentIds.length === 1;
  const { rows } = await db.executeQuery(
    compiledOnce(
      db,
      one ? 'historyOf one' : 'historyOf',
      [one ? enrollmentIds[0] : idList(db, enrollmentIds)],
      (ids) =>
        db
          .selectFrom('attempts as a')
          .leftJoin('numbers as n', 'n.id', 'a.number_id')
          .select([
            'a.enrollment_id',
            'a.started_at',
            'a.outcome',
            'n.e164',
            'a.voicemail_left',
            'a.script',
            'a.scheduled_for',
          ])
          .where((eb) => (one ? eb('a.enrollment_id', '=', ids as number) : idIn(db, 'a.enrollment_id', ids)))
          .orderBy('a.started_at')
          .orderBy('a.id'),
    ),
  );
  for (const r of rows) {
    const list = out.get(r.enrollment_id!) ?? [];
    list.push(toCadenceAttempt(r));
    out.set(r.enrollment_id!, list);
  }
  return out;
}

/** The last `per` attempts of each enrollment, newest first, with their notes and who made them. */
export async function recentAttemptsOf(
  db: Kysely<Database>,
  enrollmentIds: readonly number[],
  per: number,
): Promise<Map<number, { at: number; outcome: Outcome; note: string; by: string | null }[]>> {
  const out = new Map<number, { at: number; outcome: Outcome; note: string; by: string | null }[]>();
  if (enrollmentIds.length === 0) return out;
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('attempts as a')
        .leftJoin('users as u', 'u.id', 'a.user_id')
        .select([
          'a.enrollment_id',
          'a.started_at',
          'a.outcome',
          'a.note',
          'u.name as by_name',
          'u.email as by_email',
          sql<number>`row_number() over (partition by a.enrollment_id order by a.started_at desc, a.id desc)`.as(
            'n',
          ),
        ])
        .where('a.enrollment_id', 'in', [...enrollmentIds])
        .as('r'),
    )
    .selectAll()
    .where('n', '<=', per)
    .orderBy('enrollment_id')
    .orderBy('n')
    .execute();
  for (const r of rows) {
    const list = out.get(r.enrollment_id!) ?? [];
    list.push({
      at: Number(r.started_at),
      outcome: r.outcome,
      note: r.note,
      by: r.by_name || r.by_email || null,
    });
    out.set(r.enrollment_id!, list);
  }
  return out;
}
