/**
 * The queue benchmark's world: one workspace, 200 users, 10 campaigns, N contacts with one or
 * two unique US numbers, one enrollment per contact (about 60 % due or scheduled, 30 % never
 * called, the rest ended) and 10 × N attempts over the year before NOW — written straight into
 * SQLite or PostgreSQL with bulk inserts, secondary indexes dropped during the load and rebuilt
 * from their own definitions afterwards, so the schema is exactly what the migrations make.
 *
 * Every value is a pure function of (seed, table, row), drawn from a counter-based hash, so the
 * same N gives the same database whatever the batch size. Nothing reads the clock.
 *
 * @example
 *   const world = planWorld(20_000);
 *   await loadSqlite(store.sqlite!, world); // or loadPostgres(client, world)
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { URGENCY_PRIORITY } from '../src/core/cadence/next-step.js';
import { cadencePolicySchema } from '../src/core/cadence/policy.js';
import { LIVE_OUTCOMES, type Outcome } from '../src/core/cadence/types.js';
import { CAMPAIGN_KINDS, defaultScriptsFor } from '../src/core/scripts/defaults.js';

/** Bump when anything below changes what is generated: cached databases are keyed by it. */
export const QUEUE_DATA_VERSION = 'v1';
/** Tuesday 24 Nov 2026, 13:00 in New York and 10:00 in Los Angeles: inside every contact's window. */
export const NOW = Date.UTC(2026, 10, 24, 18, 0);
export const USERS = 200;
export const CAMPAIGNS = 10;
export const ATTEMPTS_PER_CONTACT = 10;
const SEED = 20261124;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

// ---------------------------------------------------------------------------------------------
// Draws: uniform in [0, 1) for (stream, row, k), independent of generation order.

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One stream of draws per table, so adding a draw to one table shifts no other. */
const S = { Contact: 1, Number: 2, Enrollment: 3, Attempt: 4, Dnc: 5 } as const;

function draw(stream: number, row: number, k = 0): number {
  return fmix(fmix(fmix(SEED ^ (stream * 0x9e3779b9)) ^ row) ^ (k * 0x632be5ab)) / 4294967296;
}

const pick = <T>(items: readonly T[], u: number): T => items[Math.floor(u * items.length)]!;

// ---------------------------------------------------------------------------------------------
// Reference lists.

const FIRST = ['Dana', 'Sam', 'Ana', 'Ravi', 'Kim', 'Luis', 'Maya', 'Omar', 'Jo', 'Priya', 'Tom', 'Zoë'];
const LAST = ['Lee', 'Ortiz', 'Silva', 'Patel', 'Wu', 'García', 'Cohen', 'Nguyen', 'Smith', 'Okafor'];
const TITLES = ['Controller', 'CFO', 'Office Manager', 'VP Finance', 'Owner', 'AP Lead', 'Recruiter', ''];
const INTERESTS = ['', '', 'automation', 'audit prep', 'hiring', 'cash flow'];
const NOTES = ['', '', '', 'met at the Denver expo', 'prefers mornings', 'asked about pricing in spring'];
/** Area code, state, time zone: the four mainland zones plus Arizona. */
const AREAS: readonly (readonly [string, string, string])[] = [
  ['212', 'NY', 'America/New_York'],
  ['646', 'NY', 'America/New_York'],
  ['718', 'NY', 'America/New_York'],
  ['617', 'MA', 'America/New_York'],
  ['305', 'FL', 'America/New_York'],
  ['404', 'GA', 'America/New_York'],
  ['312', 'IL', 'America/Chicago'],
  ['773', 'IL', 'America/Chicago'],
  ['214', 'TX', 'America/Chicago'],
  ['512', 'TX', 'America/Chicago'],
  ['303', 'CO', 'America/Denver'],
  ['602', 'AZ', 'America/Phoenix'],
  ['415', 'CA', 'America/Los_Angeles'],
  ['213', 'CA', 'America/Los_Angeles'],
  ['310', 'CA', 'America/Los_Angeles'],
  ['206', 'WA', 'America/Los_Angeles'],
];
/** 700 central-office codes: 200–999 without N11, 555 and the 950/958/959/976 specials. */
const EXCHANGES = Array.from({ length: 800 }, (_, i) => 200 + i)
  .filter((x) => x % 100 !== 11 && ![555, 950, 958, 959, 976].includes(x))
  .slice(0, 700);
const LINES_PER_AREA = EXCHANGES.length * 10_000;

/** Number `id` (1-based) → a unique E.164 US number: area by id, then a bijective shuffle of the rest. */
export function e164Of(id: number): { e164: string; area: number } {
  const k = id - 1;
  const area = k % AREAS.length;
  const m = Math.floor(k / AREAS.length);
  if (m >= LINES_PER_AREA) throw new RangeError('too many numbers for the generated ranges');
  const p = (m * 7919 + 12345) % LINES_PER_AREA; // 7919 is prime and divides no 7,000,000: a bijection
  const exchange = EXCHANGES[Math.floor(p / 10_000)]!;
  return { e164: `+1${AREAS[area]![0]}${exchange}${String(p % 10_000).padStart(4, '0')}`, area };
}

interface CampaignSpec {
  id: number;
  kind: (typeof CAMPAIGN_KINDS)[number];
  urgency: 'high' | 'normal' | 'low';
  voicemail: 'always' | 'never' | 'first_and_last' | 'experiment';
  attemptLimit: number;
}

const CAMPAIGN_SPECS: CampaignSpec[] = Array.from({ length: CAMPAIGNS }, (_, i) => ({
  id: i + 1,
  kind: CAMPAIGN_KINDS[i % CAMPAIGN_KINDS.length]!,
  urgency: (['normal', 'high', 'low'] as const)[i % 3]!,
  voicemail: (['always', 'first_and_last', 'experiment', 'always', 'never'] as const)[i % 5]!,
  attemptLimit: [7, 5, 10, 15][i % 4]!,
}));

// ---------------------------------------------------------------------------------------------
// The plan: sizes, and what rows share (numbers per contact, attempts per enrollment).

type Kind = 'new' | 'due' | 'ended';

export interface World {
  contacts: number;
  attempts: number;
  companies: number;
  numbers: number;
  /** firstNumber[c] is contact c's first number id; contact c has firstNumber[c + 1] - firstNumber[c] numbers. */
  firstNumber: Int32Array;
  /** Per attempt (0-based): enrollment id, start time, outcome index in OUTCOME_LIST. */
  attemptEnrollment: Int32Array;
  attemptAt: Float64Array;
  attemptOutcome: Uint8Array;
  /** Per enrollment id: attempts, live conversations, last attempt time (0 when none). */
  attemptCount: Int32Array;
  connectCount: Int32Array;
  lastAttemptAt: Float64Array;
}

/** How an attempt in the history turned out, with weights. */
const OUTCOME_WEIGHTS: readonly (readonly [Outcome, number])[] = [
  ['no_answer', 38],
  ['voicemail_left', 24],
  ['voicemail_skipped', 9],
  ['busy', 4],
  ['gatekeeper', 8],
  ['connected', 9],
  ['callback_requested', 3],
  ['appointment_set', 1.5],
  ['not_interested', 2],
  ['wrong_person', 1],
  ['bad_number', 0.3],
  ['away', 0.2],
];
const OUTCOME_LIST = OUTCOME_WEIGHTS.map(([o]) => o);
const OUTCOME_CDF = (() => {
  const total = OUTCOME_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  return OUTCOME_WEIGHTS.map(([, w]) => (acc += w / total));
})();
const outcomeIndex = (u: number) => {
  let i = 0;
  while (i < OUTCOME_CDF.length - 1 && u >= OUTCOME_CDF[i]!) i++;
  return i;
};
const LIVE = new Uint8Array(OUTCOME_LIST.map((o) => (LIVE_OUTCOMES.has(o) ? 1 : 0)));

/** Which of the three kinds enrollment `id` is: 30 % new, 60 % due or scheduled, 10 % ended. */
export function enrollmentKind(id: number): Kind {
  const u = draw(S.Enrollment, id, 0);
  return u < 0.3 ? 'new' : u < 0.9 ? 'due' : 'ended';
}

export function planWorld(contacts: number): World {
  const attempts = contacts * ATTEMPTS_PER_CONTACT;
  const firstNumber = new Int32Array(contacts + 2);
  firstNumber[1] = 1;
  for (let c = 1; c <= contacts; c++)
    firstNumber[c + 1] = firstNumber[c]! + (draw(S.Number, c) < 0.5 ? 2 : 1);
  const called: number[] = [];
  for (let e = 1; e <= contacts; e++) if (enrollmentKind(e) !== 'new') called.push(e);

  const attemptEnrollment = new Int32Array(attempts);
  const attemptAt = new Float64Array(attempts);
  const attemptOutcome = new Uint8Array(attempts);
  const attemptCount = new Int32Array(contacts + 1);
  const connectCount = new Int32Array(contacts + 1);
  const lastAttemptAt = new Float64Array(contacts + 1);
  const slot = YEAR / attempts;
  for (let j = 0; j < attempts; j++) {
    const e = called[Math.floor(draw(S.Attempt, j, 0) * called.length)]!;
    // In time order over the year before NOW, as an append-only log is.
    const at = NOW - YEAR + Math.floor(j * slot + draw(S.Attempt, j, 1) * slot);
    const o = outcomeIndex(draw(S.Attempt, j, 2));
    attemptEnrollment[j] = e;
    attemptAt[j] = at;
    attemptOutcome[j] = o;
    attemptCount[e]!++;
    connectCount[e]! += LIVE[o]!;
    lastAttemptAt[e] = at;
  }
  return {
    contacts,
    attempts,
    companies: Math.max(1, Math.ceil(contacts / 20)),
    numbers: firstNumber[contacts + 1]! - 1,
    firstNumber,
    attemptEnrollment,
    attemptAt,
    attemptOutcome,
    attemptCount,
    connectCount,
    lastAttemptAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Rows. Each table is a list of typed columns and a row function.

type PgType = 'int8' | 'int4' | 'text';
type Value = string | number | null;

export interface TableSpec {
  name: string;
  columns: readonly (readonly [string, PgType])[];
  count: number;
  row(i: number): Value[];
}

const ownerOf = (enrollmentId: number) => 1 + Math.floor(draw(S.Enrollment, enrollmentId, 1) * USERS);
const campaignOf = (enrollmentId: number) => 1 + Math.floor(draw(S.Enrollment, enrollmentId, 2) * CAMPAIGNS);
/** Ended enrollments that ended on a do-not-call: their contact is on the list too. */
const isDncEnrollment = (id: number) => enrollmentKind(id) === 'ended' && draw(S.Enrollment, id, 3) < 0.05;

export function tables(w: World): TableSpec[] {
  const created = NOW - 2 * YEAR;
  return [
    {
      name: 'workspaces',
      columns: [
        ['id', 'int8'],
        ['name', 'text'],
        ['created_at', 'int8'],
      ],
      count: 1,
      row: () => [1, 'Queue bench', created],
    },
    {
      name: 'users',
      columns: [
        ['id', 'int8'],
        ['workspace_id', 'int8'],
        ['email', 'text'],
        ['name', 'text'],
        ['role', 'text'],
        ['phone', 'text'],
        ['time_zone', 'text'],
        ['created_at', 'int8'],
      ],
      count: USERS,
      row: (i) => {
        const id = i + 1;
        return [
          id,
          1,
          `rep${id}@bench.test`,
          `Rep ${id}`,
          id === 1 ? 'admin' : id <= 6 ? 'manager' : 'rep',
          `+1646555${String(1000 + id).padStart(4, '0')}`,
          AREAS[id % AREAS.length]![2],
          created,
        ];
      },
    },
    {
      name: 'companies',
      columns: [
        ['id', 'int8'],
        ['workspace_id', 'int8'],
        ['name', 'text'],
        ['name_key', 'text'],
        ['created_at', 'int8'],
      ],
      count: w.companies,
      row: (i) => [i + 1, 1, `Company ${i + 1} Inc`, `company ${i + 1} inc`, created],
    },
    {
      name: 'campaigns',
      columns: [
        ['id', 'int8'],
        ['workspace_id', 'int8'],
        ['name', 'text'],
        ['kind', 'text'],
        ['urgency', 'text'],
        ['policy', 'text'],
        ['scripts', 'text'],
        ['topic', 'text'],
        ['created_by', 'int8'],
        ['created_at', 'int8'],
      ],
      count: CAMPAIGNS,
      row: (i) => {
        const c = CAMPAIGN_SPECS[i]!;
        const policy = cadencePolicySchema.parse({ attemptLimit: c.attemptLimit, voicemail: c.voicemail });
        return [
          c.id,
          1,
          `Campaign ${c.id} (${c.kind}, ${c.urgency})`,
          c.kind,
          c.urgency,
          JSON.stringify(policy),
          JSON.stringify(defaultScriptsFor(c.kind)),
          `topic ${c.id}`,
          1,
          created,
        ];
      },
    },
    {
      name: 'contacts',
      columns: [
        ['id', 'int8'],
        ['workspace_id', 'int8'],
        ['company_id', 'int8'],
        ['owner_id', 'int8'],
        ['kind', 'text'],
        ['do_not_call', 'int4'],
        ['created_at', 'int8'],
        ['updated_at', 'int8'],
        ['first_name', 'text'],
        ['last_name', 'text'],
        ['title', 'text'],
        ['email', 'text'],
        ['email_key', 'text'],
        ['time_zone', 'text'],
        ['interests', 'text'],
        ['notes', 'text'],
        ['region', 'text'],
        ['country', 'text'],
      ],
      count: w.contacts,
      row: (i) => {
        const id = i + 1;
        const first = pick(FIRST, draw(S.Contact, id, 0));
        const last = pick(LAST, draw(S.Contact, id, 1));
        const area = AREAS[e164Of(w.firstNumber[id]!).area]!;
        const email = draw(S.Contact, id, 2) < 0.7 ? `${first}.${last}.${id}@example.com` : '';
        const at = created + Math.floor((id / w.contacts) * YEAR * 0.9);
        return [
          id,
          1,
          draw(S.Contact, id, 3) < 0.9 ? 1 + Math.floor(draw(S.Contact, id, 4) * w.companies) : null,
          ownerOf(id),
          draw(S.Contact, id, 5) < 0.85 ? 'business' : 'consumer',
          isDncEnrollment(id) ? 1 : 0,
          at,
          at,
          first,
          last,
          pick(TITLES, draw(S.Contact, id, 6)),
          email,
          email.toLowerCase(),
          // A third leave the zone to be guessed from the number, as imports often do.
          draw(S.Contact, id, 7) < 0.67 ? area[2] : '',
          pick(INTERESTS, draw(S.Contact, id, 8)),
          pick(NOTES, draw(S.Contact, id, 9)),
          area[1],
          'US',
        ];
      },
    },
    {
      name: 'numbers',
      columns: [
        ['id', 'int8'],
        ['workspace_id', 'int8'],
        ['e164', 'text'],
        ['country', 'text'],
        ['valid', 'int4'],
        ['created_at', 'int8'],
      ],
      count: w.numbers,
      row: (i) => [i + 1, 1, e164Of(i + 1).e164, 'US', draw(S.Number, i + 1, 1) < 0.01 ? 0 : 1, created],
    },
    {
      name: 'contact_numbers',
      columns: [
        ['contact_id', 'int8'],
        ['number_id', 'int8'],
        ['kind', 'text'],
        ['source', 'text'],
        ['created_at', 'int8'],
      ],
      count: w.numbers,
      row: (i) => {
        const numberId = i + 1;
        const contactId = contactOfNumber(w, numberId);
        const second = numberId > w.firstNumber[contactId]!;
        const kind = second
          ? draw(S.Number, numberId, 2) < 0.5
            ? 'main'
            : 'mobile'
          : draw(S.Number, numberId, 2) < 0.8
            ? 'direct'
            : 'mobile';
        return [contactId, numberId, kind, 'import', created + (second ? 1 : 0)];
      },
    },
    {
      name: 'enrollments',
      columns: [
        ['id', 'int8'],
        ['workspace_id', 'int8'],
        ['campaign_id', 'int8'],
        ['contact_id', 'int8'],
        ['owner_id', 'int8'],
        ['state', 'text'],
        ['attempt_count', 'int4'],
        ['connect_count', 'int4'],
        ['next_due_at', 'int8'],
        ['due_kind', 'text'],
        ['priority', 'int4'],
        ['put_offs', 'int4'],
        ['flagged', 'int4'],
        ['experiment_arm', 'text'],
        ['lease_user_id', 'int8'],
        ['lease_expires_at', 'int8'],
        ['last_attempt_at', 'int8'],
        ['created_at', 'int8'],
        ['updated_at', 'int8'],
      ],
      count: w.contacts,
      row: (i) => enrollmentRow(w, i + 1),
    },
    {
      name: 'attempts',
      columns: [
        ['id', 'int8'],
        ['workspace_id', 'int8'],
        ['enrollment_id', 'int8'],
        ['campaign_id', 'int8'],
        ['contact_id', 'int8'],
        ['user_id', 'int8'],
        ['number_id', 'int8'],
        ['started_at', 'int8'],
        ['ended_at', 'int8'],
        ['duration_s', 'int4'],
        ['outcome', 'text'],
        ['voicemail_left', 'int4'],
        ['script', 'text'],
        ['scheduled_for', 'int8'],
        ['created_at', 'int8'],
      ],
      count: w.attempts,
      row: (j) => attemptRow(w, j),
    },
    {
      name: 'dnc_entries',
      columns: [
        ['id', 'int8'],
        ['workspace_id', 'int8'],
        ['e164', 'text'],
        ['contact_id', 'int8'],
        ['reason', 'text'],
        ['source', 'text'],
        ['created_at', 'int8'],
      ],
      count: dncRows(w).length,
      row: (i) => {
        const [kind, ref] = dncRows(w)[i]!;
        return kind === 'number'
          ? [i + 1, 1, e164Of(ref).e164, null, 'national registry', 'import', created]
          : [i + 1, 1, null, ref, 'asked not to be called', 'attempt', created];
      },
    },
  ];
}

function contactOfNumber(w: World, numberId: number): number {
  // Binary search in firstNumber: the last contact whose first number is ≤ numberId.
  let lo = 1;
  let hi = w.contacts;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (w.firstNumber[mid]! <= numberId) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const dncCache = new WeakMap<World, (readonly ['number' | 'contact', number])[]>();
function dncRows(w: World) {
  let rows = dncCache.get(w);
  if (!rows) {
    rows = [];
    for (let n = 1; n <= w.numbers; n++) if (draw(S.Dnc, n) < 0.002) rows.push(['number', n]);
    for (let c = 1; c <= w.contacts; c++) if (isDncEnrollment(c)) rows.push(['contact', c]);
    dncCache.set(w, rows);
  }
  return rows;
}

function enrollmentRow(w: World, id: number): Value[] {
  const campaign = CAMPAIGN_SPECS[campaignOf(id) - 1]!;
  const owner = ownerOf(id);
  const kind = enrollmentKind(id);
  const u = (k: number) => draw(S.Enrollment, id, k);
  const putOffs = kind === 'due' ? (u(4) < 0.9 ? 0 : u(4) < 0.97 ? 1 : 2) : 0;
  let state: string;
  let dueAt: number | null = null;
  let dueKind: string | null = null;
  let lease: [number, number] | [null, null] = [null, null];
  if (kind === 'new') state = 'new';
  else if (kind === 'ended') {
    state = isDncEnrollment(id) ? 'dnc' : pick(['won', 'lost', 'lost', 'unreachable', 'unreachable'], u(5));
  } else {
    // Spread over ±30 days around NOW, on the minute; callbacks and appointments on the quarter hour.
    const spread = Math.floor(((u(6) * 2 - 1) * 30 * DAY) / MINUTE) * MINUTE;
    const r = u(7);
    if (r < 0.03) [state, dueKind] = ['appointment', 'appointment'];
    else if (r < 0.09) [state, dueKind] = ['active', 'callback'];
    else if (r < 0.15) [state, dueKind] = ['snoozed', 'retry'];
    else [state, dueKind] = ['active', 'retry'];
    dueAt = dueKind === 'retry' ? NOW + spread : NOW + Math.floor(spread / (15 * MINUTE)) * 15 * MINUTE;
    // A few are leased to a colleague working a block right now: not the owner's to call.
    if (u(8) < 0.005) lease = [(owner % USERS) + 1, NOW + HOUR];
  }
  const last = w.lastAttemptAt[id]! || null;
  const created = NOW - 2 * YEAR + Math.floor((id / w.contacts) * YEAR * 0.9);
  return [
    id,
    1,
    campaign.id,
    id,
    owner,
    state,
    w.attemptCount[id]!,
    w.connectCount[id]!,
    dueAt,
    dueKind,
    URGENCY_PRIORITY[campaign.urgency] - putOffs * 5,
    putOffs,
    putOffs >= 2 ? 1 : 0,
    campaign.voicemail === 'experiment' ? (u(9) < 0.5 ? 'leave' : 'skip') : null,
    lease[0],
    lease[1],
    last,
    created,
    last ?? created,
  ];
}

function attemptRow(w: World, j: number): Value[] {
  const e = w.attemptEnrollment[j]!;
  const at = w.attemptAt[j]!;
  const outcome = OUTCOME_LIST[w.attemptOutcome[j]!]!;
  const u = (k: number) => draw(S.Attempt, j, k);
  const numbers = w.firstNumber[e + 1]! - w.firstNumber[e]!;
  const numberId = w.firstNumber[e]! + (numbers > 1 && u(3) < 0.3 ? 1 : 0);
  const duration =
    outcome === 'connected' || LIVE[w.attemptOutcome[j]!]
      ? 60 + Math.floor(u(4) * 840)
      : outcome === 'voicemail_left'
        ? 20 + Math.floor(u(4) * 25)
        : 5 + Math.floor(u(4) * 25);
  const voicemail = outcome === 'voicemail_left';
  const scheduled =
    outcome === 'callback_requested' || outcome === 'appointment_set' || outcome === 'away'
      ? at + (1 + Math.floor(u(5) * 5)) * DAY
      : null;
  return [
    j + 1,
    1,
    e,
    campaignOf(e),
    e,
    u(6) < 0.9 ? ownerOf(e) : 1 + Math.floor(u(7) * USERS),
    numberId,
    at,
    at + duration * 1000,
    duration,
    outcome,
    voicemail ? 1 : 0,
    voicemail ? (u(8) < 0.3 ? 'intro' : u(8) < 0.9 ? 'follow_up' : 'break_up') : null,
    scheduled,
    at,
  ];
}

/** The tables the load fills heavily: their secondary indexes are built after the rows are in. */
const BIG = ['contacts', 'numbers', 'contact_numbers', 'enrollments', 'attempts', 'dnc_entries'];

export interface LoadReport {
  rows: Record<string, number>;
  insertSeconds: number;
  indexSeconds: number;
}

/** Loads the world through the raw better-sqlite3 handle of a freshly migrated store. */
export function loadSqlite(db: BetterSqlite3.Database, w: World, log: (s: string) => void): LoadReport {
  db.pragma('foreign_keys = OFF');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  const placeholders = BIG.map(() => '?').join(', ');
  const indexes = db
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${placeholders})`,
    )
    .all(...BIG) as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`drop index ${i.name}`);

  const started = performance.now();
  const rows: Record<string, number> = {};
  for (const t of tables(w)) {
    const t0 = performance.now();
    const insert = db.prepare(
      `insert into ${t.name} (${t.columns.map(([c]) => c).join(', ')}) values (${t.columns.map(() => '?').join(', ')})`,
    );
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) insert.run(t.row(i));
    });
    for (let from = 0; from < t.count; from += 500_000) batch(from, Math.min(t.count, from + 500_000));
    rows[t.name] = t.count;
    log(
      `  ${t.name}: ${t.count.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const insertSeconds = (performance.now() - started) / 1000;
  const i0 = performance.now();
  for (const i of indexes) db.exec(i.sql);
  const indexSeconds = (performance.now() - i0) / 1000;
  log(`  ${indexes.length} indexes rebuilt in ${indexSeconds.toFixed(1)} s`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -2000');
  return { rows, insertSeconds, indexSeconds };
}

const PG_BATCH = 20_000;

/**
 * Loads the world over a dedicated connection: `unnest` of one array per column, one batch in
 * flight while the next is built, foreign-key triggers off for the session (replica role).
 */
export async function loadPostgres(c: pg.Client, w: World, log: (s: string) => void): Promise<LoadReport> {
  await c.query(`set session_replication_role = replica`);
  await c.query(`set synchronous_commit = off`);
  await c.query(`set maintenance_work_mem = '1GB'`);
  const indexes = (
    await c.query<{ name: string; def: string }>(
      `select i.relname as name, pg_get_indexdef(i.oid) as def
         from pg_index x
         join pg_class i on i.oid = x.indexrelid
         join pg_class t on t.oid = x.indrelid
        where t.relname = any($1)
          and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid)`,
      [BIG],
    )
  ).rows;
  for (const i of indexes) await c.query(`drop index ${i.name}`);

  const started = performance.now();
  const rows: Record<string, number> = {};
  for (const t of tables(w)) {
    const t0 = performance.now();
    const text = `insert into ${t.name} (${t.columns.map(([n]) => n).join(', ')}) select * from unnest(${t.columns
      .map(([, type], k) => `$${k + 1}::${type}[]`)
      .join(', ')})`;
    let pending: Promise<unknown> = Promise.resolve();
    await c.query('begin');
    for (let from = 0; from < t.count; from += PG_BATCH) {
      const to = Math.min(t.count, from + PG_BATCH);
      const columns: Value[][] = t.columns.map(() => new Array<Value>(to - from));
      for (let i = from; i < to; i++) {
        const row = t.row(i);
        for (let k = 0; k < row.length; k++) columns[k]![i - from] = row[k]!;
      }
      await pending;
      pending = c.query(text, columns);
      if ((from / PG_BATCH) % 50 === 49) {
        await pending;
        await c.query('commit');
        await c.query('begin');
      }
    }
    await pending;
    await c.query('commit');
    rows[t.name] = t.count;
    log(
      `  ${t.name}: ${t.count.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const insertSeconds = (performance.now() - started) / 1000;
  const i0 = performance.now();
  for (const i of indexes) await c.query(i.def);
  const indexSeconds = (performance.now() - i0) / 1000;
  log(`  ${indexes.length} indexes rebuilt in ${indexSeconds.toFixed(1)} s`);
  for (const t of tables(w)) {
    if (t.columns[0]![0] !== 'id') continue;
    await c.query(
      `select setval(pg_get_serial_sequence('${t.name}', 'id'), (select coalesce(max(id), 0) + 1 from ${t.name}), false)`,
    );
  }
  // What autovacuum would have done by the time a team has this much history.
  await c.query('vacuum analyze');
  await c.query(`set session_replication_role = origin`);
  return { rows, insertSeconds, indexSeconds };
}
