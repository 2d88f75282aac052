/**
 * Cached queue looks stay true to leases: a colleague's block start (which leases its first
 * calls) and stop (which hands them back) drop every cached `GET /api/v1/queue` answer of the
 * workspace, in this process at once and, on PostgreSQL, in another process when the
 * `queue.changed` event reaches it. Also: starting a block while one runs is 409 naming it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventBus, openEventBus, type RingbackEvent } from '../../src/app/events.js';
import { openStore, type Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, expectProblem, seedWorld, tokenFor, type World } from './support.js';

for (const { name, create } of DATABASES) {
  describe(`queue cache and blocks on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let otherStore: Store;
    let busA: EventBus;
    let busB: EventBus;
    let app: FastifyInstance;
    /** Where the admin looks: a second server process on PostgreSQL, the same one on SQLite. */
    let lookApp: FastifyInstance;
    let world: World;
    let rep: Record<string, string>;
    let admin: Record<string, string>;
    const seenByLooker: RingbackEvent[] = [];

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 6);
      rep = { authorization: `Bearer ${await tokenFor(store, world.rep)}` };
      admin = { authorization: `Bearer ${await tokenFor(store, world.admin)}` };
      busA = await openEventBus(store);
      app = await appOver(store, { events: busA });
      if (name === 'postgres') {
        otherStore = openStore(database.config);
        busB = await openEventBus(otherStore);
        lookApp = await appOver(otherStore, { events: busB });
      } else {
        busB = busA;
        lookApp = app;
      }
      busB.subscribe((e) => seenByLooker.push(e));
    });
    afterAll(async () => {
      if (lookApp !== app) {
        await lookApp.close();
        await busB.close();
        await otherStore.close();
      }
      await app.close();
      await busA.close();
      await store.close();
      await database.drop();
    });

    const adminLooks = async () => {
      const res = await lookApp.inject({ method: 'GET', url: '/api/v1/queue?limit=50', headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { contact: { id: number } }[]).map((i) => i.contact.id);
    };
    /** The looking process has heard of the change (at once when it is the same process). */
    const heard = async (reason: string) => {
      const end = Date.now() + 5000;
      while (!seenByLooker.some((e) => (e.data as { reason?: string }).reason === reason)) {
        if (Date.now() > end) throw new Error(`no queue.changed (${reason}) reached the looking process`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    it('drops colleagues’ cached looks when a block starts and leases, and again when it stops', async () => {
      const all = [...world.contacts.values()].sort((a, b) => a - b);
      expect([...(await adminLooks())].sort((a, b) => a - b)).toEqual(all);

      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/blocks',
        headers: rep,
        payload: { minutes: 30, calls: 2 },
      });
      expect(started.statusCode, started.body).toBe(201);
      const leased = (started.json().calls as { contact: { id: number } }[]).map((c) => c.contact.id);
      expect(leased).toHaveLength(2);
      await heard('block_started');
      const during = await adminLooks();
      for (const id of leased) expect(during).not.toContain(id);
      expect(during).toHaveLength(all.length - 2);

      const stopped = await app.inject({ method: 'POST', url: '/api/v1/blocks/current/stop', headers: rep });
      expect(stopped.statusCode, stopped.body).toBe(200);
      await heard('block_ended');
      expect([...(await adminLooks())].sort((a, b) => a - b)).toEqual(all);
      const stillLeased = await store.db
        .selectFrom('enrollments')
        .select('id')
        .where('lease_user_id', '=', world.rep.id)
        .execute();
      expect(stillLeased).toEqual([]);
    });

    it('drops them when calls are leased without a block too', async () => {
      expect(await adminLooks()).toHaveLength(world.contacts.size);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/queue',
        headers: rep,
        payload: { limit: 1 },
      });
      expect(res.statusCode, res.body).toBe(200);
      await heard('leased');
      expect(await adminLooks()).toHaveLength(world.contacts.size - 1);
    });

    it('answers a second start while a block runs with 409 naming the running block, changing nothing', async () => {
      const first = await app.inject({
        method: 'POST',
        url: '/api/v1/blocks',
        headers: rep,
        payload: { minutes: 45, calls: 0 },
      });
      expect(first.statusCode, first.body).toBe(201);
      const running = first.json().block;
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/blocks',
        headers: rep,
        payload: { minutes: 10, calls: 3 },
      });
      const problem = expectProblem(again, 409);
      expect(problem).toMatchObject({ type: '/problems/conflict', block: running });
      expect(String(problem.detail)).toMatch(/already in a call block until/);
      expect(again.headers.location).toBe('/api/v1/blocks/current');
      const current = await app.inject({ method: 'GET', url: '/api/v1/blocks/current', headers: rep });
      expect(current.json().block).toEqual(running);

      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      const responses = doc.paths['/api/v1/blocks'].post.responses;
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['201', '409']));
      expect(JSON.stringify(responses['409'])).toContain('block');
    });
  });
}
