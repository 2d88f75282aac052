/**
 * The cadence engine: given an enrollment, its attempts, the contact and the campaign policy,
 * decide the next step — when, on which number, with or without a voicemail, in which state —
 * and say why, rule by rule, in words a rep reads. Pure: `now` is an argument.
 *
 * The rules are DESIGN.md's "Cadence rules", numbered the same way in the reasons. This file
 * decides whether the cadence goes on at all; retry-plan.ts decides when, once it does.
 */

import { type CallingContext, windowFor, withCallerHours } from '../calling-hours/calling-hours.js';
import { describeLocal } from '../time/bands.js';
import { Decision } from './decision.js';
import { chooseNumber, usableNumbers } from './numbers.js';
import { RetryPlan } from './retry-plan.js';
import type { CadenceAttempt, CadenceInput, ExperimentArm, NextStep, Outcome } from './types.js';
import { LIVE_OUTCOMES } from './types.js';
import { breakUpLeft, decideVoicemail, experimentArm } from './voicemail.js';

export const OUTCOME_WORDS: Record<Outcome, string> = {
  connected: 'Talked',
  gatekeeper: 'Reached the gatekeeper',
  voicemail_left: 'Voicemail left',
  voicemail_skipped: 'Reached voicemail, no message',
  no_answer: 'No answer',
  busy: 'Busy',
  bad_number: 'Bad number',
  wrong_person: 'Wrong person',
  callback_requested: 'Asked to be called back',
  appointment_set: 'Appointment set',
  away: 'Away',
  not_interested: 'Not interested',
  do_not_call: 'Asked not to be called',
  won: 'Won',
};

export { URGENCY_PRIORITY } from './decision.js';

export function nextStep(input: CadenceInput): NextStep {
  const { enrollment, history, contact, campaign, now } = input;
  const policy = campaign.policy;
  const arm: ExperimentArm | null =
    enrollment.experimentArm ??
    (policy.voicemail === 'experiment' ? experimentArm(enrollment.id, campaign.id) : null);
  const contactCtx: CallingContext = {
    zone: contact.zone,
    kind: contact.kind,
    state: contact.state,
    window: windowFor(policy, contact.kind),
    stateRules: input.stateRules,
    name: contact.name,
    ...(input.holidays ? { holidays: input.holidays } : {}),
    ...(input.calendar ? { calendar: input.calendar } : {}),
  };
  const ctx = input.caller ? (withCallerHours(contactCtx, input.caller, now) ?? contactCtx) : contactCtx;
  const decision = new Decision(input, ctx, arm);
  if (input.caller && ctx === contactCtx) {
    decision.reasons.push(
      `your own calling hours never meet ${contact.name}'s window — planned in their window alone`,
    );
  }

  const last = history.at(-1);
  const lastWords = last ? `${OUTCOME_WORDS[last.outcome]} ${describeLocal(last.at, contact.zone, now)}` : '';

  // Rule 13: never queued again, by anyone.
  if (last?.outcome === 'do_not_call')
    return decision.leave('dnc', `${lastWords} — on the do-not-call list, never called again (rule 13)`);
  if (contact.doNotCall || enrollment.state === 'dnc' || history.some((a) => a.outcome === 'do_not_call')) {
    return decision.leave('dnc', 'on the do-not-call list — never called again (rule 13)');
  }
  if (last?.outcome === 'won') return decision.leave('won', `${lastWords} — done (rule 5)`);
  if (last?.outcome === 'not_interested')
    return decision.leave('lost', `${lastWords} — not interested, leaves the queue (rule 5)`);

  if (usableNumbers(contact.numbers, history).length === 0) {
    return decision.leave(
      contact.numbers.some((n) => n.doNotCall) && contact.numbers.every((n) => n.doNotCall || !n.valid)
        ? 'dnc'
        : 'unreachable',
      `${lastWords ? `${lastWords} — ` : ''}no number left to dial (rule 11)`,
    );
  }

  if (!last) {
    const choice = chooseNumber(contact.numbers, history, policy.directAttemptsBeforeMobile);
    decision.reasons.push(`never called — a fresh prospect; dial the ${choice.why}`);
    return decision.result({
      state: 'new',
      dueAt: null,
      dueKind: 'fresh',
      number: choice.number,
      voicemail: decideVoicemail(policy, history, arm),
    });
  }

  // Rule 8: a scheduled call that did not reach them is a put-off.
  const previous = history.at(-2);
  if (
    previous &&
    (previous.outcome === 'callback_requested' || previous.outcome === 'appointment_set') &&
    previous.scheduledFor !== null &&
    !LIVE_OUTCOMES.has(last.outcome)
  ) {
    decision.putOff(
      previous.outcome === 'appointment_set'
        ? 'Missed the appointment'
        : 'Not reached at the time they asked',
    );
  }

  // Rule 5: the line in the sand, counted since the last live conversation, or since the
  // contact came back from an absence (rule 10 before rule 5: being away is news, not a failure).
  const lastLiveIndex = findLastIndex(history, (a) => LIVE_OUTCOMES.has(a.outcome));
  const lastAwayIndex = findLastIndex(history, hasReturnDate);
  const counted = history.length - 1 - Math.max(lastLiveIndex, lastAwayIndex);
  if (counted >= policy.attemptLimit) {
    const what =
      lastAwayIndex > lastLiveIndex
        ? 'attempts since their return, without a conversation,'
        : 'attempts without a conversation';
    return decision.leave(
      'unreachable',
      `${lastWords} — ${counted} ${what} reached the limit of ${policy.attemptLimit}; moving on (rule 5)`,
    );
  }

  // Rule 7: the break-up said this was the last message, so it is.
  if (breakUpLeft(history.slice(lastLiveIndex + 1))) {
    return decision.leave(
      'unreachable',
      `${lastWords} — the break-up message is left, so no more calls; moving on (rule 7)`,
    );
  }

  return new RetryPlan(decision, last, lastWords).plan();
}

/** Rule 10: the attempt learned when the contact is back (away, or reception's "out until …"). */
function hasReturnDate(a: CadenceAttempt): boolean {
  return (a.outcome === 'away' || a.outcome === 'gatekeeper') && a.scheduledFor !== null;
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

export type { CadenceAttempt };
