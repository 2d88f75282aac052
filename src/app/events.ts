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
import { CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import type { Store } from '../store/db.js';
import { prepareOnPostgres } from '../store/prepared.js';
import type { Database } from '../store/schema.js';

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
const LISTEN_CONNECT_TIMEOUT_MS = 5000;

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
 * Every event published in one turn of the event loop, in one statement and one transaction:
 * one round trip where the inbound webhook under load used to send one per call. Its commit
 * does not wait for the WAL flush: notifications are live only, a crash of the database server
 * drops its listeners' connections anyway. (PostgreSQL delivers identical payloads sent in one
 * transaction once; at most once is what the bus promises.)
 */
const NOTIFY_SQL = `select pg_notify($1, payload), set_config('synchronous_commit', 'off', true)
from unnest($2::text[]) as payload`;
prepareOnPostgres(NOTIFY_SQL, 'ringback_notify');

/**
 * Several processes on one PostgreSQL: publish is `pg_notify` through the store's pool (batched
 * per turn of the event loop, see NOTIFY_SQL); a dedicated connection LISTENs and hands
 * notifications to this process's subscribers (its own included, so delivery is the same
 * wherever an event was published). A lost listening connection is re-opened with back-off;
 * events sent while it was down are missed.
 */
export class PostgresEventBus implements EventBus {
  private readonly listeners = new Listeners();
  private client: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsent: { payload: string; resolve: () => void; reject: (error: unknown) => void }[] = [];

  private constructor(
    private readonly db: Kysely<Database>,
    private readonly databaseUrl: string,
    private readonly onError: (error: Error) => void,
  ) {}

  static async open(
    db: Kysely<Database>,
    databaseUrl: string,
    onError: (error: Error) => void = () => {},
  ): Promise<PostgresEventBus> {
    const bus = new PostgresEventBus(db, databaseUrl, onError);
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      connectionTimeoutMillis: LISTEN_CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      // Nobody here to tell (a server no browser is connected to): not even parsed.
      if (message.channel !== EVENT_CHANNEL || !message.payload || this.listeners.size === 0) return;
      const parsed = eventSchema.safeParse(JSON.parse(message.payload));
      if (parsed.success) this.listeners.deliver(parsed.data as RingbackEvent);
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => {});
      if (error) this.onError(error);
      this.reconnect(1000);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_CHANNEL}`);
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
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
      const payloads = batch.map((b) => b.payload);
      await this.db.executeQuery(CompiledQuery.raw(NOTIFY_SQL, [EVENT_CHANNEL, payloads]));
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
    const client = this.client;
    this.client = null;
    await client?.end();
  }
}

/** The bus for a store: LISTEN/NOTIFY on PostgreSQL (given its URL), in-process on SQLite. */
export async function openEventBus(
  store: Pick<Store, 'db' | 'dialect'>,
  databaseUrl: string | undefined,
  onError?: (error: Error) => void,
): Promise<EventBus> {
  if (store.dialect === 'postgres') {
    if (!databaseUrl) throw new Error('the PostgreSQL event bus needs the database URL');
    return PostgresEventBus.open(store.db, databaseUrl, onError);
  }
  return new InProcessEventBus();
}
