/**
 * The server over real HTTP on both databases, started the way `ringback serve` starts it:
 * the setup link printed on an empty database, first admin, sign-in with the cookie a browser
 * would keep, a bearer token, and a shutdown that closes the port. Also the route table's
 * guarantees: every non-public route refuses anonymous callers, and a route without an
 * access rule cannot be registered.
 */
import { request as httpRequest } from 'node:http';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/commands/serve.js';
import { ROUTES, registerAccessControl } from '../../src/server/routes/index.js';
import { openStore } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, expectProblem } from './support.js';

for (const { name, create } of DATABASES) {
  describe(`server over HTTP on ${name}`, () => {
    const databases: TestDatabase[] = [];
    afterAll(async () => {
      for (const d of databases) await d.drop();
    });

    it('prints a one-time setup link on an empty database, then serves sign-in and tokens over HTTP', async () => {
      const database = await create();
      databases.push(database);
      const printed: string[] = [];
      const server = await startServer(
        {
          port: 0,
          host: '127.0.0.1',
          logLevel: 'silent',
          print: (line) => printed.push(line),
        },
        openStore(database.config),
      );
      try {
        expect(printed).toHaveLength(1);
        const link = new URL(/(http:\S+)/.exec(printed[0]!)![1]!);
        expect(link.pathname).toBe('/setup');
        // A fragment: browsers never send it, so the token stays out of request logs.
        const token = new URLSearchParams(link.hash.slice(1)).get('token')!;
        expect(token.length).toBeGreaterThan(20);

        const health = await fetch(`${server.url}/healthz`);
        expect(await health.json()).toEqual({ status: 'ok' });

        const json = { 'content-type': 'application/json' };
        const setup = await fetch(`${server.url}/api/v1/setup`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            token,
            email: 'root@ex.test',
            name: 'Root',
            password: 'root-password-1234',
          }),
        });
        expect(setup.status).toBe(201);
        const again = await fetch(`${server.url}/api/v1/setup`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ token, email: 'x@ex.test', name: 'X', password: 'root-password-1234' }),
        });
        expect(again.status).toBe(403);
        expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);

        const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ email: 'root@ex.test', password: 'root-password-1234' }),
        });
        expect(signIn.status).toBe(200);
        const setCookie = signIn.headers.get('set-cookie')!;
        expect(setCookie).toMatch(/HttpOnly/);
        expect(setCookie).toMatch(/SameSite=Lax/);
        const cookie = setCookie.split(';')[0]!;
        const { csrfToken } = (await signIn.json()) as { csrfToken: string };

        const noCsrf = await fetch(`${server.url}/api/v1/tokens`, {
          method: 'POST',
          headers: { ...json, cookie },
          body: JSON.stringify({ name: 'cli' }),
        });
        expect(noCsrf.status).toBe(403);
        const made = await fetch(`${server.url}/api/v1/tokens`, {
          method: 'POST',
          headers: { ...json, cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify({ name: 'cli' }),
        });
        expect(made.status).toBe(201);
        const { token: apiToken } = (await made.json()) as { token: string };
        const me = await fetch(`${server.url}/api/v1/me`, {
          headers: { authorization: `Bearer ${apiToken}` },
        });
        expect(await me.json()).toMatchObject({
          via: 'token',
          user: { email: 'root@ex.test', role: 'admin' },
        });
      } finally {
        await server.close();
      }
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    });

    it('finishes a request in flight when shutting down, then stops listening', async () => {
      const database = await create();
      databases.push(database);
      const server = await startServer(
        {
          port: 0,
          host: '127.0.0.1',
          logLevel: 'silent',
          print: () => {},
        },
        openStore(database.config),
      );
      const body = JSON.stringify({ email: 'late@ex.test', password: 'whatever-it-is' });
      const { port } = new URL(server.url);
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/auth/sign-in',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            let text = '';
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        // Half the body now: the request is in flight when the shutdown starts.
        req.write(body.slice(0, 10));
        setTimeout(() => req.end(body.slice(10)), 300);
      });
      await new Promise((r) => setTimeout(r, 100));
      const closed = server.close();
      const res = await response;
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).type).toBe('/problems/unauthenticated');
      await closed;
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    });

    it('prints no setup link when the database has users', async () => {
      const database = await create();
      databases.push(database);
      const store = await openTestStore(database);
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'W', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await store.db
        .insertInto('users')
        .values({ workspace_id: ws.id, email: 'a@ex.test', role: 'admin', created_at: 0 })
        .execute();
      const printed: string[] = [];
      const server = await startServer(
        {
          port: 0,
          host: '127.0.0.1',
          logLevel: 'silent',
          print: (line) => printed.push(line),
        },
        store,
      );
      await server.close();
      expect(printed).toEqual([]);
    });

    it('refuses every non-public route of the route table to an anonymous caller', async () => {
      const database = await create();
      databases.push(database);
      const store = await openTestStore(database);
      const app = await appOver(store);
      try {
        for (const route of ROUTES.filter((r) => r.access !== 'public')) {
          const url = route.url.replace(/:\w+/g, '1');
          const res = await app.inject({
            method: route.method,
            url,
            ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
          });
          expectProblem(res, 401);
        }
      } finally {
        await app.close();
        await store.close();
      }
    });
  });
}

describe('route table', () => {
  it('refuses to register a route that has no access rule', async () => {
    const app = Fastify();
    registerAccessControl(app, {} as never);
    expect(() => app.get('/api/v1/unruled', async () => 'x')).toThrow(/no access rule/);
    await app.close();
  });
});
