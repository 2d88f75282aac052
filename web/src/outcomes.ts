/**
 * The outcome buttons of a call: label, single-key shortcut, and whether the outcome takes a
 * time ("when"). Which outcomes need or accept a time mirrors src/app/log-attempt.ts, which
 * refuses the others.
 */
import { LIVE_OUTCOMES, OUTCOMES, type Outcome } from '../../src/core/cadence/types.js';

export type { Outcome };
export { LIVE_OUTCOMES, OUTCOMES };

export interface OutcomeButton {
  outcome: Outcome;
  label: string;
  key: string;
  /** 'needs': logging refuses it without a time; 'may': a time is optional. */
  time: 'needs' | 'may' | 'none';
  /** Shown under the "when" field. */
  whenHint?: string;
}

export const OUTCOME_BUTTONS: readonly OutcomeButton[] = [
  { outcome: 'connected', label: 'Connected', key: 'c', time: 'none' },
  { outcome: 'voicemail_left', label: 'Left voicemail', key: 'v', time: 'none' },
  { outcome: 'no_answer', label: 'No answer', key: 'n', time: 'none' },
  { outcome: 'voicemail_skipped', label: 'Voicemail, hung up', key: 'h', time: 'none' },
  { outcome: 'busy', label: 'Busy', key: 'b', time: 'none' },
  {
    outcome: 'gatekeeper',
    label: 'Gatekeeper',
    key: 'g',
    time: 'may',
    whenHint: 'when they are back, if said',
  },
  {
    outcome: 'callback_requested',
    label: 'Call me back',
    key: 'r',
    time: 'needs',
    whenHint: 'when they asked to be called',
  },
  { outcome: 'appointment_set', label: 'Appointment', key: 'a', time: 'needs', whenHint: 'the appointment' },
  { outcome: 'away', label: 'Away', key: 'o', time: 'needs', whenHint: 'when they are back' },
  { outcome: 'not_interested', label: 'Not interested', key: 'i', time: 'none' },
  { outcome: 'wrong_person', label: 'Wrong person', key: 'p', time: 'none' },
  { outcome: 'bad_number', label: 'Bad number', key: 'x', time: 'none' },
  { outcome: 'do_not_call', label: 'Do not call', key: 'd', time: 'none' },
  { outcome: 'won', label: 'Won', key: 'w', time: 'none' },
];

export const BUTTON_BY_KEY: ReadonlyMap<string, OutcomeButton> = new Map(
  OUTCOME_BUTTONS.map((b) => [b.key, b]),
);

export const BUTTON_BY_OUTCOME: ReadonlyMap<Outcome, OutcomeButton> = new Map(
  OUTCOME_BUTTONS.map((b) => [b.outcome, b]),
);

export const outcomeLabel = (outcome: string) =>
  BUTTON_BY_OUTCOME.get(outcome as Outcome)?.label ?? outcome.replace(/_/g, ' ');
