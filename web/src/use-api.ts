import { useCallback, useEffect, useState } from 'react';
import { describeError, get } from './api/client.js';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; data: T; reload: () => void };

/** GET a path whenever it changes; null waits. */
export function useGet<T>(path: string | null): Loaded<T> {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick asks for a reload
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    get<T>(path, abort.signal).then(
      (data) => setResult({ state: 'ready', data, reload }),
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setResult({ state: 'error', message: describeError(error) });
      },
    );
    return () => abort.abort();
  }, [path, tick, reload]);
  return result;
}
