/**
 * Outgoing webhooks on both databases: events written with the change that caused them, the
 * delivery worker signing them for a receiver in another process that verifies them with the
 * standardwebhooks library, refusing private addresses, honouring Retry-After, keeping each
 * endpoint's order, disabling an endpoint whose retries ran out, and replaying.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBlock, stopBlock } from '../src/app/blocks.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { screenInbound } from '../src/app/screen.js';
import { doNotCall } from '../src/app/snooze-and-dnc.js';
import { storeRecording } from '../src/app/telephony.js';
import {
  startWebhookWorker,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from '../src/app/webhook-delivery.js';
import {
  addWebhook,
  listDeliveries,
  listWebhooks,
  replayWebhook,
  type WebhookActor,
} from '../src/app/webhooks.js';
import type { Store } from '../src/store/db.js';
import { MONDAY_10, seedWorld, type World } from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const HOUR = 3_600_000;

/** What `probe` finds, once it finds something; fails after a few seconds. */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('waited in vain');
}

for (const { name, create } of DATABASES) {
  describe(`outgoing webhooks on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let world: World;
    let actor: WebhookActor;
    let receiver: Receiver;
    let worker: WebhookWorker | null = null;
    // Each log is an hour after the last, so the cadence never sees two calls at once.
    let at = MONDAY_10;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 20);
      actor = { workspaceId: world.admin.workspace_id, userId: world.admin.id };
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await worker?.stop();
      worker = null;
      // Endpoints of one test must not take the next one's events.
      await store.db.deleteFrom('webhook_endpoints').execute();
    });
    afterAll(async () => {
      await receiver?.close();
      await store?.close();
      await database?.drop();
    });

    const start = (options: WebhookWorkerOptions = {}) => {
      worker = startWebhookWorker(store, { pollMs: 20, ...options });
      return worker;
    };
    async function subscribe(
      path: string,
      options: { events?: string[]; allowPrivate?: boolean; url?: string } = {},
    ) {
      const added = await addWebhook(
        store,
        actor,
        {
          url: options.url ?? `${receiver.url}${path}`,
          events: options.events,
          allowPrivate: options.allowPrivate ?? true,
        },
        MONDAY_10,
      );
      receiver.set(path, { secret: added.secret, mode: 'ok' });
      return added;
    }
    async function logNoAnswer(contact: string) {
      at += HOUR;
      return logAttempt(store, {
        user: world.rep,
        contactId: world.contacts.get(contact)!,
        outcome: 'no_answer',
        at,
      });
    }
    const on = (path: string) => (r: { path: string }) => r.path === path;

    it('signs an outcome the receiver verifies with the standardwebhooks library, with only the events subscribed', async () => {
      const added = await subscribe('/signed', { events: ['attempt.logged'] });
      expect(added.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const logged = await logNoAnswer('0');
      start();
      const got = await receiver.waitFor((r) => r.some(on('/signed')));
      const event = got.find(on('/signed'))!;
      expect(event).toMatchObject({ verified: true, type: 'attempt.logged', status: 200 });
      expect(event.id).toMatch(/^evt_\d+$/);
      expect(event.data).toMatchObject({
        attemptId: logged.attemptId,
        contactId: world.contacts.get('0'),
        outcome: 'no_answer',
        campaign: 'Q4',
        userId: world.rep.id,
      });
      const delivery = await until(async () => {
        const [d] = await listDeliveries(store, actor, added.id);
        return d?.state === 'delivered' ? d : undefined;
      });
      expect(delivery).toMatchObject({
        state: 'delivered',
        attempts: 1,
        lastStatus: 200,
        webhookId: event.id,
      });
    });

    it('writes nothing for a workspace with no endpoint subscribed to the event', async () => {
      await subscribe('/blocks-only', { events: ['block.ended'] });
      const before = await store.db
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      await logNoAnswer('1');
      const after = await store.db
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('tells of a callback received, a block ended and an enrollment ended, each with the change that caused it', async () => {
      await subscribe('/changes', {
        events: ['callback.received', 'block.ended', 'enrollment.ended', 'appointment.set'],
      });
      // Seeded numbers are 212-555-1000 + the contact's last name.
      at += HOUR;
      const voicemail = await logAttempt(store, {
        user: world.rep,
        contactId: world.contacts.get('8')!,
        outcome: 'voicemail_left',
        at,
      });
      at += HOUR;
      const block = await startBlock(store, world.rep, 60, at);
      const screened = await screenInbound(store, {
        user: world.rep,
        callerId: '+12125551008',
        at: at + 60_000,
      });
      expect(screened.decision.action).toBe('ring');
      const stopped = await stopBlock(store, world.rep, at + 30 * 60_000);
      at += HOUR;
      const won = await logAttempt(store, {
        user: world.rep,
        contactId: world.contacts.get('9')!,
        outcome: 'won',
        at,
      });
      at += HOUR;
      await logAttempt(store, {
        user: world.rep,
        contactId: world.contacts.get('10')!,
        outcome: 'appointment_set',
        when: 'tomorrow 11am',
        at,
      });
      start();
      const got = (await receiver.waitFor((r) => r.filter(on('/changes')).length === 4)).filter(
        on('/changes'),
      );
      expect(got.every((r) => r.verified)).toBe(true);
      expect(got.map((r) => r.type)).toEqual([
        'callback.received',
        'block.ended',
        'enrollment.ended',
        'appointment.set',
      ]);
      expect(got[0]!.data).toMatchObject({
        decisionId: screened.decisionId,
        userId: world.rep.id,
        contactId: world.contacts.get('8'),
        caller: '+12125551008',
        attemptId: voicemail.attemptId,
        action: 'ring',
      });
      expect(got[1]!.data).toMatchObject({
        blockId: block.block.id,
        userId: world.rep.id,
        endedAt: stopped.block.endedAt,
      });
      expect(got[2]!.data).toMatchObject({
        contactId: world.contacts.get('9'),
        state: 'won',
        attemptId: won.attemptId,
        campaign: 'Q4',
      });
      expect(got[3]!.data).toMatchObject({
        contactId: world.contacts.get('10'),
        userId: world.rep.id,
        status: 'scheduled',
      });
    });

    it('tells of a voicemail left by a caller screened out during a block', async () => {
      await subscribe('/voicemail', { events: ['voicemail.received'] });
      at += HOUR;
      await startBlock(store, world.rep, 60, at);
      // Contact 12 is not on the rep's callback list: to voicemail.
      const screened = await screenInbound(store, {
        user: world.rep,
        callerId: '+12125551012',
        at: at + 60_000,
        callSid: 'CA-webhooks-voicemail',
      });
      expect(screened.decision.action).toBe('voicemail');
      await storeRecording(store, world.rep.workspace_id, {
        callSid: 'CA-webhooks-voicemail',
        recordingSid: 'RE-webhooks-voicemail',
        recordingUrl: 'https://api.twilio.com/recordings/RE-webhooks-voicemail',
        durationSeconds: 21,
        at: at + 120_000,
      });
      await stopBlock(store, world.rep, at + 10 * 60_000);
      start();
      const got = (await receiver.waitFor((r) => r.some(on('/voicemail')))).filter(on('/voicemail'));
      expect(got[0]).toMatchObject({
        verified: true,
        type: 'voicemail.received',
        data: {
          userId: world.rep.id,
          decisionId: screened.decisionId,
          caller: '+12125551012',
          contact: { id: world.contacts.get('12') },
          durationSeconds: 21,
          url: 'https://api.twilio.com/recordings/RE-webhooks-voicemail',
        },
      });
    });

    it('tells that a contact put on the do-not-call list ended its enrollments, once each', async () => {
      await subscribe('/dnc', { events: ['enrollment.ended'] });
      const contactId = world.contacts.get('11')!;
      at += HOUR;
      await doNotCall(store, { user: world.admin, target: String(contactId), now: at });
      // Listed again: nothing more ends.
      at += HOUR;
      await doNotCall(store, { user: world.admin, target: String(contactId), now: at });
      start();
      const got = (await receiver.waitFor((r) => r.some(on('/dnc')))).filter(on('/dnc'));
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received().filter(on('/dnc'))).toHaveLength(1);
      expect(got[0]).toMatchObject({
        verified: true,
        type: 'enrollment.ended',
        data: { contactId, state: 'dnc' },
      });
    });

    it('refuses loopback addresses, by the address a name resolves to as well as a literal one, unless allowed', async () => {
      const byName = await subscribe('/by-name', {
        url: `http://localhost:${receiver.port}/by-name`,
        allowPrivate: false,
      });
      const literal = await subscribe('/literal', { url: `${receiver.url}/literal`, allowPrivate: false });
      const allowed = await subscribe('/allowed', { allowPrivate: true });
      await logNoAnswer('2');
      start();
      await receiver.waitFor((r) => r.some(on('/allowed')));
      const failed = (id: number) =>
        until(async () => {
          const [d] = await listDeliveries(store, actor, id);
          return d?.lastError ? d : undefined;
        });
      expect((await failed(byName.id)).lastError).toMatch(
        /^refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback, private, link-local or reserved address$/,
      );
      expect((await failed(literal.id)).lastError).toBe(
        'refused: 127.0.0.1 is a loopback, private, link-local or reserved address',
      );
      expect(receiver.received().filter((r) => r.path === '/by-name' || r.path === '/literal')).toEqual([]);
      await until(async () => {
        const [d] = await listDeliveries(store, actor, allowed.id);
        return d?.state === 'delivered' ? d : undefined;
      });
    });

    it("waits as long as the receiver's Retry-After says, not the back-off", async () => {
      const added = await subscribe('/later');
      receiver.set('/later', { mode: 'retry-after' });
      await logNoAnswer('3');
      // A back-off of a minute: only Retry-After (1 s) brings the second try within the test.
      start({ schedule: { firstDelayMs: 60_000, maxDelayMs: 60_000, retryForMs: HOUR } });
      const got = await receiver.waitFor((r) => r.filter(on('/later')).length >= 2, 10_000);
      const [first, second] = got.filter(on('/later'));
      expect([first!.status, second!.status]).toEqual([503, 200]);
      expect(second!.id).toBe(first!.id);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
      expect(second!.at - first!.at).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 100));
      expect((await listDeliveries(store, actor, added.id))[0]).toMatchObject({
        state: 'delivered',
        attempts: 2,
      });
    });

    it("keeps an endpoint's events in order, disables it when its retries run out, and a replay sends them", async () => {
      const added = await subscribe('/down', { events: ['attempt.logged'] });
      receiver.set('/down', { mode: 'fail' });
      await logNoAnswer('4');
      await logNoAnswer('5');
      start({ schedule: { firstDelayMs: 20, maxDelayMs: 50, retryForMs: 400 } });
      let endpoint = (await listWebhooks(store, actor))[0]!;
      for (let i = 0; i < 300 && endpoint.disabledAt === null; i++) {
        await new Promise((r) => setTimeout(r, 20));
        endpoint = (await listWebhooks(store, actor))[0]!;
      }
      expect(endpoint.disabledAt).not.toBeNull();
      expect(endpoint.disabledReason).toBe('retries ran out: answered 500 Internal Server Error');
      expect(endpoint.lastError).toBe('answered 500 Internal Server Error');
      expect(endpoint).toMatchObject({ failed: 1, pending: 1, delivered: 0 });
      const tries = receiver.received().filter(on('/down'));
      // Only the first event was tried, again and again; the second waited behind it.
      expect(tries.length).toBeGreaterThanOrEqual(3);
      expect(new Set(tries.map((t) => t.id)).size).toBe(1);
      const [later, earlier] = await listDeliveries(store, actor, added.id);
      expect(earlier).toMatchObject({ state: 'failed', webhookId: tries[0]!.id });
      expect(later).toMatchObject({ state: 'pending', attempts: 0 });

      // Disabled, nothing more is sent.
      const triesWhenDisabled = receiver.received().filter(on('/down')).length;
      await new Promise((r) => setTimeout(r, 200));
      expect(receiver.received().filter(on('/down')).length).toBe(triesWhenDisabled);

      receiver.set('/down', { mode: 'ok' });
      const replayed = await replayWebhook(store, actor, added.id, Date.now());
      expect(replayed.replayed).toBe(1);
      expect(replayed.endpoint.disabledAt).toBeNull();
      const got = await receiver.waitFor(
        (r) => r.filter((x) => on('/down')(x) && x.status === 200).length === 2,
      );
      const delivered = got.filter((x) => on('/down')(x) && x.status === 200).map((x) => x.id);
      expect(delivered).toEqual([earlier!.webhookId, later!.webhookId]);
    });

    it('a receiver that never answers holds up neither other endpoints nor the worker, and times out', async () => {
      const stuck = await subscribe('/hang', { events: ['attempt.logged'] });
      await subscribe('/fine', { events: ['attempt.logged'] });
      receiver.set('/hang', { mode: 'hang' });
      await logNoAnswer('6');
      await logNoAnswer('7');
      start({ timeoutMs: 1500 });
      const started = Date.now();
      await receiver.waitFor((r) => r.filter(on('/fine')).length === 2);
      expect(Date.now() - started).toBeLessThan(1500);
      const timedOut = await until(async () => {
        const [, d] = await listDeliveries(store, actor, stuck.id);
        return d?.lastError ? d : undefined;
      });
      expect(timedOut).toMatchObject({
        lastError: 'no answer within 1500 ms',
        state: 'pending',
        attempts: 1,
      });
    });
  });
}
