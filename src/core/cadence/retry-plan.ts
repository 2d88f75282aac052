/**
 * When to call again a contact the cadence goes on with: the rule that the last outcome calls
 * for (1–3, 8–10), in a slot that is legal, allowed and not like the unanswered ones (4, 12).
 */
import { requestedCallbackUntil, voicemailListUntil } from '../callbacks/rules.js';
import {
  callingWindowsOn,
  capWords,
  isAllowedAt,
  legalBound,
  nextAllowedAt,
} from '../calling-hours/calling-hours.js';
import { mulberry32 } from '../random.js';
import { describeLocal, describeSlot } from '../time/bands.js';
import { addBusinessDays, addDays, localParts } from '../time/zoned.js';
import { assertUnreachable } from '../unreachable.js';
import type { Decision } from './decision.js';
import { unitHash } from './hash.js';
import { chooseNumber } from './numbers.js';
import { bandsAndWeekdays, type LearnedTiming, pickSlot } from './slots.js';
import type { CadenceAttempt, NextStep } from './types.js';
import { LIVE_OUTCOMES } from './types.js';
import { decideVoicemail } from './voicemail.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export class RetryPlan {
  private readonly zone: string;
  private readonly now: number;
  private readonly policy: Decision['input']['campaign']['policy'];
  private readonly choice: ReturnType<typeof chooseNumber>;
  private readonly voicemail: NextStep['voicemail'];
  private readonly today: string;
  private readonly lastDay: string;
  private readonly nextAttempt: number;
  private readonly capAttempts: number[];
  private readonly avoid: ReturnType<typeof bandsAndWeekdays>;
  private readonly jitter: number;
  private readonly learning: LearnedTiming | undefined;
  /** Why the learned choice was made, when it was (said with the next step's reasons). */
  private learnedWhy: string | null = null;

  constructor(
    private readonly decision: Decision,
    private readonly last: CadenceAttempt,
    private readonly lastWords: string,
  ) {
    const { input, arm } = decision;
    const { history, contact, campaign, enrollment } = input;
    this.zone = contact.zone;
    this.now = input.now;
    this.policy = campaign.policy;
    this.choice = chooseNumber(contact.numbers, history, this.policy.directAttemptsBeforeMobile);
    this.voicemail = decideVoicemail(this.policy, history, arm);
    this.today = localParts(this.now, this.zone).dateKey;
    this.lastDay = localParts(last.at, this.zone).dateKey;
    this.nextAttempt = history.length + 1;
    this.capAttempts = history.map((a) => a.at);
    const unanswered = history.filter((a) => !LIVE_OUTCOMES.has(a.outcome)).map((a) => a.at);
    this.avoid = bandsAndWeekdays(unanswered, this.zone);
    this.jitter = unitHash('slot', enrollment.id, history.length);
    this.learning =
      this.policy.learnBestTime && input.bestTime
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
  }

  plan(): NextStep {
    const { last, lastWords, zone, now, policy } = this;
    const outcome = last.outcome;
    switch (outcome) {
      case 'callback_requested':
      case 'appointment_set':
        return this.atTheirTime(outcome);
      case 'away':
      case 'gatekeeper': {
        if (last.scheduledFor !== null) {
          const back = localParts(Math.max(last.scheduledFor, now), zone).dateKey;
          const at = this.slot(
            Math.max(now, last.scheduledFor),
            back,
            addBusinessDays(back, 1, this.decision.ctx.window.days),
          );
          if (at === null) return this.noTime(lastWords);
          return this.step(
            'snoozed',
            at,
            'retry',
            `${lastWords} — out until ${describeLocal(last.scheduledFor, zone, now).replace(/ \d\d:\d\d$/, '')}; snoozed, next try ${describeSlot(at, zone, now)} (rule 10); the limit of ${policy.attemptLimit} attempts counts the calls after their return (rule 5)`,
          );
        }
        if (outcome === 'away') return this.spaced(`${lastWords}, no return date`);
        return this.noMessage(lastWords);
      }
      case 'voicemail_left':
        return this.afterVoicemail();
      case 'no_answer':
      case 'busy':
      case 'voicemail_skipped':
      case 'bad_number':
      case 'wrong_person':
        return this.noMessage(lastWords);
      case 'connected':
        return this.spaced(`${lastWords}, no next step set`);
      case 'do_not_call':
      case 'won':
      case 'not_interested':
        // next-step.ts ends the cadence on these before a retry is planned.
        throw new Error(`no retry after ${outcome}`);
      default:
        return assertUnreachable(outcome, 'outcome');
    }
  }

  private step(
    state: NextStep['state'],
    dueAt: number | null,
    dueKind: NextStep['dueKind'],
    why: string,
    callbackListUntil: number | null = null,
  ): NextStep {
    const { reasons } = this.decision;
    reasons.push(why);
    if (dueAt !== null && this.learnedWhy !== null && dueKind === 'retry') reasons.push(this.learnedWhy);
    if (dueAt !== null && dueKind !== 'appointment' && dueKind !== 'callback') {
      reasons.push(`dial the ${this.choice.why} (rule 11); ${this.voicemail.why} (rules 6–7)`);
    }
    return this.decision.result(
      { state, dueAt, dueKind, number: this.choice.number, voicemail: this.voicemail },
      callbackListUntil,
    );
  }

  private noTime(why: string): NextStep {
    return this.step(
      'active',
      null,
      null,
      `${why}; no calling hours in the next weeks — check the campaign window`,
    );
  }

  private slot(earliest: number, fromDay: string, toDay: string): number | null {
    const picked = pickSlot({
      earliest,
      fromDay,
      toDay,
      ctx: this.decision.ctx,
      avoidBands: this.avoid.bands,
      avoidWeekdays: this.avoid.weekdays,
      capAttempts: this.capAttempts,
      jitter: this.jitter,
      ...(this.learning ? { learned: this.learning } : {}),
    });
    this.learnedWhy = picked.learned;
    return picked.at;
  }

  /** Rule 3: from the fourth attempt on, spacing follows urgency. */
  private spaced(why: string): NextStep {
    const { policy, last, lastDay, now, zone } = this;
    const urgency = this.decision.input.campaign.urgency;
    const range = policy.spacingDays[urgency];
    const min = Math.ceil(range.min);
    const max = Math.max(min, Math.floor(range.max));
    const at = this.slot(
      Math.max(now, last.at + min * DAY - 12 * HOUR),
      addDays(lastDay, min),
      addDays(lastDay, max),
    );
    if (at === null) return this.noTime(why);
    return this.step(
      'active',
      at,
      'retry',
      `${why} — attempt ${this.nextAttempt} ${describeSlot(at, zone, now)}: ${urgency} urgency spaces calls ${range.min}–${range.max} days apart (rule 3)`,
    );
  }

  /**
   * Rules 8 and 9 keep the time the contact chose, even outside the campaign's window; rule 12's
   * legal bound still holds, so a time outside it moves to the first moment inside.
   */
  private atTheirTime(outcome: 'callback_requested' | 'appointment_set'): NextStep {
    const { last, lastWords, zone, now, policy } = this;
    if (last.scheduledFor === null) return this.spaced(`${lastWords}, no time given`);
    const legal = legalBound(this.decision.ctx);
    const allowed = isAllowedAt(last.scheduledFor, legal);
    const at = allowed.ok ? last.scheduledFor : nextAllowedAt(last.scheduledFor, legal);
    if (at === null) return this.noTime(lastWords);
    const moved = allowed.ok
      ? null
      : `asked for ${describeLocal(last.scheduledFor, zone, now)}, but ${allowed.reason} (rule 12); calling at the first time it allows, ${describeLocal(at, zone, now)}`;
    if (outcome === 'callback_requested') {
      return this.step(
        'active',
        at,
        'callback',
        moved
          ? `${lastWords} — ${moved} (rule 8)`
          : `${lastWords} — calling back exactly when they asked, ${describeLocal(at, zone, now)} (rule 8)`,
        requestedCallbackUntil(at),
      );
    }
    const lead = `top of the queue from ${policy.appointmentLeadMinutes} minutes before (rule 9)`;
    return this.step(
      'appointment',
      at,
      'appointment',
      moved
        ? `${lastWords} — ${moved}; ${lead}`
        : `${lastWords} — phone appointment ${describeLocal(at, zone, now)}; ${lead}`,
    );
  }

  /** Rule 2: a voicemail waits some business days for their call back; rule 3 from the fourth attempt. */
  private afterVoicemail(): NextStep {
    const { policy, last, lastWords, lastDay, now, zone } = this;
    if (this.nextAttempt >= policy.urgencySpacingFromAttempt) {
      const s = this.spaced(lastWords);
      return { ...s, callbackListUntil: voicemailListUntil(last.at, s.dueAt, policy.callbackListMinDays) };
    }
    const workdays = this.decision.ctx.window.days;
    const { min, max } = policy.afterVoicemailBusinessDays;
    const from = addBusinessDays(lastDay, Math.max(1, Math.ceil(min)), workdays);
    const to = addBusinessDays(lastDay, Math.max(1, Math.floor(max)), workdays);
    const at = this.slot(now, from, to);
    if (at === null) return this.noTime(lastWords);
    return this.step(
      'active',
      at,
      'retry',
      `${lastWords} — trying again ${describeSlot(at, zone, now)}, ${min}–${max} business days after a voicemail (rule 2); on your callback list meanwhile`,
      voicemailListUntil(last.at, at, policy.callbackListMinDays),
    );
  }

  /** Rule 1: no message left — the same day if 3 hours of the window remain (at most twice a day), else the next business day. */
  private noMessage(why: string): NextStep {
    const { policy, last, today, now, zone } = this;
    const ctx = this.decision.ctx;
    if (this.nextAttempt >= policy.urgencySpacingFromAttempt) return this.spaced(why);
    const history = this.decision.input.history;
    const todayAttempts = history.filter((a) => localParts(a.at, zone).dateKey === today).length;
    const gap = Math.max(now, last.at + HOUR);
    // The 3 hours count from the unanswered call; the hour's gap only sets the earliest retry.
    const window = callingWindowsOn(today, ctx).find((w) => w.end > last.at);
    const remaining = window ? window.end - Math.max(last.at, window.start) : 0;
    if (todayAttempts < policy.maxAttemptsPerDay && remaining >= policy.sameDayRetryMinHoursLeft * HOUR) {
      const at = this.slot(gap, today, today);
      if (at !== null && localParts(at, zone).dateKey === today) {
        return this.step(
          'active',
          at,
          'retry',
          `${why} — trying again ${describeSlot(at, zone, now)}: no message left and ${Math.floor(remaining / HOUR)} hours of calling left today (rule 1)`,
        );
      }
    }
    const nextDay = addBusinessDays(today, 1, ctx.window.days);
    const at = this.slot(now, nextDay, nextDay);
    if (at === null) return this.noTime(why);
    const hoursLeft = policy.sameDayRetryMinHoursLeft;
    const cap = capWords(ctx);
    const isToday = (t: number | null) => t !== null && localParts(t, zone).dateKey === today;
    // The hours alone left room today, but the state's cap did not.
    const capped =
      remaining >= hoursLeft * HOUR &&
      cap !== null &&
      isToday(nextAllowedAt(gap, ctx)) &&
      !isToday(nextAllowedAt(gap, ctx, this.capAttempts));
    const reason =
      todayAttempts >= policy.maxAttemptsPerDay
        ? `already ${todayAttempts} attempts today`
        : capped
          ? `${cap} leaves no time to call again today`
          : `less than ${hoursLeft} hour${hoursLeft === 1 ? '' : 's'} of calling left today`;
    return this.step(
      'active',
      at,
      'retry',
      `${why} — trying again ${describeSlot(at, zone, now)}: ${reason} (rule 1)`,
    );
  }
}
