/**
 * `npm run bench -- webhooks`: outgoing webhooks on SQLite and PostgreSQL (BENCH_WEBHOOKS_STORES=
 * sqlite or postgres for one).
 *
 * 1. Logging an outcome (logAttempt, in process) with two endpoints subscribed to
 *    `attempt.logged` against the same with none, in the same run: rounds of each, interleaved
 *    (none, two, none, two, …), each round on contacts not called before; the ratio of the
 *    median per-log times. Target: within 10 %.
 * 2. The delivery worker's throughput to a local receiver (a process of its own that answers
 *    200 at once): events written first, then the time until every delivery is settled, for
 *    four endpoints and for one (one endpoint's events go one after another, in order). The
 *    in-run baseline is the same receiver posted to directly, with as many requests in flight
 *    and no database. Each is measured after an unrecorded warm-up run. Target: ≥ 1,000
 *    deliveries/s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { importContacts } from '../src/app/import/import-contacts.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { startWebhookWorker } from '../src/app/webhook-delivery.js';
import { emitWebhookEvent } from '../src/app/webhook-events.js';
import { addWebhook } from '../src/app/webhooks.js';
import { migrateToLatest, openStore, type Store } from '../src/store/db.js';
import type { User } from '../src/store/schema.js';
import { inWriteTransaction } from '../src/store/write-transaction.js';
import { TMP, writeResult } from './support.js';

const LOGS_PER_ROUND = Number(process.env.BENCH_WEBHOOKS_LOGS ?? 200);
const ROUNDS = Number(process.env.BENCH_WEBHOOKS_ROUNDS ?? 12);
const DELIVERIES = Number(process.env.BENCH_WEBHOOKS_DELIVERIES ?? 20_000);
const STORES = (process.env.BENCH_WEBHOOKS_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const PG_ADMIN = process.env.RINGBACK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_NAME = 'ringback_bench_webhooks';
const TARGETS = { logWithTwoEndpointsVsNone: 1.1, deliveriesPerSecond: 1000 };
/** Monday 23 Nov 2026, 10:00 in New York. */
const MONDAY_10 = Date.UTC(2026, 10, 23, 15, 0);

const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function freshStore(name: string): Promise<Store> {
  if (name === 'sqlite') {
    mkdirSync(TMP, { recursive: true });
    const path = `${TMP}/webhooks.db`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    const store = openStore({ sqlitePath: path });
    await migrateToLatest(store);
    return store;
  }
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${PG_NAME} with (force)`);
  await admin.query(`create database ${PG_NAME}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${PG_NAME}`;
  const store = openStore({ databaseUrl: url.toString() });
  await migrateToLatest(store);
  return store;
}

/** A workspace, a rep, and `contacts` contacts in one campaign, never called. */
async function seed(store: Store, contacts: number): Promise<{ rep: User; contactIds: number[] }> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Bench', created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rep = await store.db
    .insertInto('users')
    .values({ workspace_id: ws.id, email: 'rex@bench.test', name: 'Rex', role: 'rep', created_at: 0 })
    .returningAll()
    .executeTakeFirstOrThrow();
  const rows = ['First Name,Last Name,Company,Phone,Time Zone'];
  for (let i = 0; i < contacts; i++) {
    rows.push(`Person,${i},Acme ${i % 97},+1212${String(2000000 + i).padStart(7, '0')},America/New_York`);
  }
  mkdirSync(TMP, { recursive: true });
  const file = `${TMP}/webhooks-contacts.csv`;
  writeFileSync(file, `${rows.join('\n')}\n`);
  await importContacts(store, { file, campaign: 'Bench', ownerEmail: rep.email, now: 0 });
  const ids = await store.db.selectFrom('contacts').select('id').orderBy('id').execute();
  return { rep, contactIds: ids.map((r) => r.id) };
}

/** A receiver that answers 200 at once, in its own process. */
async function startReceiver(): Promise<{ port: number; child: ChildProcess }> {
  const script = `
    const http = require('node:http');
    const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200); res.end('ok'); }); });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => process.stdout.write('listening ' + server.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { port, child };
}

async function logRounds(store: Store, rep: User, contactIds: number[]) {
  const workspace = { workspaceId: rep.workspace_id, userId: null };
  const perLog: Record<'none' | 'two', number[]> = { none: [], two: [] };
  let next = 0;
  let at = MONDAY_10;
  for (let round = 0; round < ROUNDS; round++) {
    const kind = round % 2 === 0 ? 'none' : 'two';
    await store.db.deleteFrom('webhook_endpoints').execute();
    if (kind === 'two') {
      for (const path of ['/a', '/b']) {
        await addWebhook(
          store,
          workspace,
          { url: `https://hooks.example.com${path}`, events: ['attempt.logged'] },
          at,
        );
      }
    }
    const times: number[] = [];
    for (let i = 0; i < LOGS_PER_ROUND; i++) {
      at += 1000;
      const contactId = contactIds[next++]!;
      const started = performance.now();
      await logAttempt(store, { user: rep, contactId, outcome: 'voicemail_left', at });
      times.push(performance.now() - started);
    }
    // The first round of each kind warms the caches up; only the rest count.
    if (round >= 2) perLog[kind].push(median(times));
    log(`  round ${round + 1} (${kind} subscribed): median ${median(times).toFixed(3)} ms per log`);
  }
  const none = median(perLog.none);
  const two = median(perLog.two);
  return { medianMsNone: none, medianMsTwoEndpoints: two, ratio: two / none };
}

/** Writes `events` events, each for every endpoint, then times the worker until all are settled. */
async function deliveryRun(
  store: Store,
  workspaceId: number,
  port: number,
  endpoints: number,
  events: number,
) {
  await store.db.deleteFrom('webhook_endpoints').execute();
  await store.db.deleteFrom('webhook_events').execute();
  for (let e = 0; e < endpoints; e++) {
    await addWebhook(
      store,
      { workspaceId, userId: null },
      { url: `http://127.0.0.1:${port}/e${e}`, events: ['contact.updated'], allowPrivate: true },
      MONDAY_10,
    );
  }
  for (let from = 0; from < events; from += 500) {
    await inWriteTransaction(store, async (db) => {
      for (let i = from; i < Math.min(events, from + 500); i++) {
        await emitWebhookEvent(db, workspaceId, 'contact.updated', { contactId: i, n: i }, MONDAY_10);
      }
    });
  }
  const total = endpoints * events;
  const started = performance.now();
  const worker = startWebhookWorker(store, { pollMs: 10 });
  for (;;) {
    const row = await store.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'delivered')
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= total) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  return { endpoints, deliveries: total, seconds, perSecond: total / seconds };
}

/** The receiver alone: as many keep-alive POSTs in flight as the worker has endpoints, no database. */
async function receiverAlone(port: number, inFlight: number, requests: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const body = Buffer.from(
    JSON.stringify({ type: 'contact.updated', timestamp: new Date().toISOString(), data: {} }),
  );
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/baseline',
          method: 'POST',
          agent,
          headers: { 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (sent < requests) {
        sent++;
        await post();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { inFlight, requests, seconds, perSecond: requests / seconds };
}

export async function run(): Promise<void> {
  const results: Record<string, unknown> = {};
  const receiver = await startReceiver();
  try {
    for (const name of STORES) {
      log(`webhooks on ${name}`);
      const store = await freshStore(name);
      try {
        const { rep, contactIds } = await seed(store, LOGS_PER_ROUND * ROUNDS);
        log(' logging an outcome, two endpoints subscribed vs none:');
        const logging = await logRounds(store, rep, contactIds);
        log(`  ratio ${logging.ratio.toFixed(3)}`);
        // Unrecorded: the first deliveries of a process run before the JIT has compiled its paths.
        await deliveryRun(store, rep.workspace_id, receiver.port, 2, 1000);
        const four = await deliveryRun(store, rep.workspace_id, receiver.port, 4, DELIVERIES / 4);
        log(`  deliveries, 4 endpoints: ${four.perSecond.toFixed(0)}/s`);
        const one = await deliveryRun(store, rep.workspace_id, receiver.port, 1, DELIVERIES / 4);
        log(`  deliveries, 1 endpoint: ${one.perSecond.toFixed(0)}/s`);
        results[name] = { logging, deliveries: { fourEndpoints: four, oneEndpoint: one } };
      } finally {
        await store.close();
      }
    }
    await receiverAlone(receiver.port, 4, 2000);
    const baseline4 = await receiverAlone(receiver.port, 4, DELIVERIES);
    const baseline1 = await receiverAlone(receiver.port, 1, DELIVERIES / 4);
    log(
      `receiver alone: ${baseline4.perSecond.toFixed(0)}/s with 4 in flight, ${baseline1.perSecond.toFixed(0)}/s with 1`,
    );
    results.receiverAlone = { fourInFlight: baseline4, oneInFlight: baseline1 };
  } finally {
    receiver.child.kill();
  }
  const path = writeResult('webhooks', {
    targets: TARGETS,
    settings: { logsPerRound: LOGS_PER_ROUND, rounds: ROUNDS, deliveries: DELIVERIES },
    ...results,
  });
  log(`wrote ${path}`);
}
