/**
 * What went wrong in the store, in terms the rest of the code can act on without knowing which
 * database runs. The one kind so far is `unavailable`: the database could not be reached, lost
 * the connection, was shutting down or starting up, or did not answer within its deadline (a
 * stalled server, another process's lock held past the busy timeout). Nothing was stored by
 * the statement that failed; trying again later is the remedy.
 *
 *   if (storeErrorKind(error) === 'unavailable') reply 503 with Retry-After
 */

export type StoreErrorKind = 'unavailable';

/** Seconds a client is told to wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

/** The store gave up: a connection or a statement took longer than the deadline it was given. */
export class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

// Node's socket errors when the server is gone or unreachable.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), shutting down or starting up, too many
 * connections, and statements cancelled by statement_timeout or lock_timeout.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03']);

/** What node-postgres says, without a code, about a connection it lost or could not open in time. */
const LOST_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end on the pool)/;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 3) return false;
  if (error instanceof StoreTimeoutError) return true;
  const code = codeOf(error);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return true;
    // SQLite: another connection held the lock past the busy timeout.
    if (code.startsWith('SQLITE_BUSY')) return true;
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
  // A connection to a host with several addresses fails with all of them (AggregateError).
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.some((e) => isUnavailable(e, depth + 1))) return true;
  return isUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

/** The kind of a store failure, or undefined for anything else (a bug, a constraint violated). */
export function storeErrorKind(error: unknown): StoreErrorKind | undefined {
  return isUnavailable(error) ? 'unavailable' : undefined;
}
