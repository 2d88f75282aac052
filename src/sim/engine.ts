/**
 * The simulator: the product's own rules — the cadence (`nextStep`), the queue order
 * (`orderQueue`), calling hours and state rules, the voicemail policy and the experiment arm,
 * the callback list and screening — run against a drawn population, so "what would this cadence
 * win?" is answered before a single call. Pure and seeded: time starts at `startDay`, every
 * draw comes from the seed, and the same options give the same result.
 *
 * Reps work their blocks (the population's schedule, each weekday, in the reps' zone); those
 * blocks are their own calling hours, so the cadence plans into them as it does for a real rep.
 * Each dial costs its time (ring-out, voicemail, gatekeeper, conversation, wrap-up). A prospect
 * answers with its own propensity × its segment's multiplier for the local hour and weekday ×
 * the decay of every unanswered attempt and of every voicemail left.
 */

import { nextStep } from '../core/cadence/next-step.js';
import type { CadencePolicy } from '../core/cadence/policy.js';
import {
  type CadenceAttempt,
  type CadenceEnrollment,
  type CadenceInput,
  LIVE_OUTCOMES,
  type NextStep,
  type Outcome,
  type Urgency,
} from '../core/cadence/types.js';
import {
  type CallingContext,
  isAllowedAt,
  legalBound,
  nextAllowedAt,
  windowFor,
} from '../core/calling-hours/calling-hours.js';
import { DEFAULT_STATE_RULES, type StateRules } from '../core/calling-hours/state-rules.js';
import { orderQueue, type QueueCandidate } from '../core/queue/order.js';
import { createRng } from '../core/random.js';
import { screenCall } from '../core/screening/screen.js';
import { addBusinessDays, addDays, instantAt, localParts, weekdayOf } from '../core/time/zoned.js';
import { type Population, timeMultiplier } from './population.js';
import { drawProspects, type Prospect } from './prospects.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** How many calls a rep pulls from the queue at a time (as the web app's block does). */
const PULL = 10;
/** Assumed, for want of a published figure: a booked phone appointment is kept 80 % of the time. */
const APPOINTMENT_KEPT = 0.8;
/** Assumed: a prospect who asked to be called back at a time answers then 60 % of the time. */
const CALLBACK_KEPT = 0.6;

export type Timing = 'fixed' | 'adaptive' | 'oracle';

export interface SimCampaign {
  id: number;
  urgency: Urgency;
  policy: CadencePolicy;
}

/** One dial (or one inbound callback taken), as the product would have logged it. */
export interface SimDial {
  prospect: Prospect;
  /** When the dial started (the attempt's time is when it ended and was logged). */
  startedAt: number;
  attempt: CadenceAttempt;
  /** The cadence's decision after it. */
  step: NextStep;
  /** True for a call the prospect made (a callback after a voicemail). */
  inbound: boolean;
}

/**
 * Chooses the next step: the cadence, with or without a model of when people answer. The
 * timing decides what is passed; the rules are the product's.
 */
export type Planner = (input: CadenceInput, prospect: Prospect) => NextStep;

/** What the planner learns from: each dial's local band and weekday, and whether it was answered. */
export type Observer = (prospect: Prospect, at: number, answered: boolean) => void;

export interface SimulationOptions {
  population: Population;
  campaign: SimCampaign;
  prospects: number;
  /** Overrides the population's rep count. */
  reps?: number;
  weeks: number;
  seed: number;
  /** The first day (reps' zone), 'YYYY-MM-DD'. */
  startDay: string;
  stateRules?: StateRules;
  planner?: Planner;
  observe?: Observer;
  /** Called at the start of every block, before any dial: a learner refreshes here. */
  onBlock?: (at: number) => void;
  onDial?: (dial: SimDial) => void;
}

export interface SimulationResult {
  prospects: number;
  repHours: number;
  dials: number;
  conversations: number;
  appointments: number;
  voicemailsLeft: number;
  /** Inbound calls from a prospect after a voicemail left for them. */
  callbacks: number;
  /** Enrollments that reached the attempt limit without a conversation. */
  unreachable: number;
  /** Cadence decisions made (calls to the planner). */
  decisions: number;
}

interface Track {
  p: Prospect;
  history: CadenceAttempt[];
  enrollment: CadenceEnrollment;
  step: NextStep;
  /** Heap entries of an older step are stale: only the one with this version counts. */
  version: number;
  unanswered: number;
  voicemails: number;
  ended: boolean;
}

interface Inbound {
  at: number;
  track: Track;
}

export function simulate(options: SimulationOptions): SimulationResult {
  const { population, campaign } = options;
  const policy = campaign.policy;
  const repCount = options.reps ?? population.reps.count;
  const repZone = population.reps.zone;
  const days = options.weeks * 7;
  const rng = createRng(options.seed);
  const prospects = drawProspects(
    population,
    options.prospects,
    repCount,
    options.startDay,
    days,
    rng.fork('prospects'),
  );
  const outcomes = rng.fork('outcomes');
  const stateRules = options.stateRules ?? DEFAULT_STATE_RULES;
  const planner: Planner = options.planner ?? ((input) => nextStep(input));
  const lastBlock = Math.max(...population.reps.blocks.map((b) => toMinutes(b.start) + b.minutes));
  const firstBlock = Math.min(...population.reps.blocks.map((b) => toMinutes(b.start)));
  const callerWindow = {
    start: fromMinutes(firstBlock),
    end: fromMinutes(Math.min(lastBlock, 23 * 60 + 59)),
    days: [1, 2, 3, 4, 5],
  };
  const result: SimulationResult = {
    prospects: prospects.length,
    repHours: 0,
    dials: 0,
    conversations: 0,
    appointments: 0,
    voicemailsLeft: 0,
    callbacks: 0,
    unreachable: 0,
    decisions: 0,
  };

  const contactOf = (p: Prospect) => ({
    name: `Prospect ${p.id}`,
    kind: p.kind,
    zone: p.zone,
    state: p.state,
    doNotCall: false,
    numbers: [{ e164: p.number, kind: 'direct' as const, valid: true, doNotCall: false }],
  });
  const plan = (t: Track, now: number): NextStep => {
    result.decisions++;
    return planner(
      {
        enrollment: t.enrollment,
        history: t.history,
        contact: contactOf(t.p),
        campaign,
        stateRules,
        caller: { zone: repZone, window: callerWindow },
        now,
      },
      t.p,
    );
  };

  const start = instantAt(options.startDay, '00:00', repZone);
  const reps = Array.from({ length: repCount }, () => ({
    fresh: [] as Track[],
    freshAt: 0,
    due: new Heap<{ at: number; track: Track; version: number }>(
      (a, b) => a.at - b.at || a.track.p.id - b.track.p.id,
    ),
    inbound: new Heap<Inbound>((a, b) => a.at - b.at || a.track.p.id - b.track.p.id),
    returns: [] as Track[],
  }));
  for (const p of prospects) {
    const track: Track = {
      p,
      history: [],
      enrollment: { id: p.id, state: 'new', putOffs: 0, flagged: false, experimentArm: null },
      step: undefined as unknown as NextStep,
      version: 0,
      unanswered: 0,
      voicemails: 0,
      ended: false,
    };
    track.step = plan(track, start);
    track.enrollment.experimentArm = track.step.experimentArm;
    reps[p.rep]!.fresh.push(track);
  }

  const contexts = new Map<string, { withCaller: CallingContext; legal: CallingContext; capped: boolean }>();
  /** The contact's calling contexts, shared by every prospect in the same place and kind. */
  const callingContexts = (t: Track) => {
    const key = `${t.p.zone}|${t.p.kind}|${t.p.state}`;
    let found = contexts.get(key);
    if (!found) {
      const ctx = ctxOf(t);
      found = {
        withCaller: { ...ctx, caller: { zone: repZone, window: callerWindow } },
        legal: legalBound(ctx),
        capped:
          t.p.kind === 'consumer' && t.p.state !== null && (stateRules[t.p.state]?.maxCallsPer24h ?? 0) > 0,
      };
      contexts.set(key, found);
    }
    return found;
  };
  const ctxOf = (t: Track): CallingContext => ({
    zone: t.p.zone,
    kind: t.p.kind,
    state: t.p.state,
    window: windowFor(policy, t.p.kind),
    stateRules,
  });

  /** Chance this dial is answered live, before the kind of call is considered. */
  const answerChance = (t: Track, at: number): number => {
    const local = localParts(at, t.p.zone);
    const seg = population.segments[t.p.segment]!;
    return Math.min(
      1,
      t.p.propensity *
        timeMultiplier(seg, local.hour, local.weekday) *
        seg.decayPerAttempt ** t.unanswered *
        seg.voicemailEffect ** t.voicemails,
    );
  };

  const conversationOutcome = (
    t: Track,
    at: number,
    bookAllowed: boolean,
  ): Pick<CadenceAttempt, 'outcome' | 'scheduledFor'> => {
    const mix = population.segments[t.p.segment]!.onConversation;
    const r = outcomes.next();
    let acc = mix.callbackRequested;
    if (r < acc)
      return {
        outcome: 'callback_requested',
        scheduledFor: askedTime(t, at, 1, outcomes.chance(0.5) ? '10:00' : '15:00'),
      };
    acc += mix.appointment;
    if (r < acc) {
      return bookAllowed
        ? { outcome: 'appointment_set', scheduledFor: askedTime(t, at, 2, '11:00') }
        : { outcome: 'connected', scheduledFor: null };
    }
    acc += mix.notInterested;
    if (r < acc) return { outcome: 'not_interested', scheduledFor: null };
    acc += mix.doNotCall;
    if (r < acc) return { outcome: 'do_not_call', scheduledFor: null };
    acc += mix.won;
    if (r < acc) return { outcome: 'won', scheduledFor: null };
    return { outcome: 'connected', scheduledFor: null };
  };

  /** A time the prospect names: `businessDays` ahead at a local hour, inside the legal bound. */
  const askedTime = (t: Track, at: number, businessDays: number, hhmm: string): number => {
    const day = addBusinessDays(localParts(at, t.p.zone).dateKey, businessDays, [1, 2, 3, 4, 5]);
    return instantAt(day, hhmm, t.p.zone);
  };

  const durations = population.durations;
  /** Places one dial at `at`; returns the seconds it took. */
  const dial = (t: Track, at: number): number => {
    const seg = population.segments[t.p.segment]!;
    const step = t.step;
    const away = t.p.away.find(([from, to]) => at >= from && at < to);
    const scheduled = step.dueKind === 'appointment' || step.dueKind === 'callback';
    let outcome: Outcome;
    let scheduledFor: number | null = null;
    let seconds: number;
    let answered = false;
    if (away) {
      if (outcomes.chance(seg.gatekeeper)) {
        outcome = 'away';
        scheduledFor = away[1];
        seconds = durations.gatekeeperSeconds;
      } else if (t.p.voicemailBox) {
        outcome = step.voicemail.leave ? 'voicemail_left' : 'voicemail_skipped';
        seconds = durations.ringOutSeconds + (step.voicemail.leave ? durations.voicemailSeconds : 0);
      } else {
        outcome = 'no_answer';
        seconds = durations.ringOutSeconds;
      }
    } else if (
      scheduled ? outcomes.chance(step.dueKind === 'appointment' ? APPOINTMENT_KEPT : CALLBACK_KEPT) : false
    ) {
      answered = true;
      ({ outcome, scheduledFor } = conversationOutcome(t, at, step.dueKind !== 'appointment'));
      seconds = durations.conversationSeconds;
    } else if (!scheduled && outcomes.chance(seg.gatekeeper)) {
      outcome = 'gatekeeper';
      seconds = durations.gatekeeperSeconds;
    } else if (!scheduled && outcomes.chance(answerChance(t, at))) {
      answered = true;
      ({ outcome, scheduledFor } = conversationOutcome(t, at, true));
      seconds = durations.conversationSeconds;
    } else if (t.p.voicemailBox) {
      outcome = step.voicemail.leave ? 'voicemail_left' : 'voicemail_skipped';
      seconds = durations.ringOutSeconds + (step.voicemail.leave ? durations.voicemailSeconds : 0);
    } else {
      outcome = 'no_answer';
      seconds = durations.ringOutSeconds;
    }
    // A time the prospect chose says nothing about when the timing should call.
    if (!scheduled) options.observe?.(t.p, at, answered);
    record(t, at, outcome, scheduledFor, step, seconds + durations.wrapUpSeconds, false);
    return seconds + durations.wrapUpSeconds;
  };

  /** Logs a call the way a rep does, when it ends: the attempt's time is the log's. */
  const record = (
    t: Track,
    startedAt: number,
    outcome: Outcome,
    scheduledFor: number | null,
    before: NextStep,
    seconds: number,
    inbound: boolean,
  ) => {
    const voicemailLeft = outcome === 'voicemail_left';
    const at = startedAt + seconds * SECOND;
    const attempt: CadenceAttempt = {
      at,
      outcome,
      number: t.p.number,
      voicemailLeft,
      script: voicemailLeft ? before.voicemail.script : null,
      scheduledFor,
    };
    t.history.push(attempt);
    result.dials += inbound ? 0 : 1;
    if (LIVE_OUTCOMES.has(outcome)) result.conversations++;
    else t.unanswered++;
    if (outcome === 'appointment_set') result.appointments++;
    if (voicemailLeft) {
      result.voicemailsLeft++;
      t.voicemails++;
    }
    const step = plan(t, at);
    t.step = step;
    t.version++;
    t.enrollment = {
      ...t.enrollment,
      state: step.state,
      putOffs: step.putOffs,
      flagged: step.flagged,
      experimentArm: step.experimentArm,
    };
    options.onDial?.({ prospect: t.p, startedAt, attempt, step, inbound });
    const rep = reps[t.p.rep]!;
    if (step.dueAt === null || ['won', 'lost', 'unreachable', 'dnc'].includes(step.state)) {
      t.ended = true;
      if (step.state === 'unreachable') result.unreachable++;
    } else {
      rep.due.push({ at: step.dueAt, track: t, version: t.version });
    }
    if (voicemailLeft && outcomes.chance(population.segments[t.p.segment]!.callbackAfterVoicemail)) {
      // They call back within two days, during their own calling hours.
      const ctx = ctxOf(t);
      const when = nextAllowedAt(at + HOUR + Math.floor(outcomes.next() * 47 * HOUR), ctx);
      if (when !== null) rep.inbound.push({ at: when, track: t });
    }
  };

  /** An inbound call from a prospect: screened as the product screens it. */
  const takeInbound = (
    call: Inbound,
    block: { id: number; startedAt: number; plannedEndAt: number } | null,
    repNow: number,
  ): number => {
    const t = call.track;
    result.callbacks++;
    const until = t.step.callbackListUntil;
    const decision = screenCall({
      callerId: t.p.number,
      defaultCountry: 'US',
      zone: repZone,
      userId: t.p.rep + 1,
      block: block ? { ...block, endedAt: null } : null,
      contacts: [
        {
          id: t.p.id,
          name: `Prospect ${t.p.id}`,
          company: null,
          ownerId: t.p.rep + 1,
          numbers: [{ e164: t.p.number, kind: 'direct' }],
        },
      ],
      callbacks:
        until !== null && until > call.at
          ? [
              {
                id: t.p.id,
                contactId: t.p.id,
                reason: 'voicemail_left',
                attemptId: null,
                sinceAt: t.history.at(-1)?.at ?? call.at,
                expiresAt: until,
                clearedAt: null,
              },
            ]
          : [],
      appointments: [],
      at: call.at,
    });
    const repFree = block !== null || isWorkingHours(call.at);
    if (decision.action === 'ring' && repFree && !t.ended) {
      const { outcome, scheduledFor } = conversationOutcome(t, call.at, true);
      const seconds = durations.conversationSeconds + durations.wrapUpSeconds;
      record(t, Math.max(call.at, repNow), outcome, scheduledFor, t.step, seconds, true);
      return block ? seconds : 0;
    }
    // Sent to voicemail (or missed): the rep returns it first thing in the next block.
    if (!t.ended) reps[t.p.rep]!.returns.push(t);
    return 0;
  };

  const isWorkingHours = (at: number): boolean => {
    const local = localParts(at, repZone);
    const minutes = local.hour * 60 + local.minute;
    return local.weekday <= 5 && minutes >= firstBlock && minutes < lastBlock;
  };

  for (let d = 0; d < days; d++) {
    const day = addDays(options.startDay, d);
    if (weekdayOf(day) > 5) continue;
    for (const [b, spec] of population.reps.blocks.entries()) {
      const blockStart = instantAt(day, spec.start, repZone);
      const blockEnd = blockStart + spec.minutes * MINUTE;
      options.onBlock?.(blockStart);
      for (const rep of reps) {
        const block = { id: d * 10 + b, startedAt: blockStart, plannedEndAt: blockEnd };
        result.repHours += spec.minutes / 60;
        while (rep.inbound.peek() && rep.inbound.peek()!.at < blockStart)
          takeInbound(rep.inbound.pop()!, null, blockStart);
        let t = blockStart;
        // Calls sent to voicemail are returned first.
        for (const track of rep.returns.splice(0)) {
          if (t >= blockEnd || track.ended) continue;
          if (!isAllowedAt(t, callingContexts(track).legal).ok) continue;
          t += dialReturn(track, t) * SECOND;
        }
        let listing: Track[] = [];
        while (t < blockEnd) {
          while (rep.inbound.peek() && rep.inbound.peek()!.at <= t)
            t += takeInbound(rep.inbound.pop()!, block, t) * SECOND;
          if (listing.length === 0) listing = pull(rep, t);
          const next = listing.shift();
          if (!next) {
            const wake = Math.min(
              rep.due.peek()?.at ?? Infinity,
              rep.inbound.peek()?.at ?? Infinity,
              t + 15 * MINUTE,
            );
            t = Math.max(t + MINUTE, Math.min(wake, blockEnd));
            continue;
          }
          if (next.ended) continue;
          t += dial(next, t) * SECOND;
        }
      }
    }
  }
  return result;

  /** Returning a prospect's call: they expect it, so it is answered like a requested callback. */
  function dialReturn(t: Track, at: number): number {
    if (outcomes.chance(CALLBACK_KEPT)) {
      const { outcome, scheduledFor } = conversationOutcome(t, at, true);
      const seconds = durations.conversationSeconds + durations.wrapUpSeconds;
      record(t, at, outcome, scheduledFor, t.step, seconds, false);
      return seconds;
    }
    const seconds = durations.ringOutSeconds + durations.wrapUpSeconds;
    record(t, at, 'no_answer', null, t.step, seconds, false);
    return seconds;
  }

  /** The rep pulls the next calls: the product's queue order over what is due now. */
  function pull(rep: (typeof reps)[number], now: number): Track[] {
    const candidates: (QueueCandidate & { track: Track })[] = [];
    const memo = new Map<string, { callable: boolean; legal: boolean }>();
    const seen = new Set<Track>();
    const held: { at: number; track: Track; version: number }[] = [];
    while (rep.due.peek() && rep.due.peek()!.at - policy.appointmentLeadMinutes * MINUTE <= now) {
      const e = rep.due.pop()!;
      if (e.version !== e.track.version || e.track.ended || seen.has(e.track)) continue;
      seen.add(e.track);
      held.push(e);
      candidates.push(candidate(e.track, now, memo));
    }
    while (rep.freshAt < rep.fresh.length && rep.fresh[rep.freshAt]!.history.length > 0) rep.freshAt++;
    for (let i = rep.freshAt, n = 0; i < rep.fresh.length && n < PULL; i++) {
      const t = rep.fresh[i]!;
      if (t.history.length > 0 || t.ended) continue;
      const c = candidate(t, now, memo);
      if (!c.callableNow) continue;
      candidates.push(c);
      n++;
    }
    const listed = orderQueue(candidates, { now, limit: PULL, freshShare: policy.freshShare }).map(
      (e) => e.candidate.track,
    );
    const chosen = new Set(listed);
    // What was due but not listed goes back for the next pull.
    for (const e of held) if (!chosen.has(e.track)) rep.due.push(e);
    return listed;
  }

  function candidate(
    t: Track,
    now: number,
    memo: Map<string, { callable: boolean; legal: boolean }>,
  ): QueueCandidate & { track: Track } {
    const ctx = callingContexts(t);
    // Calling hours depend on the contact's place and kind alone, unless a state caps calls a
    // day: then its own earlier calls count too.
    const key = ctx.capped ? null : `${t.p.zone}|${t.p.kind}|${t.p.state}`;
    let verdict = key === null ? undefined : memo.get(key);
    if (!verdict) {
      const caps = ctx.capped ? t.history.map((a) => a.at) : [];
      verdict = {
        callable: isAllowedAt(now, ctx.withCaller, caps).ok,
        legal: isAllowedAt(now, ctx.legal, caps).ok,
      };
      if (key !== null) memo.set(key, verdict);
    }
    return {
      track: t,
      enrollmentId: t.p.id,
      contactId: t.p.id,
      dueKind: t.step.dueKind,
      dueAt: t.step.dueAt,
      priority: t.step.priority,
      putOffs: t.step.putOffs,
      enrolledAt: t.p.id,
      callableNow: verdict.callable,
      legalNow: verdict.legal,
      dialable: t.step.number !== null,
      appointmentLeadMs: policy.appointmentLeadMinutes * MINUTE,
    };
  }
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function fromMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A binary min-heap. */
class Heap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(a[i]!, a[parent]!) >= 0) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  peek(): T | undefined {
    return this.items[0];
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
