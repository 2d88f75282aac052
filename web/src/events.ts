/**
 * The signed-in user's live events (GET /api/v1/events, server-sent events). Every hook on the
 * page shares one connection, opened by the first and closed with the last. The browser's
 * EventSource reconnects by itself after a drop; events are live only, so a page that must not
 * miss a change reloads its data when the stream reconnects.
 */
import { useEffect, useRef } from 'react';

export type EventHandlers = Record<string, (data: unknown) => void>;

let shared: EventSource | null = null;
let holders = 0;

function openStream(): EventSource {
  shared ??= new EventSource('/api/v1/events');
  holders++;
  return shared;
}

function releaseStream(): void {
  holders--;
  if (holders === 0) {
    shared?.close();
    shared = null;
  }
}

export function useEvents(handlers: EventHandlers, enabled = true): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const types = Object.keys(handlers).sort().join(',');
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = openStream();
    const listeners = types
      .split(',')
      .filter(Boolean)
      .map((type) => {
        const listener = (event: MessageEvent<string>) => {
          let data: unknown = null;
          try {
            data = JSON.parse(event.data);
          } catch {
            return;
          }
          latest.current[type]?.(data);
        };
        source.addEventListener(type, listener);
        return [type, listener] as const;
      });
    return () => {
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      releaseStream();
    };
  }, [types, enabled]);
}
