/**
 * Named prepared statements on PostgreSQL for the few hot queries of a fixed shape: a pool
 * wrapper for Kysely that runs registered SQL under its name, so each connection parses and
 * plans it once.
 *
 *   prepareOnPostgres(compiled.sql, 'ringback_screeningCandidates');   // compiledOnce's `prepared`
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { StoreTimeoutError } from './errors.js';

/** SQL text → statement name, for the statements run as named prepared statements on PostgreSQL. */
const statementNames = new Map<string, string>();

/**
 * Runs `sqlText` as a named prepared statement on PostgreSQL from now on. Kysely sends every
 * query unnamed, so the server parses and plans it anew on each run; for a join on the inbound
 * webhook planning took ~1.6 ms against ~0.2 ms of execution. A named statement is parsed once
 * per connection and, after PostgreSQL's five custom plans, kept as a generic plan when that
 * costs no more (plan_cache_mode auto). Only for fixed-shape hot queries (compiledOnce's
 * `prepared`): each name stays allocated on every pooled connection, and a generic plan must
 * suit every value of the parameters.
 */
export function prepareOnPostgres(sqlText: string, name: string): void {
  const held = statementNames.get(sqlText);
  if (held !== undefined && held !== name) throw new Error(`${name}: the same SQL is prepared as ${held}`);
  for (const [text, n] of statementNames) {
    if (n === name && text !== sqlText) throw new Error(`${name}: another SQL is prepared under this name`);
  }
  statementNames.set(sqlText, name);
}

/** The pool as Kysely sees it, its clients running prepared SQL (prepareOnPostgres) under its name. */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  // A query the client gave up on (query_timeout) may still run on the server, and the next
  // query on that connection would wait behind it: such a client is closed, not reused.
  const abandoned = new WeakSet<pg.PoolClient>();
  const watch = (client: pg.PoolClient, result: unknown): unknown => {
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      if ((error as Error | null)?.message === 'Query read timeout') abandoned.add(client);
      throw error;
    });
  };
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let w = wrapped.get(client);
    if (!w) {
      w = {
        query: ((sqlOrCursor: unknown, values?: unknown[]) => {
          // Not even the rollback waits behind the query given up on: it would wait a deadline more.
          if (abandoned.has(client))
            return Promise.reject(
              new StoreTimeoutError('the connection was given up after a query timed out'),
            );
          const name = typeof sqlOrCursor === 'string' ? statementNames.get(sqlOrCursor) : undefined;
          if (name !== undefined)
            return watch(client, client.query({ name, text: sqlOrCursor as string, values }));
          return watch(client, (client.query as (q: unknown, v?: unknown[]) => unknown)(sqlOrCursor, values));
        }) as PostgresPoolClient['query'],
        release: () => client.release(abandoned.has(client) || undefined),
      };
      wrapped.set(client, w);
    }
    return w;
  };
  return { connect: async () => wrap(await pool.connect()), end: () => pool.end() };
}
