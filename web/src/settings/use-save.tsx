/** A save button's state: busy while the request runs, then a message that says how it went. */
import { useState } from 'react';
import { describeError } from '../api/client.js';

export type SaveMessage = { ok: boolean; text: string } | null;

export function useSave(): {
  busy: boolean;
  message: SaveMessage;
  run: (work: () => Promise<unknown>, done: string) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<SaveMessage>(null);
  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setMessage(null);
    try {
      await work();
      setMessage({ ok: true, text: done });
      return true;
    } catch (error) {
      setMessage({ ok: false, text: describeError(error) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, run, clear: () => setMessage(null) };
}

export function SaveStatus({ message }: { message: SaveMessage }) {
  if (!message) return null;
  return (
    <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'error-text'}>
      {message.ok ? '✓ ' : '⚠ '}
      {message.text}
    </p>
  );
}
