/**
 * `npm run bench -- queue`: the call queue and outcome logging on a large generated world
 * (1,000,000 contacts, 10,000,000 attempts, 200 users; BENCH_QUEUE_CONTACTS to scale), on SQLite
 * and PostgreSQL in the same run, through the product's own `buildQueue` and `logAttempt`.
 * The baseline is a primary-key lookup on the same tables through the same store.
 *
 * The generated databases are cached (bench/tmp, and the PostgreSQL database
 * ringback_bench_queue) under a data-version marker. Logging changes them, so the run puts back
 * what it changed afterwards and marks the cache dirty meanwhile: an interrupted run regenerates.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { logAttempt } from '../src/app/log-attempt.js';
import { buildQueue } from '../src/app/queue.js';
import { mulberry32 } from '../src/core/random.js';
import { migrateToLatest, openStore, type Store } from '../src/store/db.js';
import type { Enrollment, User } from '../src/store/schema.js';
import {
  ATTEMPTS_PER_CONTACT,
  loadPostgres,
  loadSqlite,
  NOW,
  planWorld,
  QUEUE_DATA_VERSION,
} from './queue-data.js';
import { TMP, writeResult } from './support.js';

const CONTACTS = Number(process.env.BENCH_QUEUE_CONTACTS ?? 1_000_000);
const PG_ADMIN = process.env.RINGBACK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// One database per size, as the SQLite files are: a small run while iterating must not drop the
// full-size world someone else is measuring.
const PG_NAME = CONTACTS === 1_000_000 ? 'ringback_bench_queue' : `ringback_bench_queue_${CONTACTS}`;
const MARKER = `queue ${QUEUE_DATA_VERSION} ${CONTACTS}`;

const PK_LOOKUPS = 2_000;
const QUEUE_WARMUPS = 20;
const QUEUE_SAMPLES = 200;
const LOG_SECONDS = Number(process.env.BENCH_QUEUE_LOG_SECONDS ?? 10);
const LOG_POOL = 100_000;
const TARGETS = { sqliteNext50P95Ms: 20, postgresNext50P95Ms: 40, sqliteOutcomesPerSecond: 2_000 };

const log = (s: string) => process.stderr.write(`${s}\n`);

/** Seeded draws for choosing ids and users. */
const rng = mulberry32;

interface Latency {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  opsPerSecond: number;
}

function latency(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const total = s.reduce((a, b) => a + b, 0);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    samples: s.length,
    p50Ms: r(at(0.5)),
    p95Ms: r(at(0.95)),
    p99Ms: r(at(0.99)),
    meanMs: r(total / s.length),
    opsPerSecond: Math.round((1000 * s.length) / total),
  };
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// The cached worlds.

interface Prepared {
  store: Store;
  generation: { cached: boolean; seconds: number; insertSeconds?: number; indexSeconds?: number };
  sizeMb: number;
}

async function markerOf(store: Store): Promise<{ version: string; clean: number } | undefined> {
  try {
    const { rows } = await sql<{
      version: string;
      clean: number;
    }>`select version, clean from bench_marker`.execute(store.db);
    return rows[0];
  } catch {
    return undefined;
  }
}

async function setClean(store: Store, clean: boolean): Promise<void> {
  await sql`update bench_marker set clean = ${clean ? 1 : 0}`.execute(store.db);
}

async function writeMarker(store: Store): Promise<void> {
  await sql`create table bench_marker (version text not null, clean integer not null)`.execute(store.db);
  await sql`insert into bench_marker (version, clean) values (${MARKER}, 1)`.execute(store.db);
}

let world: ReturnType<typeof planWorld> | undefined;
function plannedWorld() {
  if (!world) {
    const t0 = performance.now();
    world = planWorld(CONTACTS);
    log(
      `  planned ${world.attempts.toLocaleString('en-US')} attempts in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  return world;
}

async function prepareSqlite(): Promise<Prepared> {
  mkdirSync(TMP, { recursive: true });
  const path = `${TMP}/queue-${QUEUE_DATA_VERSION}-${CONTACTS}.db`;
  if (existsSync(path)) {
    const store = openStore({ sqlitePath: path });
    const marker = await markerOf(store);
    if (marker?.version === MARKER && marker.clean === 1) {
      // The data is cached, the schema is not: later migrations (indexes) apply as they would in production.
      await migrateToLatest(store);
      return {
        store,
        generation: { cached: true, seconds: 0 },
        sizeMb: Math.round(statSync(path).size / 2 ** 20),
      };
    }
    log(`${path} is ${marker ? 'dirty (an interrupted run)' : 'incomplete'}: generating again`);
    await store.close();
  }
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  log(`generating ${path}…`);
  const t0 = performance.now();
  const store = openStore({ sqlitePath: path });
  await migrateToLatest(store);
  const report = loadSqlite(store.sqlite!, plannedWorld(), log);
  await writeMarker(store);
  store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
  const seconds = (performance.now() - t0) / 1000;
  log(`  SQLite generated in ${seconds.toFixed(1)} s`);
  return {
    store,
    generation: {
      cached: false,
      seconds,
      insertSeconds: report.insertSeconds,
      indexSeconds: report.indexSeconds,
    },
    sizeMb: Math.round(statSync(path).size / 2 ** 20),
  };
}

function pgUrl(): string {
  const url = new URL(PG_ADMIN);
  url.pathname = `/${PG_NAME}`;
  return url.toString();
}

async function preparePostgres(): Promise<Prepared> {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [PG_NAME])).rowCount;
    if (exists) {
      // A plain client, ended before any drop: a pooled one would see its connection killed.
      const c = new pg.Client({ connectionString: pgUrl() });
      await c.connect();
      const marker = await c
        .query<{ version: string; clean: number }>('select version, clean from bench_marker')
        .then((r) => r.rows[0])
        .catch(() => undefined)
        .finally(() => c.end());
      if (marker?.version === MARKER && marker.clean === 1) {
        const store = openStore({ databaseUrl: pgUrl() });
        if ((await migrateToLatest(store)).length > 0) await sql`analyze`.execute(store.db);
        return { store, generation: { cached: true, seconds: 0 }, sizeMb: await pgSizeMb(admin) };
      }
      log(
        `${PG_NAME} is ${marker ? `${marker.version}, clean=${marker.clean}` : 'incomplete'}: generating again`,
      );
    }
    log(`generating ${PG_NAME}…`);
    const t0 = performance.now();
    await admin.query(`drop database if exists ${PG_NAME} with (force)`);
    await admin.query(`create database ${PG_NAME}`);
    const store = openStore({ databaseUrl: pgUrl() });
    await migrateToLatest(store);
    const loader = new pg.Client({ connectionString: pgUrl() });
    await loader.connect();
    let report: Awaited<ReturnType<typeof loadPostgres>>;
    try {
      report = await loadPostgres(loader, plannedWorld(), log);
    } finally {
      await loader.end();
    }
    await writeMarker(store);
    const seconds = (performance.now() - t0) / 1000;
    log(`  PostgreSQL generated in ${seconds.toFixed(1)} s`);
    return {
      store,
      generation: {
        cached: false,
        seconds,
        insertSeconds: report.insertSeconds,
        indexSeconds: report.indexSeconds,
      },
      sizeMb: await pgSizeMb(admin),
    };
  } finally {
    await admin.end();
  }
}

async function pgSizeMb(admin: pg.Client): Promise<number> {
  const r = await admin.query<{ b: string }>('select pg_database_size($1) as b', [PG_NAME]);
  return Math.round(Number(r.rows[0]!.b) / 2 ** 20);
}

/**
 * Both databases measured warm, as a server that has been running is: the SQLite file read once
 * into the OS cache, PostgreSQL's tables and indexes likewise (pg_prewarm's read mode; shared
 * buffers stay as configured).
 */
async function warm(store: Store): Promise<void> {
  const t0 = performance.now();
  if (store.sqlite) {
    const handle = await open(store.sqlite.name, 'r');
    const buffer = Buffer.allocUnsafe(1 << 22);
    try {
      while ((await handle.read(buffer, 0, buffer.length)).bytesRead > 0) {}
    } finally {
      await handle.close();
    }
  } else {
    await sql`create extension if not exists pg_prewarm`.execute(store.db);
    await sql`select pg_prewarm(c.oid::regclass, 'read') from pg_class c
               join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and c.relkind in ('r', 'i')`.execute(store.db);
  }
  log(`  warmed the caches in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------------------------------------
// Measurements.

async function baseline(store: Store, seed: number) {
  const next = rng(seed);
  const id = () => 1 + Math.floor(next() * CONTACTS);
  const enrollment = () =>
    store.db.selectFrom('enrollments').selectAll().where('id', '=', id()).executeTakeFirst();
  const contact = () => store.db.selectFrom('contacts').selectAll().where('id', '=', id()).executeTakeFirst();
  for (let i = 0; i < 200; i++) await enrollment();
  const enrollments: number[] = [];
  for (let i = 0; i < PK_LOOKUPS; i++) enrollments.push(await timed(enrollment));
  for (let i = 0; i < 200; i++) await contact();
  const contacts: number[] = [];
  for (let i = 0; i < PK_LOOKUPS; i++) contacts.push(await timed(contact));
  return { enrollmentPk: latency(enrollments), contactPk: latency(contacts) };
}

async function next50(store: Store, users: User[], seed: number, lease: boolean) {
  const next = rng(seed);
  const ms: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < QUEUE_WARMUPS + QUEUE_SAMPLES; i++) {
    const user = users[Math.floor(next() * users.length)]!;
    // A distinct expiry per sample, so the leases this sample takes can be put back exactly.
    const leaseUntil = lease ? NOW + 2 * 3_600_000 + i : null;
    let items = 0;
    const t = await timed(async () => {
      items = (await buildQueue(store, { user, campaignId: null, now: NOW, limit: 50, leaseUntil })).length;
    });
    if (leaseUntil !== null) {
      await store.db
        .updateTable('enrollments')
        .set({ lease_user_id: null, lease_expires_at: null })
        .where('lease_user_id', '=', user.id)
        .where('lease_expires_at', '=', leaseUntil)
        .execute();
    }
    if (i >= QUEUE_WARMUPS) {
      ms.push(t);
      counts.push(items);
    }
  }
  return {
    ...latency(ms),
    meanItems: counts.reduce((a, b) => a + b, 0) / counts.length,
    minItems: Math.min(...counts),
  };
}

const LOG_OUTCOMES = [
  ['no_answer', 0.45],
  ['voicemail_left', 0.75],
  ['busy', 0.85],
  ['voicemail_skipped', 0.95],
  ['connected', 1],
] as const;

interface LogRun {
  loggers: number;
  outcomes: number;
  seconds: number;
  outcomesPerSecond: number;
  meanMsPerOutcome: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * Logs outcomes for due retries, each its own durable transaction, `loggers` at a time, for
 * LOG_SECONDS. Takes enrollments from `pool` (shared, so no two loggers log the same contact).
 */
async function logging(
  store: Store,
  usersById: Map<number, User>,
  pool: Enrollment[],
  used: Enrollment[],
  loggers: number,
  seed: number,
  clock: { at: number },
): Promise<LogRun> {
  const next = rng(seed);
  const ms: number[] = [];
  const deadline = performance.now() + LOG_SECONDS * 1000;
  const t0 = performance.now();
  const worker = async () => {
    while (performance.now() < deadline && pool.length > 0) {
      const e = pool.pop()!;
      used.push(e);
      const u = next();
      const outcome = LOG_OUTCOMES.find(([, p]) => u < p)![0];
      clock.at += 100;
      const at = clock.at;
      ms.push(
        await timed(() =>
          logAttempt(store, {
            user: usersById.get(e.owner_id!) ?? null,
            contactId: e.contact_id,
            outcome,
            at,
          }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: loggers }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const l = latency(ms);
  return {
    loggers,
    outcomes: ms.length,
    seconds: Math.round(seconds * 100) / 100,
    outcomesPerSecond: Math.round(ms.length / seconds),
    meanMsPerOutcome: Math.round(((seconds * 1000) / ms.length) * 1000) / 1000,
    p50Ms: l.p50Ms,
    p95Ms: l.p95Ms,
  };
}

async function measure(store: Store) {
  await warm(store);
  const users = await store.db.selectFrom('users').selectAll().orderBy('id').execute();
  const usersById = new Map(users.map((u) => [u.id, u]));
  log(`  baseline: primary-key lookups…`);
  const base = await baseline(store, 1);
  log(`  next 50 (look only)…`);
  const look = await next50(store, users, 2, false);
  log(`  next 50 (leased)…`);
  const leased = await next50(store, users, 3, true);

  // Logging changes the world: remember what it touches and put it back afterwards.
  const due = await store.db
    .selectFrom('enrollments')
    .selectAll()
    .where('state', '=', 'active')
    .where('due_kind', '=', 'retry')
    .where('next_due_at', '<=', NOW)
    .where('lease_user_id', 'is', null)
    .execute();
  const shuffle = rng(4);
  for (let i = due.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [due[i], due[j]] = [due[j]!, due[i]!];
  }
  const pool = due.slice(0, LOG_POOL);
  const used: Enrollment[] = [];
  const maxId = async (t: 'attempts' | 'callback_entries' | 'appointments') =>
    Number(
      (
        await store.db
          .selectFrom(t)
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow()
      ).m ?? 0,
    );
  const before = {
    attempts: await maxId('attempts'),
    callback_entries: await maxId('callback_entries'),
    appointments: await maxId('appointments'),
  };
  await setClean(store, false);
  const clock = { at: NOW };
  let runs: LogRun[];
  let syncFull: LogRun | undefined;
  try {
    log(`  logging outcomes, 1 logger…`);
    const one = await logging(store, usersById, pool, used, 1, 5, clock);
    log(`  logging outcomes, 4 loggers…`);
    const four = await logging(store, usersById, pool, used, 4, 6, clock);
    runs = [one, four];
    if (store.sqlite) {
      // What RINGBACK_SQLITE_SYNC=full costs: an fsync per commit.
      log(`  logging outcomes, 1 logger, synchronous = FULL…`);
      store.sqlite.pragma('synchronous = FULL');
      syncFull = await logging(store, usersById, pool, used, 1, 7, clock);
      store.sqlite.pragma('synchronous = NORMAL');
    }
  } finally {
    log(`  putting back what logging changed…`);
    await restore(store, used, before);
  }
  return { baseline: base, next50: look, next50Leased: leased, logging: runs, syncFull, duePool: due.length };
}

async function restore(
  store: Store,
  snapshot: Enrollment[],
  before: Record<'attempts' | 'callback_entries' | 'appointments', number>,
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    for (const t of ['callback_entries', 'appointments', 'attempts'] as const) {
      await trx.deleteFrom(t).where('id', '>', before[t]).execute();
    }
    for (const e of snapshot) {
      const { id, ...rest } = e;
      await trx.updateTable('enrollments').set(rest).where('id', '=', id).execute();
    }
  });
  if (store.dialect === 'postgres') {
    for (const t of ['callback_entries', 'appointments', 'attempts'] as const) {
      await sql`select setval(pg_get_serial_sequence(${t}, 'id'), ${before[t] + 1}, false)`.execute(store.db);
    }
  }
  await setClean(store, true);
}

// ---------------------------------------------------------------------------------------------

type Measured = Awaited<ReturnType<typeof measure>>;

function versus(m: Measured) {
  const pk = m.baseline.enrollmentPk;
  const ratio = (x: number, y: number) => Math.round((x / y) * 10) / 10;
  return {
    next50P50: ratio(m.next50.p50Ms, pk.p50Ms),
    next50P95: ratio(m.next50.p95Ms, pk.p95Ms),
    next50LeasedP50: ratio(m.next50Leased.p50Ms, pk.p50Ms),
    next50LeasedP95: ratio(m.next50Leased.p95Ms, pk.p95Ms),
    /** Milliseconds per logged outcome over the lookup's mean: "one outcome costs N lookups". */
    logOneLogger: ratio(m.logging[0]!.meanMsPerOutcome, pk.meanMs),
    logFourLoggers: ratio(m.logging[1]!.meanMsPerOutcome, pk.meanMs),
  };
}

function summary(name: string, p: Prepared, m: Measured, next50Target: number): string {
  const v = versus(m);
  const pk = m.baseline.enrollmentPk;
  const lines = [
    `${name} (${p.sizeMb} MB${p.generation.cached ? ', cached' : `, generated in ${p.generation.seconds.toFixed(0)} s`})`,
    `  pk lookup (enrollments)  p50 ${pk.p50Ms} ms  p95 ${pk.p95Ms} ms  ${pk.opsPerSecond}/s` +
      `   (contacts p50 ${m.baseline.contactPk.p50Ms} ms)`,
    `  next 50, look            p50 ${m.next50.p50Ms} ms  p95 ${m.next50.p95Ms} ms  p99 ${m.next50.p99Ms} ms` +
      `  = ${v.next50P50}× / ${v.next50P95}× pk   target p95 < ${next50Target} ms: ${m.next50.p95Ms < next50Target ? 'met' : 'MISSED'}`,
    `  next 50, leased          p50 ${m.next50Leased.p50Ms} ms  p95 ${m.next50Leased.p95Ms} ms  p99 ${m.next50Leased.p99Ms} ms` +
      `  = ${v.next50LeasedP50}× / ${v.next50LeasedP95}× pk`,
  ];
  for (const r of m.logging) {
    lines.push(
      `  log outcome, ${r.loggers} logger${r.loggers > 1 ? 's' : ' '}    ${r.outcomesPerSecond}/s  ` +
        `(${r.meanMsPerOutcome} ms each = ${ratio(r.meanMsPerOutcome, pk.meanMs)}× pk; p95 ${r.p95Ms} ms)`,
    );
  }
  if (m.syncFull) lines.push(`  log outcome, synchronous=FULL  ${m.syncFull.outcomesPerSecond}/s`);
  return lines.join('\n');
}

const ratio = (x: number, y: number) => Math.round((x / y) * 10) / 10;

export async function run(): Promise<void> {
  log(`queue benchmark: ${CONTACTS.toLocaleString('en-US')} contacts, data ${QUEUE_DATA_VERSION}`);
  const sqlite = await prepareSqlite();
  log('measuring on SQLite…');
  let onSqlite: Measured;
  try {
    onSqlite = await measure(sqlite.store);
  } finally {
    await sqlite.store.close();
  }
  log(summary('SQLite', sqlite, onSqlite, TARGETS.sqliteNext50P95Ms));
  const postgres = await preparePostgres();
  log('measuring on PostgreSQL…');
  let onPg: Measured;
  try {
    onPg = await measure(postgres.store);
  } finally {
    await postgres.store.close();
  }

  const result = {
    contacts: CONTACTS,
    attempts: CONTACTS * ATTEMPTS_PER_CONTACT,
    users: 200,
    dataVersion: QUEUE_DATA_VERSION,
    now: new Date(NOW).toISOString(),
    generation: {
      sqlite: { ...sqlite.generation, sizeMb: sqlite.sizeMb },
      postgres: { ...postgres.generation, sizeMb: postgres.sizeMb },
    },
    sqlite: { ...onSqlite, timesBaseline: versus(onSqlite) },
    postgres: { ...onPg, timesBaseline: versus(onPg) },
    targets: TARGETS,
    met: {
      sqliteNext50P95: onSqlite.next50.p95Ms < TARGETS.sqliteNext50P95Ms,
      postgresNext50P95: onPg.next50.p95Ms < TARGETS.postgresNext50P95Ms,
      sqliteOutcomesPerSecond: onSqlite.logging[0]!.outcomesPerSecond >= TARGETS.sqliteOutcomesPerSecond,
    },
  };
  const path = writeResult(`queue-${CONTACTS}`, result);
  process.stdout.write(
    `${summary('SQLite', sqlite, onSqlite, TARGETS.sqliteNext50P95Ms)}\n` +
      `  target ≥ ${TARGETS.sqliteOutcomesPerSecond} outcomes/s (1 logger): ${result.met.sqliteOutcomesPerSecond ? 'met' : 'MISSED'}\n` +
      `${summary('PostgreSQL', postgres, onPg, TARGETS.postgresNext50P95Ms)}\n` +
      `written to ${path}\n`,
  );
}
