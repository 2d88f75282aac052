/**
 * What the demo made, in numbers a person can check against the app: users and their demo
 * password, campaigns with enrollment states, attempts by outcome, and what is due today in
 * the workspace's time zone.
 */
import { addDays, instantAt, localParts } from '../time/zoned.js';
import { type DemoEnrollmentState, type DemoOutcome, type DemoWorld, LIVE_OUTCOMES } from './world.js';

export interface DemoSummary {
  seed: number;
  now: string;
  users: { email: string; name: string; role: string; timeZone: string; phone: string; password: string }[];
  campaigns: {
    name: string;
    kind: string;
    urgency: string;
    attemptLimit: number;
    voicemail: string;
    enrollments: number;
    attempts: number;
    states: Partial<Record<DemoEnrollmentState, number>>;
  }[];
  companies: number;
  contacts: number;
  numbers: number;
  attempts: number;
  /** Most frequent first. */
  outcomes: Partial<Record<DemoOutcome, number>>;
  /** Share of attempts with the contact on the line. */
  liveRate: number;
  appointments: { upcoming: number; past: number };
  callbackList: number;
  doNotCall: number;
  badNumbers: number;
  /** Due before the end of today in the workspace's time zone. */
  dueToday: {
    appointments: number;
    callbacks: number;
    retries: number;
    overdue: number;
    freshProspects: number;
  };
}

export function summarizeDemo(world: DemoWorld, timeZone: string): DemoSummary {
  const { now } = world;
  const endOfToday = instantAt(addDays(localParts(now, timeZone).dateKey, 1), 0, timeZone);
  const outcomes = countBy(world.attempts, (a) => a.outcome);
  const live = world.attempts.filter((a) => LIVE_OUTCOMES.has(a.outcome)).length;
  const lastAttempt = new Map<number, DemoOutcome>();
  for (const a of world.attempts) lastAttempt.set(a.enrollmentId, a.outcome);

  const due = { appointments: 0, callbacks: 0, retries: 0, overdue: 0, freshProspects: 0 };
  for (const e of world.enrollments) {
    if (e.state === 'new') due.freshProspects++;
    if (e.nextDueAt === null || e.nextDueAt >= endOfToday) continue;
    if (e.state === 'appointment') due.appointments++;
    else if (lastAttempt.get(e.id) === 'callback_requested') due.callbacks++;
    else due.retries++;
    if (e.nextDueAt < now) due.overdue++;
  }

  return {
    seed: world.seed,
    now: new Date(now).toISOString(),
    users: world.users.map((u) => ({
      email: u.email,
      name: u.name,
      role: u.role,
      timeZone: u.timeZone,
      phone: u.phone,
      password: world.password,
    })),
    campaigns: world.campaigns.map((c) => {
      const mine = world.enrollments.filter((e) => e.campaignId === c.id);
      return {
        name: c.name,
        kind: c.kind,
        urgency: c.urgency,
        attemptLimit: c.policy.attemptLimit,
        voicemail: c.policy.voicemail,
        enrollments: mine.length,
        attempts: mine.reduce((s, e) => s + e.attemptCount, 0),
        states: countBy(mine, (e) => e.state),
      };
    }),
    companies: world.companies.length,
    contacts: world.contacts.length,
    numbers: world.numbers.length,
    attempts: world.attempts.length,
    outcomes,
    liveRate: world.attempts.length === 0 ? 0 : Math.round((live / world.attempts.length) * 1000) / 1000,
    appointments: {
      upcoming: world.appointments.filter((a) => a.startsAt >= now).length,
      past: world.appointments.filter((a) => a.startsAt < now).length,
    },
    callbackList: world.callbackEntries.filter(
      (c) => c.clearedAt === null && c.sinceAt <= now && c.expiresAt > now,
    ).length,
    doNotCall: world.contacts.filter((c) => c.doNotCall).length,
    badNumbers: world.numbers.filter((n) => !n.valid).length,
    dueToday: due,
  };
}

/** Counts by key, most frequent first (ties by key), so printing and JSON are stable. */
function countBy<T, K extends string>(items: readonly T[], key: (item: T) => K): Partial<Record<K, number>> {
  const counts = new Map<K, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))) as Partial<
    Record<K, number>
  >;
}
