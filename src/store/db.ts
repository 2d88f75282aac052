/**
 * Opens the store: the embedded SQLite file by default, PostgreSQL when a URL is given.
 * Both speak the same Kysely schema; the rest of the code never asks which one it has.
 */
import { pipeline } from 'node:stream/promises';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { lockUser } from './block-repo.js';
import type { DialectName } from './dialect.js';

export { DATABASE_NAMES } from './dialect.js';

import { lockLeases } from './lease-lock.js';
import { migrationsFor } from './migrations/index.js';
import { type NotificationChannel, postgresNotifications } from './notifications.js';
import { withNamedStatements } from './prepared.js';
import type { Database } from './schema.js';
import { reserveIds } from './write-transaction.js';

export interface StoreConfig {
  /** postgres://… — when set, PostgreSQL is used. */
  databaseUrl?: string | undefined;
  /** SQLite file path; default ./ringback.db. */
  sqlitePath?: string | undefined;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /**
   * The longest a statement may run (PostgreSQL statement_timeout; the client gives up a little
   * later when the server itself does not answer). Default 30 s.
   */
  statementTimeoutMs?: number | undefined;
  /** The longest to wait for a PostgreSQL connection, or for a free one in the pool. Default 5 s. */
  connectTimeoutMs?: number | undefined;
  /** SQLite: the longest a statement waits for another process's lock. Default 10 s. */
  busyTimeoutMs?: number | undefined;
}

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Human-readable location, for messages ("ringback.db", "postgres://host/db"). */
  location: string;
  /** The raw SQLite handle (backups); undefined on PostgreSQL. */
  sqlite?: BetterSqlite3.Database;
  /**
   * PostgreSQL only: runs `statement`, a `COPY … FROM STDIN` in text format, with `data` as its
   * input, on the connection that holds the transaction `trx`, and says how many rows it copied.
   */
  copyFrom?: (trx: Kysely<Database>, statement: string, data: string) => Promise<number>;
  /** What the rest of the code may ask of the database, whichever it is. */
  ops: StoreOps;
  close(): Promise<void>;
}

/**
 * The few operations that truly differ between SQLite and PostgreSQL, built once by openStore,
 * so that nothing outside store/ asks which database it has.
 */
export interface StoreOps {
  /** The database's name, for reports only (`/readyz`, `migrate --json`). */
  readonly name: DialectName;
  /**
   * Serialises handing out leases in a workspace until `trx` ends (PostgreSQL; SQLite's write
   * lock already does).
   */
  lockLeases(trx: Kysely<Database>, workspaceId: number): Promise<void>;
  /** Serialises two starts or stops of a user's block until `trx` ends (as lockLeases). */
  lockUser(trx: Kysely<Database>, userId: number): Promise<void>;
  /** Ids for `count` new rows of `table`; call inside `inWriteTransaction`. */
  reserveIds(trx: Kysely<Database>, table: keyof Database, count: number): Promise<number[]>;
  /** An online, consistent copy of the database to `file` (SQLite; PostgreSQL has pg_dump). */
  backup(file: string): Promise<{ pages: number }>;
  /** Notifications between processes sharing the database; null when one process owns it. */
  notifications: NotificationChannel | null;
}

/**
 * Reads RINGBACK_DB / DATABASE_URL (and the deadlines RINGBACK_STATEMENT_TIMEOUT_MS,
 * RINGBACK_CONNECT_TIMEOUT_MS, RINGBACK_BUSY_TIMEOUT_MS) the way every entry point should.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    sqlitePath: env.RINGBACK_DB || undefined,
    statementTimeoutMs: millisecondsOf(env, 'RINGBACK_STATEMENT_TIMEOUT_MS'),
    connectTimeoutMs: millisecondsOf(env, 'RINGBACK_CONNECT_TIMEOUT_MS'),
    busyTimeoutMs: millisecondsOf(env, 'RINGBACK_BUSY_TIMEOUT_MS'),
  };
}

function millisecondsOf(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) throw new Error(`${name}=${value}: a whole number of milliseconds`);
  return ms;
}

const STATEMENT_TIMEOUT_MS = 30_000;
/** How much longer than the server's own statement timeout the client waits for an answer. */
const CLIENT_GRACE_MS = 5000;
const CONNECT_TIMEOUT_MS = 5000;
const BUSY_TIMEOUT_MS = 10_000;

const INT8_OID = 20;
const WAL_CHECKPOINT_PAGES = 8192;
const NUMERIC_OID = 1700;

export function openStore(config: StoreConfig): Store {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config);
  return openSqlite(config.sqlitePath ?? './ringback.db', config.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
}

function openSqlite(path: string, busyTimeoutMs: number): Store {
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL keeps every committed transaction across a process crash (kill -9);
  // only an OS crash or power loss can drop the last commits. RINGBACK_SQLITE_SYNC=full trades speed for that.
  sqlite.pragma(`synchronous = ${process.env.RINGBACK_SQLITE_SYNC === 'full' ? 'FULL' : 'NORMAL'}`);
  // A checkpoint copies the WAL into the file and syncs both: at the default (every 1,000 pages,
  // about 80 logged outcomes) its two fsyncs were a good part of every commit's cost. Every
  // 8,192 pages (32 MB of WAL) pays them a tenth as often and copies a page rewritten meanwhile
  // once. Commits are in the WAL either way, so what survives a crash is unchanged.
  sqlite.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.round(busyTimeoutMs)}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    location: path,
    sqlite,
    ops: {
      name: 'sqlite',
      lockLeases: async () => {},
      lockUser: async () => {},
      reserveIds: (trx, table, count) => reserveIds(trx, 'sqlite', table, count),
      backup: async (file) => ({ pages: (await sqlite.backup(file)).totalPages }),
      notifications: null,
    },
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every statement anew, and preparing is a good part of a small query's cost
 * (and of a multi-row insert's). This hands Kysely the same prepared statement for the same SQL
 * text, keeping the `size` most recently used. A statement still being iterated (a streamed
 * select) is busy, so a second one is prepared for that call rather than sharing it.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, size = 200): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sqlText: string) => {
      const hit = cache.get(sqlText);
      if (hit !== undefined) {
        if (hit.busy) return sqlite.prepare(sqlText);
        // Most recently used last, so the first key is the one to evict.
        cache.delete(sqlText);
        cache.set(sqlText, hit);
        return hit;
      }
      const statement = sqlite.prepare(sqlText);
      cache.set(sqlText, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

function openPostgres(url: string, config: StoreConfig): Store {
  const statementTimeoutMs = config.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize ?? 10,
    // Deadlines, so a stalled or unreachable server makes a request fail (503) instead of hang:
    // the server cancels a long statement itself; the client gives up on a server that does not
    // answer at all (stopped, cut off), and on a connection it cannot get.
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + CLIENT_GRACE_MS,
    connectionTimeoutMillis: config.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    keepAlive: true,
    // Ids and epoch milliseconds are bigint; they fit in a double, so hand them back as numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client dropped by the server (restart, terminated backend) is an 'error' on the pool;
  // unheard, it would crash the process. The pool discards that client and opens a new one.
  pool.on('error', () => {});
  // A client checked out (in a transaction, a COPY) has no listener of the pool's: the server
  // going away then emitted an unheard 'error' that crashed the process. The query under way
  // fails on its own; the client is no longer queryable, and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  // Kysely does not hand out the pg client behind a transaction, and COPY needs it: each client
  // is known by its server process id, which the transaction itself can tell.
  const clientByPid = new Map<number, pg.PoolClient>();
  const pidOf = (client: pg.PoolClient) => (client as pg.PoolClient & { processID: number }).processID;
  pool.on('connect', (client) => clientByPid.set(pidOf(client), client));
  pool.on('remove', (client) => clientByPid.delete(pidOf(client as pg.PoolClient)));
  const clientOfTransaction = new WeakMap<Kysely<Database>, pg.PoolClient>();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  return {
    db,
    dialect: 'postgres',
    location: url.replace(/\/\/[^@/]*@/, '//'),
    ops: {
      name: 'postgres',
      lockLeases: (trx, workspaceId) => lockLeases(trx, 'postgres', workspaceId),
      lockUser: (trx, userId) => lockUser(trx, userId),
      reserveIds: (trx, table, count) => reserveIds(trx, 'postgres', table, count),
      backup: async () => {
        throw new Error('backup copies the embedded SQLite database; on PostgreSQL use pg_dump');
      },
      notifications: postgresNotifications(db, url),
    },
    copyFrom: async (trx, statement, data) => {
      let client = clientOfTransaction.get(trx);
      if (!client) {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        client = clientByPid.get(rows[0]!.pid);
        if (!client) throw new Error('copyFrom: the transaction runs on no client of this store');
        clientOfTransaction.set(trx, client);
      }
      const stream = client.query(copyFromStdin(statement));
      await pipeline([data], stream);
      return stream.rowCount;
    },
    close: () => db.destroy(),
  };
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrationsFor(store.dialect) },
    // Migrations written side by side land in any order; each one is independent of the others.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * True when the database answers a trivial query within `withinMs`; never waits longer, however
 * the database fails (refused, stalled, every pooled connection busy).
 */
export async function storeAnswers(store: Pick<Store, 'db'>, withinMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), withinMs);
  });
  const asked = sql`select 1`.execute(store.db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}
