/**
 * The HTTP side of the remote CLI (`ringback --server URL --token T …`): bearer-token calls to
 * the API, problem documents turned into the CLI's errors (exit 2 for a request the server
 * could not carry out as given, 1 for everything else), and retries of idempotent calls.
 */
import { CommandError, UsageError } from './context.js';

interface ProblemBody {
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const RETRIES = 3;

export class ApiClient {
  private readonly base: string;

  constructor(
    server: string,
    private readonly token: string,
  ) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new UsageError(`--server ${server}: not a URL (e.g. https://ringback.example.com)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`--server ${server}: use an http:// or https:// URL`);
    }
    this.base = url.toString().replace(/\/$/, '');
  }

  /**
   * Sends a request; a network failure is retried when `retry` is set (GETs, and writes that
   * carry an Idempotency-Key, so a retry cannot record twice).
   */
  async send(
    method: string,
    path: string,
    init: { json?: unknown; body?: FormData; headers?: Record<string, string>; retry?: boolean } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, ...init.headers };
    let body: string | FormData | undefined = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const attempts = (init.retry ?? method === 'GET') ? RETRIES : 1;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, { method, headers, body });
      } catch (error) {
        if (attempt < attempts) {
          await new Promise((r) => setTimeout(r, 200 * attempt));
          continue;
        }
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new CommandError(`cannot reach ${this.base}: ${cause}`);
      }
      if (res.ok) return res;
      if (res.status >= 500 && attempt < attempts) {
        await new Promise((r) => setTimeout(r, 200 * attempt));
        continue;
      }
      throw await problemError(res);
    }
  }

  async json<T>(method: string, path: string, init: Parameters<ApiClient['send']>[2] = {}): Promise<T> {
    const res = await this.send(method, path, init);
    return (await res.json()) as T;
  }
}

async function problemError(res: Response): Promise<Error> {
  const text = await res.text();
  let problem: ProblemBody = {};
  try {
    problem = JSON.parse(text) as ProblemBody;
  } catch {
    problem = { detail: text.slice(0, 200) };
  }
  const fields = (problem.errors ?? []).map((e) => `${e.path || '(body)'}: ${e.message}`);
  const message = [problem.detail ?? problem.title ?? `HTTP ${res.status}`, ...fields].join('\n  ');
  if (res.status === 401) return new CommandError(`the server refused the token: ${message}`);
  if ([400, 404, 409, 422].includes(res.status)) return new UsageError(message);
  return new CommandError(`${res.status} ${message}`);
}
