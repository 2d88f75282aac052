/**
 * The cadence engine: given an enrollment, its attempts, the contact and the campaign policy,
 * decide the next step — when, on which number, with or without a voicemail, in which state —
 * and say why, rule by rule, in words a rep reads. Pure: `now` is an argument.
 *
 * The rules are DESIGN.md's "Cadence rules", numbered the same way in the reasons.
 */

import { requestedCallbackUntil, voicemailListUntil } from '../callbacks/rules.js';
import {
  type CallingContext,
  callingWindowsOn,
  capWords,
  isAllowedAt,
  legalBound,
  nextAllowedAt,
  windowFor,
  withCallerHours,
} from '../calling-hours/calling-hours.js';
import { mulberry32 } from '../random.js';
import { describeLocal, describeSlot } from '../time/bands.js';
import { addBusinessDays, addDays, localParts } from '../time/zoned.js';
import { assertUnreachable } from '../unreachable.js';
import { unitHash } from './hash.js';
import { chooseNumber, usableNumbers } from './numbers.js';
import { bandsAndWeekdays, type LearnedTiming, pickSlot } from './slots.js';
import type { CadenceAttempt, CadenceInput, ExperimentArm, NextStep, Outcome, Urgency } from './types.js';
import { LIVE_OUTCOMES } from './types.js';
import { breakUpLeft, decideVoicemail, experimentArm } from './voicemail.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Base queue priority by campaign urgency; put-offs lower it. */
export const URGENCY_PRIORITY: Record<Urgency, number> = { high: 20, normal: 10, low: 0 };

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

export function nextStep(input: CadenceInput): NextStep {
  const { enrollment, history, contact, campaign, now } = input;
  const policy = campaign.policy;
  const zone = contact.zone;
  const arm: ExperimentArm | null =
    enrollment.experimentArm ??
    (policy.voicemail === 'experiment' ? experimentArm(enrollment.id, campaign.id) : null);
  const contactCtx: CallingContext = {
    zone,
    kind: contact.kind,
    state: contact.state,
    window: windowFor(policy, contact.kind),
    stateRules: input.stateRules,
    name: contact.name,
    ...(input.holidays ? { holidays: input.holidays } : {}),
    ...(input.calendar ? { calendar: input.calendar } : {}),
  };
  const capAttempts = history.map((a) => a.at);
  const reasons: string[] = [];
  const ctx = input.caller ? (withCallerHours(contactCtx, input.caller, now) ?? contactCtx) : contactCtx;
  if (input.caller && ctx === contactCtx) {
    reasons.push(
      `your own calling hours never meet ${contact.name}'s window — planned in their window alone`,
    );
  }
  let putOffs = enrollment.putOffs;
  let flagged = enrollment.flagged;
  // Rule 8: only repeated put-offs (maxPutOffs of them) lower the priority.
  const priority = () =>
    URGENCY_PRIORITY[campaign.urgency] - (putOffs >= Math.max(1, policy.maxPutOffs) ? putOffs * 5 : 0);

  const base = {
    putOffs,
    flagged,
    experimentArm: arm,
    callbackListUntil: null as number | null,
  };
  const leave = (state: NextStep['state'], why: string): NextStep => {
    reasons.push(why);
    return {
      ...base,
      putOffs,
      flagged,
      state,
      dueAt: null,
      dueKind: null,
      number: null,
      voicemail: { leave: false, script: null, why: 'no further calls' },
      priority: priority(),
      reasons,
    };
  };

  const last = history.at(-1);
  const lastWords = last ? `${OUTCOME_WORDS[last.outcome]} ${describeLocal(last.at, zone, now)}` : '';

  // Rule 13: never queued again, by anyone.
  if (last?.outcome === 'do_not_call')
    return leave('dnc', `${lastWords} — on the do-not-call list, never called again (rule 13)`);
  if (contact.doNotCall || enrollment.state === 'dnc' || history.some((a) => a.outcome === 'do_not_call')) {
    return leave('dnc', 'on the do-not-call list — never called again (rule 13)');
  }
  if (last?.outcome === 'won') return leave('won', `${lastWords} — done (rule 5)`);
  if (last?.outcome === 'not_interested')
    return leave('lost', `${lastWords} — not interested, leaves the queue (rule 5)`);

  const usable = usableNumbers(contact.numbers, history);
  if (usable.length === 0) {
    return leave(
      contact.numbers.some((n) => n.doNotCall) && contact.numbers.every((n) => n.doNotCall || !n.valid)
        ? 'dnc'
        : 'unreachable',
      `${lastWords ? `${lastWords} — ` : ''}no number left to dial (rule 11)`,
    );
  }

  if (!last) {
    const choice = chooseNumber(contact.numbers, history, policy.directAttemptsBeforeMobile);
    reasons.push(`never called — a fresh prospect; dial the ${choice.why}`);
    return {
      ...base,
      state: 'new',
      dueAt: null,
      dueKind: 'fresh',
      number: choice.number,
      voicemail: decideVoicemail(policy, history, arm),
      priority: priority(),
      reasons,
    };
  }

  // Rule 8: a scheduled call that did not reach them is a put-off.
  const previous = history.at(-2);
  if (
    previous &&
    (previous.outcome === 'callback_requested' || previous.outcome === 'appointment_set') &&
    previous.scheduledFor !== null &&
    !LIVE_OUTCOMES.has(last.outcome)
  ) {
    putOffs += 1;
    reasons.push(
      `${previous.outcome === 'appointment_set' ? 'Missed the appointment' : 'Not reached at the time they asked'} — put-off ${putOffs} (rule 8)`,
    );
    if (putOffs >= policy.maxPutOffs && !flagged) {
      flagged = true;
      reasons.push(`${putOffs} put-offs: priority lowered and flagged for review (rule 8)`);
    }
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
    return leave(
      'unreachable',
      `${lastWords} — ${counted} ${what} reached the limit of ${policy.attemptLimit}; moving on (rule 5)`,
    );
  }

  // Rule 7: the break-up said this was the last message, so it is.
  if (breakUpLeft(history.slice(lastLiveIndex + 1))) {
    return leave(
      'unreachable',
      `${lastWords} — the break-up message is left, so no more calls; moving on (rule 7)`,
    );
  }

  const choice = chooseNumber(contact.numbers, history, policy.directAttemptsBeforeMobile);
  const voicemail = decideVoicemail(policy, history, arm);
  const step = (
    state: NextStep['state'],
    dueAt: number | null,
    dueKind: NextStep['dueKind'],
    why: string,
    callbackListUntil: number | null = null,
  ): NextStep => {
    reasons.push(why);
    if (dueAt !== null && learnedWhy !== null && dueKind === 'retry') reasons.push(learnedWhy);
    if (dueAt !== null && dueKind !== 'appointment' && dueKind !== 'callback') {
      reasons.push(`dial the ${choice.why} (rule 11); ${voicemail.why} (rules 6–7)`);
    }
    return {
      ...base,
      putOffs,
      flagged,
      state,
      dueAt,
      dueKind,
      number: choice.number,
      voicemail,
      priority: priority(),
      callbackListUntil,
      reasons,
    };
  };
  const noTime = (why: string) =>
    step('active', null, null, `${why}; no calling hours in the next weeks — check the campaign window`);

  const today = localParts(now, zone).dateKey;
  const lastDay = localParts(last.at, zone).dateKey;
  const nextAttempt = history.length + 1;
  const unanswered = history.filter((a) => !LIVE_OUTCOMES.has(a.outcome)).map((a) => a.at);
  const avoid = bandsAndWeekdays(unanswered, zone);
  const jitter = unitHash('slot', enrollment.id, history.length);
  const learning: LearnedTiming | undefined =
    policy.learnBestTime && input.bestTime
      ? {
          model: input.bestTime.model,
          segment: input.bestTime.segment,
          // Seeded by the decision, so the same inputs always give the same plan.
          random: mulberry32(
            Math.floor(
              unitHash('best-time', enrollment.id, history.length, input.bestTime.seed ?? 0) * 2 ** 32,
            ),
          ),
        }
      : undefined;
  // Why the learned choice was made, when it was (said with the next step's reasons).
  let learnedWhy: string | null = null;
  const slot = (earliest: number, fromDay: string, toDay: string) => {
    const picked = pickSlot({
      earliest,
      fromDay,
      toDay,
      ctx,
      avoidBands: avoid.bands,
      avoidWeekdays: avoid.weekdays,
      capAttempts,
      jitter,
      ...(learning ? { learned: learning } : {}),
    });
    learnedWhy = picked.learned;
    return picked.at;
  };
  const workdays = ctx.window.days;

  // Rule 3: from the fourth attempt on, spacing follows urgency.
  const spaced = (why: string): NextStep => {
    const range = policy.spacingDays[campaign.urgency];
    const min = Math.ceil(range.min);
    const max = Math.max(min, Math.floor(range.max));
    const at = slot(
      Math.max(now, last.at + min * DAY - 12 * HOUR),
      addDays(lastDay, min),
      addDays(lastDay, max),
    );
    if (at === null) return noTime(why);
    return step(
      'active',
      at,
      'retry',
      `${why} — attempt ${nextAttempt} ${describeSlot(at, zone, now)}: ${campaign.urgency} urgency spaces calls ${range.min}–${range.max} days apart (rule 3)`,
    );
  };

  // Rule 8 and 9 keep the time the contact chose, even outside the campaign's window; rule 12's
  // legal bound still holds, so a time outside it moves to the first moment inside.
  const legal = legalBound(ctx);
  const contactTime = (asked: number): { at: number | null; moved: string | null } => {
    const allowed = isAllowedAt(asked, legal);
    if (allowed.ok) return { at: asked, moved: null };
    const at = nextAllowedAt(asked, legal);
    const words = at === null ? '' : `; calling at the first time it allows, ${describeLocal(at, zone, now)}`;
    return {
      at,
      moved: `asked for ${describeLocal(asked, zone, now)}, but ${allowed.reason} (rule 12)${words}`,
    };
  };

  const outcome = last.outcome;
  switch (outcome) {
    case 'callback_requested': {
      if (last.scheduledFor === null) return spaced(`${lastWords}, no time given`);
      const asked = contactTime(last.scheduledFor);
      if (asked.at === null) return noTime(lastWords);
      if (asked.moved !== null) {
        return step(
          'active',
          asked.at,
          'callback',
          `${lastWords} — ${asked.moved} (rule 8)`,
          requestedCallbackUntil(asked.at),
        );
      }
      return step(
        'active',
        last.scheduledFor,
        'callback',
        `${lastWords} — calling back exactly when they asked, ${describeLocal(last.scheduledFor, zone, now)} (rule 8)`,
        requestedCallbackUntil(last.scheduledFor),
      );
    }
    case 'appointment_set': {
      if (last.scheduledFor === null) return spaced(`${lastWords}, no time given`);
      const asked = contactTime(last.scheduledFor);
      if (asked.at === null) return noTime(lastWords);
      if (asked.moved !== null) {
        return step(
          'appointment',
          asked.at,
          'appointment',
          `${lastWords} — ${asked.moved}; top of the queue from ${policy.appointmentLeadMinutes} minutes before (rule 9)`,
        );
      }
      return step(
        'appointment',
        last.scheduledFor,
        'appointment',
        `${lastWords} — phone appointment ${describeLocal(last.scheduledFor, zone, now)}; top of the queue from ${policy.appointmentLeadMinutes} minutes before (rule 9)`,
      );
    }
    case 'away':
    case 'gatekeeper': {
      if (last.scheduledFor !== null) {
        const back = localParts(Math.max(last.scheduledFor, now), zone).dateKey;
        const at = slot(Math.max(now, last.scheduledFor), back, addBusinessDays(back, 1, workdays));
        if (at === null) return noTime(lastWords);
        return step(
          'snoozed',
          at,
          'retry',
          `${lastWords} — out until ${describeLocal(last.scheduledFor, zone, now).replace(/ \d\d:\d\d$/, '')}; snoozed, next try ${describeSlot(at, zone, now)} (rule 10); the limit of ${policy.attemptLimit} attempts counts the calls after their return (rule 5)`,
        );
      }
      if (outcome === 'away') return spaced(`${lastWords}, no return date`);
      return noMessage(`${lastWords}`);
    }
    case 'voicemail_left': {
      if (nextAttempt >= policy.urgencySpacingFromAttempt) {
        const s = spaced(lastWords);
        return { ...s, callbackListUntil: callbackListUntil(s.dueAt, last.at, policy.callbackListMinDays) };
      }
      const { min, max } = policy.afterVoicemailBusinessDays;
      const from = addBusinessDays(lastDay, Math.max(1, Math.ceil(min)), workdays);
      const to = addBusinessDays(lastDay, Math.max(1, Math.floor(max)), workdays);
      const at = slot(now, from, to);
      if (at === null) return noTime(lastWords);
      return step(
        'active',
        at,
        'retry',
        `${lastWords} — trying again ${describeSlot(at, zone, now)}, ${min}–${max} business days after a voicemail (rule 2); on your callback list meanwhile`,
        callbackListUntil(at, last.at, policy.callbackListMinDays),
      );
    }
    case 'no_answer':
    case 'busy':
    case 'voicemail_skipped':
    case 'bad_number':
    case 'wrong_person':
      return noMessage(lastWords);
    case 'connected':
      return spaced(`${lastWords}, no next step set`);
    default:
      return assertUnreachable(outcome, 'outcome');
  }

  // Rule 1: no message left — the same day if 3 hours of the window remain (at most twice a day), else the next business day.
  function noMessage(why: string): NextStep {
    if (nextAttempt >= policy.urgencySpacingFromAttempt) return spaced(why);
    const todayAttempts = history.filter((a) => localParts(a.at, zone).dateKey === today).length;
    const gap = Math.max(now, last!.at + HOUR);
    // The 3 hours count from the unanswered call; the hour's gap only sets the earliest retry.
    const window = callingWindowsOn(today, ctx).find((w) => w.end > last!.at);
    const remaining = window ? window.end - Math.max(last!.at, window.start) : 0;
    if (todayAttempts < policy.maxAttemptsPerDay && remaining >= policy.sameDayRetryMinHoursLeft * HOUR) {
      const at = slot(gap, today, today);
      if (at !== null && localParts(at, zone).dateKey === today) {
        return step(
          'active',
          at,
          'retry',
          `${why} — trying again ${describeSlot(at, zone, now)}: no message left and ${Math.floor(remaining / HOUR)} hours of calling left today (rule 1)`,
        );
      }
    }
    const nextDay = addBusinessDays(today, 1, workdays);
    const at = slot(now, nextDay, nextDay);
    if (at === null) return noTime(why);
    const hoursLeft = policy.sameDayRetryMinHoursLeft;
    const cap = capWords(ctx);
    const isToday = (t: number | null) => t !== null && localParts(t, zone).dateKey === today;
    // The hours alone left room today, but the state's cap did not.
    const capped =
      remaining >= hoursLeft * HOUR &&
      cap !== null &&
      isToday(nextAllowedAt(gap, ctx)) &&
      !isToday(nextAllowedAt(gap, ctx, capAttempts));
    const reason =
      todayAttempts >= policy.maxAttemptsPerDay
        ? `already ${todayAttempts} attempts today`
        : capped
          ? `${cap} leaves no time to call again today`
          : `less than ${hoursLeft} hour${hoursLeft === 1 ? '' : 's'} of calling left today`;
    return step(
      'active',
      at,
      'retry',
      `${why} — trying again ${describeSlot(at, zone, now)}: ${reason} (rule 1)`,
    );
  }
}

function callbackListUntil(dueAt: number | null, leftAt: number, minDays: number): number {
  return voicemailListUntil(leftAt, dueAt, minDays);
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
