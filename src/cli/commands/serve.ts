/**
 * `ringback serve` — run the HTTP server (REST API, its reference page, the web app's
 * placeholder) until SIGINT or SIGTERM, then finish the requests in flight and close the
 * store. On PostgreSQL, events cross server processes by LISTEN/NOTIFY. On an empty database it prints a one-time link to create the first admin.
 */
import { isIP } from 'node:net';
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { openEventBus } from '../../app/events.js';
import { recoverStoppedImports } from '../../app/import/import-contacts.js';
import { buildApp, type TrustProxy } from '../../server/build-app.js';
import { newSetupToken, setupLink } from '../../server/setup.js';
import { startCheckpointer } from '../../store/checkpointer.js';
import { configFromEnv, migrateToLatest, openStore, type Store } from '../../store/db.js';
import { countUsers } from '../../store/session-repo.js';
import { clockNow, UsageError } from '../context.js';

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
  const address = await app.listen({ port: options.port, host: options.host });
  const url = address.replace('[::1]', 'localhost');
  // SQLite: WAL checkpoints on a thread of their own, so they never pause the requests.
  const checkpointer = startCheckpointer(store, {
    onError: (message) => app.log.warn({ error: message }, 'WAL checkpoint failed; retrying'),
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

/** RINGBACK_REMINDER_EVERY_MS: how often to look for reminders (tests shorten it). */
function reminderEvery(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 10 || ms > 3_600_000) {
    throw new UsageError(`RINGBACK_REMINDER_EVERY_MS=${value}: milliseconds between 10 and 3600000`);
  }
  return ms;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server: REST API under /api/v1, its reference at /api/docs')
    .option('--port <n>', 'port to listen on (env PORT)', process.env.PORT ?? '8080')
    .option('--host <host>', 'address to listen on (env HOST)', process.env.HOST ?? '127.0.0.1')
    .option(
      '--public-url <url>',
      'the URL users reach the server at, behind a proxy (env RINGBACK_PUBLIC_URL)',
    )
    .option(
      '--trust-proxy [hops|addresses]',
      'trust X-Forwarded-* from this many reverse proxies (bare: 1) or from these proxy addresses, comma-separated (env RINGBACK_TRUST_PROXY)',
    )
    .action(async (flags: { port: string; host: string; publicUrl?: string; trustProxy?: string | true }) => {
      const trustProxy = flags.trustProxy ?? (process.env.RINGBACK_TRUST_PROXY || undefined);
      const server = await startServer({
        port: parsePort(flags.port),
        host: flags.host,
        publicUrl: flags.publicUrl ?? (process.env.RINGBACK_PUBLIC_URL || undefined),
        logLevel: process.env.LOG_LEVEL ?? 'info',
        trustProxy: trustProxy === undefined ? undefined : parseTrustProxy(trustProxy),
        reminderEveryMs: reminderEvery(process.env.RINGBACK_REMINDER_EVERY_MS),
      });
      await new Promise<void>((resolve, reject) => {
        const stop = (signal: NodeJS.Signals) => {
          server.app.log.info({ signal }, 'shutting down: finishing requests in flight');
          server.close().then(resolve, reject);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
