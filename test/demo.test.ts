/**
 * `ringback demo` on real SQLite and PostgreSQL databases: the world it writes is plausible,
 * follows the calling rules, stores only valid numbers, and is the same for the same seed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo, type DemoResult } from '../src/app/demo.js';
import { cadencePolicySchema } from '../src/core/cadence/policy.js';
import { demoTimeZoneOfNumber } from '../src/core/demo/geo.js';
import { campaignScriptsSchema } from '../src/core/scripts/schema.js';
import { migrateToLatest, openStore, type Store } from '../src/store/db.js';
import type { Attempt, Database } from '../src/store/schema.js';

/** Tuesday 10 March 2026, 11:30 in New York: two days after the US switched to summer time. */
const NOW = Date.UTC(2026, 2, 10, 15, 30);
const CONTACTS = 300;
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const tmp = mkdtempSync(join(tmpdir(), 'rb-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function sqliteDemo(name: string, seed: number): Promise<{ store: Store; result: DemoResult }> {
  const store = openStore({ sqlitePath: join(tmp, `${name}.db`) });
  await migrateToLatest(store);
  const result = await createDemo(store, { seed, contacts: CONTACTS, now: NOW });
  return { store, result };
}

const TABLES: (keyof Database)[] = [
  'workspaces',
  'teams',
  'users',
  'companies',
  'contacts',
  'numbers',
  'contact_numbers',
  'campaigns',
  'enrollments',
  'attempts',
  'appointments',
  'callback_entries',
  'call_blocks',
  'screening_decisions',
  'dnc_entries',
];

/** A digest of every row of every table, except password hashes (salted). */
async function digest(db: Kysely<Database>): Promise<string> {
  const hash = createHash('sha256');
  for (const table of TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    const lines = rows.map((row) => {
      const { password_hash: _, ...rest } = row;
      return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
    });
    lines.sort();
    hash.update(`${table}\n${lines.join('\n')}\n`);
  }
  return hash.digest('hex');
}

const weekdayFormat = new Map<string, Intl.DateTimeFormat>();
/** Local date, weekday (1 = Monday) and minute of the day, straight from Intl. */
function localClock(ms: number, timeZone: string): { date: string; weekday: number; minute: number } {
  let f = weekdayFormat.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    weekdayFormat.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

function checksOn(label: string, open: () => Promise<{ store: Store; result: DemoResult }>) {
  describe(`demo on ${label}`, () => {
    let store: Store;
    let result: DemoResult;
    let db: Kysely<Database>;
    let attempts: Attempt[];

    beforeAll(async () => {
      ({ store, result } = await open());
      db = store.db;
      attempts = await db.selectFrom('attempts').selectAll().orderBy('started_at').orderBy('id').execute();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('makes a team, three campaigns of different kinds and the requested number of contacts', async () => {
      const users = await db.selectFrom('users').selectAll().execute();
      expect(users.map((u) => u.role).sort()).toEqual(['admin', 'manager', 'rep', 'rep', 'rep']);
      expect(new Set(users.map((u) => u.team_id)).size).toBe(1);
      expect(users.every((u) => u.password_hash?.startsWith('$argon2id$') && u.phone && u.time_zone)).toBe(
        true,
      );
      const campaigns = await db.selectFrom('campaigns').selectAll().orderBy('id').execute();
      expect(campaigns.map((c) => [c.kind, c.urgency])).toEqual([
        ['sales', 'normal'],
        ['recruiting', 'high'],
        ['direct_sales', 'low'],
      ]);
      const contacts = await db.selectFrom('contacts').selectAll().execute();
      expect(contacts).toHaveLength(CONTACTS);
      expect(contacts.filter((c) => c.kind === 'consumer').length).toBeGreaterThan(CONTACTS * 0.15);
      expect(contacts.filter((c) => c.time_zone === '').length).toBeGreaterThan(0);
      const enrollments = await db.selectFrom('enrollments').selectAll().execute();
      expect(enrollments.length).toBeGreaterThan(CONTACTS);
      expect(enrollments.length).toBeLessThan(CONTACTS * 1.3);
      expect(attempts.length).toBeGreaterThan(CONTACTS * 2.5);
      expect(attempts.length).toBeLessThan(CONTACTS * 7);
      const fresh = enrollments.filter((e) => e.state === 'new');
      expect(fresh.length).toBeGreaterThan(0);
      expect(fresh.every((e) => e.next_due_at === null && e.attempt_count === 0)).toBe(true);
      expect(result.contacts).toBe(CONTACTS);
      expect(result.attempts).toBe(attempts.length);
    });

    it('produces a plausible outcome mix: mostly unanswered, about one call in ten live', () => {
      const share = (o: string) => attempts.filter((a) => a.outcome === o).length / attempts.length;
      expect(share('no_answer') + share('voicemail_left')).toBeGreaterThan(0.45);
      expect(share('gatekeeper')).toBeGreaterThan(0.05);
      expect(share('connected')).toBeGreaterThan(0.03);
      expect(share('connected')).toBeLessThan(0.12);
      expect(result.liveRate).toBeGreaterThan(0.07);
      expect(result.liveRate).toBeLessThan(0.2);
      for (const o of [
        'voicemail_skipped',
        'callback_requested',
        'appointment_set',
        'not_interested',
        'bad_number',
      ]) {
        expect(share(o), o).toBeGreaterThan(0);
      }
    });

    it('dials only inside the contact’s local calling window, on weekdays', async () => {
      const contacts = new Map((await db.selectFrom('contacts').selectAll().execute()).map((c) => [c.id, c]));
      const numbers = new Map((await db.selectFrom('numbers').selectAll().execute()).map((n) => [n.id, n]));
      const policies = new Map(
        (await db.selectFrom('campaigns').selectAll().execute()).map((c) => [
          c.id,
          cadencePolicySchema.parse(JSON.parse(c.policy)),
        ]),
      );
      const outside: string[] = [];
      for (const a of attempts) {
        const contact = contacts.get(a.contact_id)!;
        const zone = contact.time_zone || demoTimeZoneOfNumber(numbers.get(a.number_id!)!.e164);
        expect(zone, `zone of contact ${contact.id}`).toBeTruthy();
        const policy = policies.get(a.campaign_id!)!;
        const window = contact.kind === 'consumer' ? policy.consumerWindow : policy.businessWindow;
        const { weekday, minute } = localClock(a.started_at, zone!);
        const inside =
          weekday <= 5 &&
          window.days.includes(weekday) &&
          minute >= Math.max(toMinutes(window.start), 8 * 60) &&
          minute < Math.min(toMinutes(window.end), 21 * 60);
        if (!inside) outside.push(`attempt ${a.id} at ${new Date(a.started_at).toISOString()} in ${zone}`);
      }
      expect(outside).toEqual([]);
    });

    it('never exceeds a campaign’s attempt limit, and enrollments agree with their history', async () => {
      const enrollments = await db.selectFrom('enrollments').selectAll().execute();
      const limits = new Map(
        (await db.selectFrom('campaigns').selectAll().execute()).map((c) => [
          c.id,
          cadencePolicySchema.parse(JSON.parse(c.policy)).attemptLimit,
        ]),
      );
      const live = new Set([
        'connected',
        'callback_requested',
        'appointment_set',
        'not_interested',
        'do_not_call',
        'won',
      ]);
      for (const e of enrollments) {
        const mine = attempts.filter((a) => a.enrollment_id === e.id);
        expect(mine.length).toBeLessThanOrEqual(limits.get(e.campaign_id)!);
        expect(e.attempt_count).toBe(mine.length);
        expect(e.connect_count).toBe(mine.filter((a) => live.has(a.outcome)).length);
        expect(e.last_attempt_at).toBe(mine.length ? mine[mine.length - 1]!.started_at : null);
        if (['active', 'snoozed', 'appointment'].includes(e.state)) expect(e.next_due_at).not.toBeNull();
        else expect(e.next_due_at).toBeNull();
        if (e.state === 'unreachable' && mine.length === limits.get(e.campaign_id)) {
          expect(mine.some((a) => live.has(a.outcome))).toBe(false);
        }
      }
      expect(attempts.every((a) => a.started_at < NOW)).toBe(true);
    });

    it('follows the cadence: at most two tries a day, a voicemail waits for another day, one break-up', async () => {
      const contacts = new Map((await db.selectFrom('contacts').selectAll().execute()).map((c) => [c.id, c]));
      const numbers = new Map((await db.selectFrom('numbers').selectAll().execute()).map((n) => [n.id, n]));
      const zoneOf = (a: Attempt) =>
        contacts.get(a.contact_id)!.time_zone || demoTimeZoneOfNumber(numbers.get(a.number_id!)!.e164)!;
      for (const mine of groupBy(attempts, (a) => a.enrollment_id!).values()) {
        const perDay = groupBy(mine, (a) => localClock(a.started_at, zoneOf(a)).date);
        for (const day of perDay.values()) expect(day.length).toBeLessThanOrEqual(2);
        mine.forEach((a, i) => {
          const next = mine[i + 1];
          if (a.outcome === 'voicemail_left' && next) {
            expect(localClock(next.started_at, zoneOf(next)).date).not.toBe(
              localClock(a.started_at, zoneOf(a)).date,
            );
          }
        });
        expect(mine.filter((a) => a.script === 'break_up').length).toBeLessThanOrEqual(1);
        expect(mine.every((a) => a.voicemail_left === (a.outcome === 'voicemail_left' ? 1 : 0))).toBe(true);
      }
      const scheduled = attempts.filter(
        (a) => a.outcome === 'callback_requested' || a.outcome === 'appointment_set',
      );
      expect(scheduled.every((a) => a.scheduled_for !== null && a.scheduled_for > a.started_at)).toBe(true);
    });

    it('keeps the voicemail experiment: the skip arm never leaves a message', async () => {
      const arms = await db
        .selectFrom('enrollments')
        .innerJoin('campaigns', 'campaigns.id', 'enrollments.campaign_id')
        .select(['enrollments.id', 'enrollments.experiment_arm', 'campaigns.policy'])
        .execute();
      for (const e of arms) {
        const experiment = cadencePolicySchema.parse(JSON.parse(e.policy)).voicemail === 'experiment';
        expect(e.experiment_arm !== null).toBe(experiment);
        if (e.experiment_arm === 'skip') {
          expect(attempts.some((a) => a.enrollment_id === e.id && a.voicemail_left === 1)).toBe(false);
        }
      }
    });

    it('stops calling a do-not-call contact in every campaign and records the request', async () => {
      const dnc = await db.selectFrom('contacts').select('id').where('do_not_call', '=', 1).execute();
      const entries = await db.selectFrom('dnc_entries').selectAll().execute();
      expect(entries.map((e) => e.contact_id).sort()).toEqual(dnc.map((c) => c.id).sort());
      for (const { id } of dnc) {
        const mine = attempts.filter((a) => a.contact_id === id);
        const request = mine.findIndex((a) => a.outcome === 'do_not_call');
        expect(request).toBeGreaterThanOrEqual(0);
        expect(request).toBe(mine.length - 1);
        const states = await db
          .selectFrom('enrollments')
          .select('state')
          .where('contact_id', '=', id)
          .execute();
        expect(states.every((s) => s.state === 'dnc')).toBe(true);
      }
    });

    it('stores every number exactly as libphonenumber-js formats a valid number', async () => {
      const numbers = await db.selectFrom('numbers').selectAll().execute();
      for (const n of numbers) {
        const parsed = parsePhoneNumberFromString(n.e164);
        expect(parsed?.isValid(), n.e164).toBe(true);
        expect(parsed?.number).toBe(n.e164);
      }
      const links = await db.selectFrom('contact_numbers').selectAll().execute();
      expect(links.every((l) => l.source === 'demo')).toBe(true);
      const kinds = new Set(links.map((l) => l.kind));
      for (const k of ['direct', 'mobile', 'main', 'home']) expect(kinds.has(k as never), k).toBe(true);
      // Main lines are shared by colleagues.
      const perNumber = groupBy(links, (l) => l.number_id);
      expect([...perNumber.values()].some((l) => l.length > 1 && l.every((x) => x.kind === 'main'))).toBe(
        true,
      );
      const bad = new Set(attempts.filter((a) => a.outcome === 'bad_number').map((a) => a.number_id));
      expect(
        numbers
          .filter((n) => n.valid === 0)
          .map((n) => n.id)
          .sort(),
      ).toEqual([...bad].sort());
    });

    it('writes appointments, callback-list entries and past call blocks', async () => {
      const appointments = await db.selectFrom('appointments').selectAll().execute();
      expect(appointments.some((a) => a.starts_at > NOW && a.status === 'scheduled')).toBe(true);
      expect(appointments.some((a) => a.starts_at < NOW && a.status !== 'scheduled')).toBe(true);
      const entries = await db.selectFrom('callback_entries').selectAll().execute();
      expect(entries.some((e) => e.reason === 'voicemail_left' && e.expires_at > NOW)).toBe(true);
      for (const e of entries) expect(e.expires_at).toBeGreaterThan(e.since_at);
      const blocks = await db.selectFrom('call_blocks').selectAll().execute();
      expect(blocks).toHaveLength(9);
      expect(
        blocks.every((b) => b.ended_at !== null && b.ended_at < NOW && JSON.parse(b.stats).attempts >= 0),
      ).toBe(true);
    });

    it('refuses a database that already has contacts', async () => {
      await expect(createDemo(store, { seed: 1, contacts: 5, now: NOW })).rejects.toMatchObject({
        failure: { code: 'demo_refused' },
      });
    });

    it('writes campaign scripts that parse, fit the time and name the caller and the number', async () => {
      const campaigns = await db.selectFrom('campaigns').select(['scripts', 'topic']).execute();
      const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
      for (const c of campaigns) {
        const scripts = campaignScriptsSchema.parse(JSON.parse(c.scripts));
        expect(c.topic).not.toBe('');
        expect(words(scripts.elevator)).toBeLessThanOrEqual(30);
        for (const [name, text] of Object.entries(scripts.voicemail)) {
          // 30 seconds at 150 words a minute, with the number spoken as about ten words.
          expect(words(text) + 9, name).toBeLessThanOrEqual(75);
          expect(text).toContain('{{my_name}}');
          expect(text).toContain('{{my_number}}');
          if (name !== 'break_up') expect(text).toContain('{{next_call}}');
        }
        expect(scripts.voicemail.intro).toContain('{{today}}');
      }
    });
  });
}

checksOn('SQLite', () => sqliteDemo('main', 1));

const pgName = `rb_demo_${randomBytes(6).toString('hex')}`;
checksOn('PostgreSQL', async () => {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${pgName}`);
  } finally {
    await admin.end();
  }
  const store = openStore({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${pgName}`, poolSize: 2 });
  await migrateToLatest(store);
  return { store, result: await createDemo(store, { seed: 1, contacts: CONTACTS, now: NOW }) };
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${pgName} with (force)`);
  } finally {
    await admin.end();
  }
});

describe('demo determinism', () => {
  it('gives the same rows for the same seed and clock, and other rows for another seed', async () => {
    const a = await sqliteDemo('same-a', 7);
    const b = await sqliteDemo('same-b', 7);
    const c = await sqliteDemo('other', 8);
    try {
      const digestA = await digest(a.store.db);
      expect(await digest(b.store.db)).toBe(digestA);
      expect(await digest(c.store.db)).not.toBe(digestA);
    } finally {
      await Promise.all([a.store.close(), b.store.close(), c.store.close()]);
    }
  });

  it('writes the same rows to PostgreSQL as to SQLite', async () => {
    const name = `rb_demo_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const store = openStore({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}`, poolSize: 2 });
    const lite = await sqliteDemo('compare', 3);
    try {
      await migrateToLatest(store);
      await createDemo(store, { seed: 3, contacts: CONTACTS, now: NOW });
      expect(await digest(store.db)).toBe(await digest(lite.store.db));
    } finally {
      await store.close();
      await lite.store.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
