/**
 * Six weeks of calling, simulated one contact at a time, for the demo world.
 *
 * This is a simplified stand-in for the cadence engine: it follows DESIGN.md's cadence rules
 * in spirit (calling windows, same-day retry after no message, one or two business days after
 * a voicemail, spacing by urgency from the fourth attempt, varied time-of-day bands, the
 * attempt limit, voicemail policies, break-up once, callbacks and appointments kept at their
 * time, put-offs, numbers tried direct → mobile → main line) so the demo history looks like
 * what the product will produce. The real cadence engine (core/cadence, a later issue) will
 * replace it; nothing outside the demo may depend on this file.
 */

import type { CadencePolicy } from '../cadence/policy.js';
import { breakUpFrom } from '../cadence/voicemail.js';
import { endsTheWait } from '../callbacks/list.js';
import { appointmentListUntil, requestedCallbackUntil, voicemailListUntil } from '../callbacks/rules.js';
import type { NumberKind } from '../contact-fields.js';
import type { VoicemailScript } from '../scripts/schema.js';
import { addDays, instantAt, localParts, parseHhmm, weekdayOf } from '../time/zoned.js';
import { type ConversationMix, type DemoCampaignSpec, FOLLOW_UP_MIX } from './campaigns.js';
import type { Rng } from './prng.js';
import {
  type DemoAppointment,
  type DemoAttempt,
  type DemoCallbackEntry,
  type DemoContact,
  type DemoEnrollment,
  type DemoEnrollmentState,
  type DemoNumber,
  type DemoOutcome,
  LIVE_OUTCOMES,
} from './world.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The legal bound of rule 12, in minutes of the local day. */
const LEGAL_START = 8 * 60;
const LEGAL_END = 21 * 60;

/** Time-of-day bands of rule 4: early, morning, midday, afternoon, late. */
const BANDS: readonly [number, number][] = [
  [0, 10 * 60],
  [10 * 60, 12 * 60],
  [12 * 60, 14 * 60],
  [14 * 60, 16 * 60],
  [16 * 60, 24 * 60],
];
/** How likely a live answer is per band and weekday, relative to the average. */
const BAND_LIVE_FACTOR = [1.35, 1, 0.75, 0.95, 1.25];
const WEEKDAY_LIVE_FACTOR = [0, 0.9, 1.1, 1.1, 1.05, 0.85, 1, 1];

export interface CallingWindow {
  start: number;
  end: number;
  days: ReadonlySet<number>;
}

/** The contact's calling window under a policy, clipped to the legal bound. */
export function callingWindow(policy: CadencePolicy, kind: 'business' | 'consumer'): CallingWindow {
  const w = kind === 'consumer' ? policy.consumerWindow : policy.businessWindow;
  return {
    start: Math.max(LEGAL_START, parseHhmm(w.start)),
    end: Math.min(LEGAL_END, parseHhmm(w.end)),
    days: new Set(w.days),
  };
}

export interface SimNumber {
  number: DemoNumber;
  kind: NumberKind;
  /** Attempts on this number that did not reach the contact. */
  failures: number;
  attempts: number;
  /** Proved dead or someone else's for this contact. */
  dead: boolean;
}

export interface SimEnrollment {
  enrollment: DemoEnrollment;
  campaign: DemoCampaignSpec;
  /** When the first dial would happen; null when the enrollment is never called. */
  firstAt: number | null;
}

export interface SimContact {
  contact: DemoContact;
  /** The contact's real zone, also when the stored one is empty. */
  timeZone: string;
  numbers: SimNumber[];
  enrollments: SimEnrollment[];
}

export type PendingAttempt = Omit<DemoAttempt, 'id'>;
export type PendingAppointment = Omit<DemoAppointment, 'id' | 'attemptId' | 'uid'> & {
  attempt: PendingAttempt;
};
export type PendingCallbackEntry = Omit<DemoCallbackEntry, 'id' | 'attemptId'> & { attempt: PendingAttempt };

export interface SimOutput {
  attempts: PendingAttempt[];
  appointments: PendingAppointment[];
  callbackEntries: PendingCallbackEntry[];
  /** The do-not-call request, when the contact made one. */
  doNotCall: { at: number; userId: number } | null;
}

type Reason = 'fresh' | 'retry' | 'callback' | 'appointment' | 'return';

interface Run {
  sim: SimEnrollment;
  e: DemoEnrollment;
  policy: CadencePolicy;
  window: CallingWindow;
  nextAt: number | null;
  reason: Reason;
  /** Stopped before `now` with the next attempt still due: the rep did not get to it. */
  halted: boolean;
  end: DemoEnrollmentState | null;
  voicemailsLeft: number;
  breakUpLeft: boolean;
  day: string;
  attemptsToday: number;
  unanswered: { band: number; weekday: number }[];
  afterVoicemail: boolean;
  appointment: PendingAppointment | null;
  attempts: PendingAttempt[];
}

/** Simulates every enrollment of one contact up to `now`, filling in the enrollments. */
export function simulateContact(c: SimContact, now: number, rng: Rng): SimOutput {
  const out: SimOutput = { attempts: [], appointments: [], callbackEntries: [], doNotCall: null };
  const tz = c.timeZone;
  const runs: Run[] = c.enrollments.map((sim) => ({
    sim,
    e: sim.enrollment,
    policy: sim.campaign.policy,
    window: callingWindow(sim.campaign.policy, c.contact.kind),
    nextAt: sim.firstAt,
    reason: 'fresh',
    halted: false,
    end: null,
    voicemailsLeft: 0,
    breakUpLeft: false,
    day: '',
    attemptsToday: 0,
    unanswered: [],
    afterVoicemail: false,
    appointment: null,
    attempts: [],
  }));
  let busyUntil = 0;

  /** The contact's local date ('YYYY-MM-DD') at `ms`. */
  const dateOf = (ms: number): string => localParts(ms, tz).dateKey;

  /** A time on `date` inside the window, in a band not in `avoid` where possible. */
  const placeOnDay = (run: Run, date: string, notBefore: number, avoid: ReadonlySet<number>) => {
    if (!run.window.days.has(weekdayOf(date))) return undefined;
    const options: { band: number; lo: number; hi: number }[] = [];
    BANDS.forEach(([from, to], band) => {
      const lo = Math.max(from, run.window.start, notBefore);
      const hi = Math.min(to, run.window.end - 5);
      if (hi - lo >= 10) options.push({ band, lo, hi });
    });
    if (options.length === 0) return undefined;
    const preferred = options.filter((o) => !avoid.has(o.band));
    const o = rng.pick(preferred.length > 0 ? preferred : options);
    return instantAt(date, rng.int(o.lo, o.hi - 1), tz) + rng.int(0, 59) * 1000;
  };

  /** The `n`th calling day after `date` (n = 0: `date` itself if it is one). */
  const callingDay = (run: Run, date: string, n: number): string => {
    let d = date;
    let left = n;
    if (left === 0 && run.window.days.has(weekdayOf(d))) return d;
    for (let i = 0; i < 30; i++) {
      d = addDays(d, 1);
      if (run.window.days.has(weekdayOf(d)) && --left <= 0) return d;
    }
    return d;
  };

  const avoidBands = (run: Run) => new Set(run.unanswered.slice(-2).map((u) => u.band));

  const onCallingDay = (run: Run, from: string, n: number): number => {
    let date = callingDay(run, from, n);
    for (let i = 0; i < 10; i++) {
      const t = placeOnDay(run, date, 0, avoidBands(run));
      if (t !== undefined) return t;
      date = callingDay(run, date, 1);
    }
    throw new Error('no calling time found in ten calling days');
  };

  /** Rule 1: later today if enough of the window is left and the daily cap allows, else tomorrow. */
  const sameDayOrNext = (run: Run, from: number): number => {
    const lt = localParts(from, tz);
    const left = run.window.end - lt.minutesOfDay;
    if (
      run.attemptsToday < run.policy.maxAttemptsPerDay &&
      left >= run.policy.sameDayRetryMinHoursLeft * 60
    ) {
      const t = placeOnDay(run, lt.dateKey, lt.minutesOfDay + rng.int(90, 150), avoidBands(run));
      if (t !== undefined) return t;
    }
    return onCallingDay(run, lt.dateKey, 1);
  };

  /** Rule 3: `min`–`max` calendar days later, on a weekday unlike the last unanswered ones. */
  const spaced = (run: Run, from: number, min: number, max: number): number => {
    const today = dateOf(from);
    const recentDays = new Set(run.unanswered.slice(-2).map((u) => u.weekday));
    const days: string[] = [];
    for (let d = Math.ceil(min); d <= Math.floor(max); d++) {
      const date = addDays(today, d);
      if (run.window.days.has(weekdayOf(date))) days.push(date);
    }
    const preferred = days.filter((d) => !recentDays.has(weekdayOf(d)));
    const pool = preferred.length > 0 ? preferred : days;
    const date = pool.length > 0 ? rng.pick(pool) : callingDay(run, addDays(today, Math.ceil(min)), 0);
    return onCallingDay(run, date, 0);
  };

  /** A time a contact names: 1–`maxDays` calling days out, on a quarter hour. */
  const namedTime = (run: Run, from: number, minDays: number, maxDays: number, length: number): number => {
    const date = callingDay(run, dateOf(from), rng.int(minDays, maxDays));
    const first = Math.ceil(run.window.start / 15);
    const last = Math.floor((run.window.end - length) / 15);
    return instantAt(date, rng.int(first, last) * 15, tz);
  };

  const chooseNumber = (reason: Reason, policy: CadencePolicy): SimNumber | undefined => {
    const alive = c.numbers.filter((n) => !n.dead);
    const of = (kind: NumberKind) => alive.find((n) => n.kind === kind);
    if (reason === 'callback' || reason === 'appointment') return of('mobile') ?? of('direct') ?? alive[0];
    const order: [NumberKind, number][] =
      c.contact.kind === 'consumer'
        ? [
            ['mobile', 3],
            ['home', 3],
          ]
        : [
            ['direct', policy.directAttemptsBeforeMobile],
            ['mobile', 2],
            ['assistant', 2],
            ['main', 3],
          ];
    for (const [kind, allowance] of order) {
      const n = of(kind);
      if (n && n.failures < allowance) return n;
    }
    return alive.reduce<SimNumber | undefined>(
      (best, n) => (!best || n.attempts < best.attempts ? n : best),
      undefined,
    );
  };

  const endRun = (run: Run, state: DemoEnrollmentState) => {
    run.end = state;
    run.nextAt = null;
  };

  for (;;) {
    let run: Run | undefined;
    for (const r of runs) {
      if (r.end || r.halted || r.nextAt === null || r.nextAt >= now) continue;
      if (!run || r.nextAt < run.nextAt!) run = r;
    }
    if (!run) break;
    let at = run.nextAt!;
    const reason = run.reason;

    // Two campaigns never dial the same person within half an hour of each other.
    if (at < busyUntil + 30 * MINUTE && reason !== 'appointment' && reason !== 'callback') {
      run.nextAt = sameDayOrNext(run, busyUntil + 30 * MINUTE);
      continue;
    }
    // In the last day, some due calls have not been made yet: they show as overdue.
    if (at > now - 20 * HOUR && reason !== 'appointment' && rng.chance(0.3)) {
      run.halted = true;
      continue;
    }
    if (at < busyUntil) {
      // A booked call right after a long one: a couple of minutes late, or tomorrow if the window closed.
      const late = busyUntil + 2 * MINUTE;
      const lt = localParts(late, tz);
      if (lt.dateKey === dateOf(at) && lt.minutesOfDay < run.window.end - 1) at = late;
      else {
        run.nextAt = onCallingDay(run, dateOf(at), 1);
        continue;
      }
    }
    const number = chooseNumber(reason, run.policy);
    if (!number) {
      endRun(run, run.e.connectCount > 0 ? 'lost' : 'unreachable');
      continue;
    }

    const e = run.e;
    const policy = run.policy;
    const attemptNo = e.attemptCount + 1;
    const last = attemptNo >= policy.attemptLimit;
    const lt = localParts(at, tz);
    if (lt.dateKey !== run.day) {
      run.day = lt.dateKey;
      run.attemptsToday = 0;
    }
    run.attemptsToday++;
    const band = BANDS.findIndex(([from, to]) => lt.minutesOfDay >= from && lt.minutesOfDay < to);

    // What happens on the line.
    let reached: 'live' | 'voicemail' | DemoOutcome;
    if (reason === 'appointment' || reason === 'callback') {
      const p = reason === 'appointment' ? 0.85 : 0.55;
      reached = rng.chance(p) ? 'live' : rng.chance(0.5) ? 'voicemail' : 'no_answer';
    } else {
      const factor =
        BAND_LIVE_FACTOR[band]! * WEEKDAY_LIVE_FACTOR[lt.weekday]! * (run.afterVoicemail ? 1.15 : 1);
      reached = rng.weighted(lineMix(number.kind, c.contact.kind, factor));
      if (reached === 'gatekeeper' && rng.chance(0.1)) reached = 'away';
    }

    let outcome: DemoOutcome;
    let script: VoicemailScript | null = null;
    if (reached === 'live') {
      const base =
        reason === 'appointment'
          ? FOLLOW_UP_MIX.appointment
          : reason === 'callback' || e.connectCount > 0
            ? FOLLOW_UP_MIX.callback
            : run.sim.campaign.conversation;
      const mix: ConversationMix = last ? { ...base, callback_requested: 0, appointment_set: 0 } : base;
      outcome = rng.weighted(mix);
    } else if (reached === 'voicemail') {
      script = voicemailScript(run, attemptNo);
      outcome = script ? 'voicemail_left' : 'voicemail_skipped';
    } else {
      outcome = reached;
    }
    if (last && outcome === 'away') outcome = 'gatekeeper';

    const durationS = rng.int(...DURATION_S[outcome]);
    const note = LIVE_OUTCOMES.has(outcome) ? rng.pick(run.sim.campaign.callNotes) : (NOTES[outcome] ?? '');
    const attempt: PendingAttempt = {
      enrollmentId: e.id,
      campaignId: e.campaignId,
      contactId: e.contactId,
      userId: e.ownerId,
      numberId: number.number.id,
      startedAt: at,
      endedAt: at + durationS * 1000,
      durationS,
      outcome,
      note,
      voicemailLeft: outcome === 'voicemail_left',
      script,
      scheduledFor: null,
      createdAt: at + durationS * 1000,
    };
    out.attempts.push(attempt);
    run.attempts.push(attempt);
    busyUntil = attempt.endedAt;

    const live = LIVE_OUTCOMES.has(outcome);
    e.attemptCount = attemptNo;
    e.lastAttemptAt = at;
    e.updatedAt = attempt.endedAt;
    number.attempts++;
    if (live) {
      e.connectCount++;
      run.unanswered = [];
    } else {
      number.failures++;
      run.unanswered.push({ band, weekday: lt.weekday });
    }
    if (outcome === 'voicemail_left') {
      run.voicemailsLeft++;
      if (script === 'break_up') run.breakUpLeft = true;
    }
    run.afterVoicemail = outcome === 'voicemail_left';

    if (run.appointment) {
      run.appointment.status = live ? 'held' : 'no_show';
      run.appointment = null;
    }
    if ((reason === 'appointment' || reason === 'callback') && !live) {
      // Rule 8: a put-off; after too many, lower the priority and flag it.
      e.putOffs++;
      if (e.putOffs >= policy.maxPutOffs && !e.flagged) {
        e.flagged = true;
        e.priority -= 1;
      }
    }

    // What comes next.
    switch (outcome) {
      case 'won':
        endRun(run, 'won');
        continue;
      case 'not_interested':
        endRun(run, 'lost');
        continue;
      case 'do_not_call':
        out.doNotCall = { at: attempt.endedAt, userId: e.ownerId };
        for (const r of runs) if (!r.end) endRun(r, 'dnc');
        continue;
      case 'bad_number':
      case 'wrong_person':
        number.dead = true;
        if (outcome === 'bad_number') number.number.valid = false;
        break;
      default:
        break;
    }
    if (e.attemptCount >= policy.attemptLimit || run.breakUpLeft) {
      // Rule 5: the line in the sand; rule 7: no call after the break-up message.
      endRun(run, e.connectCount > 0 ? 'lost' : 'unreachable');
      continue;
    }
    const urgency = policy.spacingDays[run.sim.campaign.urgency];
    const spacedFromHere = attemptNo + 1 >= policy.urgencySpacingFromAttempt;
    run.reason = 'retry';
    switch (outcome) {
      case 'callback_requested': {
        const t = namedTime(run, at, 1, 3, 15);
        attempt.scheduledFor = t;
        run.nextAt = t;
        run.reason = 'callback';
        out.callbackEntries.push({
          userId: e.ownerId,
          contactId: e.contactId,
          reason: 'callback_requested',
          attempt,
          sinceAt: attempt.endedAt,
          expiresAt: requestedCallbackUntil(t),
          clearedAt: null,
        });
        break;
      }
      case 'appointment_set': {
        const length = run.sim.campaign.appointmentMinutes;
        const t = namedTime(run, at, 2, 7, length);
        attempt.scheduledFor = t;
        run.nextAt = t;
        run.reason = 'appointment';
        run.appointment = {
          enrollmentId: e.id,
          contactId: e.contactId,
          userId: e.ownerId,
          attempt,
          startsAt: t,
          durationMin: length,
          title: `${run.sim.campaign.appointmentTitle}: ${c.contact.firstName} ${c.contact.lastName}`,
          notes: note,
          status: 'scheduled',
          createdAt: attempt.endedAt,
        };
        out.appointments.push(run.appointment);
        out.callbackEntries.push({
          userId: e.ownerId,
          contactId: e.contactId,
          reason: 'appointment',
          attempt,
          sinceAt: attempt.endedAt,
          expiresAt: appointmentListUntil(t, length),
          clearedAt: null,
        });
        break;
      }
      case 'away': {
        // Rule 10: snooze until the return date the gatekeeper gave.
        const back = callingDay(run, addDays(dateOf(at), rng.int(3, 12)), 0);
        attempt.scheduledFor = instantAt(back, run.window.start, tz);
        run.nextAt = onCallingDay(run, back, 0);
        run.reason = 'return';
        break;
      }
      case 'connected':
        // A conversation without a decision: follow up in a week or so.
        run.nextAt = spaced(run, at, 5, 9);
        break;
      case 'voicemail_left':
      case 'gatekeeper':
        run.nextAt = spacedFromHere
          ? spaced(run, at, urgency.min, urgency.max)
          : onCallingDay(
              run,
              dateOf(at),
              rng.int(
                Math.max(1, policy.afterVoicemailBusinessDays.min),
                Math.max(1, policy.afterVoicemailBusinessDays.max),
              ),
            );
        break;
      default:
        run.nextAt = spacedFromHere
          ? spaced(run, at, urgency.min, urgency.max)
          : sameDayOrNext(run, attempt.endedAt);
        break;
    }
  }

  for (const run of runs) {
    const e = run.e;
    if (run.end) {
      e.state = run.end;
      e.nextDueAt = null;
      e.dueKind = null;
    } else if (e.attemptCount === 0) {
      e.state = 'new';
      e.nextDueAt = null;
      e.dueKind = 'fresh';
    } else if (run.reason === 'appointment') {
      e.state = 'appointment';
      e.nextDueAt = run.nextAt;
      e.dueKind = 'appointment';
    } else {
      e.dueKind = run.reason === 'callback' ? 'callback' : 'retry';
      e.state = run.reason === 'return' && run.nextAt !== null && run.nextAt > now ? 'snoozed' : 'active';
      e.nextDueAt = run.nextAt;
    }
    out.callbackEntries.push(...voicemailEntries(run, now));
  }
  // Booked calls stay on the list until they expire; a conversation after them clears them.
  out.callbackEntries = out.callbackEntries.filter((entry) => entry.expiresAt > now - 7 * DAY);
  for (const entry of out.callbackEntries) {
    if (entry.reason === 'voicemail_left') continue;
    const talked = out.attempts.find(
      (a) =>
        a.enrollmentId === entry.attempt.enrollmentId &&
        a.startedAt > entry.attempt.startedAt &&
        endsTheWait(a.outcome),
    );
    entry.clearedAt = talked ? talked.startedAt : null;
  }
  return out;
}

/** Rules 6 and 7: whether to leave a message, and which. Null: hang up without one. */
function voicemailScript(run: Run, attemptNo: number): VoicemailScript | null {
  const policy = run.policy;
  const breakUpDue = attemptNo >= breakUpFrom(policy) && run.e.connectCount === 0;
  if (run.breakUpLeft) return null;
  const leave =
    policy.voicemail === 'always' ||
    (policy.voicemail === 'experiment' && run.e.experimentArm === 'leave') ||
    (policy.voicemail === 'first_and_last' && (run.voicemailsLeft === 0 || breakUpDue));
  if (!leave) return null;
  if (breakUpDue) return 'break_up';
  return run.voicemailsLeft === 0 ? 'intro' : 'follow_up';
}

/**
 * Rule 2: a voicemail puts the contact on the caller's callback list until the next attempt
 * or for the minimum days, whichever is longer. Only entries still meaningful (left in the
 * last week) are kept; a later conversation clears them.
 */
function voicemailEntries(run: Run, now: number): PendingCallbackEntry[] {
  const entries: PendingCallbackEntry[] = [];
  run.attempts.forEach((a, i) => {
    if (a.outcome !== 'voicemail_left' || a.startedAt < now - 7 * DAY) return;
    const next = run.attempts[i + 1];
    const nextAt = next ? next.startedAt : run.nextAt;
    const talked = run.attempts.slice(i + 1).find((b) => endsTheWait(b.outcome));
    entries.push({
      userId: a.userId,
      contactId: a.contactId,
      reason: 'voicemail_left',
      attempt: a,
      sinceAt: a.endedAt,
      expiresAt: voicemailListUntil(a.endedAt, nextAt, run.policy.callbackListMinDays),
      clearedAt: talked ? talked.startedAt : null,
    });
  });
  return entries;
}

/** How a dial of this kind of number goes, before the conversation (if any) is decided. */
function lineMix(
  kind: NumberKind,
  contactKind: 'business' | 'consumer',
  liveFactor: number,
): Partial<Record<'live' | 'voicemail' | DemoOutcome, number>> {
  const live = (p: number) => p * liveFactor;
  if (contactKind === 'consumer') {
    return kind === 'home'
      ? { live: live(12), voicemail: 33, no_answer: 52, busy: 3, bad_number: 1.5, wrong_person: 1.5 }
      : { live: live(13), voicemail: 48, no_answer: 38, busy: 2, bad_number: 1, wrong_person: 1 };
  }
  switch (kind) {
    case 'main':
      return { gatekeeper: 45, live: live(8), voicemail: 22, no_answer: 18, busy: 5 };
    case 'assistant':
      return { gatekeeper: 65, live: live(9), voicemail: 16, no_answer: 10 };
    case 'mobile':
      return { live: live(14), voicemail: 50, no_answer: 35, busy: 3, bad_number: 1, wrong_person: 1 };
    default:
      return {
        live: live(11),
        voicemail: 44,
        no_answer: 41,
        busy: 3,
        gatekeeper: 2.5,
        bad_number: 1.2,
        wrong_person: 0.6,
      };
  }
}

const DURATION_S: Record<DemoOutcome, [number, number]> = {
  connected: [120, 900],
  gatekeeper: [30, 120],
  voicemail_left: [20, 40],
  voicemail_skipped: [12, 22],
  no_answer: [25, 40],
  busy: [3, 8],
  bad_number: [3, 10],
  wrong_person: [15, 45],
  callback_requested: [45, 180],
  appointment_set: [240, 720],
  away: [40, 90],
  not_interested: [30, 120],
  do_not_call: [15, 60],
  won: [600, 1500],
};

const NOTES: Partial<Record<DemoOutcome, string>> = {
  gatekeeper: 'Reception took a message.',
  away: 'Out of office; back on the date given.',
  bad_number: 'Number disconnected.',
  wrong_person: 'Not their number any more.',
};
