/**
 * The call block's single-key shortcuts beside the outcome keys (outcomes.ts): one list, read
 * by the key handler and by the `?` overlay, so the overlay lists exactly what works. None of
 * these keys is an outcome's.
 */
import { OUTCOME_BUTTONS } from '../outcomes.js';

export type BlockAction = 'dial' | 'note' | 'number' | 'skip' | 'undo' | 'end' | 'help';

export interface BlockKey {
  key: string;
  action: BlockAction;
  label: string;
}

export const BLOCK_KEYS: readonly BlockKey[] = [
  { key: 't', action: 'dial', label: 'Dial the number marked “Dial this one”' },
  { key: 'm', action: 'note', label: 'Write a note (Ctrl+Enter logs from there)' },
  { key: 'l', action: 'number', label: 'Type a new number learned on the call (Enter logs)' },
  { key: 's', action: 'skip', label: 'Skip this call (then 1, 2 or 3 for a reason, Enter for none)' },
  { key: 'u', action: 'undo', label: 'Undo the last call you logged or skipped (for 2 minutes)' },
  { key: 'e', action: 'end', label: 'End the block and see its summary (Enter to confirm)' },
  { key: '?', action: 'help', label: 'Show or hide this list' },
];

export const ACTION_BY_KEY: ReadonlyMap<string, BlockAction> = new Map(
  BLOCK_KEYS.map((k) => [k.key, k.action]),
);

/** Keys that work in fields too, or that are not single letters: always on. */
export const FIELD_KEYS: readonly { keys: string; label: string }[] = [
  { keys: 'Enter', label: 'Log the outcome (in the “When” and “New number” fields too)' },
  { keys: 'Ctrl+Enter', label: 'Log the outcome from the note' },
  { keys: 'Esc', label: 'Leave a field, so single keys work again' },
];

const outcomeKeys = new Set(OUTCOME_BUTTONS.map((b) => b.key));
for (const k of BLOCK_KEYS) {
  if (outcomeKeys.has(k.key)) throw new Error(`shortcut ${k.key} is an outcome's key too`);
}
