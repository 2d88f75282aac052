/**
 * The webhooks API over real HTTP on both databases: only an admin adds, lists, removes and
 * replays endpoints; the secret is in the answer to adding only; a bad URL or an unknown event
 * is a problem naming the field; contacts created and changed over the API are events with the
 * contact as the API shows it; nothing crosses workspaces.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, seedOtherWorkspace, seedWorld, tokenFor, type World } from './support.js';

interface Reply {
  status: number;
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
  body: any;
  text: string;
}

for (const { name, create } of DATABASES) {
  describe(`webhooks API over HTTP on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let world: World;
    const tokens: Record<string, string> = {};

    const call = async (who: string, method: string, path: string, body?: unknown): Promise<Reply> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[who]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        body: text ? JSON.parse(text) : null,
        text,
      };
    };
    const problem = (r: Reply, status: number) => {
      expect(r.status, r.text).toBe(status);
      expect(r.type).toMatch(/^application\/problem\+json/);
      return r.body as { detail: string; errors?: { path: string; message: string }[] };
    };

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store);
      tokens.admin = await tokenFor(store, world.admin);
      tokens.rep = await tokenFor(store, world.rep);
      tokens.other = await tokenFor(store, await seedOtherWorkspace(store));
      app = await appOver(store);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    it('lets only an admin subscribe, shows the secret once, and names what is wrong with bad input', async () => {
      const input = {
        url: 'https://hooks.example.com/ringback',
        events: ['contact.created', 'contact.updated'],
      };
      problem(await call('rep', 'POST', '/api/v1/webhooks', input), 403);
      problem(await call('rep', 'GET', '/api/v1/webhooks'), 403);

      const bad = problem(await call('admin', 'POST', '/api/v1/webhooks', { url: 'hooks.example.com' }), 422);
      expect(bad.errors).toEqual([
        {
          path: '/url',
          message:
            '"hooks.example.com" is not a URL; give one such as https://n8n.example.com/webhook/ringback',
        },
      ]);
      const scheme = problem(
        await call('admin', 'POST', '/api/v1/webhooks', { url: 'ftp://hooks.example.com/x' }),
        422,
      );
      expect(scheme.detail).toBe('ftp://hooks.example.com/x: webhooks are sent over http or https, not ftp');
      const unknown = problem(
        await call('admin', 'POST', '/api/v1/webhooks', {
          ...input,
          events: ['contact.created', 'deal.won'],
        }),
        422,
      );
      expect(unknown.errors?.[0]?.path).toBe('/events');
      expect(unknown.detail).toMatch(/^"deal\.won" is not an event; use any of: attempt\.logged, /);

      const added = await call('admin', 'POST', '/api/v1/webhooks', input);
      expect(added.status, added.text).toBe(201);
      expect(added.body).toEqual({
        id: expect.any(Number),
        url: input.url,
        events: input.events,
        secret: expect.stringMatching(/^whsec_/),
      });
      const listed = await call('admin', 'GET', '/api/v1/webhooks');
      expect(listed.text).not.toContain(added.body.secret);
      expect(listed.body.webhooks).toMatchObject([
        {
          id: added.body.id,
          url: input.url,
          events: input.events,
          allowPrivate: false,
          disabledAt: null,
          pending: 0,
        },
      ]);
      expect((await call('other', 'GET', '/api/v1/webhooks')).body.webhooks).toEqual([]);
      problem(await call('other', 'DELETE', `/api/v1/webhooks/${added.body.id}`), 404);
    });

    it('stores an event for each contact created and changed over the API, in the order they happened', async () => {
      const [endpoint] = (await call('admin', 'GET', '/api/v1/webhooks')).body.webhooks;
      const created = await call('admin', 'POST', '/api/v1/contacts', {
        firstName: 'Grace',
        lastName: 'Hopper',
        numbers: [{ number: '212-555-0199', kind: 'direct' }],
      });
      expect(created.status, created.text).toBe(201);
      const changed = await call('admin', 'PATCH', `/api/v1/contacts/${created.body.id}`, {
        title: 'Rear Admiral',
      });
      expect(changed.status, changed.text).toBe(200);
      const deliveries = (await call('admin', 'GET', `/api/v1/webhooks/deliveries?endpoint=${endpoint.id}`))
        .body.deliveries;
      expect(deliveries.map((d: { type: string; state: string }) => [d.type, d.state])).toEqual([
        ['contact.updated', 'pending'],
        ['contact.created', 'pending'],
      ]);
      const events = await store.db
        .selectFrom('webhook_events')
        .select(['type', 'payload'])
        .orderBy('id')
        .execute();
      expect(events.map((e) => [e.type, JSON.parse(e.payload).contact.title])).toEqual([
        ['contact.created', ''],
        ['contact.updated', 'Rear Admiral'],
      ]);
      expect(JSON.parse(events[0]!.payload).contact).toEqual(created.body);

      const replayed = await call('admin', 'POST', `/api/v1/webhooks/deliveries/${deliveries[0].id}/replay`);
      expect(replayed.status, replayed.text).toBe(204);
      problem(await call('admin', 'POST', '/api/v1/webhooks/deliveries/999999/replay'), 404);
      const again = await call('admin', 'POST', `/api/v1/webhooks/${endpoint.id}/replay`);
      expect(again.body).toMatchObject({ replayed: 0, endpoint: { id: endpoint.id, disabledAt: null } });

      expect((await call('admin', 'DELETE', `/api/v1/webhooks/${endpoint.id}`)).status).toBe(204);
      expect((await call('admin', 'GET', '/api/v1/webhooks')).body.webhooks).toEqual([]);
      problem(await call('admin', 'GET', `/api/v1/webhooks/deliveries?endpoint=${endpoint.id}`), 404);
    });
  });
}
