/**
 * `npm run bench -- screen`: inbound screening on a world of 1,000,000 contacts and 2,000,000
 * numbers (BENCH_SCREEN_CONTACTS to scale), on SQLite and on PostgreSQL (BENCH_SCREEN_STORES=
 * sqlite or postgres for one):
 *
 * 1. the in-process decision (core/screening's screenCall, candidates loaded beforehand), with
 *    caller-ID normalization alone as its baseline;
 * 2. the whole use case in process (screenInbound: reads, decision, stored decision), with a
 *    primary-key lookup through the same store as its baseline;
 * 3. the signed inbound voice webhook of a real `ringback serve` under autocannon on loopback,
 *    next to a trivial route of the same server (/healthz) in the same run: throughput flat out,
 *    and latency at a fixed 1,000 requests/s;
 * 4. the floor under the ratio of 3 (SQLite): what the webhook cannot avoid per call, measured
 *    in process, against what the trivial route costs per request.
 *
 * Callers are a fixed mix: 10 % on the callback list, 60 % known contacts, 20 % unknown
 * numbers, 10 % withheld. The generated databases are cached under a version marker: the SQLite
 * file in bench/tmp, the PostgreSQL database as ringback_bench_screen (_N for other sizes) on
 * RINGBACK_TEST_PG's server. Each run adds its decisions to them, as a running server would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { screenInbound } from '../src/app/screen.js';
import { mulberry32 } from '../src/core/random.js';
import { readCallerId } from '../src/core/screening/caller-id.js';
import { type ScreenInput, screenCall } from '../src/core/screening/screen.js';
import { latestBlockOf } from '../src/store/block-repo.js';
import { migrateToLatest, openStore, type Store } from '../src/store/db.js';
import { insertDecisionsSqlite, screeningCandidates } from '../src/store/screening-repo.js';
import {
  AUTH_TOKEN,
  CALLBACKS,
  directOf,
  INBOUND,
  loadScreenWorld,
  loadScreenWorldPostgres,
  NOW,
  numberOf,
  REX,
  rexContact,
  SCREEN_DATA_VERSION,
  secondOf,
} from './screen-data.js';
import { CLI, TMP, writeResult } from './support.js';

const CONTACTS = Number(process.env.BENCH_SCREEN_CONTACTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SCREEN_SECONDS ?? 10);
const SAMPLES = 10_000;
/** Enough signed requests for every run at the throughput seen so far. */
const PRESIGNED = Number(process.env.BENCH_SCREEN_PRESIGNED ?? 150_000);
const TARGETS = { webhookVsTrivialThroughput: 0.5, webhookP99MsAt1000: 10, decisionP99Us: 100 };
/** The `ringback` the webhook is measured on: this build, or another one's (to compare builds on one machine). */
const SERVE = process.env.BENCH_SCREEN_SERVE ?? CLI;
const STORES = (process.env.BENCH_SCREEN_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const PG_ADMIN = process.env.RINGBACK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_NAME = CONTACTS === 1_000_000 ? 'ringback_bench_screen' : `ringback_bench_screen_${CONTACTS}`;

type StoreName = 'sqlite' | 'postgres';
/** Where a store is: what openStore takes, and the environment a `ringback serve` child gets. */
interface Place {
  name: StoreName;
  config: { sqlitePath?: string; databaseUrl?: string };
  env: Record<string, string>;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

function percentiles(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { samples: s.length, p50: r(at(0.5)), p99: r(at(0.99)), max: r(s[s.length - 1]!) };
}

/** The fixed mix of callers, drawn from a seeded generator. */
function callers(n: number): string[] {
  const rng = mulberry32(20261125);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    if (kind === 0) out.push(directOf(rexContact(Math.floor(rng() * CALLBACKS))));
    else if (kind <= 6) {
      const c = 1 + Math.floor(rng() * CONTACTS);
      out.push(rng() < 0.5 ? directOf(c) : secondOf(c));
    } else if (kind <= 8) out.push(numberOf(2 * CONTACTS + 1 + Math.floor(rng() * 50_000)));
    else out.push('Anonymous');
  }
  return out;
}

async function prepareSqlite(): Promise<Place> {
  mkdirSync(TMP, { recursive: true });
  const path = `${TMP}/screen-${CONTACTS}.db`;
  const marker = `${path}.ok`;
  const want = `screen ${SCREEN_DATA_VERSION} ${CONTACTS}`;
  const place: Place = {
    name: 'sqlite',
    config: { sqlitePath: path },
    env: { RINGBACK_DB: path, DATABASE_URL: '' },
  };
  if (existsSync(path) && existsSync(marker) && readFileSync(marker, 'utf8') === want) return place;
  log(`generating ${path} …`);
  for (const f of [path, `${path}-wal`, `${path}-shm`, marker]) rmSync(f, { force: true });
  const store = openStore({ sqlitePath: path });
  await migrateToLatest(store);
  loadScreenWorld(store.sqlite!, CONTACTS, log);
  await store.close();
  writeFileSync(marker, want);
  return place;
}

async function preparePostgres(): Promise<Place> {
  const url = new URL(PG_ADMIN);
  url.pathname = `/${PG_NAME}`;
  const place: Place = {
    name: 'postgres',
    config: { databaseUrl: url.toString() },
    env: { DATABASE_URL: url.toString(), RINGBACK_DB: '' },
  };
  const want = `screen ${SCREEN_DATA_VERSION} ${CONTACTS}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [PG_NAME]);
    if (exists.rowCount) {
      const c = new pg.Client({ connectionString: place.config.databaseUrl });
      await c.connect();
      const marker = await c
        .query<{ version: string }>('select version from bench_marker')
        .then((r) => r.rows[0]?.version)
        .catch(() => undefined)
        .finally(() => c.end());
      if (marker === want) return place;
      log(`${PG_NAME} is ${marker ?? 'incomplete'}: generating again`);
    }
    log(`generating ${PG_NAME} …`);
    await admin.query(`drop database if exists ${PG_NAME} with (force)`);
    await admin.query(`create database ${PG_NAME}`);
  } finally {
    await admin.end();
  }
  const store = openStore(place.config);
  await migrateToLatest(store);
  await store.close();
  const loader = new pg.Client({ connectionString: place.config.databaseUrl });
  await loader.connect();
  try {
    await loadScreenWorldPostgres(loader, CONTACTS, log);
    await loader.query('create table bench_marker (version text not null)');
    await loader.query('insert into bench_marker values ($1)', [want]);
  } finally {
    await loader.end();
  }
  return place;
}

async function inProcess(store: Store) {
  const rex = await store.db.selectFrom('users').selectAll().where('id', '=', REX).executeTakeFirstOrThrow();
  const block = await latestBlockOf(store.db, REX);
  const sample = callers(SAMPLES);
  const inputs: ScreenInput[] = [];
  for (const callerId of sample) {
    const caller = readCallerId(callerId, 'US');
    const candidates = await screeningCandidates(
      store.db,
      1,
      REX,
      caller.kind === 'number' ? caller.e164 : null,
      NOW,
    );
    inputs.push({
      callerId,
      defaultCountry: 'US',
      zone: 'America/New_York',
      userId: REX,
      block: block
        ? {
            id: block.id,
            startedAt: block.started_at,
            plannedEndAt: block.planned_end_at,
            endedAt: block.ended_at,
          }
        : null,
      ...candidates,
      at: NOW,
    });
  }
  const actions = { ring: 0, voicemail: 0 };
  for (const input of inputs) actions[screenCall(input).action]++;
  // Warm-up, then five timed passes; each call timed alone (microseconds).
  for (const input of inputs) screenCall(input);
  const decision: number[] = [];
  const normalize: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    for (const input of inputs) {
      const t0 = process.hrtime.bigint();
      screenCall(input);
      decision.push(Number(process.hrtime.bigint() - t0) / 1000);
      const t1 = process.hrtime.bigint();
      readCallerId(input.callerId, 'US');
      normalize.push(Number(process.hrtime.bigint() - t1) / 1000);
    }
  }
  // The whole use case: 2,000 calls read, decided and stored; a primary-key read as baseline.
  const useCase: number[] = [];
  const pk: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    await screenInbound(store, { user: rex, callerId: sample[i]!, at: NOW });
    useCase.push(performance.now() - t0);
    const t1 = performance.now();
    await store.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', 1 + ((i * 7919) % CONTACTS))
      .executeTakeFirst();
    pk.push(performance.now() - t1);
  }
  return {
    actions,
    decisionUs: percentiles(decision),
    normalizeUs: percentiles(normalize),
    screenInboundMs: percentiles(useCase),
    primaryKeyMs: percentiles(pk),
  };
}

/** Mean of `n` timed runs of `work`, in microseconds. */
async function meanUs(n: number, work: (i: number) => unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await work(i);
  return Math.round(((performance.now() - t0) * 1000 * 100) / n) / 100;
}

/**
 * The webhook's irreducible work per call, in process (means, µs): the signature's HMAC
 * (twilio's own function, URL and sorted form), one candidate read for the callers' mix, one
 * decision stored — alone in its commit (1,000 calls/s arrive one by one) and in groups of
 * GROUP (flat out, the group commit shares each commit among the calls waiting). SQLite only;
 * the PostgreSQL floor is the PostgreSQL helper's.
 */
const GROUP = 10;
async function floorParts(store: Store) {
  const url = 'http://127.0.0.1:8080/telephony/1/voice';
  const sample = callers(SAMPLES);
  const params = (i: number) => ({
    AccountSid: 'ACbench',
    CallSid: `CAfloor${process.pid}x${i}`,
    From: sample[i % SAMPLES]!,
    To: INBOUND,
  });
  const hmacUs = await meanUs(SAMPLES, (i) => getExpectedTwilioSignature(AUTH_TOKEN, url, params(i)));
  const e164s = sample.map((c) => {
    const caller = readCallerId(c, 'US');
    return caller.kind === 'number' ? caller.e164 : null;
  });
  const candidateReadUs = await meanUs(SAMPLES, (i) => screeningCandidates(store.db, 1, REX, e164s[i]!, NOW));
  const decision = (i: number) => ({
    workspace_id: 1,
    user_id: REX,
    block_id: null,
    caller_raw: sample[i % SAMPLES]!,
    caller_e164: e164s[i % SAMPLES]!,
    contact_id: null,
    action: 'voicemail' as const,
    reason: 'unknown',
    callback_entry_id: null,
    attempt_id: null,
    decided_at: NOW,
    call_sid: `CAfloor${process.pid}x${i}`,
    fail_open: 0,
  });
  const n = 2000;
  const aloneUs = await meanUs(n, (i) => insertDecisionsSqlite(store, 25, () => [decision(i)]));
  const groupedUs =
    (await meanUs(n / GROUP, (g) =>
      insertDecisionsSqlite(store, 25, () =>
        Array.from({ length: GROUP }, (_, j) => decision(n + g * GROUP + j)),
      ),
    )) / GROUP;
  return { hmacUs, candidateReadUs, decisionStoredAloneUs: aloneUs, decisionStoredInGroupsUs: groupedUs };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServe(place: Place): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [SERVE, 'serve', '--port', String(port), '--host', '127.0.0.1', '--public-url', base],
    {
      env: { ...process.env, ...place.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('ringback serve did not start');
}

function sign(url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', AUTH_TOKEN).update(data, 'utf8').digest('base64');
}

interface Cannon {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

async function cannon(options: autocannon.Options): Promise<Cannon> {
  const r = await autocannon({ connections: 10, duration: SECONDS, ...options });
  return {
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

async function overHttp(place: Place) {
  const { child, base } = await startServe(place);
  try {
    const sample = callers(SAMPLES);
    const url = `${base}/telephony/1/voice`;
    // Signed bodies are made before the clock starts, so the client's HMACs do not slow the
    // webhook's side of the comparison; each call id is used once (a replay would be refused).
    const signRequest = (i: number) => {
      const params = {
        AccountSid: 'ACbench',
        CallSid: `CAbench${process.pid}x${i}`,
        From: sample[i % SAMPLES]!,
        To: INBOUND,
      };
      return { signature: sign(url, params), body: new URLSearchParams(params).toString() };
    };
    const ready = Array.from({ length: PRESIGNED }, (_, i) => signRequest(i));
    let n = 0;
    const webhook = (rate?: number): autocannon.Options => ({
      url,
      ...(rate ? { overallRate: rate } : {}),
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const i = n++;
            const r = ready[i] ?? signRequest(i);
            return {
              ...req,
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                'x-twilio-signature': r.signature,
              },
              body: r.body,
            };
          },
        },
      ],
    });
    // Warm both routes (JIT, page cache), then measure each flat out and at 1,000 requests/s.
    await autocannon({ url: `${base}/healthz`, connections: 10, duration: 2 });
    await autocannon({ ...webhook(), duration: 2 });
    const trivial = await cannon({ url: `${base}/healthz` });
    const signed = await cannon(webhook());
    const trivialAt1000 = await cannon({ url: `${base}/healthz`, overallRate: 1000 });
    const signedAt1000 = await cannon(webhook(1000));
    return { trivial, webhook: signed, trivialAt1000, webhookAt1000: signedAt1000 };
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('close', r));
  }
}

async function benchStore(place: Place) {
  const store = openStore(place.config);
  let local: Awaited<ReturnType<typeof inProcess>>;
  let parts: Awaited<ReturnType<typeof floorParts>> | null = null;
  try {
    log(`${place.name}: in-process decisions …`);
    local = await inProcess(store);
    if (place.name === 'sqlite') parts = await floorParts(store);
  } finally {
    await store.close();
  }
  log(`${place.name}: signed webhook vs /healthz under autocannon …`);
  const http = await overHttp(place);
  const ratio = http.webhook.requestsPerSecond / http.trivial.requestsPerSecond;
  // One server thread: a route's cost per request is about 1 / its throughput flat out.
  const trivialRequestUs = Math.round((1e6 / http.trivial.requestsPerSecond) * 10) / 10;
  const webhookRequestUs = Math.round((1e6 / http.webhook.requestsPerSecond) * 10) / 10;
  const floor = parts && {
    ...parts,
    trivialRequestUs,
    webhookRequestUs,
    /** If the webhook did only the trivial route's work plus its irreducible parts (decisions in groups). */
    webhookCeilingVsTrivial:
      Math.round(
        (trivialRequestUs /
          (trivialRequestUs + parts.hmacUs + parts.candidateReadUs + parts.decisionStoredInGroupsUs)) *
          1000,
      ) / 1000,
  };
  return {
    inProcess: local,
    http,
    floor,
    versus: {
      webhookVsTrivialThroughput: Math.round(ratio * 1000) / 1000,
      decisionVsNormalizeP99: Math.round((local.decisionUs.p99 / local.normalizeUs.p99) * 100) / 100,
      screenInboundVsPrimaryKeyP99:
        Math.round((local.screenInboundMs.p99 / local.primaryKeyMs.p99) * 100) / 100,
    },
    met: {
      webhookVsTrivialThroughput: ratio >= TARGETS.webhookVsTrivialThroughput,
      webhookP99MsAt1000: http.webhookAt1000.p99Ms < TARGETS.webhookP99MsAt1000,
      decisionP99Us: local.decisionUs.p99 < TARGETS.decisionP99Us,
    },
  };
}

function summary(name: StoreName, r: Awaited<ReturnType<typeof benchStore>>): string {
  const { inProcess: local, http } = r;
  return [
    `  ${name === 'sqlite' ? 'SQLite' : 'PostgreSQL'}:`,
    `    decision in process: p50 ${local.decisionUs.p50} µs, p99 ${local.decisionUs.p99} µs (target < ${TARGETS.decisionP99Us}); caller-ID normalization alone p99 ${local.normalizeUs.p99} µs`,
    `    screenInbound (read, decide, store): p50 ${local.screenInboundMs.p50} ms, p99 ${local.screenInboundMs.p99} ms; primary-key read p99 ${local.primaryKeyMs.p99} ms`,
    `    /healthz: ${http.trivial.requestsPerSecond} req/s; signed webhook: ${http.webhook.requestsPerSecond} req/s = ${(r.versus.webhookVsTrivialThroughput * 100).toFixed(0)} % (target ≥ 50 %)`,
    `    at 1,000 req/s: webhook p99 ${http.webhookAt1000.p99Ms} ms at ${http.webhookAt1000.requestsPerSecond} req/s (target < 10), /healthz p99 ${http.trivialAt1000.p99Ms} ms`,
    `    non-2xx: webhook ${http.webhook.non2xx + http.webhookAt1000.non2xx}, /healthz ${http.trivial.non2xx + http.trivialAt1000.non2xx}`,
    ...(r.floor
      ? [
          `    floor per call: HMAC ${r.floor.hmacUs} µs + candidate read ${r.floor.candidateReadUs} µs + decision stored ${r.floor.decisionStoredInGroupsUs} µs in groups of ${GROUP} (${r.floor.decisionStoredAloneUs} µs alone)`,
          `      vs /healthz ${r.floor.trivialRequestUs} µs and the webhook ${r.floor.webhookRequestUs} µs per request: ceiling ${(r.floor.webhookCeilingVsTrivial * 100).toFixed(0)} % of /healthz if it did nothing else`,
        ]
      : []),
  ].join('\n');
}

export async function run(): Promise<void> {
  const results: Partial<Record<StoreName, Awaited<ReturnType<typeof benchStore>>>> = {};
  for (const name of STORES) {
    if (name !== 'sqlite' && name !== 'postgres')
      throw new Error(`BENCH_SCREEN_STORES: unknown store "${name}"`);
    const place = name === 'sqlite' ? await prepareSqlite() : await preparePostgres();
    results[name] = await benchStore(place);
  }
  const file = writeResult(`screen-${CONTACTS}`, {
    contacts: CONTACTS,
    numbers: 2 * CONTACTS,
    seconds: SECONDS,
    serve: SERVE,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    targets: TARGETS,
    ...results,
  });
  process.stdout.write(
    [
      `screen (${CONTACTS.toLocaleString('en-US')} contacts, ${(2 * CONTACTS).toLocaleString('en-US')} numbers; load average ${loadavg()[0]!.toFixed(2)})`,
      ...(Object.entries(results) as [StoreName, Awaited<ReturnType<typeof benchStore>>][]).map(([n, r]) =>
        summary(n, r),
      ),
      `  written to ${file}`,
      '',
    ].join('\n'),
  );
}
