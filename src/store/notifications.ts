/**
 * PostgreSQL LISTEN/NOTIFY as a plain channel of text payloads, for the event bus between
 * server processes (app/events.ts). SQLite has none: one server process owns its file.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';
import { prepareOnPostgres } from './prepared.js';
import type { Database } from './schema.js';

export interface NotificationChannel {
  /** Sends every payload in one statement and one transaction. */
  send(channel: string, payloads: readonly string[]): Promise<void>;
  /**
   * Opens a dedicated connection that LISTENs on `channel`. `onLost` is called once if that
   * connection drops (with its error, if any); the caller decides whether to listen again.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onLost: (error?: Error) => void,
  ): Promise<{ close(): Promise<void> }>;
}

/**
 * Every payload in one statement and one transaction: one round trip where the inbound webhook
 * under load used to send one per call. Its commit does not wait for the WAL flush:
 * notifications are live only, a crash of the database server drops its listeners'
 * connections anyway. (PostgreSQL delivers identical payloads sent in one transaction once;
 * at most once is what the bus promises.)
 */
const NOTIFY_SQL = `select pg_notify($1, payload), set_config('synchronous_commit', 'off', true)
from unnest($2::text[]) as payload`;
prepareOnPostgres(NOTIFY_SQL, 'ringback_notify');

export function postgresNotifications(db: Kysely<Database>, databaseUrl: string): NotificationChannel {
  return {
    send: async (channel, payloads) => {
      await db.executeQuery(CompiledQuery.raw(NOTIFY_SQL, [channel, payloads]));
    },
    listen: async (channel, onPayload, onLost) => {
      // A bounded connect, so a database that is away does not hold up the next try.
      const client = new pg.Client({
        connectionString: databaseUrl,
        connectionTimeoutMillis: 5000,
        keepAlive: true,
      });
      // Live once LISTEN is in place; a failure before that is the caller's rejected promise.
      let open = false;
      const lost = (error?: Error) => {
        if (!open) return;
        open = false;
        client.end().catch(() => {});
        onLost(error);
      };
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload) onPayload(message.payload);
      });
      client.on('error', lost);
      client.on('end', () => lost());
      try {
        await client.connect();
        await client.query(`LISTEN ${channel}`);
      } catch (error) {
        // A half-opened connection is closed, never left behind.
        client.end().catch(() => {});
        throw error;
      }
      open = true;
      return {
        close: async () => {
          open = false;
          await client.end();
        },
      };
    },
  };
}
