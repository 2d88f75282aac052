/**
 * WAL checkpoints on a thread of their own, for a long-running server on SQLite (`ringback
 * serve`).
 *
 *   const checkpointer = startCheckpointer(store);   // SQLite only; null on PostgreSQL
 *   …
 *   await checkpointer?.stop();                       // before store.close()
 *
 * A checkpoint copies the WAL into the database file and syncs both. Run by the connection
 * that commits (SQLite's auto-checkpoint), it froze the event loop for tens of milliseconds
 * every 8,192 pages, and every request in flight waited: at 1,000 inbound calls a second, the
 * webhook's p99 was those pauses. Here a worker thread with a connection of its own runs a
 * PASSIVE checkpoint every `everyMs`; it never takes the write lock, so commits go on
 * meanwhile. Every commit is in the WAL either way, so what survives a kill -9 is unchanged.
 *
 * A passive checkpoint cannot make the WAL start over while commits keep arriving (SQLite
 * reuses the WAL from its start only once every frame is copied and no commit came since),
 * so the server's own connection keeps an auto-checkpoint, BACKSTOP_PAGES apart: under
 * sustained writes it bounds the WAL (about 128 MB), and by then the worker has copied
 * nearly everything, so it pays mostly its two syncs. If the worker dies, the backstop is the
 * old behaviour, only less often.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Store } from './db.js';

/** The server connection's own auto-checkpoint while the worker runs (4 × db.ts's default). */
export const BACKSTOP_PAGES = 4 * 8192;
const EVERY_MS = 200;

export interface Checkpointer {
  /** Stops the worker (its connection closed) and gives the connection back its auto-checkpoint. */
  stop(): Promise<void>;
}

// CommonJS run with `eval`, so the same code serves the built server and the TypeScript tests.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Starts checkpointing the store's SQLite file in a worker thread; null for a store that has
 * no file of its own (PostgreSQL, an in-memory database).
 */
export function startCheckpointer(
  store: Pick<Store, 'dialect' | 'sqlite'>,
  options: { everyMs?: number; onError?: (message: string) => void } = {},
): Checkpointer | null {
  const sqlite = store.sqlite;
  if (store.dialect !== 'sqlite' || !sqlite || sqlite.memory || sqlite.name === '') return null;
  const previous = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  const synchronous = sqlite.pragma('synchronous', { simple: true }) as number;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: sqlite.name,
      // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA: the same as the server's connection.
      synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][synchronous] ?? 'NORMAL',
      everyMs: options.everyMs ?? EVERY_MS,
    },
  });
  worker.on('message', (message: { error?: string }) => {
    if (message.error) options.onError?.(message.error);
  });
  worker.on('error', (error) => options.onError?.(String(error)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // The worker must not keep a process alive that is otherwise done.
  worker.unref();
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let stopping: Promise<void> | undefined;
  return {
    stop: () => {
      worker.postMessage('stop');
      stopping ??= exited.then(() => {
        if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${previous}`);
      });
      return stopping;
    },
  };
}
