/**
 * Reads a "when" as the rep types it, through the server's own reading (GET /api/v1/when), so
 * the preview is exactly what logging will store. Waits for a pause in typing; a newer text
 * cancels the older request.
 */
import { useEffect, useState } from 'react';
import { describeError, get, query } from '../api/client.js';

export type WhenReading =
  | { state: 'empty' }
  | { state: 'reading' }
  | { state: 'understood'; at: string; yours: string; theirs: string | null }
  | { state: 'not_understood'; message: string };

interface WhenAnswer {
  ok: boolean;
  at?: string;
  message?: string;
  yours?: { zone: string; text: string };
  theirs?: { zone: string; text: string } | null;
}

export function useWhen(text: string, contactId: number | null, pauseMs = 250): WhenReading {
  const [reading, setReading] = useState<WhenReading>({ state: 'empty' });
  useEffect(() => {
    if (text.trim() === '') {
      setReading({ state: 'empty' });
      return;
    }
    setReading({ state: 'reading' });
    const abort = new AbortController();
    const timer = window.setTimeout(() => {
      get<WhenAnswer>(`/api/v1/when${query({ text, contactId })}`, abort.signal).then(
        (answer) => {
          if (answer.ok && answer.at && answer.yours) {
            setReading({
              state: 'understood',
              at: answer.at,
              yours: answer.yours.text,
              theirs: answer.theirs ? answer.theirs.text : null,
            });
          } else setReading({ state: 'not_understood', message: answer.message ?? 'not understood' });
        },
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          setReading({ state: 'not_understood', message: describeError(error) });
        },
      );
    }, pauseMs);
    return () => {
      window.clearTimeout(timer);
      abort.abort();
    };
  }, [text, contactId, pauseMs]);
  return reading;
}
