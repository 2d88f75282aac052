import type { HolidayCalendar } from '../calling-hours/public-holidays.js';
/**
 * What the cadence engine reads and what it decides. Plain data, so the same inputs always
 * give the same step.
 */

import type { CallerHours } from '../calling-hours/calling-hours.js';
import type { StateRules } from '../calling-hours/state-rules.js';
import type { ContactKind, NumberKind } from '../contact-fields.js';
import type { BestTimeModel, Segment } from '../insights/best-time.js';
import type { CadencePolicy } from './policy.js';

export const OUTCOMES = [
  'connected',
  'gatekeeper',
  'voicemail_left',
  'voicemail_skipped',
  'no_answer',
  'busy',
  'bad_number',
  'wrong_person',
  'callback_requested',
  'appointment_set',
  'away',
  'not_interested',
  'do_not_call',
  'won',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** How an outcome takes a time ("when"): logging refuses it without one, accepts one, or refuses one. */
export type WhenRule = 'needs' | 'may' | 'none';

/**
 * A callback and an appointment are at a time and "away" lasts until one (rules 8–10); reception
 * may say when the contact is back (rule 10). Every other outcome is logged without a time.
 */
export function whenRule(outcome: Outcome): WhenRule {
  switch (outcome) {
    case 'callback_requested':
    case 'appointment_set':
    case 'away':
      return 'needs';
    case 'gatekeeper':
      return 'may';
    default:
      return 'none';
  }
}

export const ENROLLMENT_STATES = [
  'new',
  'active',
  'snoozed',
  'appointment',
  'won',
  'lost',
  'unreachable',
  'dnc',
] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];

export type Urgency = 'high' | 'normal' | 'low';
export type VoicemailScript = 'intro' | 'follow_up' | 'break_up';
export type ExperimentArm = 'leave' | 'skip';

/** Outcomes in which the contact was on the line. */
export const LIVE_OUTCOMES: ReadonlySet<Outcome> = new Set([
  'connected',
  'callback_requested',
  'appointment_set',
  'not_interested',
  'do_not_call',
  'won',
]);

/** Outcomes that reached nobody and left no message: rule 1. */
export const NO_MESSAGE_OUTCOMES: ReadonlySet<Outcome> = new Set(['no_answer', 'busy', 'voicemail_skipped']);

export interface CadenceAttempt {
  at: number;
  outcome: Outcome;
  /** The number dialled. */
  number: string | null;
  voicemailLeft: boolean;
  script: VoicemailScript | null;
  /** Time the outcome named: callback, appointment, return date. */
  scheduledFor: number | null;
}

export interface CadenceNumber {
  e164: string;
  kind: NumberKind;
  /** False once a call proved it dead. */
  valid: boolean;
  /** On the workspace do-not-call list. */
  doNotCall: boolean;
}

export interface CadenceContact {
  name: string;
  kind: ContactKind;
  /** Resolved IANA zone (contact, else number, else workspace). */
  zone: string;
  /** USPS state code for consumer rules, or null. */
  state: string | null;
  doNotCall: boolean;
  numbers: CadenceNumber[];
}

export interface CadenceEnrollment {
  id: number;
  state: EnrollmentState;
  putOffs: number;
  flagged: boolean;
  experimentArm: ExperimentArm | null;
}

export interface CadenceInput {
  enrollment: CadenceEnrollment;
  /** This enrollment's attempts, oldest first, including the one just logged. */
  history: readonly CadenceAttempt[];
  contact: CadenceContact;
  campaign: { id: number; urgency: Urgency; policy: CadencePolicy };
  stateRules: StateRules;
  holidays?: ReadonlySet<string>;
  /** The workspace's holiday calendar (calling-hours CallingContext.calendar). */
  calendar?: HolidayCalendar;
  /** The own hours of whoever makes the next call, when they set some. */
  caller?: CallerHours;
  /**
   * What has been learned about when this contact's segment answers. Used only when the
   * campaign learns (policy.learnBestTime); `seed` varies the sampling stream between runs.
   */
  bestTime?: { model: BestTimeModel; segment: Segment; seed?: number };
  now: number;
}

export interface VoicemailDecision {
  leave: boolean;
  script: VoicemailScript | null;
  why: string;
}

export interface NextStep {
  state: EnrollmentState;
  /** When the next attempt is due; null when the enrollment has left the queue. */
  dueAt: number | null;
  /** What kind of call is due: it places the enrollment in the queue. */
  dueKind: 'appointment' | 'callback' | 'retry' | 'fresh' | null;
  /** The number to dial next. */
  number: string | null;
  voicemail: VoicemailDecision;
  priority: number;
  putOffs: number;
  flagged: boolean;
  experimentArm: ExperimentArm | null;
  /** Rule 2: the contact stays on the caller's callback list until then. */
  callbackListUntil: number | null;
  /** Rule by rule, in words a rep reads. */
  reasons: string[];
}
