/**
 * The server's first slice through `inject` on both databases: health, the OpenAPI document,
 * sign-in and sessions, CSRF, API tokens, problem+json errors, sign-in rate limiting, the
 * first resource routes, secrets kept out of logs, and first-run setup.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/server/routes/index.js';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import {
  ADMIN_PASSWORD,
  appOver,
  expectProblem,
  memoryLog,
  REP_PASSWORD,
  type SignedIn,
  seedWorld,
  signIn,
  type World,
} from './support.js';

const countAttempts = async (store: Store) =>
  Number(
    (
      await store.db
        .selectFrom('attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

for (const { name, create } of DATABASES) {
  describe(`server on ${name}`, () => {
    const databases: TestDatabase[] = [];
    const stores: Store[] = [];
    const apps: FastifyInstance[] = [];
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let rep: SignedIn;

    const freshStore = async () => {
      const database = await create();
      databases.push(database);
      const s = await openTestStore(database);
      stores.push(s);
      return s;
    };
    const track = (a: FastifyInstance) => {
      apps.push(a);
      return a;
    };

    beforeAll(async () => {
      store = await freshStore();
      world = await seedWorld(store);
      app = track(await appOver(store));
      rep = await signIn(app, 'rex@ex.test', REP_PASSWORD);
    });
    afterAll(async () => {
      for (const a of apps) await a.close();
      for (const s of stores) await s.close();
      for (const d of databases) await d.drop();
    });

    it('answers /healthz while up and /readyz when the store answers', async () => {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', store: name });
    });

    it('reports not ready with a 503 problem once the store is gone', async () => {
      const gone = await freshStore();
      const lonely = track(await appOver(gone));
      await gone.close();
      expectProblem(await lonely.inject({ method: 'GET', url: '/readyz' }), 503);
      expect((await lonely.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    });

    it('lists every API route of the route table in the OpenAPI document, and serves the reference page', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toMatch(/^3\./);
      for (const route of ROUTES.filter((r) => r.url.startsWith('/api/v1/'))) {
        const path = route.url.replace(/:(\w+)/g, '{$1}');
        expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
      }
      expect(
        doc.paths['/api/v1/attempts'].post.requestBody.content['application/json'].schema.required,
      ).toEqual(expect.arrayContaining(['contactId', 'outcome']));
      const docs = await app.inject({ method: 'GET', url: '/api/docs' });
      expect(docs.statusCode).toBe(200);
      expect(docs.body).toContain('Swagger UI');
      const home = await app.inject({ method: 'GET', url: '/' });
      expect(home.headers['content-type']).toMatch(/^text\/html/);
      expect(home.body).toContain('<div id="root">');
    });

    it('signs in with the right password into an HttpOnly, SameSite=Lax session cookie', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: 'REX@ex.test', password: REP_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().user).toMatchObject({ email: 'rex@ex.test', role: 'rep', id: world.rep.id });
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/^rb_session=[\w-]{40,};/);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Lax');
      expect(setCookie).toContain('Path=/');
      expect(setCookie).not.toContain('Secure');
      const me = await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: setCookie.split(';')[0]! },
      });
      expect(me.json()).toMatchObject({ via: 'session', user: { email: 'rex@ex.test' } });
    });

    it('marks the session cookie Secure when the public URL is https', async () => {
      const secure = track(await appOver(store, { publicUrl: 'https://ringback.example.com' }));
      const { setCookie } = await signIn(secure, 'ada@ex.test', ADMIN_PASSWORD);
      expect(setCookie).toContain('Secure');
    });

    it('gives the same problem for an unknown email and a wrong password', async () => {
      const unknown = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        remoteAddress: '10.0.0.1',
        payload: { email: 'nobody@ex.test', password: REP_PASSWORD },
      });
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        remoteAddress: '10.0.0.1',
        payload: { email: 'rex@ex.test', password: 'not-it' },
      });
      const a = expectProblem(unknown, 401);
      const b = expectProblem(wrong, 401);
      expect(a).toEqual(b);
      expect(unknown.headers['set-cookie']).toBeUndefined();
    });

    it('refuses API routes without a session or token (401) and with a stale cookie', async () => {
      expectProblem(await app.inject({ method: 'GET', url: '/api/v1/contacts' }), 401);
      expectProblem(
        await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: 'rb_session=forged' } }),
        401,
      );
      expectProblem(
        await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic abc' } }),
        401,
      );
    });

    it('requires X-CSRF-Token on cookie-authenticated writes and not on bearer ones', async () => {
      const payload = { name: 'laptop' };
      const none = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie: rep.cookie },
        payload,
      });
      expect(expectProblem(none, 403).type).toBe('/problems/csrf_failed');
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie: rep.cookie, 'x-csrf-token': 'x'.repeat(rep.csrfToken.length) },
        payload,
      });
      expectProblem(wrong, 403);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie: rep.cookie, 'x-csrf-token': rep.csrfToken },
        payload,
      });
      expect(ok.statusCode).toBe(201);
      const token = ok.json().token as string;
      const bearer = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'made with a token' },
      });
      expect(bearer.statusCode).toBe(201);
      // Reads need no CSRF token.
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: rep.cookie } }))
          .statusCode,
      ).toBe(200);
    });

    it('gives a browser session its CSRF token again from GET /api/v1/me, uncached, and a bearer token none', async () => {
      const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: rep.cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ via: 'session', csrfToken: rep.csrfToken });
      expect(me.headers['cache-control']).toBe('no-store');
      // What a reloaded page does: no token kept anywhere, read from /me, then written with.
      const write = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie: rep.cookie, 'x-csrf-token': me.json().csrfToken },
        payload: { name: 'after a reload' },
      });
      expect(write.statusCode, write.body).toBe(201);
      const viaToken = await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${write.json().token}` },
      });
      expect(viaToken.json()).toMatchObject({ via: 'token', csrfToken: null });
      // Another session of the same user has its own token.
      const other = await signIn(app, 'rex@ex.test', REP_PASSWORD);
      const otherMe = await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: other.cookie },
      });
      expect(otherMe.json().csrfToken).toBe(other.csrfToken);
      expect(other.csrfToken).not.toBe(rep.csrfToken);
    });

    it('creates API tokens shown once and stored hashed, lists them without secrets, and a revoked one is refused', async () => {
      const admin = await signIn(app, 'ada@ex.test', ADMIN_PASSWORD);
      const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken };
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers,
        payload: { name: 'ci' },
      });
      expect(created.statusCode).toBe(201);
      const { id, token } = created.json() as { id: number; token: string };
      expect(token).toMatch(/^rbt_/);
      const stored = await store.db
        .withTables<{ api_tokens: { id: number; token_hash: string } }>()
        .selectFrom('api_tokens')
        .select('token_hash')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.token_hash).not.toContain(token);

      const me = await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.json()).toMatchObject({ via: 'token', user: { email: 'ada@ex.test' } });

      const list = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers });
      expect(list.body).not.toContain(token);
      expect(list.json().tokens).toEqual([
        expect.objectContaining({ id, name: 'ci', revokedAt: null, lastUsedAt: expect.any(String) }),
      ]);

      // Someone else's token is not theirs to revoke.
      expectProblem(
        await app.inject({
          method: 'DELETE',
          url: `/api/v1/tokens/${id}`,
          headers: { cookie: rep.cookie, 'x-csrf-token': rep.csrfToken },
        }),
        404,
      );
      const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers });
      expect(revoked.statusCode).toBe(204);
      expectProblem(
        await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }),
        401,
      );
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/tokens', headers })).json().tokens[0].revokedAt,
      ).toEqual(expect.any(String));
    });

    it('ends the session on sign-out', async () => {
      const s = await signIn(app, 'rex@ex.test', REP_PASSWORD);
      const out = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
      });
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/^rb_session=;/);
      expectProblem(
        await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } }),
        401,
      );
    });

    it('answers malformed JSON, an oversized body, a wrong content type, unknown fields and unknown routes with problem+json', async () => {
      const url = '/api/v1/auth/sign-in';
      const malformed = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: '{"email": ',
      });
      expect(expectProblem(malformed, 400).type).toBe('/problems/malformed_json');

      const big = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1024 * 1024 + 10) }),
      });
      expect(expectProblem(big, 413).type).toBe('/problems/payload_too_large');

      const text = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'text/plain' },
        payload: 'hi',
      });
      expect(expectProblem(text, 415).type).toBe('/problems/unsupported_media_type');

      const unknown = await app.inject({
        method: 'POST',
        url: '/api/v1/attempts',
        headers: { cookie: rep.cookie, 'x-csrf-token': rep.csrfToken },
        payload: { contactId: 1, outcome: 'no_answer', mood: 'sunny' },
      });
      const body = expectProblem(unknown, 400);
      expect(body.errors).toEqual([{ path: '/mood', message: 'unknown field' }]);

      const invalid = await app.inject({
        method: 'POST',
        url: '/api/v1/attempts',
        headers: { cookie: rep.cookie, 'x-csrf-token': rep.csrfToken },
        payload: { contactId: 'seven', outcome: 'shrug' },
      });
      const paths = (expectProblem(invalid, 400).errors as { path: string }[]).map((e) => e.path).sort();
      expect(paths).toEqual(['/contactId', '/outcome']);

      const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
      expect(expectProblem(missing, 404).instance).toBe('/api/v1/nothing-here');
    });

    it('refuses an 11th failed sign-in for the same email and address within 15 minutes with 429 and Retry-After', async () => {
      const attempt = (password: string, remoteAddress = '10.9.9.9') =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          remoteAddress,
          payload: { email: 'ada@ex.test', password },
        });
      for (let i = 0; i < 10; i++) expectProblem(await attempt(`guess-${i}`), 401);
      const limited = await attempt('guess-10');
      expect(expectProblem(limited, 429).type).toBe('/problems/rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
      // Even the right password waits: the limit is checked first.
      expectProblem(await attempt(ADMIN_PASSWORD), 429);
      // Another address is not held up by this one.
      expect((await attempt(ADMIN_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
    });

    it('searches contacts by name, company and a number typed in another format', async () => {
      const get = async (q: string) =>
        (
          await app.inject({
            method: 'GET',
            url: `/api/v1/contacts?q=${encodeURIComponent(q)}`,
            headers: { cookie: rep.cookie },
          })
        ).json().contacts as { id: number; company: string }[];
      expect((await get('acme 3')).map((c) => c.company)).toEqual(['Acme 3']);
      expect((await get('(212) 555-1002')).map((c) => c.id)).toEqual([world.contacts.get('2')]);
      expect((await get('+1 212 555 1004')).map((c) => c.id)).toEqual([world.contacts.get('4')]);
      expect((await get('person 1')).map((c) => c.id)).toEqual([world.contacts.get('1')]);
      expect(await get('50%')).toEqual([]);
      const one = await app.inject({
        method: 'GET',
        url: `/api/v1/contacts/${world.contacts.get('2')}`,
        headers: { cookie: rep.cookie },
      });
      expect(one.json()).toMatchObject({
        name: 'Person 2',
        numbers: [{ e164: '+12125551002', valid: true, doNotCall: false }],
      });
      expectProblem(
        await app.inject({ method: 'GET', url: '/api/v1/contacts/999999', headers: { cookie: rep.cookie } }),
        404,
      );
    });

    it('shows the queue and logs an attempt; a rejected attempt changes nothing', async () => {
      const queue = await app.inject({
        method: 'GET',
        url: '/api/v1/queue?limit=3',
        headers: { cookie: rep.cookie },
      });
      expect(queue.statusCode).toBe(200);
      const items = queue.json().items as { contact: { id: number }; leasedUntil: string | null }[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((i) => i.leasedUntil === null)).toBe(true);
      expectProblem(
        await app.inject({
          method: 'GET',
          url: '/api/v1/queue?campaign=Nope',
          headers: { cookie: rep.cookie },
        }),
        404,
      );

      const headers = { cookie: rep.cookie, 'x-csrf-token': rep.csrfToken };
      const before = await countAttempts(store);
      const rejected = await app.inject({
        method: 'POST',
        url: '/api/v1/attempts',
        headers,
        payload: { contactId: items[0]!.contact.id, outcome: 'callback_requested' },
      });
      expect(expectProblem(rejected, 422).detail).toMatch(/needs a time/);
      const wrongCampaign = await app.inject({
        method: 'POST',
        url: '/api/v1/attempts',
        headers,
        payload: { contactId: items[0]!.contact.id, outcome: 'no_answer', campaign: 'Nope' },
      });
      expectProblem(wrongCampaign, 422);
      expect(await countAttempts(store)).toBe(before);

      const logged = await app.inject({
        method: 'POST',
        url: '/api/v1/attempts',
        headers,
        payload: {
          contactId: items[0]!.contact.id,
          outcome: 'no_answer',
          at: new Date(Date.UTC(2026, 10, 23, 15, 1)).toISOString(),
        },
      });
      expect(logged.statusCode).toBe(201);
      expect(logged.json()).toMatchObject({
        contactId: items[0]!.contact.id,
        outcome: 'no_answer',
        campaign: 'Q4',
      });
      expect(await countAttempts(store)).toBe(before + 1);
    });

    it('never writes passwords, session cookies, CSRF tokens or API tokens to the log', async () => {
      const log = memoryLog();
      const logged = track(
        await appOver(store, {
          logger: { level: 'trace', stream: log.stream },
          setupToken: 'setup-secret-xyz',
        }),
      );
      await logged.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { token: 'setup-secret-xyz', email: 'x@ex.test', name: 'X', password: 'setup-password-123' },
      });
      const s = await signIn(logged, 'rex@ex.test', REP_PASSWORD);
      await logged.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: 'rex@ex.test', password: 'wrong-secret-password' },
      });
      const created = await logged.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
        payload: { name: 'logged' },
      });
      const token = created.json().token as string;
      await logged.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${token}` },
      });
      await logged.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: 'Bearer rbt_bogus-token' },
      });
      await logged.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } });
      const text = log.text();
      expect(text).toContain('incoming request');
      expect(text).toContain('/api/v1/tokens');
      for (const secret of [
        REP_PASSWORD,
        'wrong-secret-password',
        s.cookie.split('=')[1]!,
        s.csrfToken,
        token,
        'rbt_bogus-token',
        'setup-secret-xyz',
        'setup-password-123',
      ]) {
        expect(text).not.toContain(secret);
      }
    });

    it('creates the first admin once, with the setup token, only while there are no users', async () => {
      const empty = await freshStore();
      const setupApp = track(await appOver(empty, { setupToken: 'one-time-setup-token' }));
      const body = { email: 'Boss@Ex.test', name: 'Boss', password: 'a-long-enough-password' };
      const page = await setupApp.inject({ method: 'GET', url: '/setup?token=x' });
      expect(page.body).toContain('/api/v1/setup');
      expect(
        expectProblem(
          await setupApp.inject({
            method: 'POST',
            url: '/api/v1/setup',
            payload: { ...body, token: 'guess' },
          }),
          403,
        ).type,
      ).toBe('/problems/forbidden');
      const first = await setupApp.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { ...body, token: 'one-time-setup-token' },
      });
      expect(first.statusCode).toBe(201);
      expect(first.json().user).toMatchObject({ email: 'boss@ex.test', role: 'admin' });
      const again = await setupApp.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { ...body, email: 'second@ex.test', token: 'one-time-setup-token' },
      });
      expect(expectProblem(again, 403).type).toBe('/problems/setup_closed');
      expect((await signIn(setupApp, 'boss@ex.test', body.password)).csrfToken).toBeTruthy();

      // A database that has users refuses setup even with a token.
      const late = track(await appOver(store, { setupToken: 'another-token' }));
      const refused = await late.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { ...body, token: 'another-token' },
      });
      expect(expectProblem(refused, 403).type).toBe('/problems/setup_closed');
    });
  });
}
