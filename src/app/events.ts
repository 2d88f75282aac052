/**
 * Events for signed-in users (screening decisions, queue changes, appointment reminders), sent
 * to their browsers as server-sent events by `GET /api/v1/events`.
 *
 *   await ctx.events.publish({ workspaceId: 1, userId: 7, type: 'screening.decided', data: {…} });
 *
 * `userId: null` reaches every user of the workspace; an event never leaves its workspace.
 * Delivery is at most once and live only: a browser that is not connected misses the event,
 * so anything that must not be lost is stored first and the event only says "look again".
 *
 * Publish after the change it announces has committed.
 *
 * Two implementations: in-process (SQLite, one server), and PostgreSQL LISTEN/NOTIFY, so with
 * several server processes on one database an event published by one reaches the users
 * connected to any.
 */
import { z } from 'zod';
import type { Store } from '../store/db.js';
import type { NotificationChannel } from '../store/notifications.js';

export interface RingbackEvent {
  workspaceId: number;
  /** The one user it is for; null for everyone in the workspace. */
  userId: number | null;
  /** Dotted name, e.g. `attempt.logged`, `screening.decided`, `callback.received`. */
  type: string;
  data: unknown;
}

export type EventListener = (event: RingbackEvent) => void;

export interface EventBus {
  /** Delivers to every subscriber in every process. Throws on an event over MAX_EVENT_BYTES. */
  publish(event: RingbackEvent): Promise<void>;
  /** Returns the unsubscribe function. Listeners must not throw; errors are swallowed. */
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

/** PostgreSQL's NOTIFY payload limit is 8000 bytes; keep events small (ids, not documents). */
export const MAX_EVENT_BYTES = 7900;
export const EVENT_CHANNEL = 'ringback_events';
/** The longest wait between two tries to listen again: browsers hear events soon after the database is back. */
const MAX_RECONNECT_MS = 5000;

const eventSchema = z.object({
  workspaceId: z.number().int(),
  userId: z.number().int().nullable(),
  type: z.string().min(1).max(100),
  data: z.unknown(),
});

function encode(event: RingbackEvent): string {
  const payload = JSON.stringify(eventSchema.parse(event));
  if (Buffer.byteLength(payload) > MAX_EVENT_BYTES) {
    throw new Error(
      `event ${event.type} is ${Buffer.byteLength(payload)} bytes; the limit is ${MAX_EVENT_BYTES}`,
    );
  }
  return payload;
}

class Listeners {
  private readonly set = new Set<EventListener>();
  get size(): number {
    return this.set.size;
  }
  add(listener: EventListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  deliver(event: RingbackEvent): void {
    for (const listener of this.set) {
      try {
        listener(event);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }
  clear(): void {
    this.set.clear();
  }
}

/** One process: publish hands the event to the subscribers directly. */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Listeners();

  async publish(event: RingbackEvent): Promise<void> {
    // Encoded and decoded as on PostgreSQL, so both buses accept and deliver the same events.
    const copy = JSON.parse(encode(event)) as RingbackEvent;
    queueMicrotask(() => this.listeners.deliver(copy));
  }

  subscribe(listener: EventListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/**
 * Several processes on one PostgreSQL: publish sends on the store's notification channel
 * (batched per turn of the event loop, see store/notifications.ts); a dedicated connection LISTENs and hands
 * notifications to this process's subscribers (its own included, so delivery is the same
 * wherever an event was published). A lost listening connection is re-opened with back-off;
 * events sent while it was down are missed.
 */
export class SharedEventBus implements EventBus {
  private readonly listeners = new Listeners();
  private connection: { close(): Promise<void> } | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsent: { payload: string; resolve: () => void; reject: (error: unknown) => void }[] = [];

  private constructor(
    private readonly channel: NotificationChannel,
    private readonly onError: (error: Error) => void,
  ) {}

  static async open(
    channel: NotificationChannel,
    onError: (error: Error) => void = () => {},
  ): Promise<SharedEventBus> {
    const bus = new SharedEventBus(channel, onError);
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const connection = await this.channel.listen(
      EVENT_CHANNEL,
      (payload) => {
        // Nobody here to tell (a server no browser is connected to): not even parsed.
        if (this.listeners.size === 0) return;
        const parsed = eventSchema.safeParse(JSON.parse(payload));
        if (parsed.success) this.listeners.deliver(parsed.data as RingbackEvent);
      },
      (error) => {
        if (this.connection !== connection) return;
        this.connection = null;
        if (error) this.onError(error);
        this.reconnect(1000);
      },
    );
    if (this.closed) await connection.close();
    else this.connection = connection;
  }

  private reconnect(delayMs: number): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.listen().catch((error: Error) => {
        this.onError(error);
        this.reconnect(Math.min(delayMs * 2, MAX_RECONNECT_MS));
      });
    }, delayMs);
    this.retryTimer.unref();
  }

  async publish(event: RingbackEvent): Promise<void> {
    const payload = encode(event);
    return new Promise((resolve, reject) => {
      if (this.unsent.push({ payload, resolve, reject }) === 1) setImmediate(() => this.send());
    });
  }

  private async send(): Promise<void> {
    const batch = this.unsent;
    this.unsent = [];
    try {
      await this.channel.send(
        EVENT_CHANNEL,
        batch.map((b) => b.payload),
      );
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  subscribe(listener: EventListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.listeners.clear();
    const connection = this.connection;
    this.connection = null;
    await connection?.close();
  }
}

/** The bus for a store: shared through the database when it offers notifications, else in-process. */
export async function openEventBus(
  store: Pick<Store, 'ops'>,
  onError?: (error: Error) => void,
): Promise<EventBus> {
  const channel = store.ops.notifications;
  return channel ? SharedEventBus.open(channel, onError) : new InProcessEventBus();
}
