/**
 * The signed-in user's live events (GET /api/v1/events, server-sent events). The browser's
 * EventSource reconnects by itself after a drop; events are live only, so a page that must not
 * miss a change reloads its data when the stream reconnects.
 */
import { useEffect, useRef } from 'react';

export type EventHandlers = Record<string, (data: unknown) => void>;

export function useEvents(handlers: EventHandlers, enabled = true): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const types = Object.keys(handlers).sort().join(',');
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events');
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
      source.close();
    };
  }, [types, enabled]);
}
