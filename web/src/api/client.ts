/**
 * The one way the web app talks to the server: JSON over fetch with the session cookie, the
 * CSRF token on writes, and two kinds of failure a page can tell apart — the server said no
 * (`ApiError`, with its problem document) or the server could not be reached (`Unreachable`).
 */
import type { ProblemDocument } from './types.js';

/**
 * The session's CSRF token, in memory only: set at sign-in and from GET /api/v1/me when the
 * app starts (session.tsx), so no script-readable storage keeps it beyond the page.
 */
let csrf: string | null = null;
// Earlier versions kept it in localStorage: forget that copy.
try {
  globalThis.localStorage?.removeItem('ringback.csrf');
} catch {
  // storage disabled: nothing was kept there
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: ProblemDocument,
  ) {
    super(problem.detail || problem.title);
  }
}

/** The request never got an answer: offline, server down, or a proxy's 502–504. */
export class Unreachable extends Error {
  override name = 'Unreachable';
}

export function rememberCsrf(token: string | null): void {
  csrf = token;
}

/** The token to send as X-CSRF-Token on a write (null before sign-in). */
export function csrfToken(): string | null {
  return csrf;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Called with every 401, so the app can go back to the sign-in page. */
let onUnauthenticated: (() => void) | null = null;
export function whenSignedOut(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new Unreachable('the server cannot be reached');
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    throw new Unreachable(`the server is unavailable (${res.status})`);
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const problem: ProblemDocument =
      typeof body === 'object' && body !== null
        ? (body as ProblemDocument)
        : {
            type: 'about:blank',
            title: res.statusText,
            status: res.status,
            detail: String(body),
            instance: path,
          };
    if (res.status === 401 && onUnauthenticated) onUnauthenticated();
    throw new ApiError(res.status, problem);
  }
  return body as T;
}

export const get = <T>(path: string, signal?: AbortSignal) =>
  request<T>('GET', path, signal ? { signal } : {});
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  request<T>('POST', path, { body, ...(headers ? { headers } : {}) });

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A sentence for the user from any failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.problem.errors?.map((e) => `${e.path || 'body'}: ${e.message}`) ?? [];
    return [error.message, ...fields].join(' — ');
  }
  if (error instanceof Unreachable) return 'The server cannot be reached. Check your connection.';
  return error instanceof Error ? error.message : String(error);
}
