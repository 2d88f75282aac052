/**
 * Outcomes on their way to the server. Each is written to storage with its idempotency key
 * before it is sent, and stays there until the server has answered, so a dropped connection
 * or a closed tab loses nothing: the same key is sent again (the server records it once).
 *
 *   const outbox = new Outbox(localStorage, sendAttempt);
 *   const sent = await outbox.submit(body, 'Dana Lee — voicemail left');
 *   if (sent.status === 'pending') showPending();
 *
 * A refusal (the server answered 4xx) is not retried: it is handed back to the caller, or,
 * for an outcome that was already pending, kept in `refused` for the user to see.
 */
import { ApiError, Unreachable } from './api/client.js';

export interface AttemptBody {
  contactId: number;
  outcome: string;
  campaign?: string;
  when?: string;
  note?: string;
  number?: string;
  at?: string;
  learnedNumber?: string;
  learnedKind?: string;
}

export interface PendingOutcome {
  key: string;
  body: AttemptBody;
  /** What the user sees in the pending list. */
  label: string;
  queuedAt: string;
  tries: number;
}

export interface RefusedOutcome extends PendingOutcome {
  reason: string;
}

export type SendAttempt<R> = (body: AttemptBody, idempotencyKey: string) => Promise<R>;

export type SubmitResult<R> = { status: 'sent'; result: R } | { status: 'pending'; entry: PendingOutcome };

const STORAGE_KEY = 'ringback.outbox';

interface Stored {
  pending: PendingOutcome[];
  refused: RefusedOutcome[];
}

export class Outbox<R = unknown> {
  private listeners = new Set<() => void>();
  private flushing: Promise<void> | null = null;
  private snapshot: Stored;

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'>,
    private readonly send: SendAttempt<R>,
    private readonly newKey: () => string = () => crypto.randomUUID(),
  ) {
    this.snapshot = this.read();
  }

  get pending(): readonly PendingOutcome[] {
    return this.snapshot.pending;
  }

  get refused(): readonly RefusedOutcome[] {
    return this.snapshot.refused;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Sends now; when the server cannot be reached the outcome stays pending. A refusal throws. */
  async submit(body: AttemptBody, label: string, queuedAt = new Date()): Promise<SubmitResult<R>> {
    const entry: PendingOutcome = {
      key: this.newKey(),
      body,
      label,
      queuedAt: queuedAt.toISOString(),
      tries: 0,
    };
    this.write({ ...this.snapshot, pending: [...this.snapshot.pending, entry] });
    try {
      const result = await this.attempt(entry);
      return { status: 'sent', result };
    } catch (error) {
      if (error instanceof Unreachable) {
        // Sent later, it must still say when the call was made (the first try leaves that to
        // the server's clock).
        this.update(entry.key, (e) => ({ ...e, body: { ...e.body, at: e.body.at ?? e.queuedAt } }));
        return { status: 'pending', entry };
      }
      this.remove(entry.key);
      throw error;
    }
  }

  /** Sends every pending outcome again, oldest first; stops at the first that cannot get through. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.sendPending().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async sendPending(): Promise<void> {
    // Yield first, so `flushing` is set before any of this runs.
    await Promise.resolve();
    for (const entry of [...this.snapshot.pending]) {
      try {
        await this.attempt(entry);
      } catch (error) {
        if (error instanceof Unreachable) return;
        this.remove(entry.key);
        const reason = error instanceof ApiError ? error.message : String(error);
        this.write({ ...this.snapshot, refused: [...this.snapshot.refused, { ...entry, reason }] });
      }
    }
  }

  dismissRefused(key: string): void {
    this.write({ ...this.snapshot, refused: this.snapshot.refused.filter((r) => r.key !== key) });
  }

  private async attempt(entry: PendingOutcome): Promise<R> {
    this.update(entry.key, (e) => ({ ...e, tries: e.tries + 1 }));
    const result = await this.send(entry.body, entry.key);
    this.remove(entry.key);
    return result;
  }

  private update(key: string, change: (e: PendingOutcome) => PendingOutcome): void {
    this.write({
      ...this.snapshot,
      pending: this.snapshot.pending.map((e) => (e.key === key ? change(e) : e)),
    });
  }

  private remove(key: string): void {
    this.write({ ...this.snapshot, pending: this.snapshot.pending.filter((e) => e.key !== key) });
  }

  private read(): Stored {
    try {
      const parsed = JSON.parse(this.storage.getItem(STORAGE_KEY) ?? 'null') as Partial<Stored> | null;
      return { pending: parsed?.pending ?? [], refused: parsed?.refused ?? [] };
    } catch {
      return { pending: [], refused: [] };
    }
  }

  private write(next: Stored): void {
    this.snapshot = next;
    this.storage.setItem(STORAGE_KEY, JSON.stringify(next));
    for (const listener of this.listeners) listener();
  }
}
