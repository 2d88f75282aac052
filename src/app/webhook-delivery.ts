/**
 * The delivery worker `ringback serve` runs: it leases endpoints whose oldest undelivered event
 * is due, sends that endpoint's events in order, one after another, and settles what came of
 * them (delivered; or retried later with back-off; or, retries run out, the endpoint disabled).
 *
 *   const worker = startWebhookWorker(store, { onError: (e) => log.warn(e) });
 *   await worker.stop();
 *
 * Each endpoint is worked on its own, so a slow or dead receiver holds up only its own events.
 * Events are delivered at least once: a process killed between sending and settling leaves its
 * lease to run out, and the batch is sent again by whoever claims the endpoint next.
 */
import { randomUUID } from 'node:crypto';
import { webhookBody, webhookId } from '../core/webhooks/events.js';
import {
  afterFailure,
  DEFAULT_RETRY_SCHEDULE,
  parseRetryAfter,
  type RetrySchedule,
} from '../core/webhooks/retry.js';
import type { Store } from '../store/db.js';
import {
  type ClaimedEndpoint,
  claimWebhookEndpoints,
  type DeliveredAttempt,
  type FailedAttempt,
  pendingDeliveries,
  releaseWebhookEndpoint,
  settleWebhookBatch,
} from '../store/webhook-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { sendWebhook, type WebhookRequest, type WebhookResult } from './webhook-http.js';

export interface WebhookWorkerOptions {
  /** The clock; tests move it. */
  now?: () => number;
  /** Uniform in [0, 1): the jitter of retries. */
  random?: () => number;
  schedule?: RetrySchedule;
  /** The longest one request may take. Default 10 s. */
  timeoutMs?: number;
  /** How often to look for due deliveries when idle. Default 1 s. */
  pollMs?: number;
  /** Endpoints worked at once. Default 8. */
  concurrency?: number;
  /** Deliveries sent per lease of an endpoint. Default 100. */
  batch?: number;
  /** How one request is sent (the real one by default). */
  send?: (req: WebhookRequest) => Promise<WebhookResult>;
  onError?: (error: unknown) => void;
}

export interface WebhookWorker {
  /** Looks for due deliveries now rather than at the next poll. */
  wake(): void;
  /** Stops claiming, waits for the batches in flight to settle. */
  stop(): Promise<void>;
}

const DEFAULTS = { timeoutMs: 10_000, pollMs: 1000, concurrency: 8, batch: 100 };
/** Time kept in hand at the end of a lease to settle the batch. */
const LEASE_MARGIN_MS = 5000;

export function startWebhookWorker(store: Store, options: WebhookWorkerOptions = {}): WebhookWorker {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const schedule = options.schedule ?? DEFAULT_RETRY_SCHEDULE;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const pollMs = options.pollMs ?? DEFAULTS.pollMs;
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const batch = options.batch ?? DEFAULTS.batch;
  const send = options.send ?? sendWebhook;
  const onError = options.onError ?? (() => {});
  // A lease outlasts the batch: sending stops once less than a request's time (and a margin)
  // is left of it. Short, so a killed process's endpoints are taken up again soon.
  const leaseMs = timeoutMs * 3 + LEASE_MARGIN_MS;
  const token = randomUUID();

  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let looking: Promise<void> | null = null;
  let again = false;

  async function work(endpoint: ClaimedEndpoint, claimedAt: number): Promise<boolean> {
    const due = await pendingDeliveries(store.db, endpoint.id, batch);
    const delivered: DeliveredAttempt[] = [];
    let failed: FailedAttempt | null = null;
    for (const d of due) {
      const at = now();
      if (stopped || d.next_attempt_at > at || at + timeoutMs > claimedAt + leaseMs - LEASE_MARGIN_MS) break;
      const result = await send({
        url: endpoint.url,
        secret: endpoint.secret,
        allowPrivate: endpoint.allow_private === 1,
        id: webhookId(d.event_id),
        body: webhookBody(d.type, d.created_at, d.payload),
        at,
        timeoutMs,
      });
      if (result.ok) {
        delivered.push({ id: d.id, status: result.status, at });
        continue;
      }
      const ended = now();
      const firstAttemptAt = d.first_attempt_at ?? at;
      const next = afterFailure(
        schedule,
        d.attempts + 1,
        firstAttemptAt,
        ended,
        random(),
        parseRetryAfter(result.retryAfter, ended),
      );
      failed = {
        id: d.id,
        status: result.status,
        error: result.error.slice(0, 500),
        at,
        firstAttemptAt,
        retryAt: next.kind === 'retry' ? next.at : null,
      };
      break;
    }
    await inWriteTransaction(store, (db) =>
      settleWebhookBatch(db, endpoint.id, token, delivered, failed, now()),
    );
    // More of this endpoint's events are waiting and due: look again at once.
    return failed === null && due.length === batch && delivered.length === batch;
  }

  function run(endpoint: ClaimedEndpoint, claimedAt: number): void {
    const task = work(endpoint, claimedAt)
      .then((more) => {
        if (more) again = true;
      })
      .catch(async (error) => {
        onError(error);
        await releaseWebhookEndpoint(store.db, endpoint.id, token, now()).catch(() => {});
      })
      .finally(() => {
        inFlight.delete(task);
        wake();
      });
    inFlight.add(task);
  }

  async function look(): Promise<void> {
    do {
      again = false;
      const room = concurrency - inFlight.size;
      if (stopped || room <= 0) return;
      const at = now();
      const claimed = await inWriteTransaction(store, (db) =>
        claimWebhookEndpoints(db, at, at + leaseMs, token, room),
      );
      for (const endpoint of claimed) run(endpoint, at);
    } while (again);
  }

  function wake(): void {
    if (stopped) return;
    if (looking) {
      again = true;
      return;
    }
    looking = look()
      .catch(onError)
      .finally(() => {
        looking = null;
        rest();
      });
  }

  function rest(): void {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(wake, pollMs);
    timer.unref();
  }

  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await looking;
      await Promise.allSettled([...inFlight]);
    },
  };
}
