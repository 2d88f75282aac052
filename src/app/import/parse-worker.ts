/**
 * The worker thread of an import: reads and checks the file (draft-batches.ts) and posts each
 * batch of drafts to the main thread, which writes them to the database meanwhile. The main
 * thread hands out credits, one per batch it will take; without one the worker waits, so at
 * most a few batches are ever held in memory whatever the size of the file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../errors.js';
import { type DraftSourceOptions, readDraftBatches } from './draft-batches.js';
import { indexBuffers, packDrafts, packIndex } from './draft-packing.js';
import type { FromWorker, ToWorker } from './worker-source.js';

const port = parentPort;
if (!port) throw new Error('parse-worker.js runs as a worker thread');

let credits = 0;
let wake: (() => void) | null = null;
port.on('message', (message: ToWorker) => {
  credits += message.credits;
  wake?.();
  wake = null;
});

const send = (message: FromWorker) => port.postMessage(message);

try {
  for await (const event of readDraftBatches(workerData as DraftSourceOptions)) {
    if (event.kind === 'columns') {
      send(event);
      continue;
    }
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    const { drafts, index, ...rest } = event;
    const packed = packDrafts(drafts);
    if (packed === null) send({ ...rest, kind: 'batch', drafts, index });
    else {
      const packedIndex = packIndex(index);
      port.postMessage(
        { ...rest, kind: 'packed', drafts: packed, index: packedIndex } satisfies FromWorker,
        indexBuffers(packedIndex),
      );
    }
  }
  send({ kind: 'done' });
} catch (e) {
  const error = e instanceof Error ? e : new Error(String(e));
  send({
    kind: 'error',
    message: error.message,
    stack: error.stack ?? '',
    failure: error instanceof AppError ? error.failure : null,
  });
}
port.close();
