/**
 * Appointment reminders on both databases: `appointment.reminder` reaches the appointment's
 * user the workspace's lead (default 10 minutes) before it starts, once, and never for a
 * cancelled or past appointment or in a workspace that turned reminders off. Two stores racing
 * on one database send each reminder once; on PostgreSQL, two real `ringback serve` processes
 * both running the timer deliver one reminder to a client of each. The clock is passed in, so
 * nothing waits for real minutes.
 */
import type { ChildProcess } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { type EventBus, openEventBus, type RingbackEvent } from '../../src/app/events.js';
import { REMINDER_EVENT, sendDueReminders } from '../../src/app/reminders.js';
import { openStore, type Store } from '../../src/store/db.js';
import type { User } from '../../src/store/schema.js';
import { createPostgresDatabase, DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { openSse } from './sse.js';
import { appOver, MONDAY_10, seedWorld, serveProcess, tokenFor, type World } from './support.js';

const MINUTE = 60_000;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let serial = 0;

async function appointment(
  store: Store,
  user: User,
  contactId: number,
  startsAt: number,
  status: 'scheduled' | 'cancelled' = 'scheduled',
): Promise<number> {
  const row = await store.db
    .insertInto('appointments')
    .values({
      workspace_id: user.workspace_id,
      contact_id: contactId,
      user_id: user.id,
      starts_at: startsAt,
      title: `Call ${++serial}`,
      status,
      uid: `reminder-${process.pid}-${serial}@ringback.test`,
      created_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every event a bus delivers, kept in order. */
function collect(bus: EventBus): RingbackEvent[] {
  const seen: RingbackEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  return seen;
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const { name, create } of DATABASES) {
  describe(`appointment reminders on ${name}`, () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const step of cleanup.reverse()) await step();
    });

    const fresh = async (): Promise<{ database: TestDatabase; store: Store; world: World }> => {
      const database = await create();
      cleanup.push(() => database.drop());
      const store = await openTestStore(database);
      cleanup.push(() => store.close());
      return { database, store, world: await seedWorld(store, 3) };
    };

    it('reminds the appointment’s user the workspace’s lead before it starts, once, and only when due', async () => {
      const { store, world } = await fresh();
      const events = await openEventBus(store);
      cleanup.push(() => events.close());
      const seen = collect(events);
      const contact = world.contacts.get('0')!;
      const t0 = MONDAY_10;
      const inTen = await appointment(store, world.rep, contact, t0 + 10 * MINUTE);
      const inEleven = await appointment(store, world.rep, contact, t0 + 11 * MINUTE);
      await appointment(store, world.rep, contact, t0 + 5 * MINUTE, 'cancelled');
      await appointment(store, world.rep, contact, t0 - MINUTE);

      expect(await sendDueReminders(store, events, t0 - 1)).toBe(0);
      expect(await sendDueReminders(store, events, t0)).toBe(1);
      await until(() => seen.length === 1, 'the first reminder');
      expect(seen[0]).toEqual({
        workspaceId: world.rep.workspace_id,
        userId: world.rep.id,
        type: REMINDER_EVENT,
        data: {
          appointmentId: inTen,
          contactId: contact,
          contact: 'Person 0',
          company: 'Acme 0',
          title: expect.any(String),
          startsAt: new Date(t0 + 10 * MINUTE).toISOString(),
          minutesBefore: 10,
        },
      });
      // Sent once: the same moment again sends nothing.
      expect(await sendDueReminders(store, events, t0)).toBe(0);
      expect(await sendDueReminders(store, events, t0 + MINUTE)).toBe(1);
      await until(() => seen.length === 2, 'the second reminder');
      expect((seen[1]!.data as { appointmentId: number }).appointmentId).toBe(inEleven);
      // Neither the cancelled nor the past one, at any later time.
      expect(await sendDueReminders(store, events, t0 + 30 * MINUTE)).toBe(0);
    });

    it('follows the workspace setting, 0 turning reminders off, set through the API', async () => {
      const { store, world } = await fresh();
      const app: FastifyInstance = await appOver(store);
      cleanup.push(() => app.close());
      const admin = bearer(await tokenFor(store, world.admin));
      const read = await app.inject({ method: 'GET', url: '/api/v1/workspace', headers: admin });
      expect(read.json().reminderMinutes).toBe(10);
      const events = await openEventBus(store);
      cleanup.push(() => events.close());
      const contact = world.contacts.get('1')!;

      const set = async (reminderMinutes: number) => {
        const res = await app.inject({
          method: 'PATCH',
          url: '/api/v1/workspace',
          headers: admin,
          payload: { reminderMinutes },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().reminderMinutes).toBe(reminderMinutes);
      };
      await set(30);
      await appointment(store, world.rep, contact, MONDAY_10 + 30 * MINUTE);
      expect(await sendDueReminders(store, events, MONDAY_10)).toBe(1);
      await set(0);
      await appointment(store, world.rep, contact, MONDAY_10 + 2 * MINUTE);
      expect(await sendDueReminders(store, events, MONDAY_10)).toBe(0);

      const tooLong = await app.inject({
        method: 'PATCH',
        url: '/api/v1/workspace',
        headers: admin,
        payload: { reminderMinutes: 10_000 },
      });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().errors[0].path).toBe('/reminderMinutes');
    });

    it('sends each reminder once when two processes race for it', async () => {
      const { database, store, world } = await fresh();
      const other = openStore(database.config);
      cleanup.push(() => other.close());
      const busA = await openEventBus(store);
      const busB = await openEventBus(other);
      cleanup.push(
        () => busA.close(),
        () => busB.close(),
      );
      const seenA = collect(busA);
      const seenB = collect(busB);
      const contact = world.contacts.get('2')!;
      const ids: number[] = [];
      for (let i = 0; i < 30; i++)
        ids.push(await appointment(store, world.rep, contact, MONDAY_10 + 5 * MINUTE));

      const passes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2 === 0 ? sendDueReminders(store, busA, MONDAY_10) : sendDueReminders(other, busB, MONDAY_10),
        ),
      );
      expect(passes.reduce((a, b) => a + b, 0)).toBe(30);
      const reminded = await store.db
        .selectFrom('appointments')
        .select('id')
        .where('reminded_at', '=', MONDAY_10)
        .execute();
      expect(reminded.map((r) => r.id).sort((a, b) => a - b)).toEqual(ids);

      const idsOf = (seen: RingbackEvent[]) =>
        seen.map((e) => (e.data as { appointmentId: number }).appointmentId);
      if (name === 'postgres') {
        // Through LISTEN/NOTIFY every process hears every reminder, whoever sent it.
        await until(() => seenA.length >= 30 && seenB.length >= 30, 'every reminder in both processes');
        await new Promise((r) => setTimeout(r, 200));
        expect(idsOf(seenA).sort((a, b) => a - b)).toEqual(ids);
        expect(idsOf(seenB).sort((a, b) => a - b)).toEqual(ids);
      } else {
        await until(() => seenA.length + seenB.length >= 30, 'every reminder');
        expect([...idsOf(seenA), ...idsOf(seenB)].sort((a, b) => a - b)).toEqual(ids);
      }
    });

    it('runs on the server’s own timer and reaches the user’s event stream', async () => {
      const { store, world } = await fresh();
      let clock = MONDAY_10;
      const app = await appOver(store, { now: () => clock, reminderEveryMs: 20 });
      cleanup.push(() => app.close());
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const rep = await openSse(url, bearer(await tokenFor(store, world.rep)));
      const admin = await openSse(url, bearer(await tokenFor(store, world.admin)));
      cleanup.push(() => {
        rep.close();
        admin.close();
      });
      const id = await appointment(store, world.rep, world.contacts.get('0')!, MONDAY_10 + 20 * MINUTE);
      // Not due yet at 10:00; due once the clock reaches 10:10.
      await new Promise((r) => setTimeout(r, 100));
      expect(rep.events.filter((e) => e.type === REMINDER_EVENT)).toEqual([]);
      clock = MONDAY_10 + 10 * MINUTE;
      const event = await rep.next(REMINDER_EVENT);
      expect(event.data).toMatchObject({ appointmentId: id, minutesBefore: 10 });
      await new Promise((r) => setTimeout(r, 100));
      expect(rep.events.filter((e) => e.type === REMINDER_EVENT)).toHaveLength(1);
      expect(admin.events.filter((e) => e.type === REMINDER_EVENT)).toEqual([]);
    });
  });
}

describe('appointment reminders across server processes on PostgreSQL', () => {
  it('delivers one reminder to a client of each of two servers that both run the timer', async () => {
    const database = await createPostgresDatabase();
    const children: ChildProcess[] = [];
    const store = await openTestStore(database);
    try {
      const world = await seedWorld(store, 1);
      const token = await tokenFor(store, world.rep);
      const env = { ...database.env, RINGBACK_REMINDER_EVERY_MS: '25' };
      const [a, b] = await Promise.all([serveProcess(env), serveProcess(env)]);
      children.push(a.child, b.child);
      const onA = await openSse(a.url, bearer(token));
      const onB = await openSse(b.url, bearer(token));
      try {
        // The servers run on the real clock: an appointment 5 minutes away is due at once.
        const id = await appointment(store, world.rep, world.contacts.get('0')!, Date.now() + 5 * MINUTE);
        expect((await onA.next(REMINDER_EVENT, 10_000)).data).toMatchObject({ appointmentId: id });
        expect((await onB.next(REMINDER_EVENT, 10_000)).data).toMatchObject({ appointmentId: id });
        // Many more ticks of both timers: still one each.
        await new Promise((r) => setTimeout(r, 500));
        expect(onA.events.filter((e) => e.type === REMINDER_EVENT)).toHaveLength(1);
        expect(onB.events.filter((e) => e.type === REMINDER_EVENT)).toHaveLength(1);
      } finally {
        onA.close();
        onB.close();
      }
    } finally {
      for (const child of children) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await store.close();
      await database.drop();
    }
  });
});
