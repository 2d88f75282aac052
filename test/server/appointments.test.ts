/**
 * Appointments' lifecycle over real HTTP on both databases: an appointment set by a logged call
 * is rescheduled, cancelled, marked held or a no-show; each change raises its sequence, moves or
 * stops its reminder, moves the enrollment waiting for it (a no-show is a put-off, rule 8),
 * writes `appointment.changed` to the webhook outbox and changes the invite, which a real
 * iCalendar parser (ical.js) reads and which keeps RFC 5545's line rules.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventBus } from '../../src/app/events.js';
import { sendDueReminders } from '../../src/app/reminders.js';
import { addWebhook } from '../../src/app/webhooks.js';
import type { Store } from '../../src/store/db.js';
import { expectRfc5545Lines, parseInvite } from '../support/ical.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, MONDAY_10, seedWorld, tokenFor, type World } from './support.js';

const MINUTE = 60_000;
const HOST = 'rb.example.test';

for (const { name, create } of DATABASES) {
  describe(`appointment lifecycle on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let url: string;
    let token: string;
    let clock = MONDAY_10;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 6);
      // The rep works from London; the contacts are in New York: the invite names both.
      await store.db
        .updateTable('users')
        .set({ time_zone: 'Europe/London' })
        .where('id', '=', world.rep.id)
        .execute();
      // An endpoint subscribed to the changes, so the outbox keeps them (nothing is delivered here).
      await addWebhook(
        store,
        { workspaceId: world.admin.workspace_id, userId: world.admin.id },
        { url: 'http://127.0.0.1:9/hooks', events: ['appointment.changed'] },
        0,
      );
      app = await appOver(store, { now: () => clock, publicUrl: `https://${HOST}` });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      token = await tokenFor(store, world.rep);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        text,
        body: text.startsWith('{') ? JSON.parse(text) : null,
      };
    };

    /** Logs appointment_set for the contact `last` and returns the appointment's id. */
    const book = async (last: string, when: string): Promise<number> => {
      const contactId = world.contacts.get(last)!;
      const logged = await call('POST', '/api/v1/attempts', { contactId, outcome: 'appointment_set', when });
      expect(logged.status, logged.text).toBe(201);
      const row = await store.db
        .selectFrom('appointments')
        .select('id')
        .where('contact_id', '=', contactId)
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const enrollmentOf = (last: string) =>
      store.db
        .selectFrom('enrollments')
        .select(['state', 'due_kind', 'next_due_at', 'put_offs', 'flagged'])
        .where('contact_id', '=', world.contacts.get(last)!)
        .executeTakeFirstOrThrow();
    const changedEvents = async () =>
      (
        await store.db
          .selectFrom('webhook_events')
          .select('payload')
          .where('type', '=', 'appointment.changed')
          .orderBy('id')
          .execute()
      ).map((e) => JSON.parse(e.payload) as { appointmentId: number; change: string; sequence: number });

    it('reschedules and cancels: the invite keeps its UID, raises SEQUENCE, and turns to CANCEL', async () => {
      clock = MONDAY_10;
      const id = await book('0', 'tomorrow 3pm');
      const first = await call('GET', `/api/v1/appointments/${id}/invite.ics`);
      expect(first.headers.get('content-type')).toMatch(/^text\/calendar/);
      expectRfc5545Lines(first.text);
      const set = parseInvite(first.text);
      expect(set).toMatchObject({
        method: 'REQUEST',
        uid: `appointment-${id}@${HOST}`,
        sequence: 0,
        status: 'CONFIRMED',
      });
      // The number to dial, and each party's own clock.
      expect(set.location).toBe('+12125551000');
      expect(set.description).toContain('Call Person 0 (Acme 0) on +12125551000.');
      expect(set.description).toContain('(America/New_York)');
      expect(set.description).toContain('Rex: ');
      expect(set.description).toContain('(Europe/London)');

      // The reminder for the first time went out already.
      const bus = await openEventBus(store);
      try {
        expect(await sendDueReminders(store, bus, set.start - 10 * MINUTE)).toBe(1);

        const moved = await call('POST', `/api/v1/appointments/${id}/reschedule`, { when: 'Wednesday 4pm' });
        expect(moved.status).toBe(200);
        expect(moved.body).toMatchObject({ id, status: 'rescheduled', sequence: 1 });
        const newStart = Date.parse(moved.body.startsAt);
        expect(newStart).toBeGreaterThan(set.start);
        // The enrollment waits for the new time, and the reminder goes out again for it.
        expect(await enrollmentOf('0')).toMatchObject({
          state: 'appointment',
          due_kind: 'appointment',
          next_due_at: newStart,
        });
        expect(await sendDueReminders(store, bus, newStart - 11 * MINUTE)).toBe(0);
        expect(await sendDueReminders(store, bus, newStart - 10 * MINUTE)).toBe(1);

        const again = parseInvite((await call('GET', `/api/v1/appointments/${id}/invite.ics`)).text);
        expect(again).toMatchObject({ method: 'REQUEST', uid: set.uid, sequence: 1, start: newStart });

        // Reminders for a cancelled appointment stop: move it on, then cancel it.
        await call('POST', `/api/v1/appointments/${id}/reschedule`, { when: 'Thursday 4pm' });
        const cancelled = await call('POST', `/api/v1/appointments/${id}/cancel`);
        expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 3 });
        const cancelStart = Date.parse(cancelled.body.startsAt);
        expect(await sendDueReminders(store, bus, cancelStart - 5 * MINUTE)).toBe(0);
      } finally {
        await bus.close();
      }
      const ics = (await call('GET', `/api/v1/appointments/${id}/invite.ics`)).text;
      expectRfc5545Lines(ics);
      expect(parseInvite(ics)).toMatchObject({
        method: 'CANCEL',
        uid: set.uid,
        sequence: 3,
        status: 'CANCELLED',
      });
      // The contact is due a call again, not an appointment.
      expect(await enrollmentOf('0')).toMatchObject({
        state: 'active',
        due_kind: 'retry',
        next_due_at: clock,
      });
      expect(
        (await changedEvents()).filter((e) => e.appointmentId === id).map((e) => [e.change, e.sequence]),
      ).toEqual([
        ['reschedule', 1],
        ['reschedule', 2],
        ['cancel', 3],
      ]);

      // Nothing changes a cancelled appointment.
      const late = await call('POST', `/api/v1/appointments/${id}/reschedule`, { when: 'Friday 3pm' });
      expect(late.status).toBe(422);
      expect(late.body.detail).toContain('was cancelled, so it cannot be rescheduled');
    });

    it('a no-show is a put-off and the contact comes back as a retry, not at the top as an appointment', async () => {
      clock = MONDAY_10;
      const id = await book('1', 'today 5pm');
      const before = await enrollmentOf('1');
      const early = await call('POST', `/api/v1/appointments/${id}/no-show`);
      expect(early.status, early.text).toBe(422);
      expect(early.body.detail).toContain('has not started yet, so it cannot be marked a no-show');

      clock = MONDAY_10 + 4 * 60 * MINUTE;
      const queueBefore = await call('GET', '/api/v1/queue?limit=10');
      expect(queueBefore.body.items[0]).toMatchObject({
        contact: { id: world.contacts.get('1') },
        reason: 'appointment',
      });

      const missed = await call('POST', `/api/v1/appointments/${id}/no-show`);
      expect(missed.status).toBe(200);
      expect(missed.body).toMatchObject({ status: 'no_show', sequence: 1 });
      expect(await enrollmentOf('1')).toMatchObject({
        state: 'active',
        due_kind: 'retry',
        next_due_at: clock,
        put_offs: before.put_offs + 1,
      });
      const queueAfter = await call('GET', '/api/v1/queue?limit=10');
      const entry = queueAfter.body.items.find(
        (i: { contact: { id: number } }) => i.contact.id === world.contacts.get('1'),
      );
      expect(entry?.reason).not.toBe('appointment');
      expect(parseInvite((await call('GET', `/api/v1/appointments/${id}/invite.ics`)).text)).toMatchObject({
        method: 'REQUEST',
        sequence: 1,
      });
    });

    it('a held appointment takes the contact off the queue until the call is logged', async () => {
      clock = MONDAY_10;
      const id = await book('2', 'today 4pm');
      clock = MONDAY_10 + 3 * 60 * MINUTE;
      const held = await call('POST', `/api/v1/appointments/${id}/held`);
      expect(held.body).toMatchObject({ status: 'held', sequence: 1 });
      expect(await enrollmentOf('2')).toMatchObject({ state: 'active', due_kind: null, next_due_at: null });
      const listed = await call('GET', `/api/v1/appointments?from=${new Date(MONDAY_10).toISOString()}`);
      expect(listed.body.appointments.find((a: { id: number }) => a.id === id)).toMatchObject({
        status: 'held',
      });
    });

    it('refuses bad input with what was wrong and where, and hides others’ appointments', async () => {
      clock = MONDAY_10;
      const id = await book('3', 'tomorrow 4pm');
      const nonsense = await call('POST', `/api/v1/appointments/${id}/reschedule`, {
        when: 'whenever suits',
      });
      expect(nonsense.status).toBe(422);
      expect(nonsense.body.detail).toMatch(/^when: /);
      const none = await call('POST', `/api/v1/appointments/${id}/reschedule`, {});
      expect(none.status).toBe(400);
      const missing = await call('POST', '/api/v1/appointments/999999/cancel');
      expect(missing.status).toBe(404);
      // The admin's own appointment is not the rep's to see or change.
      const admins = await store.db
        .insertInto('appointments')
        .values({
          workspace_id: world.admin.workspace_id,
          contact_id: world.contacts.get('4')!,
          user_id: world.admin.id,
          starts_at: MONDAY_10 + 60 * MINUTE,
          status: 'scheduled',
          uid: `admin-${name}@ringback.test`,
          created_at: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect((await call('POST', `/api/v1/appointments/${admins.id}/cancel`)).status).toBe(404);
      expect((await call('GET', `/api/v1/appointments/${admins.id}/invite.ics`)).status).toBe(404);
    });
  });
}
