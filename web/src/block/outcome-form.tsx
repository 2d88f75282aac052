/**
 * How the call went: one key picks the outcome (the buttons show their key), a time in words
 * when the outcome takes one (previewed as the server reads it), a note, a number learned on
 * the call. Enter logs it; in the note, Ctrl+Enter does.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { BUTTON_BY_KEY, BUTTON_BY_OUTCOME, OUTCOME_BUTTONS, type Outcome } from '../outcomes.js';
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
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function OutcomeForm({ contactId, busy, error, onLog }: Props) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [when, setWhen] = useState('');
  const [note, setNote] = useState('');
  const [learnedNumber, setLearnedNumber] = useState('');
  const [learnedKind, setLearnedKind] = useState('mobile');
  const whenRef = useRef<HTMLInputElement>(null);
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

  const submit = () => {
    if (!canLog || outcome === null) return;
    onLog({ outcome, when: button?.time === 'none' ? '' : when, note, learnedNumber, learnedKind });
  };

  const pick = (next: Outcome) => {
    // Rendered at once and focused in the same keystroke, so the letters typed next go into
    // the "when" field and are never read as shortcuts.
    flushSync(() => setOutcome(next));
    const b = BUTTON_BY_OUTCOME.get(next);
    if (b && b.time !== 'none') whenRef.current?.focus();
  };

  // Single-key shortcuts, anywhere on the page except while typing in a field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.metaKey || event.ctrlKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (TYPING.has(target.tagName) || target.isContentEditable)) return;
      const b = BUTTON_BY_KEY.get(event.key.toLowerCase());
      if (b) {
        event.preventDefault();
        pick(b.outcome);
      } else if (event.key === 'Enter' && target?.tagName !== 'BUTTON' && target?.tagName !== 'A') {
        event.preventDefault();
        formRef.current?.requestSubmit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  return (
    <form ref={formRef} className="card outcome-form" onSubmit={onSubmit} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>How did it go?</h2>
      <fieldset className="outcomes">
        <legend className="visually-hidden">Outcome (press the letter shown)</legend>
        {OUTCOME_BUTTONS.map((b) => (
          <button
            type="button"
            key={b.outcome}
            className="outcome"
            aria-pressed={outcome === b.outcome}
            aria-keyshortcuts={b.key}
            onClick={() => pick(b.outcome)}
          >
            <kbd>{b.key}</kbd> {b.label}
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
            onKeyDown={(e) => {
              if (e.key === 'Escape') e.currentTarget.blur();
            }}
          />
          <p id={`${ids}-when-preview`} className="preview" aria-live="polite">
            {reading.state === 'reading' && 'Reading…'}
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
            type="tel"
            value={learnedNumber}
            autoComplete="off"
            placeholder="e.g. their mobile from reception"
            onChange={(e) => setLearnedNumber(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') e.currentTarget.blur();
            }}
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
