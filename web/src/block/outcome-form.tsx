/**
 * How the call went: one key picks the outcome (the buttons show their key), a time in words
 * when the outcome takes one (previewed as the server reads it), a note, a number learned on
 * the call. Enter logs it; in the note, Ctrl+Enter does.
 *
 * No keystroke is lost: once an outcome is on its way, focus leaves the fields (`onLogged`
 * puts it on the call card), and keys pressed while it is sent — or while a typed time is
 * still being read — are kept and applied, in order, to the next contact. An Enter pressed
 * while the time is being read logs it as soon as the reading arrives.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { BUTTON_BY_KEY, BUTTON_BY_OUTCOME, OUTCOME_BUTTONS, type Outcome } from '../outcomes.js';
import { ACTION_BY_KEY, type BlockAction } from './shortcuts.js';
import { useWhen } from './use-when.js';

export interface OutcomeInput {
  outcome: Outcome;
  when: string;
  note: string;
  learnedNumber: string;
  learnedKind: string;
}

interface Props {
  contactId: number;
  busy: boolean;
  error: string | null;
  onLog: (input: OutcomeInput) => void;
  /** Single-key shortcuts; off when the user turned them off (WCAG 2.1.4). */
  shortcuts?: boolean;
  /** A dialog of the block is open: its keys are its own. */
  paused?: boolean;
  /** The block's own keys (dial, skip, undo, end, help). */
  onAction?: (action: BlockAction) => void;
  /** An outcome is on its way: move focus off the fields so the next key is a shortcut. */
  onLogged?: () => void;
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function OutcomeForm({
  contactId,
  busy,
  error,
  onLog,
  shortcuts = true,
  paused = false,
  onAction,
  onLogged,
}: Props) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [when, setWhen] = useState('');
  const [note, setNote] = useState('');
  const [learnedNumber, setLearnedNumber] = useState('');
  const [learnedKind, setLearnedKind] = useState('mobile');
  const whenRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const learnedRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const ids = useId();
  const button = outcome ? BUTTON_BY_OUTCOME.get(outcome) : undefined;
  const reading = useWhen(button && button.time !== 'none' ? when : '', contactId);

  // A new contact starts with a clean form.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the contact changes
  useEffect(() => {
    setOutcome(null);
    setWhen('');
    setNote('');
    setLearnedNumber('');
  }, [contactId]);

  const missingTime = button?.time === 'needs' && when.trim() === '';
  const unreadTime = button && button.time !== 'none' && reading.state === 'not_understood';
  const canLog = outcome !== null && !busy && !missingTime && !unreadTime && reading.state !== 'reading';
  /** Enter was pressed while the time was being read: log once it is read. */
  const [waiting, setWaiting] = useState(false);
  /** Keys pressed while an outcome was being sent or a time read: applied once that is done. */
  const held = useRef<KeyboardEvent['key'][]>([]);

  const submit = () => {
    if (outcome === null || busy) return;
    if (reading.state === 'reading' && !missingTime) {
      setWaiting(true);
      onLogged?.();
      return;
    }
    if (!canLog) return;
    onLog({ outcome, when: button?.time === 'none' ? '' : when, note, learnedNumber, learnedKind });
    onLogged?.();
  };

  // The reading arrived: the Enter kept for it logs now, or gives way to the error shown.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the reading changes
  useEffect(() => {
    if (!waiting || reading.state === 'reading') return;
    setWaiting(false);
    if (reading.state === 'understood') submit();
  }, [waiting, reading.state]);

  const pick = (next: Outcome) => {
    // Rendered at once and focused in the same keystroke, so the letters typed next go into
    // the "when" field and are never read as shortcuts.
    flushSync(() => setOutcome(next));
    const b = BUTTON_BY_OUTCOME.get(next);
    if (b && b.time !== 'none') whenRef.current?.focus();
  };

  /** What a key does on the block page outside the fields; false when it does nothing. */
  const apply = (key: string, target: HTMLElement | null): boolean => {
    if (shortcuts) {
      const b = BUTTON_BY_KEY.get(key.toLowerCase());
      if (b) {
        pick(b.outcome);
        return true;
      }
      const action = ACTION_BY_KEY.get(key);
      if (action === 'note' || action === 'number') {
        (action === 'note' ? noteRef : learnedRef).current?.focus();
        return true;
      }
      if (action) {
        onAction?.(action);
        return true;
      }
    }
    if (key === 'Enter' && target?.tagName !== 'BUTTON' && target?.tagName !== 'A') {
      formRef.current?.requestSubmit();
      return true;
    }
    return false;
  };

  // Keys held while busy are applied once the next contact is on screen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: replays when sending or reading ends
  useEffect(() => {
    if (busy || waiting || held.current.length === 0) return;
    const keys = held.current;
    held.current = [];
    const timer = window.setTimeout(() => {
      for (const key of keys) apply(key, null);
    }, 0);
    return () => window.clearTimeout(timer);
  }, [busy, waiting, contactId]);

  // Single-key shortcuts, anywhere on the page except while typing in a field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (paused || event.defaultPrevented || event.altKey || event.metaKey || event.ctrlKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (TYPING.has(target.tagName) || target.isContentEditable)) return;
      if (busy || waiting || held.current.length > 0) {
        const kept =
          event.key === 'Enter' ||
          (shortcuts && (BUTTON_BY_KEY.has(event.key.toLowerCase()) || ACTION_BY_KEY.has(event.key)));
        if (kept) {
          event.preventDefault();
          held.current.push(event.key);
        }
        return;
      }
      if (apply(event.key, target)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // Enter logs from a field even while the submit button waits for the time's reading (a
  // disabled default button blocks the browser's own Enter-submits); Esc leaves the field.
  const onFieldKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape') e.currentTarget.blur();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  return (
    <form ref={formRef} className="card outcome-form" onSubmit={onSubmit} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>How did it go?</h2>
      <fieldset className="outcomes">
        <legend className="visually-hidden">Outcome{shortcuts ? ' (press the letter shown)' : ''}</legend>
        {OUTCOME_BUTTONS.map((b) => (
          <button
            type="button"
            key={b.outcome}
            className="outcome"
            aria-pressed={outcome === b.outcome}
            aria-keyshortcuts={shortcuts ? b.key : undefined}
            onClick={() => pick(b.outcome)}
          >
            {shortcuts ? <kbd>{b.key}</kbd> : null} {b.label}
            {outcome === b.outcome ? <span aria-hidden="true"> ✓</span> : null}
          </button>
        ))}
      </fieldset>

      {button && button.time !== 'none' ? (
        <div className="field">
          <label htmlFor={`${ids}-when`}>
            When{button.time === 'may' ? ' (optional)' : ''}
            {button.whenHint ? <span className="muted small"> — {button.whenHint}</span> : null}
          </label>
          <input
            id={`${ids}-when`}
            ref={whenRef}
            value={when}
            placeholder="tomorrow 3pm, back Monday the 19th, in two weeks"
            autoComplete="off"
            aria-describedby={`${ids}-when-preview`}
            onChange={(e) => setWhen(e.target.value)}
            onKeyDown={onFieldKey}
          />
          <p id={`${ids}-when-preview`} className="preview" aria-live="polite">
            {reading.state === 'reading' &&
              (waiting ? 'Reading… it is logged as soon as it is read.' : 'Reading…')}
            {reading.state === 'understood' && (
              <>
                → <strong>{reading.yours}</strong> your time
                {reading.theirs && reading.theirs !== reading.yours ? ` · ${reading.theirs} their time` : ''}
              </>
            )}
            {reading.state === 'not_understood' && <span className="error-text">⚠ {reading.message}</span>}
            {reading.state === 'empty' && missingTime && 'A time is needed for this outcome.'}
          </p>
        </div>
      ) : null}

      <div className="field">
        <label htmlFor={`${ids}-note`}>Note</label>
        <textarea
          id={`${ids}-note`}
          ref={noteRef}
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            } else if (e.key === 'Escape') e.currentTarget.blur();
          }}
        />
      </div>

      <div className="field-row">
        <div className="field grow">
          <label htmlFor={`${ids}-learned`}>New number learned</label>
          <input
            id={`${ids}-learned`}
            ref={learnedRef}
            type="tel"
            value={learnedNumber}
            autoComplete="off"
            placeholder="e.g. their mobile from reception"
            onChange={(e) => setLearnedNumber(e.target.value)}
            onKeyDown={onFieldKey}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-kind`}>Kind</label>
          <select id={`${ids}-kind`} value={learnedKind} onChange={(e) => setLearnedKind(e.target.value)}>
            {['mobile', 'direct', 'assistant', 'main', 'home', 'other'].map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </div>
      </div>

      {error ? (
        <p className="error-text" role="alert">
          ⚠ {error}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={!canLog}>
          Log {button ? `“${button.label}”` : 'outcome'} <kbd>Enter</kbd>
        </button>
      </div>
    </form>
  );
}
