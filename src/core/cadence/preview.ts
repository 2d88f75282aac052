/**
 * The schedule a campaign gives a contact who never answers: the first call at the first
 * moment its window allows, then each call at the time the real cadence engine (next-step.ts)
 * picks after "nobody picked up" — a voicemail when the policy leaves one, else a hang-up at
 * the beep — until the engine stops (the attempt limit). What the Campaigns page shows as
 * "Tue 10:30 voicemail · Thu 15:10 · Mon 09:40 · …". Pure: `from` is an argument.
 *
 *   previewSchedule({ policy, urgency: 'normal', zone: 'America/Chicago', kind: 'business',
 *                     stateRules, from: Date.parse('2026-11-23T14:00:00Z') })
 */
import { type CallingContext, nextAllowedAt, windowFor } from '../calling-hours/calling-hours.js';
import type { HolidayCalendar } from '../calling-hours/public-holidays.js';
import type { StateRules } from '../calling-hours/state-rules.js';
import type { ContactKind } from '../contact-fields.js';
import { monthName, weekdayName } from '../time/bands.js';
import { formatHhmm, localParts } from '../time/zoned.js';
import { nextStep } from './next-step.js';
import type { CadencePolicy } from './policy.js';
import type { CadenceAttempt, ExperimentArm, NextStep, Urgency, VoicemailScript } from './types.js';

export interface PreviewInput {
  policy: CadencePolicy;
  urgency: Urgency;
  /** The sample contact's IANA zone. */
  zone: string;
  kind: ContactKind;
  /** USPS state code for consumer rules, or null. */
  state?: string | null;
  stateRules: StateRules;
  holidays?: ReadonlySet<string>;
  calendar?: HolidayCalendar;
  /** The contact enters the queue at this instant. */
  from: number;
  /** Under the voicemail experiment: which arm to show. Default `leave`. */
  arm?: ExperimentArm;
}

export interface PreviewCall {
  attempt: number;
  at: number;
  /** Contact-local "Tue 24 Nov" and "10:30". */
  day: string;
  time: string;
  /** The voicemail left on this call, or null when the caller hangs up at the beep. */
  voicemail: VoicemailScript | null;
  /** The engine's reasons for this call's time (empty for the first call). */
  why: string;
}

export interface SchedulePreview {
  calls: PreviewCall[];
  /** Where the enrollment ends after the last call: `unreachable` at the limit. */
  endState: NextStep['state'];
  /** The engine's words for the end. */
  end: string;
}

/** A sample contact with one direct number: the preview is about times, not numbers. */
const SAMPLE_NUMBER = '+12125550101';
/** Time between placing a call and logging its outcome. */
const LOGGED_AFTER = 2 * 60_000;
/** A runaway guard far above any allowed attempt limit (50). */
const MAX_CALLS = 60;

export function previewSchedule(input: PreviewInput): SchedulePreview {
  const { policy, zone } = input;
  const contact = {
    name: 'the contact',
    kind: input.kind,
    zone,
    state: input.state ?? null,
    doNotCall: false,
    numbers: [{ e164: SAMPLE_NUMBER, kind: 'direct' as const, valid: true, doNotCall: false }],
  };
  const enrollment = {
    id: 1,
    state: 'new' as const,
    putOffs: 0,
    flagged: false,
    experimentArm: policy.voicemail === 'experiment' ? (input.arm ?? 'leave') : null,
  };
  const ctx: CallingContext = {
    zone,
    kind: input.kind,
    state: contact.state,
    window: windowFor(policy, input.kind),
    stateRules: input.stateRules,
    ...(input.holidays ? { holidays: input.holidays } : {}),
    ...(input.calendar ? { calendar: input.calendar } : {}),
  };
  const decide = (history: readonly CadenceAttempt[], now: number) =>
    nextStep({
      enrollment,
      history,
      contact,
      campaign: { id: 1, urgency: input.urgency, policy },
      stateRules: input.stateRules,
      ...(input.holidays ? { holidays: input.holidays } : {}),
      ...(input.calendar ? { calendar: input.calendar } : {}),
      now,
    });

  const history: CadenceAttempt[] = [];
  const calls: PreviewCall[] = [];
  let step = decide(history, input.from);
  let at = nextAllowedAt(input.from, ctx);
  let why = '';
  while (at !== null && calls.length < MAX_CALLS) {
    const script = step.voicemail.leave ? step.voicemail.script : null;
    const local = localParts(at, zone);
    calls.push({
      attempt: calls.length + 1,
      at,
      day: `${weekdayName(local.weekday, true)} ${local.day} ${monthName(local.month)}`,
      time: formatHhmm(local.minutesOfDay),
      voicemail: script,
      why,
    });
    history.push({
      at,
      outcome: script ? 'voicemail_left' : 'voicemail_skipped',
      number: SAMPLE_NUMBER,
      voicemailLeft: script !== null,
      script,
      scheduledFor: null,
    });
    step = decide(history, at + LOGGED_AFTER);
    at = step.dueAt;
    why = step.reasons[0] ?? '';
  }
  return { calls, endState: step.state, end: step.reasons.join('; ') };
}
