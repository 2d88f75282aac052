/**
 * Server-sent events over real HTTP on both databases: a user gets the events addressed to
 * them and to their workspace, never anyone else's; logging an attempt announces it. On
 * PostgreSQL, two real `ringback serve` processes on one database: an event published through
 * one reaches a client of the other (LISTEN/NOTIFY).
 */
import type { ChildProcess } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { type EventBus, InProcessEventBus, openEventBus } from '../../src/app/events.js';
import { sha256 } from '../../src/server/auth.js';
import type { Store } from '../../src/store/db.js';
import { insertApiToken } from '../../src/store/session-repo.js';
import { createPostgresDatabase, DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { openSse, type SseClient } from './sse.js';
import {
  ADMIN_PASSWORD,
  appOver,
  MONDAY_10,
  REP_PASSWORD,
  type SignedIn,
  seedOtherWorkspace,
  seedWorld,
  serveProcess,
  signIn,
  tokenFor,
} from './support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

for (const { name, create } of DATABASES) {
  describe(`events on ${name}`, () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const step of cleanup.reverse()) await step();
    });

    it('sends each user their own and their workspace events, and announces a logged attempt', async () => {
      const database: TestDatabase = await create();
      cleanup.push(() => database.drop());
      const store: Store = await openTestStore(database);
      cleanup.push(() => store.close());
      const world = await seedWorld(store);
      const eve = await seedOtherWorkspace(store);
      const events: EventBus = await openEventBus(store);
      cleanup.push(() => events.close());
      const app: FastifyInstance = await appOver(store, { events });
      cleanup.push(() => app.close());
      const url = await app.listen({ port: 0, host: '127.0.0.1' });

      const repToken = await tokenFor(store, world.rep);
      const rep: SseClient = await openSse(url, bearer(repToken));
      const admin = await openSse(url, bearer(await tokenFor(store, world.admin)));
      const other = await openSse(url, bearer(await tokenFor(store, eve)));
      cleanup.push(() => {
        for (const c of [rep, admin, other]) c.close();
      });

      const ws = world.rep.workspace_id;
      await events.publish({ workspaceId: ws, userId: world.rep.id, type: 'test.for-rep', data: { n: 1 } });
      await events.publish({ workspaceId: ws, userId: null, type: 'test.for-all', data: { n: 2 } });
      await events.publish({ workspaceId: eve.workspace_id, userId: null, type: 'test.elsewhere', data: {} });

      expect((await rep.next('test.for-rep')).data).toEqual({ n: 1 });
      expect((await rep.next('test.for-all')).data).toEqual({ n: 2 });
      expect((await admin.next('test.for-all')).data).toEqual({ n: 2 });
      await other.next('test.elsewhere');
      // Events arrive in order, so once the later ones are in, the earlier ones would be too.
      expect(admin.events.map((e) => e.type)).toEqual(['test.for-all']);
      expect(other.events.map((e) => e.type)).toEqual(['test.elsewhere']);
      expect(rep.events.map((e) => e.type)).toEqual(['test.for-rep', 'test.for-all']);

      const contactId = world.contacts.get('0')!;
      const logged = await fetch(`${url}/api/v1/attempts`, {
        method: 'POST',
        headers: { ...bearer(repToken), 'content-type': 'application/json' },
        body: JSON.stringify({ contactId, outcome: 'no_answer' }),
      });
      expect(logged.status).toBe(201);
      const { attemptId } = (await logged.json()) as { attemptId: number };
      const event = await rep.next('attempt.logged');
      expect(event.data).toMatchObject({ contactId, outcome: 'no_answer', attemptId });
    });

    it('ends open streams when the server shuts down instead of waiting on them', async () => {
      const database = await create();
      cleanup.push(() => database.drop());
      const store = await openTestStore(database);
      cleanup.push(() => store.close());
      const world = await seedWorld(store, 1);
      const app = await appOver(store);
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const res = await fetch(`${url}/api/v1/events`, { headers: bearer(await tokenFor(store, world.rep)) });
      const reader = res.body!.getReader();
      await reader.read();
      // Would hang (and the test time out) if shutdown waited on the open stream.
      await app.close();
      let done = false;
      while (!done) ({ done } = await reader.read());
      expect(done).toBe(true);
    });

    it('ends open streams on sign-out, on revoking the token they use and on deactivating their user, and only those', async () => {
      const database = await create();
      cleanup.push(() => database.drop());
      const store = await openTestStore(database);
      cleanup.push(() => store.close());
      const world = await seedWorld(store, 1);
      const bus = new InProcessEventBus();
      const app = await appOver(store, { events: bus });
      cleanup.push(() => app.close());
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const cookieWrite = (session: SignedIn) => ({
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
      });
      const within = (stream: SseClient, what: string) =>
        Promise.race([
          stream.ended,
          sleep(5000).then(() => {
            throw new Error(`the stream stayed open after ${what}`);
          }),
        ]);
      const stillOpen = async (stream: SseClient, type: string) => {
        await bus.publish({ workspaceId: world.rep.workspace_id, userId: world.rep.id, type, data: {} });
        await stream.next(type);
      };

      const first = await signIn(app, 'rex@ex.test', REP_PASSWORD);
      const second = await signIn(app, 'rex@ex.test', REP_PASSWORD);
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: cookieWrite(second),
        payload: { name: 'phone system' },
      });
      expect(created.statusCode).toBe(201);
      const { id: tokenId, token } = created.json() as { id: number; token: string };
      const otherToken = await tokenFor(store, world.rep);
      const admin = await openSse(url, bearer(await tokenFor(store, world.admin)));
      const onFirst = await openSse(url, { cookie: first.cookie });
      const onSecond = await openSse(url, { cookie: second.cookie });
      const onToken = await openSse(url, bearer(token));
      const onOtherToken = await openSse(url, bearer(otherToken));
      cleanup.push(() => {
        for (const c of [admin, onFirst, onSecond, onToken, onOtherToken]) c.close();
      });

      const signedOut = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: cookieWrite(first),
      });
      expect(signedOut.statusCode).toBe(204);
      await within(onFirst, 'signing out');
      await stillOpen(onSecond, 'test.after-sign-out');

      const revoked = await app.inject({
        method: 'DELETE',
        url: `/api/v1/tokens/${tokenId}`,
        headers: cookieWrite(second),
      });
      expect(revoked.statusCode).toBe(204);
      await within(onToken, 'revoking its token');
      await stillOpen(onOtherToken, 'test.after-revoke');
      await stillOpen(onSecond, 'test.after-revoke');

      const ada = await signIn(app, 'ada@ex.test', ADMIN_PASSWORD);
      const deactivated = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${world.rep.id}`,
        headers: cookieWrite(ada),
        payload: { active: false },
      });
      expect(deactivated.statusCode, deactivated.body).toBe(200);
      await within(onSecond, 'deactivating its user');
      await within(onOtherToken, 'deactivating its user');
      // The admin's own stream is untouched.
      await bus.publish({ workspaceId: world.rep.workspace_id, userId: null, type: 'test.admin', data: {} });
      await admin.next('test.admin');
    });

    it('ends a stream whose sign-in was revoked where no event was sent (another process, the CLI) at its next check', async () => {
      const database = await create();
      cleanup.push(() => database.drop());
      const store = await openTestStore(database);
      cleanup.push(() => store.close());
      const world = await seedWorld(store, 1);
      const app = await appOver(store, { eventStreamCheckMs: 200 });
      cleanup.push(() => app.close());
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const stream = await openSse(url, bearer(await tokenFor(store, world.rep)));
      cleanup.push(() => stream.close());
      await sleep(500);
      expect(await Promise.race([stream.ended.then(() => 'ended'), sleep(0).then(() => 'open')])).toBe(
        'open',
      );
      await store.db
        .updateTable('api_tokens')
        .set({ revoked_at: 1 })
        .where('user_id', '=', world.rep.id)
        .execute();
      const ended = await Promise.race([stream.ended.then(() => 'ended'), sleep(5000).then(() => 'open')]);
      expect(ended).toBe('ended');
    });

    it('ends a stream whose token expired at its next check', async () => {
      const database = await create();
      cleanup.push(() => database.drop());
      const store = await openTestStore(database);
      cleanup.push(() => store.close());
      const world = await seedWorld(store, 1);
      let now = MONDAY_10;
      const app = await appOver(store, { eventStreamCheckMs: 200, now: () => now });
      cleanup.push(() => app.close());
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const secret = `rbt_test_expiring_${world.rep.id}`;
      await insertApiToken(store.db, {
        user_id: world.rep.id,
        name: 'expiring',
        token_hash: sha256(secret),
        created_at: 0,
        expires_at: MONDAY_10 + 60 * 60_000,
      });
      const stream = await openSse(url, bearer(secret));
      cleanup.push(() => stream.close());
      await sleep(500);
      expect(await Promise.race([stream.ended.then(() => 'ended'), sleep(0).then(() => 'open')])).toBe(
        'open',
      );
      now = MONDAY_10 + 60 * 60_000;
      const ended = await Promise.race([stream.ended.then(() => 'ended'), sleep(5000).then(() => 'open')]);
      expect(ended).toBe('ended');
    });

    it('refuses the stream to anonymous callers with a problem document', async () => {
      const database = await create();
      cleanup.push(() => database.drop());
      const store = await openTestStore(database);
      cleanup.push(() => store.close());
      const app = await appOver(store);
      cleanup.push(() => app.close());
      const res = await app.inject({ method: 'GET', url: '/api/v1/events' });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });
}

describe('events across server processes on PostgreSQL', () => {
  it('delivers an event published through one server to a client of another', async () => {
    const database = await createPostgresDatabase();
    const children: ChildProcess[] = [];
    const store = await openTestStore(database);
    try {
      const world = await seedWorld(store);
      const token = await tokenFor(store, world.rep);
      const [a, b] = await Promise.all([serveProcess(database.env), serveProcess(database.env)]);
      children.push(a.child, b.child);
      expect(a.url).not.toBe(b.url);

      const onB = await openSse(b.url, bearer(token));
      try {
        const contactId = world.contacts.get('1')!;
        const res = await fetch(`${a.url}/api/v1/attempts`, {
          method: 'POST',
          headers: { ...bearer(token), 'content-type': 'application/json' },
          body: JSON.stringify({ contactId, outcome: 'busy' }),
        });
        expect(res.status).toBe(201);
        const event = await onB.next('attempt.logged', 10_000);
        expect(event.data).toMatchObject({ contactId, outcome: 'busy' });
      } finally {
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
