/**
 * The queue and attempt logging on real databases: order, leasing between users (two
 * processes on one SQLite file, two connections on PostgreSQL), lease expiry, do-not-call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlock } from '../src/app/blocks.js';
import { listCallbacks } from '../src/app/callbacks.js';
import { importContacts } from '../src/app/import/import-contacts.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { buildQueue } from '../src/app/queue.js';
import { doNotCall } from '../src/app/snooze-and-dnc.js';
import { enrollmentsForLog, insertCallbackEntry } from '../src/store/attempt-repo.js';
import type { Store } from '../src/store/db.js';
import { openStore } from '../src/store/db.js';
import { historyOf, historyWithNumbers, numbersOf } from '../src/store/queue-repo.js';
import type { User } from '../src/store/schema.js';
import { runCli } from './support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

// Monday 23 Nov 2026, 10:00 in New York.
const MONDAY_10 = Date.UTC(2026, 10, 23, 15, 0);
const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'ringback-queue-'));

async function world(store: Store, contacts: number): Promise<{ ana: User; ben: User }> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Test', created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const users = await store.db
    .insertInto('users')
    .values([
      {
        workspace_id: ws.id,
        email: 'ana@ex.test',
        name: 'Ana',
        role: 'rep',
        phone: '+12125550133',
        created_at: 0,
      },
      {
        workspace_id: ws.id,
        email: 'ben@ex.test',
        name: 'Ben',
        role: 'rep',
        phone: '+12125550134',
        created_at: 0,
      },
    ])
    .returningAll()
    .execute();
  const rows = ['First Name,Last Name,Company,Phone,Time Zone'];
  for (let i = 0; i < contacts; i++) {
    rows.push(`Person,${i},Co ${i},212-555-${String(1000 + i).padStart(4, '0')},America/New_York`);
  }
  const file = join(dir, `w-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  const summary = await importContacts(store, { file, campaign: 'Q4', now: 0 });
  expect(summary.created).toBe(contacts);
  const [ana, ben] = users.sort((a, b) => a.id - b.id);
  return { ana: ana!, ben: ben! };
}

const contactIdOf = async (store: Store, last: string) =>
  (await store.db.selectFrom('contacts').select('id').where('last_name', '=', last).executeTakeFirstOrThrow())
    .id;

for (const { name, create } of DATABASES) {
  describe(`queue on ${name}`, () => {
    const databases: TestDatabase[] = [];
    const stores: Store[] = [];
    const fresh = async (contacts: number) => {
      const database = await create();
      databases.push(database);
      const store = await openTestStore(database);
      stores.push(store);
      const users = await world(store, contacts);
      return { database, store, ...users };
    };
    afterAll(async () => {
      for (const s of stores) await s.close();
      for (const d of databases) await d.drop();
    });

    it('orders appointments, then requested callbacks, then due retries, keeping 30 % for fresh prospects', async () => {
      const { store, ana } = await fresh(20);
      const friday = MONDAY_10 - 3 * 24 * 60 * MINUTE;
      // Three retries due (no answer on Friday), one callback and one appointment due now.
      for (const last of ['0', '1', '2']) {
        await logAttempt(store, {
          user: ana,
          contactId: await contactIdOf(store, last),
          outcome: 'no_answer',
          at: friday,
        });
        await logAttempt(store, {
          user: ana,
          contactId: await contactIdOf(store, last),
          outcome: 'no_answer',
          at: friday + 3 * 60 * MINUTE,
        });
      }
      await logAttempt(store, {
        user: ana,
        contactId: await contactIdOf(store, '3'),
        outcome: 'callback_requested',
        at: friday,
        when: 'Monday 9:30am',
      });
      await logAttempt(store, {
        user: ana,
        contactId: await contactIdOf(store, '4'),
        outcome: 'appointment_set',
        at: friday,
        when: 'Monday 10:05am',
      });
      const queue = await buildQueue(store, {
        user: ana,
        campaignId: null,
        now: MONDAY_10,
        limit: 10,
        leaseUntil: null,
      });
      // Fresh prospects interleaved, each slot theirs while they have less than 30 % of the calls.
      expect(queue.map((q) => q.reason)).toEqual([
        'appointment',
        'callback',
        'fresh',
        'fresh',
        'retry',
        'retry',
        'fresh',
        'retry',
        'fresh',
        'fresh',
      ]);
      expect(queue[0]!.contact.name).toBe('Person 4');
      expect(queue[1]!.contact.name).toBe('Person 3');
      const appointments = await store.db.selectFrom('appointments').selectAll().execute();
      expect(appointments).toHaveLength(1);

      const short = await buildQueue(store, {
        user: ana,
        campaignId: null,
        now: MONDAY_10,
        limit: 5,
        leaseUntil: null,
      });
      // 5 slots: two commitments, then fresh prospects until they have 30 % of the calls.
      expect(short.map((q) => q.reason)).toEqual(['appointment', 'callback', 'fresh', 'fresh', 'retry']);
    });

    it('keeps 30 % of a block for fresh prospects, spread over it, when the calls are pulled one at a time', async () => {
      const { store, ana } = await fresh(60);
      const friday = MONDAY_10 - 3 * 24 * 60 * MINUTE;
      // 24 retries due: two unanswered calls on Friday each, so all are overdue by Tuesday.
      for (let i = 0; i < 24; i++) {
        const contactId = await contactIdOf(store, String(i));
        await logAttempt(store, { user: ana, contactId, outcome: 'no_answer', at: friday });
        await logAttempt(store, { user: ana, contactId, outcome: 'no_answer', at: friday + 3 * 60 * MINUTE });
      }
      const tuesday10 = MONDAY_10 + 24 * 60 * MINUTE;
      const due = await buildQueue(store, {
        user: ana,
        campaignId: null,
        now: tuesday10,
        limit: 100,
        leaseUntil: null,
      });
      expect(due.filter((q) => q.reason === 'retry').length).toBe(24);

      const { block } = await startBlock(store, ana, 60, tuesday10);
      const reasons: string[] = [];
      for (let i = 0; i < 20; i++) {
        const now = tuesday10 + i * 2 * MINUTE;
        const [next] = await buildQueue(store, {
          user: ana,
          campaignId: null,
          now,
          limit: 1,
          leaseUntil: Date.parse(block.plannedEndAt),
        });
        reasons.push(next!.reason);
        await logAttempt(store, {
          user: ana,
          contactId: next!.contact.id,
          outcome: 'no_answer',
          at: now + MINUTE,
        });
      }
      const freshCount = reasons.filter((r) => r === 'fresh').length;
      expect(freshCount, reasons.join(' ')).toBeGreaterThanOrEqual(6);
      expect(freshCount, reasons.join(' ')).toBeLessThanOrEqual(12);
      expect(reasons.filter((r) => r === 'retry')).toHaveLength(20 - freshCount);
      // Cut short anywhere, the block has had its share (rounded down) of fresh prospects.
      for (let k = 1; k <= 20; k++) {
        const soFar = reasons.slice(0, k).filter((r) => r === 'fresh').length;
        expect(soFar, `after ${k} calls: ${reasons.join(' ')}`).toBeGreaterThanOrEqual(Math.floor(0.3 * k));
      }
    });

    it('puts an appointment first even behind a backlog of overdue retries', async () => {
      const { store, ana } = await fresh(30);
      const friday = MONDAY_10 - 3 * 24 * 60 * MINUTE;
      for (let i = 0; i < 29; i++) {
        await logAttempt(store, {
          user: ana,
          contactId: await contactIdOf(store, String(i)),
          outcome: 'voicemail_skipped',
          at: friday,
        });
      }
      await logAttempt(store, {
        user: ana,
        contactId: await contactIdOf(store, '29'),
        outcome: 'appointment_set',
        at: friday,
        when: 'Monday 10:05am',
      });
      const queue = await buildQueue(store, {
        user: ana,
        campaignId: null,
        now: MONDAY_10,
        limit: 3,
        leaseUntil: null,
      });
      expect(queue[0]).toMatchObject({ reason: 'appointment', contact: { name: 'Person 29' } });
      expect(queue.slice(1).map((q) => q.reason)).toEqual(['retry', 'retry']);
    });

    it('leases contacts so two users pulling at the same moment never get the same contact', async () => {
      const { store, database, ana, ben } = await fresh(30);
      const until = MONDAY_10 + 60 * MINUTE;
      let a: Awaited<ReturnType<typeof buildQueue>>;
      let b: Awaited<ReturnType<typeof buildQueue>>;
      if (name === 'sqlite') {
        // Two processes on the same file.
        const [ra, rb] = await Promise.all([
          runCli(
            [
              'queue',
              '--user',
              'ana@ex.test',
              '--limit',
              '20',
              '--at',
              new Date(MONDAY_10).toISOString(),
              '--json',
            ],
            database.env,
          ),
          runCli(
            [
              'queue',
              '--user',
              'ben@ex.test',
              '--limit',
              '20',
              '--at',
              new Date(MONDAY_10).toISOString(),
              '--json',
            ],
            database.env,
          ),
        ]);
        expect(ra.stderr + rb.stderr).toBe('');
        a = JSON.parse(ra.stdout);
        b = JSON.parse(rb.stdout);
      } else {
        // Two connections (two pools) on PostgreSQL.
        const other = openStore(database.config);
        stores.push(other);
        [a, b] = await Promise.all([
          buildQueue(store, { user: ana, campaignId: null, now: MONDAY_10, limit: 20, leaseUntil: until }),
          buildQueue(other, { user: ben, campaignId: null, now: MONDAY_10, limit: 20, leaseUntil: until }),
        ]);
      }
      const ids = (q: typeof a) => q.map((i) => i.contact.id);
      expect(ids(a).length + ids(b).length).toBe(30);
      expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);

      // Leases expire: an hour later, Ben can have Ana's contacts.
      const later = await buildQueue(store, {
        user: ben,
        campaignId: null,
        now: MONDAY_10 + 61 * MINUTE,
        limit: 40,
        leaseUntil: MONDAY_10 + 120 * MINUTE,
      });
      expect(later).toHaveLength(30);
    });

    it('never queues a do-not-call contact or dials a do-not-call number again', async () => {
      const { store, ana } = await fresh(3);
      const zero = await contactIdOf(store, '0');
      await logAttempt(store, { user: ana, contactId: zero, outcome: 'do_not_call', at: MONDAY_10 });
      await doNotCall(store, { user: null, target: '(212) 555-1001', now: MONDAY_10 });
      const queue = await buildQueue(store, {
        user: ana,
        campaignId: null,
        now: MONDAY_10 + 7 * 24 * 60 * MINUTE,
        limit: 10,
        leaseUntil: null,
      });
      expect(queue.map((q) => q.contact.name)).toEqual(['Person 2']);
      const enrollment = await store.db
        .selectFrom('enrollments')
        .select(['state', 'next_due_at'])
        .where('contact_id', '=', zero)
        .executeTakeFirstOrThrow();
      expect(enrollment).toEqual({ state: 'dnc', next_due_at: null });
    });

    it('never leases one contact to two reps pulling from two campaigns at the same moment', async () => {
      const { store, database, ana, ben } = await fresh(25);
      const file = join(dir, `two-${name}.csv`);
      const rows = ['First Name,Last Name,Phone,Time Zone'];
      for (let i = 0; i < 25; i++)
        rows.push(`Person,${i},212-555-${String(1000 + i).padStart(4, '0')},America/New_York`);
      writeFileSync(file, `${rows.join('\n')}\n`);
      expect((await importContacts(store, { file, campaign: 'Other', now: 0 })).unchanged).toBe(25);
      const other = openStore(database.config);
      stores.push(other);
      const ids = async () => {
        const q4 = await store.db
          .selectFrom('campaigns')
          .select('id')
          .where('name', '=', 'Q4')
          .executeTakeFirstOrThrow();
        const o = await store.db
          .selectFrom('campaigns')
          .select('id')
          .where('name', '=', 'Other')
          .executeTakeFirstOrThrow();
        return [q4.id, o.id] as const;
      };
      const [q4, o] = await ids();
      const until = MONDAY_10 + 30 * MINUTE;
      type Queue = Awaited<ReturnType<typeof buildQueue>>;
      let a: Queue;
      let b: Queue;
      if (name === 'sqlite') {
        // In one process two SQLite connections would wait on each other: use two processes.
        const at = new Date(MONDAY_10).toISOString();
        const [ra, rb] = await Promise.all([
          runCli(
            ['queue', '--user', 'ana@ex.test', '--campaign', 'Q4', '--limit', '25', '--at', at, '--json'],
            database.env,
          ),
          runCli(
            ['queue', '--user', 'ben@ex.test', '--campaign', 'Other', '--limit', '25', '--at', at, '--json'],
            database.env,
          ),
        ]);
        a = JSON.parse(ra.stdout);
        b = JSON.parse(rb.stdout);
      } else {
        [a, b] = await Promise.all([
          buildQueue(store, { user: ana, campaignId: q4, now: MONDAY_10, limit: 25, leaseUntil: until }),
          buildQueue(other, { user: ben, campaignId: o, now: MONDAY_10, limit: 25, leaseUntil: until }),
        ]);
      }
      const overlap = a.map((i) => i.contact.id).filter((id) => b.some((j) => j.contact.id === id));
      expect(overlap).toEqual([]);
      expect(a.length + b.length).toBe(25);
    });

    it('counts every attempt when the same contact is logged from four connections at once', async () => {
      const { store, database, ana } = await fresh(1);
      const id = await contactIdOf(store, '0');
      if (name === 'sqlite') {
        const results = await Promise.all(
          [0, 1, 2, 3].map((i) =>
            runCli(
              [
                'log',
                String(id),
                'no_answer',
                '--user',
                'ana@ex.test',
                '--at',
                new Date(MONDAY_10 + i * MINUTE).toISOString(),
              ],
              database.env,
            ),
          ),
        );
        expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
      } else {
        const others = [openStore(database.config), openStore(database.config), openStore(database.config)];
        stores.push(...others);
        await Promise.all(
          [store, ...others].map((s, i) =>
            logAttempt(s, { user: ana, contactId: id, outcome: 'no_answer', at: MONDAY_10 + i * MINUTE }),
          ),
        );
      }
      const enrollment = await store.db
        .selectFrom('enrollments')
        .select('attempt_count')
        .executeTakeFirstOrThrow();
      expect(enrollment.attempt_count).toBe(4);
    });

    it('keeps a due callback out of the queue once its only number is on the do-not-call list', async () => {
      const { store, ana } = await fresh(1);
      const id = await contactIdOf(store, '0');
      await logAttempt(store, {
        user: ana,
        contactId: id,
        outcome: 'callback_requested',
        at: MONDAY_10,
        when: 'today 2pm',
      });
      const at2pm = MONDAY_10 + 4 * 60 * MINUTE;
      expect(
        await buildQueue(store, { user: ana, campaignId: null, now: at2pm, limit: 5, leaseUntil: null }),
      ).toHaveLength(1);
      await doNotCall(store, { user: null, target: '212-555-1000', now: at2pm });
      expect(
        await buildQueue(store, { user: ana, campaignId: null, now: at2pm, limit: 5, leaseUntil: null }),
      ).toEqual([]);
    });

    it('books the appointment with the rep who owns the enrollment and stores a number learned from reception', async () => {
      const { store, ana } = await fresh(1);
      const id = await contactIdOf(store, '0');
      await store.db.updateTable('enrollments').set({ owner_id: ana.id }).execute();
      await logAttempt(store, {
        user: null,
        contactId: id,
        outcome: 'appointment_set',
        at: MONDAY_10,
        when: 'Wednesday 11am',
        learnedNumber: '(917) 555-0123',
        learnedKind: 'mobile',
      });
      const appointment = await store.db.selectFrom('appointments').selectAll().executeTakeFirstOrThrow();
      expect(appointment.user_id).toBe(ana.id);
      const numbers = await store.db
        .selectFrom('contact_numbers as cn')
        .innerJoin('numbers as n', 'n.id', 'cn.number_id')
        .select(['n.e164', 'cn.kind', 'cn.source'])
        .where('cn.contact_id', '=', id)
        .orderBy('n.e164')
        .execute();
      expect(numbers).toEqual([
        { e164: '+12125551000', kind: 'direct', source: 'import' },
        { e164: '+19175550123', kind: 'mobile', source: 'gatekeeper' },
      ]);
      await logAttempt(store, { user: ana, contactId: id, outcome: 'won', at: MONDAY_10 + 60 * MINUTE });
      await expect(
        logAttempt(store, { user: ana, contactId: id, outcome: 'no_answer', at: MONDAY_10 + 61 * MINUTE }),
      ).rejects.toThrow(/marked won/);
    });

    it('records the attempt and reschedules the enrollment when an outcome is logged', async () => {
      const { store, ana } = await fresh(1);
      const id = await contactIdOf(store, '0');
      const result = await logAttempt(store, {
        user: ana,
        contactId: id,
        outcome: 'voicemail_left',
        at: MONDAY_10,
      });
      expect(result.next.state).toBe('active');
      expect(result.next.reasons[0]).toMatch(/Voicemail left today 10:00/);
      const due = Date.parse(result.next.dueAt!);
      // 1–2 business days later: Tuesday or Wednesday.
      expect(due).toBeGreaterThan(MONDAY_10 + 20 * 60 * MINUTE);
      expect(due).toBeLessThan(MONDAY_10 + 3 * 24 * 60 * MINUTE);
      const enrollment = await store.db.selectFrom('enrollments').selectAll().executeTakeFirstOrThrow();
      expect(enrollment).toMatchObject({
        attempt_count: 1,
        next_due_at: due,
        due_kind: 'retry',
        state: 'active',
      });
      const entry = await store.db.selectFrom('callback_entries').selectAll().executeTakeFirstOrThrow();
      expect(entry).toMatchObject({ user_id: ana.id, contact_id: id, reason: 'voicemail_left' });
      expect(entry.expires_at).toBeGreaterThanOrEqual(MONDAY_10 + 7 * 24 * 60 * MINUTE);
      await expect(
        logAttempt(store, {
          user: ana,
          contactId: id,
          outcome: 'callback_requested',
          at: MONDAY_10 + MINUTE,
        }),
      ).rejects.toThrow(/--when/);
      const attempts = await store.db.selectFrom('attempts').select('id').execute();
      expect(attempts).toHaveLength(1);
    });

    it('takes the contact off the caller’s callback list once they have spoken, leaving other reps’ entries', async () => {
      const { store, ana, ben } = await fresh(1);
      const id = await contactIdOf(store, '0');
      const onList = async (user: User, at: number) =>
        (await listCallbacks(store, user, at)).map((l) => [l.contact.id, l.reason]);
      await logAttempt(store, { user: ana, contactId: id, outcome: 'voicemail_left', at: MONDAY_10 });
      const workspaceId = (await store.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
      await insertCallbackEntry(store.db, {
        workspace_id: workspaceId,
        user_id: ben.id,
        contact_id: id,
        reason: 'manual',
        attempt_id: null,
        since_at: MONDAY_10,
        expires_at: MONDAY_10 + 7 * 24 * 60 * MINUTE,
      });
      const noon = MONDAY_10 + 2 * 60 * MINUTE;
      expect(await onList(ana, noon)).toEqual([[id, 'voicemail_left']]);

      // A no-answer is no conversation: the wait goes on.
      await logAttempt(store, { user: ana, contactId: id, outcome: 'no_answer', at: noon });
      expect(await onList(ana, noon + MINUTE)).toEqual([[id, 'voicemail_left']]);

      const talked = noon + 60 * MINUTE;
      await logAttempt(store, { user: ana, contactId: id, outcome: 'connected', at: talked });
      expect(await onList(ana, talked)).toEqual([]);
      const cleared = await store.db
        .selectFrom('callback_entries')
        .select(['user_id', 'cleared_at'])
        .orderBy('id')
        .execute();
      expect(cleared).toEqual([
        { user_id: ana.id, cleared_at: talked },
        { user_id: ben.id, cleared_at: null },
      ]);
      expect(await onList(ben, talked)).toEqual([[id, 'manual']]);

      // Asked to call back on that call: the new wait is the one on the list.
      await logAttempt(store, {
        user: ana,
        contactId: id,
        outcome: 'callback_requested',
        at: talked + MINUTE,
        when: 'Wednesday 3pm',
      });
      expect(await onList(ana, talked + 2 * MINUTE)).toEqual([[id, 'callback_requested']]);
    });

    it('reads the numbers and attempts a log starts from as numbersOf and historyOf read them', async () => {
      const { store, ana } = await fresh(1);
      const id = await contactIdOf(store, '0');
      await logAttempt(store, {
        user: ana,
        contactId: id,
        outcome: 'gatekeeper',
        at: MONDAY_10,
        learnedNumber: '(917) 555-0123',
        learnedKind: 'mobile',
      });
      await logAttempt(store, {
        user: ana,
        contactId: id,
        outcome: 'voicemail_left',
        at: MONDAY_10 + MINUTE,
      });
      await doNotCall(store, { target: '+19175550123', now: MONDAY_10 + 2 * MINUTE, user: ana });
      const [row] = await enrollmentsForLog(store.db, ana.workspace_id, id);
      const numbers = await numbersOf(store.db, ana.workspace_id, [id]);
      const history = (await historyOf(store.db, [row!.id])).get(row!.id);
      expect(numbers.map((n) => [n.e164, n.kind, n.doNotCall])).toEqual([
        ['+12125551000', 'direct', false],
        ['+19175550123', 'mobile', true],
      ]);
      expect(history?.map((a) => [a.outcome, a.voicemailLeft])).toEqual([
        ['gatekeeper', false],
        ['voicemail_left', true],
      ]);
      // PostgreSQL brings them with the enrollment (one round trip); SQLite reads them on their own.
      if (store.dialect === 'postgres') {
        expect(row!.numbers).toEqual(numbers);
        expect(row!.history).toEqual(history);
      } else {
        expect([row!.numbers, row!.history]).toEqual([null, null]);
      }
      expect(await historyWithNumbers(store.db, row!.id, numbers)).toEqual(history);
      // An attempt on a number the contact no longer has still names that number.
      const learned = numbers.find((n) => n.e164 === '+19175550123')!;
      await logAttempt(store, {
        user: ana,
        contactId: id,
        outcome: 'no_answer',
        at: MONDAY_10 + 3 * MINUTE,
        number: '+19175550123',
      });
      await store.db.deleteFrom('contact_numbers').where('number_id', '=', learned.numberId).execute();
      const left = await numbersOf(store.db, ana.workspace_id, [id]);
      expect(left).toHaveLength(1);
      const after = await historyWithNumbers(store.db, row!.id, left);
      expect(after.map((a) => a.number)).toEqual(['+12125551000', '+12125551000', '+19175550123']);
      expect(after).toEqual((await historyOf(store.db, [row!.id])).get(row!.id));
    });

    it('refuses a callback or appointment asked for outside 08:00–21:00 in the contact’s zone and stores nothing (rule 12 over rule 8)', async () => {
      const { store, ana } = await fresh(1);
      const id = await contactIdOf(store, '0');
      for (const outcome of ['callback_requested', 'appointment_set'] as const) {
        await expect(
          logAttempt(store, { user: ana, contactId: id, outcome, at: MONDAY_10, when: 'today 9:30pm' }),
        ).rejects.toThrow(
          /--when "today 9:30pm" is today 21:30 in America\/New_York, and 9:30 pm for Person 0: calls are allowed only 8 am–9 pm local time .*; the first lawful time after it there is tomorrow 08:00/,
        );
      }
      expect(await store.db.selectFrom('attempts').select('id').execute()).toHaveLength(0);
      expect(await store.db.selectFrom('appointments').select('id').execute()).toHaveLength(0);
      // After hours for the campaign (17:00) but lawful: kept at exactly the time asked for.
      const result = await logAttempt(store, {
        user: ana,
        contactId: id,
        outcome: 'callback_requested',
        at: MONDAY_10,
        when: 'today 6:30pm',
      });
      expect(result.next.dueAt).toBe(new Date(MONDAY_10 + 8.5 * 60 * MINUTE).toISOString());
    });
  });
}

describe('queue and log on the demo data', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await DATABASES[0].create();
    const demo = await runCli(['demo', '--contacts', '300', '--json'], database.env);
    expect(demo.code).toBe(0);
  });
  afterAll(() => database.drop());

  it('prints the ordered next calls with number, local time, voicemail decision and script', async () => {
    // The demo's history ends at the clock; look at the queue at 10:30 New York on the next weekday.
    const at = new Date(Date.now() + 24 * 3_600_000);
    while (at.getUTCDay() === 0 || at.getUTCDay() === 6) at.setUTCDate(at.getUTCDate() + 1);
    at.setUTCHours(15, 30, 0, 0);
    const iso = at.toISOString();
    const r = await runCli(
      ['queue', '--user', 'ana@demo.ringback.test', '--limit', '15', '--json', '--no-lease', '--at', iso],
      database.env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const queue = JSON.parse(r.stdout);
    expect(queue.length).toBeGreaterThan(0);
    for (const item of queue) {
      expect(['appointment', 'callback', 'retry', 'fresh']).toContain(item.reason);
      expect(item.number?.e164).toMatch(/^\+\d+$/);
      expect(item.localTime.time).toMatch(/^\d\d:\d\d$/);
      expect(item.script.text.length).toBeGreaterThan(20);
      expect(item.script.text).not.toMatch(/\{\{/);
    }
    const first = queue[0];
    const logged = await runCli(
      [
        'log',
        '--at',
        iso,
        String(first.contact.id),
        'no_answer',
        '--user',
        'ana@demo.ringback.test',
        '--campaign',
        first.campaign,
        '--json',
      ],
      database.env,
    );
    expect(logged.stderr).toBe('');
    expect(JSON.parse(logged.stdout)).toMatchObject({
      contactId: first.contact.id,
      outcome: 'no_answer',
      next: { reasons: expect.any(Array) },
    });
  });
});
