/**
 * `ringback serve` — run the HTTP server (REST API, its reference page, the web app) until
 * SIGINT or SIGTERM, then finish the requests in flight and close the store. On PostgreSQL,
 * events cross server processes by LISTEN/NOTIFY. On an empty database it prints a one-time
 * link to create the first admin.
 *
 * `ringback start` (what `npm start` runs) is the first run: on a database without users it
 * writes the demo first, then serves and says where to open the app and whom to sign in as.
 */
import { createServer, isIP } from 'node:net';
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { createDemo } from '../../app/demo.js';
import { isAppError } from '../../app/errors.js';
import { openEventBus } from '../../app/events.js';
import { recoverStoppedImports } from '../../app/import/import-contacts.js';
import { startWebhookWorker, type WebhookWorkerOptions } from '../../app/webhook-delivery.js';
import { DEFAULT_RETRY_SCHEDULE } from '../../core/webhooks/retry.js';
import { buildApp, type TrustProxy } from '../../server/build-app.js';
import { newSetupToken, setupLink } from '../../server/setup.js';
import { startCheckpointer } from '../../store/checkpointer.js';
import { configFromEnv, migrateToLatest, openStore, type Store } from '../../store/db.js';
import { countUsers } from '../../store/session-repo.js';
import { CommandError, clockNow, UsageError } from '../context.js';

export interface ServeOptions {
  port: number;
  host: string;
  publicUrl?: string | undefined;
  logLevel?: string;
  /** Trust X-Forwarded-For/-Proto from this many proxy hops or these proxy addresses. */
  trustProxy?: TrustProxy | undefined;
  /** Where the setup link is written (stdout by default). */
  print?: (line: string) => void;
  /** How often to look for appointment reminders to send; default 15 s. */
  reminderEveryMs?: number;
  /**
   * When `port` is taken, listen on the next free one and say so (the default port was not
   * asked for by name); otherwise a taken port is an error that says what to do.
   */
  nextFreePort?: boolean;
  /** The outgoing-webhook delivery worker's settings (timeouts, retry schedule). */
  webhooks?: WebhookWorkerOptions;
}

/** How many ports after a taken default one are tried. */
const PORT_TRIES = 20;

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function firstFreePort(from: number, host: string): Promise<number> {
  for (let port = from; port < Math.min(from + PORT_TRIES, 65536); port++) {
    if (await portIsFree(port, host)) return port;
  }
  throw new CommandError(
    `ports ${from} to ${from + PORT_TRIES - 1} on ${host} are all in use; choose one with --port`,
  );
}

/** Reminders are at most this late; their lead is minutes, so 15 s is plenty. */
const REMINDER_EVERY_MS = 15_000;

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Stops accepting connections, waits for requests in flight, closes the store. */
  close(): Promise<void>;
}

/** Opens the store from the environment, migrates it and listens. */
export async function startServer(
  options: ServeOptions,
  store: Store = openStore(configFromEnv()),
): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  let port = options.port;
  if (options.nextFreePort && port !== 0) {
    port = await firstFreePort(port, options.host);
    if (port !== options.port) print(`Port ${options.port} is in use; listening on ${port} instead.`);
  }
  await migrateToLatest(store);
  // Imports a killed process left 'running' end as failed, and their uploads go.
  await recoverStoppedImports(store, clockNow());
  const setupToken = (await countUsers(store.db)) === 0 ? newSetupToken() : null;
  const events = await openEventBus(store, (error) =>
    app.log.warn({ err: error }, 'event bus: listening connection lost; reconnecting'),
  );
  const app = await buildApp({
    store,
    events,
    publicUrl: options.publicUrl,
    setupToken,
    trustProxy: options.trustProxy,
    logger: { level: options.logLevel ?? 'info' },
    reminderEveryMs: options.reminderEveryMs ?? REMINDER_EVERY_MS,
  });
  let address: string;
  try {
    address = await app.listen({ port, host: options.host });
  } catch (e) {
    await app.close();
    await events.close();
    await store.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CommandError(
        `port ${port} on ${options.host} is in use (another ringback serve?); choose another with --port`,
      );
    }
    throw e;
  }
  const url = address.replace('[::1]', 'localhost');
  // SQLite: WAL checkpoints on a thread of their own, so they never pause the requests.
  const checkpointer = startCheckpointer(store, {
    onError: (message) => app.log.warn({ error: message }, 'WAL checkpoint failed; retrying'),
  });
  const webhooks = startWebhookWorker(store, {
    ...options.webhooks,
    onError: (error) => app.log.warn({ err: error }, 'webhook deliveries: pass failed; retrying'),
  });
  app.log.info({ url, store: store.location }, 'ringback is listening');
  if (setupToken !== null) {
    // Printed, not logged: the link is for the person starting the server, not for log storage.
    print(
      `No users yet. Create the first admin (this link works once): ${setupLink(options.publicUrl ?? url, setupToken)}`,
    );
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    store,
    url,
    close: () => {
      closing ??= (async () => {
        try {
          await webhooks.stop();
          await app.close();
        } finally {
          await events.close();
          await checkpointer?.stop();
          await store.close();
        }
      })();
      return closing;
    },
  };
}

/**
 * `--trust-proxy`: a number of proxy hops in front of the server (bare: 1), or a comma-separated
 * list of proxy addresses (CIDR ranges allowed). Only those hops' X-Forwarded-For entries are
 * believed, so a client's own header cannot choose the address its sign-ins count against.
 */
export function parseTrustProxy(value: string | true): TrustProxy {
  if (value === true) return 1;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) throw new UsageError(`--trust-proxy ${value}: a number of hops from 1 to 10`);
    return hops;
  }
  const addresses = text.split(',').map((a) => a.trim());
  for (const address of addresses) {
    const [ip, bits, extra] = address.split('/');
    const version = isIP(ip ?? '');
    const maxBits = version === 6 ? 128 : 32;
    if (
      !version ||
      extra !== undefined ||
      (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))
    ) {
      throw new UsageError(
        `--trust-proxy ${value}: "${address}" is neither a number of hops nor a proxy address (10.0.0.1 or 10.0.0.0/8)`,
      );
    }
  }
  return addresses;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${value}: not a port`);
  return port;
}

/**
 * The webhook worker's settings from the environment: RINGBACK_WEBHOOK_TIMEOUT_MS (per request),
 * RINGBACK_WEBHOOK_POLL_MS, and the retry schedule RINGBACK_WEBHOOK_RETRY_FIRST_MS (first wait,
 * doubled each time), RINGBACK_WEBHOOK_RETRY_MAX_MS (longest wait) and
 * RINGBACK_WEBHOOK_RETRY_FOR_MS (how long to retry before disabling the endpoint).
 */
export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookWorkerOptions {
  const ms = (name: string, min: number, max: number): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${name}=${value}: milliseconds between ${min} and ${max}`);
    }
    return n;
  };
  const day = 24 * 3_600_000;
  const firstDelayMs = ms('RINGBACK_WEBHOOK_RETRY_FIRST_MS', 1, day);
  const maxDelayMs = ms('RINGBACK_WEBHOOK_RETRY_MAX_MS', 1, 7 * day);
  const retryForMs = ms('RINGBACK_WEBHOOK_RETRY_FOR_MS', 1, 30 * day);
  const timeoutMs = ms('RINGBACK_WEBHOOK_TIMEOUT_MS', 100, 120_000);
  const pollMs = ms('RINGBACK_WEBHOOK_POLL_MS', 10, 60_000);
  const { firstDelayMs: f, maxDelayMs: m, retryForMs: r } = DEFAULT_RETRY_SCHEDULE;
  return {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(pollMs !== undefined ? { pollMs } : {}),
    schedule: { firstDelayMs: firstDelayMs ?? f, maxDelayMs: maxDelayMs ?? m, retryForMs: retryForMs ?? r },
  };
}

/** RINGBACK_REMINDER_EVERY_MS: how often to look for reminders (tests shorten it). */
function reminderEvery(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 10 || ms > 3_600_000) {
    throw new UsageError(`RINGBACK_REMINDER_EVERY_MS=${value}: milliseconds between 10 and 3600000`);
  }
  return ms;
}

interface ServeFlags {
  port?: string;
  host: string;
  publicUrl?: string;
  trustProxy?: string | true;
}

function serveOptions(flags: ServeFlags): ServeOptions {
  // A port named by --port or PORT is the one wanted; only the built-in default moves aside.
  const named = flags.port ?? process.env.PORT;
  return {
    port: parsePort(named ?? String(DEFAULT_PORT)),
    nextFreePort: named === undefined,
    host: flags.host,
    publicUrl: flags.publicUrl ?? (process.env.RINGBACK_PUBLIC_URL || undefined),
    logLevel: process.env.LOG_LEVEL ?? 'info',
    trustProxy: trustProxyOf(flags.trustProxy ?? (process.env.RINGBACK_TRUST_PROXY || undefined)),
    reminderEveryMs: reminderEvery(process.env.RINGBACK_REMINDER_EVERY_MS),
    webhooks: webhookSettings(),
  };
}

function trustProxyOf(value: string | true | undefined): TrustProxy | undefined {
  return value === undefined ? undefined : parseTrustProxy(value);
}

const DEFAULT_PORT = 8080;

function serverOptions(command: Command): Command {
  return command
    .option('--port <n>', `port to listen on (env PORT; default ${DEFAULT_PORT}, or the next free one)`)
    .option('--host <host>', 'address to listen on (env HOST)', process.env.HOST ?? '127.0.0.1')
    .option(
      '--public-url <url>',
      'the URL users reach the server at, behind a proxy (env RINGBACK_PUBLIC_URL)',
    )
    .option(
      '--trust-proxy [hops|addresses]',
      'trust X-Forwarded-* from this many reverse proxies (bare: 1) or from these proxy addresses, comma-separated (env RINGBACK_TRUST_PROXY)',
    );
}

/** Serves until SIGINT or SIGTERM. */
function untilStopped(server: RunningServer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      server.app.log.info({ signal }, 'shutting down: finishing requests in flight');
      server.close().then(resolve, reject);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerServe(program: Command): void {
  serverOptions(
    program
      .command('serve')
      .description(
        'run the HTTP server: the web app, the REST API under /api/v1, its reference at /api/docs',
      ),
  ).action(async (flags: ServeFlags) => {
    await untilStopped(await startServer(serveOptions(flags)));
  });

  serverOptions(
    program
      .command('start')
      .description('the first run (npm start): fill a database without users with the demo, then serve'),
  ).action(async (flags: ServeFlags) => {
    const say = (line: string) => process.stdout.write(`${line}\n`);
    const store = openStore(configFromEnv());
    let signIn: string | null = null;
    try {
      await migrateToLatest(store);
      if ((await countUsers(store.db)) === 0) {
        const started = performance.now();
        try {
          const demo = await createDemo(store, { now: clockNow() });
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          say(
            `Filled the empty database (${demo.database}) with the demo in ${seconds} s: ` +
              `${demo.contacts.toLocaleString('en-US')} contacts, ${demo.campaigns.length} campaigns, six weeks of calls.`,
          );
          const [rep, ...others] = [...demo.users].sort((a, b) => roleOrder(a.role) - roleOrder(b.role));
          if (rep) {
            signIn =
              `Sign in as ${rep.email} (${rep.name}, ${rep.role}) with the password ${rep.password}; ` +
              `the other demo users (${others.map((u) => `${u.email}, ${u.role}`).join('; ')}) share it.`;
          }
        } catch (e) {
          // Contacts but no users: not ours to fill; serving prints the link to create an admin.
          if (!isAppError(e, 'demo_refused')) throw e;
        }
      }
    } catch (e) {
      await store.close();
      throw e;
    }
    const server = await startServer(
      { ...serveOptions(flags), logLevel: process.env.LOG_LEVEL ?? 'warn' },
      store,
    );
    say(`Ringback is running: open ${server.url} in your browser.`);
    if (signIn) say(signIn);
    say('Stop it with Ctrl+C. The command line is npx ringback (npx ringback --help lists its commands).');
    await untilStopped(server);
  });
}

const roleOrder = (role: string) => ['rep', 'manager', 'admin'].indexOf(role);
