/**
 * The main thread's side of parse-worker.ts: the same batches as readDraftBatches(), parsed
 * on the other core. An app error the worker meets arrives as the same failure.
 */
import { Worker } from 'node:worker_threads';
import type { RowError } from '../../core/import/draft.js';
import { assertUnreachable } from '../../core/unreachable.js';
import { AppError, type AppFailure } from '../errors.js';
import type { DraftBatch, DraftEvent, DraftSourceOptions } from './draft-batches.js';
import { type PackedIndex, unpackDrafts, unpackIndex } from './draft-packing.js';

/** Batches parsed ahead of the one being written. */
const READ_AHEAD = 2;

type BatchFields = { errors: RowError[]; rowsRead: number; bytesRead: number };

export type FromWorker =
  | { kind: 'columns'; ignored: string[] }
  | ({ kind: 'packed'; drafts: string; index: PackedIndex } & BatchFields)
  | ({ kind: 'batch' } & DraftBatch)
  | { kind: 'done' }
  | { kind: 'error'; message: string; stack: string; failure: AppFailure | null };

export interface ToWorker {
  credits: number;
}

export async function* readDraftBatchesInWorker(
  options: DraftSourceOptions,
  workerUrl: URL,
): AsyncGenerator<DraftEvent> {
  const worker = new Worker(workerUrl, {
    workerData: options,
    // V8 sizes a new heap for a big program and lets garbage pile up to it before collecting;
    // the parser keeps about 30 MB alive, so these limits make it collect sooner and keep the
    // import's peak memory down, with room to spare for a file's largest record.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 },
  });
  const inbox: FromWorker[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: FromWorker) => {
    inbox.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  const grant = (credits: number) => worker.postMessage({ credits } satisfies ToWorker);
  grant(READ_AHEAD);
  try {
    for (;;) {
      const message = inbox.shift();
      if (message === undefined) {
        if (failure) throw failure;
        if (exited) throw new Error('the import worker stopped before the end of the file');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      switch (message.kind) {
        case 'columns':
          yield message;
          break;
        case 'packed':
        case 'batch': {
          grant(1);
          const drafts = message.kind === 'packed' ? unpackDrafts(message.drafts) : message.drafts;
          const index = message.kind === 'packed' ? unpackIndex(message.index, drafts.length) : message.index;
          yield {
            kind: 'batch',
            drafts,
            index,
            errors: message.errors,
            rowsRead: message.rowsRead,
            bytesRead: message.bytesRead,
          };
          break;
        }
        case 'done':
          return;
        case 'error':
          throw rebuildError(message);
        default:
          assertUnreachable(message, 'message from the import worker');
      }
    }
  } finally {
    await worker.terminate();
  }
}

function rebuildError(message: Extract<FromWorker, { kind: 'error' }>): Error {
  const error = message.failure ? new AppError(message.message, message.failure) : new Error(message.message);
  error.stack = message.stack;
  return error;
}
