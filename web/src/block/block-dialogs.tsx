/**
 * The call block's dialogs: skipping a call (with an optional reason, one key each), ending
 * the block, and the list of every shortcut, where single-key shortcuts are turned on or off (WCAG 2.1.4).
 * Native modal dialogs: focus stays inside, Esc closes.
 */
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { SKIP_REASONS, type SkipReason, skipReasonWords } from '../../../src/core/block/skip.js';
import { OUTCOME_BUTTONS } from '../outcomes.js';
import { BLOCK_KEYS, FIELD_KEYS } from './shortcuts.js';

function Modal({
  title,
  onClose,
  onKeyDown,
  children,
}: {
  title: string;
  onClose: () => void;
  onKeyDown?: (event: React.KeyboardEvent<HTMLDialogElement>) => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first button; the dialog's default action is the one Enter should take.
    dialog?.querySelector<HTMLElement>('[data-default]')?.focus();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="card block-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={onKeyDown}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}

export function SkipDialog({
  name,
  onSkip,
  onCancel,
}: {
  name: string;
  onSkip: (reason: SkipReason | null) => void;
  onCancel: () => void;
}) {
  return (
    <Modal
      title={`Skip ${name || 'this call'}?`}
      onClose={onCancel}
      onKeyDown={(event) => {
        const reason = SKIP_REASONS[Number(event.key) - 1];
        if (reason && !event.ctrlKey && !event.altKey && !event.metaKey) {
          event.preventDefault();
          onSkip(reason);
        }
      }}
    >
      <p className="muted small">
        They keep their place in the cadence and come back after this block. The skip counts in your summary.
      </p>
      <div className="stack skip-choices">
        {SKIP_REASONS.map((reason, i) => (
          <button type="button" key={reason} onClick={() => onSkip(reason)}>
            <kbd>{i + 1}</kbd> {skipReasonWords(reason)[0]!.toUpperCase() + skipReasonWords(reason).slice(1)}
          </button>
        ))}
        {/* Focused first: Enter skips without a reason. */}
        <button type="button" className="primary" data-default onClick={() => onSkip(null)}>
          Skip without a reason <kbd>Enter</kbd>
        </button>
        <button type="button" onClick={onCancel}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </Modal>
  );
}

export function EndDialog({ onEnd, onCancel }: { onEnd: () => void; onCancel: () => void }) {
  return (
    <Modal title="End the call block now?" onClose={onCancel}>
      <p className="muted small">
        You will see its summary. Calls leased for the block go back to your team.
      </p>
      <div className="actions">
        <button type="button" className="primary" data-default onClick={onEnd}>
          End the block <kbd>Enter</kbd>
        </button>
        <button type="button" onClick={onCancel}>
          Keep calling <kbd>Esc</kbd>
        </button>
      </div>
    </Modal>
  );
}

export function ShortcutsDialog({
  enabled,
  onToggle,
  onClose,
}: {
  enabled: boolean;
  onToggle: (enabled: boolean) => void;
  onClose: () => void;
}) {
  const id = useId();
  return (
    <Modal
      title="Keyboard shortcuts"
      onClose={onClose}
      onKeyDown={(event) => {
        if (event.key === '?') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <p className="field-row">
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={enabled}
          onChange={(event) => onToggle(event.target.checked)}
        />
        <label htmlFor={`${id}-on`}>
          Single-key shortcuts on <span className="muted small">(kept with your account)</span>
        </label>
      </p>
      {enabled ? null : (
        <p className="muted small">
          Off: letters type nothing on the page. Use Tab and the buttons; Enter still logs an outcome.
        </p>
      )}
      <div className="shortcut-columns">
        <table className="shortcuts">
          <caption>Outcomes</caption>
          <tbody>
            {OUTCOME_BUTTONS.map((b) => (
              <tr key={b.key}>
                <td>
                  <kbd>{b.key}</kbd>
                </td>
                <td>{b.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="shortcuts">
          <caption>The block</caption>
          <tbody>
            {BLOCK_KEYS.map((k) => (
              <tr key={k.key}>
                <td>
                  <kbd>{k.key}</kbd>
                </td>
                <td>{k.label}</td>
              </tr>
            ))}
            {FIELD_KEYS.map((k) => (
              <tr key={k.keys}>
                <td>
                  <kbd>{k.keys}</kbd>
                </td>
                <td>{k.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="primary" onClick={onClose}>
        Close <kbd>Esc</kbd>
      </button>
    </Modal>
  );
}
