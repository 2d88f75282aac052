/**
 * The outcome buttons of a call: label, single-key shortcut, and whether the outcome takes a
 * time ("when"), which is core's rule (whenRule), the one logging an attempt enforces.
 */
import {
  LIVE_OUTCOMES,
  OUTCOMES,
  type Outcome,
  type WhenRule,
  whenRule,
} from '../../src/core/cadence/types.js';

export type { Outcome };
export { LIVE_OUTCOMES, OUTCOMES };

export interface OutcomeButton {
  outcome: Outcome;
  label: string;
  key: string;
  /** 'needs': logging refuses it without a time; 'may': a time is optional. */
  time: WhenRule;
  /** Shown under the "when" field. */
  whenHint?: string;
}

const BUTTONS: readonly Omit<OutcomeButton, 'time'>[] = [
  { outcome: 'connected', label: 'Connected', key: 'c' },
  { outcome: 'voicemail_left', label: 'Left voicemail', key: 'v' },
  { outcome: 'no_answer', label: 'No answer', key: 'n' },
  { outcome: 'voicemail_skipped', label: 'Voicemail, hung up', key: 'h' },
  { outcome: 'busy', label: 'Busy', key: 'b' },
  {
    outcome: 'gatekeeper',
    label: 'Gatekeeper',
    key: 'g',
    whenHint: 'when they are back, if said',
  },
  {
    outcome: 'callback_requested',
    label: 'Call me back',
    key: 'r',
    whenHint: 'when they asked to be called',
  },
  { outcome: 'appointment_set', label: 'Appointment', key: 'a', whenHint: 'the appointment' },
  { outcome: 'away', label: 'Away', key: 'o', whenHint: 'when they are back' },
  { outcome: 'not_interested', label: 'Not interested', key: 'i' },
  { outcome: 'wrong_person', label: 'Wrong person', key: 'p' },
  { outcome: 'bad_number', label: 'Bad number', key: 'x' },
  { outcome: 'do_not_call', label: 'Do not call', key: 'd' },
  { outcome: 'won', label: 'Won', key: 'w' },
];

export const OUTCOME_BUTTONS: readonly OutcomeButton[] = BUTTONS.map((b) => ({
  ...b,
  time: whenRule(b.outcome),
}));

export const BUTTON_BY_KEY: ReadonlyMap<string, OutcomeButton> = new Map(
  OUTCOME_BUTTONS.map((b) => [b.key, b]),
);

export const BUTTON_BY_OUTCOME: ReadonlyMap<Outcome, OutcomeButton> = new Map(
  OUTCOME_BUTTONS.map((b) => [b.outcome, b]),
);

export const outcomeLabel = (outcome: string) =>
  BUTTON_BY_OUTCOME.get(outcome as Outcome)?.label ?? outcome.replace(/_/g, ' ');
