/**
 * The database going away under a bounded burst of requests, with `ringback serve` in its own
 * process (so a crash shows as its exit): a private PostgreSQL server of the test's own is
 * crashed (pg_ctl stop -m immediate), paused (SIGSTOP: a stalled database) and started again;
 * on the shared server every backend of the test's database is terminated (pg_terminate_backend);
 * on SQLite another process holds the write lock past the busy timeout. The server must not
 * crash, must answer 503 problem+json with Retry-After while the database is away (never 500,
 * never hang), say "not ready" on /readyz within a second, put inbound calls through unscreened,
 * recover by itself (LISTEN included) and keep every write it acknowledged.
 */
import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTelephony } from '../../src/app/telephony-settings.js';
import { openStore, type Store } from '../../src/store/db.js';
import { storeErrorKind } from '../../src/store/errors.js';
import { runCli } from '../support/cli.js';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.js';
import {
  createPostgresDatabase,
  createSqliteDatabase,
  openTestStore,
  type TestDatabase,
} from '../support/stores.js';
import { openSse } from './sse.js';
import { seedWorld, serveProcess, tokenFor } from './support.js';

const OUTCOMES = ['no_answer', 'busy', 'connected', 'voicemail_skipped'] as const;
const CLIENTS = 8;
const AUTH_TOKEN = 'outage-auth-token';
const INBOUND = '+12125550199';
/** Every request gets an answer within this, or it counts as hanging. */
const ANSWER_WITHIN_MS = 15_000;

/** Requests of one phase: how many were tried, created (201), refused (503) and anything else. */
interface Tally {
  tried: number;
  created: number;
  refused: number;
  other: string[];
}

const tally = (): Tally => ({ tried: 0, created: 0, refused: 0, other: [] });

interface Served {
  url: string;
  child: ChildProcess;
  output: () => string;
  token: string;
  contactIds: number[];
  /** Attempt ids the server answered 201 for. */
  acknowledged: Set<number>;
  exited: () => boolean;
}

async function serve(store: Store, env: Record<string, string>, telephony: boolean): Promise<Served> {
  const world = await seedWorld(store, 20);
  const token = await tokenFor(store, world.rep);
  if (telephony) {
    await setTelephony(store, world.rep.workspace_id, {
      accountSid: 'AC1',
      authToken: AUTH_TOKEN,
      callerId: '+12125550100',
      numbers: { [INBOUND]: 'rex@ex.test' },
      deadlineMs: 2000,
    });
  }
  await store.close();
  const { url, child, output } = await serveProcess({ LOG_LEVEL: 'info', ...env });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    url,
    child,
    output,
    token,
    contactIds: [...world.contacts.values()],
    acknowledged: new Set(),
    exited: () => exited,
  };
}

function stopServer(served: Served | undefined): Promise<void> {
  if (!served || served.exited()) return Promise.resolve();
  return new Promise((resolve) => {
    served.child.once('exit', () => resolve());
    served.child.kill('SIGKILL');
  });
}

/** Checks a 503: problem+json with a Retry-After; anything wrong with it is returned as a failure. */
function refusalFault(res: Response, body: string): string | undefined {
  if (!res.headers.get('content-type')?.startsWith('application/problem+json'))
    return `503 without problem+json: ${res.headers.get('content-type')}`;
  const retryAfter = Number(res.headers.get('retry-after'));
  if (!(retryAfter > 0)) return `503 without Retry-After: ${body}`;
  if ((JSON.parse(body) as { status?: number }).status !== 503) return `503 with a wrong problem: ${body}`;
  return undefined;
}

let keys = 0;

/** One outcome logged over HTTP; a 201's attempt id is remembered as acknowledged. */
async function logOne(served: Served, into: Tally, contactId: number): Promise<void> {
  const n = keys++;
  into.tried++;
  try {
    const res = await fetch(`${served.url}/api/v1/attempts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${served.token}`,
        'content-type': 'application/json',
        'idempotency-key': `outage-${process.pid}-${n}`,
      },
      body: JSON.stringify({ contactId, outcome: OUTCOMES[n % OUTCOMES.length] }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    const body = await res.text();
    if (res.status === 201) {
      into.created++;
      served.acknowledged.add((JSON.parse(body) as { attemptId: number }).attemptId);
    } else if (res.status === 503) {
      into.refused++;
      const fault = refusalFault(res, body);
      if (fault) into.other.push(fault);
    } else {
      into.other.push(`${res.status} ${body.slice(0, 200)}`);
    }
  } catch (error) {
    into.other.push(`no answer: ${String(error)}`);
  }
}

/** CLIENTS clients logging outcomes until `done()` or `max` requests, whichever comes first. */
async function burst(served: Served, into: Tally, done: () => boolean, max: number): Promise<void> {
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; !done() && into.tried < max; i++) {
        await logOne(served, into, served.contactIds[(client + i * CLIENTS) % served.contactIds.length]!);
      }
    }),
  );
}

/** A burst running while `during` happens, ending `afterMs` after it. */
async function burstAround(served: Served, into: Tally, during: () => Promise<void>, afterMs = 300) {
  let stop = false;
  const load = burst(served, into, () => stop, 2000);
  await sleep(200);
  await during();
  await sleep(afterMs);
  stop = true;
  await load;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readyz(served: Served): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  const res = await fetch(`${served.url}/readyz`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
  const body = await res.text();
  return { status: res.status, ms: performance.now() - started, body };
}

/** Waits (bounded) until /readyz says ready again: recovery without a restart. */
async function recovered(served: Served, withinMs = 30_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if ((await readyz(served)).status === 200) return Date.now() - started;
    await sleep(200);
  }
  throw new Error(`not ready ${withinMs} ms after the database came back`);
}

/** A new outcome is heard on an event stream: the LISTEN connection is back. */
async function eventsFlow(served: Served): Promise<void> {
  const deadline = Date.now() + 20_000;
  const sse = await openSse(served.url, { authorization: `Bearer ${served.token}` });
  try {
    for (;;) {
      const before = sse.events.length;
      await logOne(served, tally(), served.contactIds[0]!);
      await sleep(300);
      if (sse.events.slice(before).some((e) => e.type === 'attempt.logged')) return;
      if (Date.now() > deadline) throw new Error('no attempt.logged event reached the stream');
    }
  } finally {
    sse.close();
  }
}

function voiceWebhook(served: Served, callSid: string): Promise<Response> {
  const path = `/telephony/1/voice`;
  const params = { CallSid: callSid, From: '+12125550123', To: INBOUND };
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key as keyof typeof params], `${served.url}${path}`);
  return fetch(`${served.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': createHmac('sha1', AUTH_TOKEN).update(data, 'utf8').digest('base64'),
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
}

async function lostWrites(served: Served, config: { databaseUrl?: string; sqlitePath?: string }) {
  const store = openStore(config);
  try {
    const rows = await store.db.selectFrom('attempts').select('id').execute();
    const ids = new Set(rows.map((r) => Number(r.id)));
    return [...served.acknowledged].filter((id) => !ids.has(id));
  } finally {
    await store.close();
  }
}

const report = (area: string, phases: Record<string, Tally>) => {
  for (const [phase, t] of Object.entries(phases)) {
    console.info(
      `${area} / ${phase}: tried ${t.tried}, let through (201) ${t.created}, refused (503) ${t.refused}, other ${t.other.length}`,
    );
  }
};

describe('a private PostgreSQL server crashed, stalled and restarted under load', () => {
  let server: PrivatePostgres;
  let served: Served;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    const store = await openTestStore({
      name: 'postgres',
      env: {},
      config: { databaseUrl: server.url },
      drop: async () => {},
    });
    served = await serve(
      store,
      {
        DATABASE_URL: server.url,
        RINGBACK_DB: '',
        // Short enough for a test, long enough that a loaded machine does not trip them.
        RINGBACK_STATEMENT_TIMEOUT_MS: '4000',
        RINGBACK_CONNECT_TIMEOUT_MS: '2500',
      },
      true,
    );
  }, 120_000);
  afterAll(async () => {
    await stopServer(served);
    await server?.destroy();
  });

  it('survives the crash: 503 with Retry-After while away, ready again by itself, no acknowledged write lost', async () => {
    const before = tally();
    await burst(served, before, () => false, 200);
    expect(before.other).toEqual([]);
    expect(before.created).toBe(before.tried);
    // A call while the database answers: the server now knows the workspace's provider settings.
    expect((await voiceWebhook(served, 'CA-outage-0')).status).toBe(200);

    const crash = tally();
    await burstAround(served, crash, () => server.stop('immediate'));
    const away = tally();
    await burst(served, away, () => false, 100);
    const notReady = await readyz(served);
    const voice = await voiceWebhook(served, 'CA-outage-1');
    const voiceTwiml = await voice.text();
    const contacts = await fetch(`${served.url}/api/v1/contacts`, {
      headers: { authorization: `Bearer ${served.token}` },
    });

    await server.start();
    const recoveryMs = await recovered(served);
    const after = tally();
    await burst(served, after, () => false, 200);
    await eventsFlow(served);
    report('stop -m immediate', { before, crash, away, after });

    expect(served.exited()).toBe(false);
    expect(crash.other).toEqual([]);
    expect(crash.refused).toBeGreaterThan(0);
    expect(away.other).toEqual([]);
    expect(away.refused).toBe(away.tried);
    expect(notReady.status).toBe(503);
    expect(notReady.ms).toBeLessThan(1000);
    expect(contacts.status).toBe(503);
    expect(contacts.headers.get('retry-after')).toMatch(/^\d+$/);
    // Fail open: the call rings the rep's own phone unscreened, and the server log says so.
    expect(voice.status, voiceTwiml).toBe(200);
    expect(voiceTwiml).toContain('<Dial');
    expect(voiceTwiml).toContain(encodeURIComponent('Unscreened call.'));
    expect(served.output()).toContain('screening fell back: the store is unavailable');
    expect(recoveryMs).toBeLessThan(30_000);
    expect(after.other).toEqual([]);
    expect(after.created).toBe(after.tried);
    expect(await lostWrites(served, { databaseUrl: server.url })).toEqual([]);
  }, 300_000);

  it('answers 503 rather than hanging while the database is stalled, and /readyz within a second', async () => {
    const stalled = tally();
    let notReady: Awaited<ReturnType<typeof readyz>> | undefined;
    const started = performance.now();
    await burstAround(
      served,
      stalled,
      async () => {
        server.signal('SIGSTOP');
        // Requests under way wait out the deadlines (2.5 s to connect, 4 s + 5 s grace for a statement).
        await sleep(1500);
        notReady = await readyz(served);
      },
      300,
    );
    const took = performance.now() - started;
    const away = tally();
    await burst(served, away, () => false, 16);
    server.signal('SIGCONT');
    await recovered(served);
    const after = tally();
    await burst(served, after, () => false, 100);
    report('stalled (SIGSTOP)', { stalled, away, after });

    expect(served.exited()).toBe(false);
    expect(notReady?.status).toBe(503);
    expect(notReady!.ms).toBeLessThan(1000);
    expect(stalled.other).toEqual([]);
    expect(stalled.refused).toBeGreaterThan(0);
    expect(away.other).toEqual([]);
    expect(away.refused).toBe(away.tried);
    expect(took).toBeLessThan(ANSWER_WITHIN_MS);
    expect(after.other).toEqual([]);
    expect(after.created).toBe(after.tried);
    expect(await lostWrites(served, { databaseUrl: server.url })).toEqual([]);
  }, 300_000);
});

describe('every backend terminated (pg_terminate_backend) on the shared PostgreSQL under load', () => {
  let database: TestDatabase;
  let served: Served;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    served = await serve(await openTestStore(database), database.env, false);
  });
  afterAll(async () => {
    await stopServer(served);
    await database?.drop();
  });

  it('survives: in-flight requests fail cleanly with 503, the rest go through, LISTEN comes back, nothing acknowledged is lost', async () => {
    const admin = new pg.Client({ connectionString: database.config.databaseUrl });
    await admin.connect();
    const name = new URL(database.config.databaseUrl!).pathname.slice(1);
    const terminated = tally();
    let kills = 0;
    try {
      await burstAround(served, terminated, async () => {
        for (let round = 0; round < 10; round++) {
          const { rows } = await admin.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
            [name],
          );
          kills += rows.length;
          await sleep(100);
        }
      });
    } finally {
      await admin.end();
    }
    await recovered(served);
    const after = tally();
    await burst(served, after, () => false, 200);
    await eventsFlow(served);
    report('pg_terminate_backend', { terminated, after });

    expect(kills).toBeGreaterThan(0);
    expect(served.exited()).toBe(false);
    expect(terminated.other).toEqual([]);
    expect(terminated.created).toBeGreaterThan(0);
    expect(after.other).toEqual([]);
    expect(after.created).toBe(after.tried);
    expect(await lostWrites(served, database.config)).toEqual([]);
  }, 300_000);

  it('fails a transaction whose connection was terminated while checked out with an unavailable store error, without crashing', async () => {
    const store = await openTestStore(database);
    try {
      const failed = await store.db
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sqlPid(trx);
          const admin = new pg.Client({ connectionString: database.config.databaseUrl });
          await admin.connect();
          await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
          await admin.end();
          // The connection's 'error' arrives while the transaction still holds it.
          await sleep(300);
          await sqlPid(trx);
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(storeErrorKind(failed)).toBe('unavailable');
      // The pool replaced the lost connection.
      expect((await sqlPid(store.db)).rows).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite locked by another process past the busy timeout', () => {
  let database: TestDatabase;
  let served: Served;

  beforeAll(async () => {
    database = await createSqliteDatabase();
    served = await serve(
      await openTestStore(database),
      { ...database.env, RINGBACK_BUSY_TIMEOUT_MS: '300' },
      false,
    );
  });
  afterAll(async () => {
    await stopServer(served);
    await database?.drop();
  });

  it('answers 503 with Retry-After while the lock is held, not 500 or a hang, and writes again once it is free', async () => {
    const before = tally();
    await burst(served, before, () => false, 40);
    const holder = openStore(database.config);
    const locked = tally();
    try {
      holder.sqlite!.exec('begin immediate');
      await burst(served, locked, () => false, 16);
    } finally {
      holder.sqlite!.exec('rollback');
      await holder.close();
    }
    const after = tally();
    await burst(served, after, () => false, 40);
    report('SQLite locked', { before, locked, after });

    expect(served.exited()).toBe(false);
    expect(before.created).toBe(before.tried);
    expect(locked.other).toEqual([]);
    expect(locked.refused).toBe(locked.tried);
    expect(after.other).toEqual([]);
    expect(after.created).toBe(after.tried);
    expect(await lostWrites(served, database.config)).toEqual([]);
  }, 300_000);
});

function sqlPid(db: Store['db']) {
  return sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
}

describe('the CLI without its database', () => {
  it('says the database is not answering, without a stack trace, and exits 1', async () => {
    // A port nobody listens on: connections are refused.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const result = await runCli(['queue'], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      RINGBACK_DB: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ringback: the database is not answering \(.*ECONNREFUSED.*\); try again shortly\n$/,
    );
  });
});
