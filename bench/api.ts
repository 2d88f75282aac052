/**
 * `npm run bench -- api`: autocannon over loopback against one server per database (SQLite and
 * PostgreSQL in the same run), each with 2,000 imported contacts in one campaign and a rep's
 * API token:
 *
 * - the baseline: `GET /api/v1/me`, a trivial route behind the same token check;
 * - `GET /api/v1/queue?limit=1`: the next call (no lease), as served: a repeated look is
 *   answered from the queue cache (src/server/queue-cache.ts) until a write drops it;
 * - the same with `at=` the current time, which skips the cache: the next call planned afresh
 *   by buildQueue every time;
 * - `POST /api/v1/attempts`: logging an outcome, a different contact each request, each with
 *   its own Idempotency-Key;
 * - `GET /healthz` for reference (no authentication at all).
 *
 * Target: next-call at least 40 % of the baseline's throughput. Results in bench/results/api.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { importContacts } from '../src/app/import/import-contacts.js';
import { mulberry32 } from '../src/core/random.js';
import { sha256 } from '../src/server/auth.js';
import { buildApp } from '../src/server/build-app.js';
import { migrateToLatest, openStore, type Store, type StoreConfig } from '../src/store/db.js';
import { insertApiToken } from '../src/store/session-repo.js';
import { TMP, writeResult } from './support.js';

const CONTACTS = 2_000;
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS ?? 10);
const PG_ADMIN = process.env.RINGBACK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_NAME = 'ringback_bench_api';
// Monday 23 Nov 2026, 10:00 in New York: inside everyone's calling hours.
const NOW = Date.UTC(2026, 10, 23, 15, 0);
const TARGET_RATIO = 0.4;

const log = (s: string) => process.stderr.write(`${s}\n`);

/** A deterministic list of New York contacts with valid, distinct numbers. */
function contactsCsv(): string {
  const random = mulberry32(42);
  const first = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
  const last = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];
  const rows = ['First Name,Last Name,Company,Phone,Time Zone'];
  for (let i = 0; i < CONTACTS; i++) {
    const f = first[Math.floor(random() * first.length)]!;
    const l = last[Math.floor(random() * last.length)]!;
    rows.push(`${f},${l} ${i},Company ${i % 97},212-555-${String(i).padStart(4, '0')},America/New_York`);
  }
  return `${rows.join('\n')}\n`;
}

async function freshPostgres(): Promise<StoreConfig> {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${PG_NAME} with (force)`);
    await admin.query(`create database ${PG_NAME}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN);
  url.pathname = `/${PG_NAME}`;
  return { databaseUrl: url.toString(), poolSize: 10 };
}

async function seed(store: Store, dir: string): Promise<string> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Bench', created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rep = await store.db
    .insertInto('users')
    .values({ workspace_id: ws.id, email: 'rep@bench.test', name: 'Rep', role: 'rep', created_at: 0 })
    .returningAll()
    .executeTakeFirstOrThrow();
  const file = `${dir}/contacts.csv`;
  writeFileSync(file, contactsCsv());
  await importContacts(store, { file, campaign: 'Bench', ownerEmail: rep.email, now: 0 });
  const token = 'rbt_bench_token_for_the_api_benchmark_only';
  await insertApiToken(store.db, {
    user_id: rep.id,
    name: 'bench',
    token_hash: sha256(token),
    created_at: 0,
  });
  return token;
}

interface Measured {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

async function hammer(options: autocannon.Options): Promise<Measured> {
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

async function benchDatabase(name: 'sqlite' | 'postgres') {
  const dir = `${TMP}/api-${name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = name === 'sqlite' ? { sqlitePath: `${dir}/ringback.db` } : await freshPostgres();
  const store = openStore(config);
  await migrateToLatest(store);
  log(`api ${name}: seeding ${CONTACTS} contacts`);
  const token = await seed(store, dir);
  const contactIds = (await store.db.selectFrom('contacts').select('id').orderBy('id').execute()).map(
    (r) => r.id,
  );
  const app = await buildApp({ store, now: () => NOW });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const auth = { authorization: `Bearer ${token}` };
  try {
    // The order alternates baseline and subject so drift in a noisy machine hits both.
    log(`api ${name}: GET /api/v1/me (baseline)`);
    const baseline = await hammer({ url: `${url}/api/v1/me`, headers: auth });
    log(`api ${name}: GET /api/v1/queue?limit=1 (next call)`);
    const nextCall = await hammer({ url: `${url}/api/v1/queue?limit=1`, headers: auth });
    log(`api ${name}: GET /api/v1/queue?limit=1&at=… (next call, planned afresh)`);
    const at = encodeURIComponent(new Date(NOW).toISOString());
    const nextCallUncached = await hammer({ url: `${url}/api/v1/queue?limit=1&at=${at}`, headers: auth });
    log(`api ${name}: GET /api/v1/me (baseline, again)`);
    const baselineAgain = await hammer({ url: `${url}/api/v1/me`, headers: auth });
    let n = 0;
    log(`api ${name}: POST /api/v1/attempts`);
    const attempts = await hammer({
      url: `${url}/api/v1/attempts`,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            n++;
            return {
              ...req,
              headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `bench-${n}` },
              body: JSON.stringify({ contactId: contactIds[n % contactIds.length], outcome: 'no_answer' }),
            };
          },
        },
      ],
    });
    log(`api ${name}: GET /healthz (no authentication)`);
    const health = await hammer({ url: `${url}/healthz` });
    const trivial = Math.round((baseline.requestsPerSecond + baselineAgain.requestsPerSecond) / 2);
    const ratio = Math.round((nextCall.requestsPerSecond / trivial) * 1000) / 1000;
    log(
      `api ${name}: next call ${nextCall.requestsPerSecond}/s vs trivial ${trivial}/s = ${ratio} ` +
        `(target ≥ ${TARGET_RATIO}); planned afresh ${nextCallUncached.requestsPerSecond}/s; log attempt ${attempts.requestsPerSecond}/s; healthz ${health.requestsPerSecond}/s`,
    );
    return {
      trivialRoute: { baseline, baselineAgain, requestsPerSecond: trivial },
      nextCall,
      nextCallUncached,
      logAttempt: attempts,
      healthz: health,
      nextCallVsTrivial: ratio,
      nextCallUncachedVsTrivial: Math.round((nextCallUncached.requestsPerSecond / trivial) * 1000) / 1000,
      logAttemptVsTrivial: Math.round((attempts.requestsPerSecond / trivial) * 1000) / 1000,
      meetsTarget: ratio >= TARGET_RATIO,
    };
  } finally {
    await app.close();
    await store.close();
  }
}

export async function run(): Promise<void> {
  const sqlite = await benchDatabase('sqlite');
  const postgres = await benchDatabase('postgres');
  const path = writeResult('api', {
    contacts: CONTACTS,
    seconds: SECONDS,
    connections: CONNECTIONS,
    target: { nextCallVsTrivial: TARGET_RATIO },
    sqlite,
    postgres,
  });
  log(`wrote ${path}`);
}
