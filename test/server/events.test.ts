/**
 * Server-sent events over real HTTP on both databases: a user gets the events addressed to
 * them and to their workspace, never anyone else's; logging an attempt announces it. On
 * PostgreSQL, two real `ringback serve` processes on one database: an event published through
 * one reaches a client of the other (LISTEN/NOTIFY).
 */
import type { ChildProcess } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { type EventBus, openEventBus } from '../../src/app/events.js';
import type { Store } from '../../src/store/db.js';
import { createPostgresDatabase, DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { openSse, type SseClient } from './sse.js';
import { appOver, seedOtherWorkspace, seedWorld, serveProcess, tokenFor } from './support.js';

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
