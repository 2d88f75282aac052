/**
 * A server-sent events client for tests: reads `GET /api/v1/events` over real HTTP and parses
 * the stream as a browser's EventSource would (event name, data; comments skipped).
 */
export interface SseEvent {
  type: string;
  data: unknown;
}

export interface SseClient {
  /** Every event received so far. */
  events: SseEvent[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves with the first event of this type (already received or still to come). */
  next(type: string, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openSse(baseUrl: string, headers: Record<string, string>): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, { headers, signal: abort.signal });
  if (res.status !== 200) throw new Error(`events: ${res.status} ${await res.text()}`);
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`events: content-type ${res.headers.get('content-type')}`);
  }
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let connected!: () => void;
  let finished!: () => void;
  const ended = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          finished();
          return;
        }
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          if (block.startsWith(': connected')) connected();
          let type = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length === 0) continue;
          events.push({ type, data: JSON.parse(data.join('\n')) });
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  await ready;
  return {
    events,
    ended,
    next: (type, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => e.type === type);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no ${type} event within ${timeoutMs} ms (got: ${events.map((e) => e.type).join(', ') || 'none'})`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: () => abort.abort(),
  };
}
