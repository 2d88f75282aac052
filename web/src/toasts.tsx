/**
 * Short notices over the page ("Callback: Dana Lee — your voicemail of Tuesday"), read out by
 * screen readers, each with a Dismiss button; they leave by themselves after a while.
 */
import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  title: string;
  body: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function showToast(title: string, body: string, stayMs = 30_000): void {
  const toast = { id: nextId++, title, body };
  toasts = [...toasts, toast];
  emit();
  window.setTimeout(() => dismissToast(toast.id), stayMs);
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function Toasts() {
  const list = useSyncExternalStore(subscribe, () => toasts);
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} className="toast" role="status">
          <p>
            <strong>{t.title}</strong> {t.body}
          </p>
          <button type="button" onClick={() => dismissToast(t.id)}>
            Dismiss <span className="visually-hidden">{t.title}</span>
          </button>
        </div>
      ))}
    </section>
  );
}
