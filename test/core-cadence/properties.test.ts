/**
 * Properties of the cadence engine over random contacts, campaigns and outcome sequences:
 * every time it picks is a legal one in the contact's zone and inside the campaign window
 * (rule 12), the line in the sand holds (rule 5), do-not-call is absolute (rule 13), the same
 * inputs give the same step, and the voicemail experiment splits enrollments reproducibly
 * about 50/50 (rule 6). Seeds are fixed, so a failure replays exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextStep } from '../../src/core/cadence/next-step.js';
import { type CadencePolicy, cadencePolicySchema } from '../../src/core/cadence/policy.js';
import {
  type CadenceAttempt,
  type CadenceContact,
  type CadenceInput,
  LIVE_OUTCOMES,
  type NextStep,
  OUTCOMES,
  type Outcome,
} from '../../src/core/cadence/types.js';
import { experimentArm } from '../../src/core/cadence/voicemail.js';
import { isAllowedAt, legalBound, windowFor } from '../../src/core/calling-hours/calling-hours.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { formatHhmm, localParts, parseHhmm } from '../../src/core/time/zoned.js';
import { DAY, HOUR, MINUTE } from './support.js';

const SEED = 20261123;

const US_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
];
const OTHER_ZONES = [
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Santiago',
  'America/St_Johns',
];
/** States with and without stricter consumer rules: FL/MD/OK cap calls, AL bars Sundays and holidays. */
const STATES = ['NY', 'FL', 'AL', 'MD', 'OK', 'RI', 'KY', 'TX'];

const hhmm = (lo: number, hi: number) =>
  fc.integer({ min: lo * 4, max: hi * 4 }).map((q) => formatHhmm(q * 15));

const windowArb = fc
  .record({
    start: hhmm(5, 15),
    hours: fc.integer({ min: 1, max: 14 }),
    days: fc.subarray([1, 2, 3, 4, 5, 6, 7]),
  })
  .filter((w) => w.days.length > 0)
  .map((w) => ({
    start: w.start,
    end: formatHhmm(Math.min(parseHhmm(w.start) + w.hours * 60, 23 * 60 + 45)),
    days: w.days,
  }));

const policyArb: fc.Arbitrary<CadencePolicy> = fc
  .record({
    sameDayRetryMinHoursLeft: fc.integer({ min: 0, max: 5 }),
    maxAttemptsPerDay: fc.integer({ min: 1, max: 3 }),
    attemptLimit: fc.constantFrom(1, 3, 5, 7, 10, 15),
    voicemail: fc.constantFrom('always', 'never', 'first_and_last', 'experiment'),
    urgencySpacingFromAttempt: fc.integer({ min: 1, max: 6 }),
    businessWindow: windowArb,
    consumerWindow: windowArb,
  })
  .map((p) => cadencePolicySchema.parse(p));

const contactArb: fc.Arbitrary<CadenceContact> = fc
  .record({
    us: fc.boolean(),
    usZone: fc.constantFrom(...US_ZONES),
    otherZone: fc.constantFrom(...OTHER_ZONES),
    state: fc.constantFrom(...STATES),
    kind: fc.constantFrom('business' as const, 'consumer' as const),
    numbers: fc.uniqueArray(
      fc.constantFrom('direct' as const, 'mobile' as const, 'main' as const, 'home' as const),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    dncNumber: fc.integer({ min: -1, max: 3 }),
  })
  .map((c) => ({
    name: 'Prospect',
    kind: c.kind,
    zone: c.us ? c.usZone : c.otherZone,
    state: c.us ? c.state : null,
    doNotCall: false,
    numbers: c.numbers.map((kind, i) => ({
      e164: `+1212555010${i}`,
      kind,
      valid: true,
      doNotCall: i === c.dncNumber,
    })),
  }));

/** What a rep logs after a call: an outcome and, for some, a time it named (hours after the call). */
const loggedArb = fc.record({
  outcome: fc.constantFrom(...OUTCOMES),
  namedInHours: fc.option(fc.integer({ min: 1, max: 24 * 21 }), { nil: null }),
  lateByMinutes: fc.integer({ min: 0, max: 240 }),
});
type Logged = { outcome: Outcome; namedInHours: number | null; lateByMinutes: number };

/** 2026-01-01 to 2027-12-31, so both DST switches of every zone are crossed. */
const startArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) });

interface Played {
  input: CadenceInput;
  step: NextStep;
}

/**
 * Plays a contact through the cadence: each call happens when the engine said (the first at
 * `start`), the outcome is the next one in `script`, and the rep logs it a little later.
 * Stops when the enrollment leaves the queue or the script runs out.
 */
function play(
  contact: CadenceContact,
  policy: CadencePolicy,
  start: number,
  script: readonly Logged[],
  enrollmentId = 11,
): Played[] {
  const history: CadenceAttempt[] = [];
  const played: Played[] = [];
  let now = start;
  let putOffs = 0;
  let flagged = false;
  let arm: 'leave' | 'skip' | null = null;
  const input = (): CadenceInput => ({
    enrollment: {
      id: enrollmentId,
      state: history.length === 0 ? 'new' : 'active',
      putOffs,
      flagged,
      experimentArm: arm,
    },
    history: [...history],
    contact,
    campaign: { id: 3, urgency: 'normal', policy },
    stateRules: DEFAULT_STATE_RULES,
    now,
  });
  let current = input();
  let step = nextStep(current);
  played.push({ input: current, step });
  for (const logged of script) {
    if (step.number === null) break;
    if (step.dueAt === null && step.dueKind !== 'fresh') break;
    const at = step.dueAt ?? now;
    const named = logged.namedInHours === null ? null : at + logged.namedInHours * HOUR;
    history.push({
      at,
      outcome: logged.outcome,
      number: step.number,
      voicemailLeft: logged.outcome === 'voicemail_left',
      script: logged.outcome === 'voicemail_left' ? step.voicemail.script : null,
      scheduledFor: named,
    });
    now = at + (logged.lateByMinutes + 1) * MINUTE;
    putOffs = step.putOffs;
    flagged = step.flagged;
    arm = step.experimentArm;
    current = input();
    step = nextStep(current);
    played.push({ input: current, step });
  }
  return played;
}

/** Rule 12, checked by hand in the contact's zone: 08:00–21:00 and the campaign window. */
function legalProblem(p: Played): string | null {
  const { step, input } = p;
  if (step.dueAt === null || step.dueKind !== 'retry') return null;
  const zone = input.contact.zone;
  const local = localParts(step.dueAt, zone);
  const window = windowFor(input.campaign.policy, input.contact.kind);
  const m = local.minutesOfDay;
  const where = `${local.dateKey} ${formatHhmm(m)} (weekday ${local.weekday}) in ${zone}`;
  if (m < 8 * 60 || m >= 21 * 60) return `${where} is outside 08:00–21:00`;
  if (m < parseHhmm(window.start) || m >= parseHhmm(window.end) || !window.days.includes(local.weekday)) {
    return `${where} is outside the campaign window ${window.start}–${window.end} on ${window.days.join(',')}`;
  }
  const ctx = {
    zone,
    kind: input.contact.kind,
    state: input.contact.state,
    window,
    stateRules: input.stateRules,
  };
  const allowed = isAllowedAt(
    step.dueAt,
    ctx,
    input.history.map((a) => a.at),
  );
  if (!allowed.ok) return `${where}: ${allowed.reason}`;
  if (step.dueAt < input.now) return `${where} is before now`;
  return null;
}

/** Rule 12 over rule 8 and 9: a time the contact named may leave the campaign window, never the law. */
function contactTimeProblem(p: Played): string | null {
  const { step, input } = p;
  if (step.dueAt === null || (step.dueKind !== 'callback' && step.dueKind !== 'appointment')) return null;
  const zone = input.contact.zone;
  const local = localParts(step.dueAt, zone);
  const m = local.minutesOfDay;
  const where = `${step.dueKind} ${local.dateKey} ${formatHhmm(m)} (weekday ${local.weekday}) in ${zone}`;
  if (m < 8 * 60 || m >= 21 * 60) return `${where} is outside 08:00–21:00`;
  const ctx = {
    zone,
    kind: input.contact.kind,
    state: input.contact.state,
    window: windowFor(input.campaign.policy, input.contact.kind),
    stateRules: input.stateRules,
  };
  const allowed = isAllowedAt(step.dueAt, legalBound(ctx));
  return allowed.ok ? null : `${where}: ${allowed.reason}`;
}

/** Rule 5's count: calls since the last conversation or the last return date learned (rule 10). */
function unansweredSinceLastLiveOrReturn(history: readonly CadenceAttempt[]): number {
  let n = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const a = history[i]!;
    if (LIVE_OUTCOMES.has(a.outcome)) break;
    if ((a.outcome === 'away' || a.outcome === 'gatekeeper') && a.scheduledFor !== null) break;
    n++;
  }
  return n;
}

const params = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

describe('cadence properties', () => {
  it('never schedules a retry outside 08:00–21:00 in the contact’s zone nor outside the campaign window', () => {
    fc.assert(
      fc.property(
        contactArb,
        policyArb,
        startArb,
        fc.array(loggedArb, { minLength: 1, maxLength: 16 }),
        (contact, policy, start, script) => {
          for (const p of play(contact, policy, start, script)) {
            const problem = legalProblem(p);
            if (problem) throw new Error(`${problem}\n${p.step.reasons.join(' | ')}`);
          }
        },
      ),
      params(1500),
    );
  });

  it('never schedules a requested callback or appointment outside 08:00–21:00 or state law in the contact’s zone', () => {
    // Most calls end in a callback or an appointment at a time named at any hour of the day or night.
    const named = fc.record({
      outcome: fc.constantFrom<Outcome>(
        'callback_requested',
        'appointment_set',
        'callback_requested',
        ...OUTCOMES,
      ),
      namedInHours: fc.integer({ min: 1, max: 24 * 21 }),
      lateByMinutes: fc.integer({ min: 0, max: 240 }),
    });
    let checked = 0;
    fc.assert(
      fc.property(
        contactArb,
        policyArb,
        startArb,
        fc.array(named, { minLength: 1, maxLength: 12 }),
        (contact, policy, start, script) => {
          for (const p of play(contact, policy, start, script)) {
            const problem = contactTimeProblem(p);
            if (problem) throw new Error(`${problem}\n${p.step.reasons.join(' | ')}`);
            if (p.step.dueKind === 'callback' || p.step.dueKind === 'appointment') checked++;
          }
        },
      ),
      params(800),
    );
    expect(checked).toBeGreaterThan(500);
  });

  it('never exceeds the attempt limit: the enrollment leaves the queue once the limit is reached', () => {
    // A return date restarts the count (rule 10 before rule 5), so the closing run has none.
    const noLive = loggedArb.filter(
      (l) =>
        !LIVE_OUTCOMES.has(l.outcome) &&
        !((l.outcome === 'away' || l.outcome === 'gatekeeper') && l.namedInHours !== null),
    );
    fc.assert(
      fc.property(
        contactArb,
        policyArb,
        startArb,
        fc.array(loggedArb, { minLength: 1, maxLength: 20 }),
        fc.array(noLive, { minLength: 20, maxLength: 20 }),
        (contact, policy, start, mixed, unanswered) => {
          for (const p of play(contact, policy, start, [...mixed, ...unanswered])) {
            const since = unansweredSinceLastLiveOrReturn(p.input.history);
            const queued = p.step.dueAt !== null || p.step.dueKind === 'fresh';
            if (queued) expect(since).toBeLessThan(policy.attemptLimit);
            if (since >= policy.attemptLimit) expect(['unreachable', 'dnc']).toContain(p.step.state);
          }
          // Twenty unanswered calls in a row end every cadence (the limit is at most 15).
          const last = play(contact, policy, start, [...mixed, ...unanswered]).at(-1)!;
          expect(last.step.dueAt).toBeNull();
        },
      ),
      params(600),
    );
  });

  it('never dials or queues a do-not-call contact or number', () => {
    fc.assert(
      fc.property(
        contactArb,
        policyArb,
        startArb,
        fc.array(loggedArb, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (contact, policy, start, script, contactDnc) => {
          const subject = { ...contact, doNotCall: contactDnc };
          const barred = new Set(subject.numbers.filter((n) => n.doNotCall).map((n) => n.e164));
          let saidDnc = false;
          for (const p of play(subject, policy, start, script)) {
            saidDnc ||= p.input.history.some((a) => a.outcome === 'do_not_call');
            if (p.step.number !== null) expect(barred.has(p.step.number)).toBe(false);
            if (contactDnc || saidDnc) {
              expect(p.step.state).toBe('dnc');
              expect(p.step.dueAt).toBeNull();
              expect(p.step.number).toBeNull();
            }
          }
        },
      ),
      params(800),
    );
  });

  it('never dials a number that proved bad or was answered by the wrong person', () => {
    fc.assert(
      fc.property(
        contactArb,
        policyArb,
        startArb,
        fc.array(loggedArb, { minLength: 1, maxLength: 12 }),
        (contact, policy, start, script) => {
          for (const p of play(contact, policy, start, script)) {
            const dead = new Set(
              p.input.history
                .filter((a) => a.outcome === 'bad_number' || a.outcome === 'wrong_person')
                .map((a) => a.number),
            );
            if (p.step.number !== null) expect(dead.has(p.step.number)).toBe(false);
          }
        },
      ),
      params(800),
    );
  });

  it('retries at most twice a local day when no message is left', () => {
    const noMessage = fc.record({
      outcome: fc.constantFrom<Outcome>('no_answer', 'busy', 'voicemail_skipped'),
      namedInHours: fc.constant(null),
      lateByMinutes: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(
        contactArb,
        startArb,
        fc.array(noMessage, { minLength: 3, maxLength: 12 }),
        (contact, start, script) => {
          const policy = cadencePolicySchema.parse({ attemptLimit: 15, urgencySpacingFromAttempt: 50 });
          const played = play(contact, policy, start, script);
          const history = played.at(-1)!.input.history;
          const perDay = new Map<string, number>();
          for (const a of history) {
            const day = localParts(a.at, contact.zone).dateKey;
            perDay.set(day, (perDay.get(day) ?? 0) + 1);
          }
          for (const [day, n] of perDay) expect(n, day).toBeLessThanOrEqual(2);
        },
      ),
      params(600),
    );
  });

  it('gives the same step for the same inputs', () => {
    fc.assert(
      fc.property(
        contactArb,
        policyArb,
        startArb,
        fc.array(loggedArb, { minLength: 1, maxLength: 10 }),
        (contact, policy, start, script) => {
          for (const p of play(contact, policy, start, script)) {
            const again = nextStep(structuredClone(p.input));
            expect(again).toEqual(p.step);
          }
        },
      ),
      params(300),
    );
  });

  it('assigns each enrollment a stable experiment arm, about half leave and half skip over 10,000', () => {
    const policy = cadencePolicySchema.parse({ voicemail: 'experiment' });
    const contact: CadenceContact = {
      name: 'Prospect',
      kind: 'business',
      zone: 'America/New_York',
      state: 'NY',
      doNotCall: false,
      numbers: [{ e164: '+12125550100', kind: 'direct', valid: true, doNotCall: false }],
    };
    for (const campaignId of [1, 2, 77]) {
      let leave = 0;
      for (let id = 1; id <= 10_000; id++) {
        const arm = experimentArm(id, campaignId);
        if (arm === 'leave') leave++;
      }
      expect(Math.abs(leave / 10_000 - 0.5), `campaign ${campaignId}: ${leave} leave`).toBeLessThanOrEqual(
        0.02,
      );
    }
    // Through the engine: the arm it records is the one it acts on, and asking again gives the same.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 1000 }),
        (id, campaignId) => {
          const input: CadenceInput = {
            enrollment: { id, state: 'new', putOffs: 0, flagged: false, experimentArm: null },
            history: [],
            contact,
            campaign: { id: campaignId, urgency: 'normal', policy },
            stateRules: DEFAULT_STATE_RULES,
            now: Date.UTC(2026, 10, 23, 15),
          };
          const first = nextStep(input);
          const second = nextStep({ ...input, now: input.now + 3 * DAY });
          expect(first.experimentArm).not.toBeNull();
          expect(second.experimentArm).toBe(first.experimentArm);
          expect(first.voicemail.leave).toBe(first.experimentArm === 'leave');
        },
      ),
      params(1000),
    );
  });
});
