/**
 * Generates the demo world: a team of reps with a manager and an admin, three campaigns,
 * companies and contacts across time zones with realistic numbers, enrollments, and six weeks
 * of calling history ending at `now` — deterministically: the same seed and the same `now`
 * give the same world, object for object.
 *
 * @example
 *   const world = generateDemoWorld({ seed: 1, contacts: 2000, now: Date.UTC(2026, 2, 10, 15) });
 */
import type { NumberKind } from '../contact-fields.js';
import { CALLBACK_WINDOW_MS } from '../insights/callbacks.js';
import { addDays, instantAt, localParts, weekdayOf } from '../time/zoned.js';
import { DEMO_CAMPAIGNS, type DemoCampaignSpec } from './campaigns.js';
import { type Area, DEMO_AREAS, NumberAllocator, US_AREAS } from './geo.js';
import { COMPANY_HEADS, COMPANY_TAILS, FIRST_NAMES, LAST_NAMES, STREETS, slug } from './people.js';
import { createRng, type Rng } from './prng.js';
import {
  callingWindow,
  type PendingAppointment,
  type PendingAttempt,
  type PendingCallbackEntry,
  type SimContact,
  type SimEnrollment,
  type SimNumber,
  simulateContact,
} from './simulate.js';
import {
  type CallBlockStats,
  type DemoAttempt,
  type DemoCallbackEntry,
  type DemoCampaign,
  type DemoCompany,
  type DemoContact,
  type DemoContactNumber,
  type DemoDncEntry,
  type DemoEnrollment,
  type DemoInboundCall,
  type DemoNumber,
  type DemoRole,
  type DemoUser,
  type DemoWorld,
  LIVE_OUTCOMES,
} from './world.js';

export const DEMO_DEFAULTS = { seed: 1, contacts: 2000 } as const;
/** Every demo user signs in with this password; the demo prints it. */
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_EMAIL_DOMAIN = 'demo.ringback.test';
/** Days of calling history before `now`. */
export const HISTORY_DAYS = 42;

export interface DemoOptions {
  seed: number;
  contacts: number;
  /** The end of the history: the clock, passed in. */
  now: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const USERS: readonly { first: string; last: string; role: DemoRole; area: string }[] = [
  { first: 'Ana', last: 'Ortiz', role: 'rep', area: 'nyc' },
  { first: 'Ben', last: 'Okafor', role: 'rep', area: 'chi' },
  { first: 'Chloe', last: 'Nguyen', role: 'rep', area: 'den' },
  { first: 'Maya', last: 'Lindqvist', role: 'manager', area: 'nyc' },
  { first: 'Priya', last: 'Shah', role: 'admin', area: 'sf' },
];

const BOTH_TITLES = ['Founder & CEO', 'COO', 'General Manager', 'President'] as const;
const EXTRA_NOTES = [
  'Prefers mornings.',
  'Best reached on mobile.',
  'Met at a trade show last year.',
  'Assistant screens calls; ask for a time.',
  'Travels Mondays.',
] as const;
const COMPANY_SIZES = { 1: 22, 2: 20, 3: 18, 4: 13, 5: 10, 6: 7, 8: 6, 12: 4 } as const;

export function generateDemoWorld(options: DemoOptions): DemoWorld {
  const { seed, now } = options;
  if (!Number.isInteger(options.contacts) || options.contacts < 1)
    throw new RangeError('contacts must be a positive integer');
  const rng = createRng(seed);
  const historyStart = now - HISTORY_DAYS * DAY;
  const teamCreatedAt = historyStart - 14 * DAY;
  const campaignsCreatedAt = historyStart - 3 * DAY;
  const numbersRng = rng.fork('numbers');
  const allocator = new NumberAllocator(numbersRng);
  const areaByKey = new Map(DEMO_AREAS.map((a) => [a.key, a]));

  const teams = [{ id: 1, name: 'Prospecting', createdAt: teamCreatedAt }];
  const users: DemoUser[] = USERS.map((u, i) => {
    const area = areaByKey.get(u.area)!;
    return {
      id: i + 1,
      teamId: 1,
      email: `${slug(u.first)}@${DEMO_EMAIL_DOMAIN}`,
      name: `${u.first} ${u.last}`,
      role: u.role,
      phone: allocator.landline(area),
      timeZone: area.timeZone,
      createdAt: teamCreatedAt,
    };
  });
  const reps = users.filter((u) => u.role === 'rep');
  const manager = users.find((u) => u.role === 'manager')!;

  const campaigns: DemoCampaign[] = DEMO_CAMPAIGNS.map((spec, i) => ({
    id: i + 1,
    key: spec.key,
    name: spec.name,
    kind: spec.kind,
    urgency: spec.urgency,
    policy: spec.policy,
    scripts: spec.scripts,
    topic: spec.topic,
    teamId: 1,
    createdBy: manager.id,
    createdAt: campaignsCreatedAt,
  }));
  const campaignOf = (key: DemoCampaignSpec['key']) => {
    const index = DEMO_CAMPAIGNS.findIndex((s) => s.key === key);
    return { spec: DEMO_CAMPAIGNS[index]!, campaign: campaigns[index]! };
  };

  const companies: DemoCompany[] = [];
  const companyKeys = new Set<string>();
  const contacts: DemoContact[] = [];
  const numbers: DemoNumber[] = [];
  const contactNumbers: DemoContactNumber[] = [];
  const enrollments: DemoEnrollment[] = [];
  const sims: SimContact[] = [];
  const emails = new Set<string>();
  const contactRng = rng.fork('contacts');
  const usWeights = weightsOf(US_AREAS);
  const allWeights = weightsOf(DEMO_AREAS);

  const addNumber = (e164: string, area: Area, createdAt: number): DemoNumber => {
    const n: DemoNumber = { id: numbers.length + 1, e164, country: area.country, valid: true, createdAt };
    numbers.push(n);
    return n;
  };
  const uniqueEmail = (local: string, domain: string): string => {
    for (let i = 1; ; i++) {
      const email = `${local}${i === 1 ? '' : i}@${domain}`;
      if (!emails.has(email)) {
        emails.add(email);
        return email;
      }
    }
  };

  /** One contact with its numbers and enrollments, appended to the world. */
  const addContact = (input: {
    area: Area;
    kind: 'business' | 'consumer';
    company: { row: DemoCompany; main: DemoNumber; street: string } | null;
    campaignKeys: DemoCampaignSpec['key'][];
  }) => {
    const r = contactRng;
    const { area, kind, company } = input;
    const id = contacts.length + 1;
    const firstName = r.pick(FIRST_NAMES);
    const lastName = r.pick(LAST_NAMES);
    const specs = input.campaignKeys.map((k) => campaignOf(k).spec);
    const fresh = r.chance(0.1);
    const createdAt = fresh
      ? now - r.int(60, 9 * 24 * 60) * MINUTE
      : historyStart - r.int(24 * 60, 30 * 24 * 60) * MINUTE;
    const title =
      kind === 'consumer' ? '' : specs.length > 1 ? r.pick(BOTH_TITLES) : r.pick(specs[0]!.titles);
    const interests = [...new Set(specs.flatMap((s) => [r.pick(s.interests), r.pick(s.interests)]))].join(
      ', ',
    );
    const hook = r.pick(specs[0]!.hooks);
    const notes = `Hook: ${hook}.${r.chance(0.3) ? ` ${r.pick(EXTRA_NOTES)}` : ''}`;
    let email = '';
    if (kind === 'business' && company && r.chance(0.88)) {
      email = uniqueEmail(`${slug(firstName)}.${slug(lastName)}`, `${slug(company.row.name)}.example`);
    } else if (kind === 'consumer' && r.chance(0.8)) {
      email = uniqueEmail(`${slug(firstName)}.${slug(lastName)}${r.int(1, 99)}`, 'example.net');
    }
    const northAmerican = area.country === 'US' || area.country === 'CA';
    const contact: DemoContact = {
      id,
      firstName,
      lastName,
      title,
      companyId: company?.row.id ?? null,
      email,
      emailKey: email.toLowerCase(),
      timeZone: northAmerican && r.chance(0.12) ? '' : area.timeZone,
      kind,
      interests,
      notes,
      street: kind === 'consumer' ? `${r.int(10, 9899)} ${r.pick(STREETS)}` : (company?.street ?? ''),
      city: area.city,
      region: area.region,
      postalCode: area.postalCode,
      country: area.country,
      ownerId: r.pick(reps).id,
      doNotCall: false,
      createdAt,
      updatedAt: createdAt,
    };
    contacts.push(contact);

    const simNumbers: SimNumber[] = [];
    const link = (n: DemoNumber, k: NumberKind, extension = '') => {
      contactNumbers.push({ contactId: id, numberId: n.id, kind: k, extension, createdAt });
      simNumbers.push({ number: n, kind: k, failures: 0, attempts: 0, dead: false });
    };
    if (kind === 'business') {
      if (r.chance(0.75)) link(addNumber(allocator.landline(area), area, createdAt), 'direct');
      if (r.chance(0.5)) {
        const mobile = allocator.mobile(area);
        if (mobile) link(addNumber(mobile, area, createdAt), 'mobile');
      }
      if (company) link(company.main, 'main', r.chance(0.35) ? String(r.int(100, 499)) : '');
      const senior = /CEO|CFO|CTO|COO|President|VP/.test(title);
      if (r.chance(senior ? 0.2 : 0.02))
        link(addNumber(allocator.landline(area), area, createdAt), 'assistant');
    } else {
      const mobile = r.chance(0.92) ? allocator.mobile(area) : undefined;
      if (mobile) link(addNumber(mobile, area, createdAt), 'mobile');
      if (!mobile || r.chance(0.35)) link(addNumber(allocator.landline(area), area, createdAt), 'home');
    }

    const simEnrollments: SimEnrollment[] = input.campaignKeys.map((key) => {
      const { spec, campaign } = campaignOf(key);
      const enrollment: DemoEnrollment = {
        id: enrollments.length + 1,
        campaignId: campaign.id,
        contactId: id,
        ownerId: contact.ownerId,
        state: 'new',
        attemptCount: 0,
        connectCount: 0,
        nextDueAt: null,
        dueKind: 'fresh',
        priority: 0,
        putOffs: 0,
        flagged: false,
        experimentArm: spec.policy.voicemail === 'experiment' ? (r.chance(0.5) ? 'leave' : 'skip') : null,
        lastAttemptAt: null,
        createdAt: Math.max(createdAt, campaign.createdAt) + r.int(1, 120) * MINUTE,
        updatedAt: 0,
      };
      enrollment.updatedAt = enrollment.createdAt;
      enrollments.push(enrollment);
      let firstAt: number | null = null;
      if (!fresh && !r.chance(0.04)) {
        // The list is worked through over the six weeks: a first dial on a random calling day.
        const window = callingWindow(spec.policy, kind);
        let date = localParts(historyStart + r.next() * (now - historyStart), area.timeZone).dateKey;
        while (!window.days.has(weekdayOf(date))) date = addDays(date, 1);
        const minute = r.int(window.start, window.end - 6);
        firstAt = instantAt(date, minute, area.timeZone) + r.int(0, 59) * 1000;
      }
      return { enrollment, campaign: spec, firstAt };
    });
    sims.push({ contact, timeZone: area.timeZone, numbers: simNumbers, enrollments: simEnrollments });
  };

  // Contacts: a quarter consumers on the party list, the rest at companies.
  const consumerCount = Math.round(options.contacts * 0.25);
  let businessLeft = options.contacts - consumerCount;
  while (businessLeft > 0) {
    const size = Math.min(businessLeft, Number(contactRng.weighted(COMPANY_SIZES)));
    const area = pickArea(contactRng, allWeights);
    const name = companyName(contactRng, companyKeys);
    const createdAt = historyStart - contactRng.int(31 * 24 * 60, 60 * 24 * 60) * MINUTE;
    const row: DemoCompany = { id: companies.length + 1, name, nameKey: name.toLowerCase(), createdAt };
    companies.push(row);
    const main = addNumber(allocator.landline(area), area, createdAt);
    const street = `${contactRng.int(1, 2400)} ${contactRng.pick(STREETS)}`;
    for (let i = 0; i < size; i++) {
      const p = contactRng.next();
      const campaignKeys: DemoCampaignSpec['key'][] =
        p < 0.56 ? ['software'] : p < 0.88 ? ['candidate'] : ['software', 'candidate'];
      addContact({ area, kind: 'business', company: { row, main, street }, campaignKeys });
    }
    businessLeft -= size;
  }
  for (let i = 0; i < consumerCount; i++) {
    addContact({
      area: pickArea(contactRng, usWeights),
      kind: 'consumer',
      company: null,
      campaignKeys: ['parties'],
    });
  }

  // History, one contact at a time, each with its own generator.
  const pendingAttempts: PendingAttempt[] = [];
  const pendingAppointments: PendingAppointment[] = [];
  const pendingEntries: PendingCallbackEntry[] = [];
  const dncEntries: DemoDncEntry[] = [];
  for (const sim of sims) {
    const out = simulateContact(sim, now, rng.fork(`history:${sim.contact.id}`));
    pendingAttempts.push(...out.attempts);
    pendingAppointments.push(...out.appointments);
    pendingEntries.push(...out.callbackEntries);
    if (out.doNotCall) {
      sim.contact.doNotCall = true;
      sim.contact.updatedAt = out.doNotCall.at;
      dncEntries.push({
        id: 0,
        contactId: sim.contact.id,
        reason: 'Asked not to be called again.',
        source: 'attempt',
        createdBy: out.doNotCall.userId,
        createdAt: out.doNotCall.at,
      });
    }
  }

  // Ids in time order, as a live system would have handed them out.
  pendingAttempts.sort(
    (a, b) => a.startedAt - b.startedAt || a.contactId - b.contactId || a.enrollmentId - b.enrollmentId,
  );
  const attemptIds = new Map<PendingAttempt, number>();
  const attempts: DemoAttempt[] = pendingAttempts.map((a, i) => {
    attemptIds.set(a, i + 1);
    return { id: i + 1, ...a };
  });
  pendingAppointments.sort((a, b) => attemptIds.get(a.attempt)! - attemptIds.get(b.attempt)!);
  const appointments = pendingAppointments.map(({ attempt, ...rest }, i) => ({
    id: i + 1,
    ...rest,
    attemptId: attemptIds.get(attempt)!,
    uid: `demo-${seed}-${i + 1}@${DEMO_EMAIL_DOMAIN}`,
  }));
  pendingEntries.sort(
    (a, b) =>
      a.sinceAt - b.sinceAt ||
      attemptIds.get(a.attempt)! - attemptIds.get(b.attempt)! ||
      a.reason.localeCompare(b.reason),
  );
  const callbackEntries = pendingEntries.map(({ attempt, ...rest }, i) => ({
    id: i + 1,
    ...rest,
    attemptId: attemptIds.get(attempt)!,
  }));
  dncEntries.sort((a, b) => a.createdAt - b.createdAt || a.contactId - b.contactId);
  dncEntries.forEach((d, i) => {
    d.id = i + 1;
  });

  return {
    seed,
    now,
    password: DEMO_PASSWORD,
    teams,
    users,
    companies,
    contacts,
    numbers,
    contactNumbers,
    campaigns,
    enrollments,
    attempts,
    appointments,
    callbackEntries,
    inboundCalls: inboundCalls(attempts, callbackEntries, numbers, now, rng.fork('inbound')),
    callBlocks: callBlocks(reps, attempts, now, rng.fork('blocks')),
    dncEntries,
  };
}

/** Share of voicemails the contact returns while still on the rep's callback list. */
const CALLBACK_AFTER_VOICEMAIL = 0.08;
/** Share of those callers who ring a second time (one voicemail, two calls: still one callback). */
const CALLS_TWICE = 0.25;
/** Share of unanswered calls without a message that the contact returns anyway (a missed call). */
const RETURNS_MISSED_CALL = 0.02;
const HOUR_MS = 3_600_000;

/**
 * Contacts calling back, as screening would record it: after a voicemail, within its callback
 * list window (before the next attempt to them, and within two days here) and before now.
 */
function inboundCalls(
  attempts: readonly DemoAttempt[],
  entries: readonly DemoCallbackEntry[],
  numbers: readonly DemoNumber[],
  now: number,
  rng: Rng,
): DemoInboundCall[] {
  const e164 = new Map(numbers.map((n) => [n.id, n.e164]));
  const entryOf = new Map(entries.filter((e) => e.reason === 'voicemail_left').map((e) => [e.attemptId, e]));
  const byContact = new Map<number, DemoAttempt[]>();
  for (const a of attempts) {
    const list = byContact.get(a.contactId);
    if (list) list.push(a);
    else byContact.set(a.contactId, [a]);
  }
  const calls: DemoInboundCall[] = [];
  for (const list of byContact.values()) {
    for (const [i, a] of list.entries()) {
      const next = list[i + 1]?.startedAt ?? Number.POSITIVE_INFINITY;
      const until = Math.min(next, a.endedAt + 48 * HOUR_MS, now);
      const from = a.endedAt + HOUR_MS / 3;
      if (until <= from) continue;
      const quiet = a.outcome === 'no_answer' || a.outcome === 'voicemail_skipped';
      const p = a.voicemailLeft ? CALLBACK_AFTER_VOICEMAIL : quiet ? RETURNS_MISSED_CALL : 0;
      if (p === 0 || !rng.chance(p)) continue;
      const times = [from + rng.next() * (until - from)];
      if (a.voicemailLeft && rng.chance(CALLS_TWICE))
        times.push(times[0]! + rng.next() * (until - times[0]!));
      for (const at of times) {
        // Screening credits the call to the voicemail whose callback-list entry it falls in:
        // the latest one before it, listed until the next attempt or for 7 days (rule 2).
        let credited: DemoAttempt | null = null;
        for (let j = i; j >= 0 && credited === null; j--) {
          const v = list[j]!;
          const listedUntil = Math.max(list[j + 1]?.startedAt ?? 0, v.startedAt + CALLBACK_WINDOW_MS);
          if (v.voicemailLeft && at < listedUntil) credited = v;
        }
        calls.push({
          id: 0,
          userId: credited?.userId ?? a.userId,
          contactId: a.contactId,
          e164: e164.get(a.numberId)!,
          at: Math.floor(at),
          reason: credited ? 'callback_list' : 'not_in_block',
          attemptId: credited?.id ?? null,
          callbackEntryId: credited ? (entryOf.get(credited.id)?.id ?? null) : null,
        });
      }
    }
  }
  calls.sort((x, y) => x.at - y.at || x.contactId - y.contactId);
  calls.forEach((c, i) => {
    c.id = i + 1;
  });
  return calls;
}

/** Three past call blocks per rep, 10:00–11:30 their time, on the last three weekdays. */
function callBlocks(reps: DemoUser[], attempts: DemoAttempt[], now: number, rng: Rng) {
  const blocks: DemoWorld['callBlocks'] = [];
  for (const rep of reps) {
    const mine = attempts.filter((a) => a.userId === rep.id);
    let date = localParts(now, rep.timeZone).dateKey;
    for (let made = 0; made < 3; ) {
      date = addDays(date, -1);
      if (weekdayOf(date) > 5) continue;
      made++;
      const startedAt = instantAt(date, 10 * 60 - rng.int(0, 10), rep.timeZone);
      const plannedEndAt = startedAt + 90 * MINUTE;
      const endedAt = plannedEndAt + rng.int(-12, 8) * MINUTE;
      const stats: CallBlockStats = { attempts: 0, connects: 0, voicemails: 0, talkSeconds: 0, outcomes: {} };
      for (const a of mine) {
        if (a.startedAt < startedAt || a.startedAt >= endedAt) continue;
        stats.attempts++;
        if (LIVE_OUTCOMES.has(a.outcome)) {
          stats.connects++;
          stats.talkSeconds += a.durationS;
        }
        if (a.voicemailLeft) stats.voicemails++;
        stats.outcomes[a.outcome] = (stats.outcomes[a.outcome] ?? 0) + 1;
      }
      stats.outcomes = Object.fromEntries(
        Object.entries(stats.outcomes).sort(([a], [b]) => a.localeCompare(b)),
      );
      blocks.push({ id: 0, userId: rep.id, startedAt, plannedEndAt, endedAt, stats });
    }
  }
  blocks.sort((a, b) => a.startedAt - b.startedAt || a.userId - b.userId);
  blocks.forEach((b, i) => {
    b.id = i + 1;
  });
  return blocks;
}

function weightsOf(areas: readonly Area[]): Record<string, number> {
  return Object.fromEntries(areas.map((a) => [a.key, a.weight]));
}

const AREA_BY_KEY = new Map(DEMO_AREAS.map((a) => [a.key, a]));

function pickArea(rng: Rng, weights: Record<string, number>): Area {
  return AREA_BY_KEY.get(rng.weighted(weights))!;
}

function companyName(rng: Rng, taken: Set<string>): string {
  for (let i = 0; ; i++) {
    const base = `${rng.pick(COMPANY_HEADS)} ${rng.pick(COMPANY_TAILS)}`;
    const name = i < 20 ? base : `${base} ${Math.floor(i / 20) + 1}`;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}
