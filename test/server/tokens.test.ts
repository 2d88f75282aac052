/**
 * API tokens on both databases: scopes chosen at mint time (read-only: GET only; telephony:
 * screening, calls and the callback list), a token never mints one that outlives it or reaches
 * further, an expired token is refused, an admin's password reset signs the user out and
 * revokes their tokens, and changing one's own password needs the current one.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, TELEPHONY_TOKEN_ROUTES } from '../../src/server/routes/index.js';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import {
  ADMIN_PASSWORD,
  appOver,
  expectProblem,
  MONDAY_10,
  REP_PASSWORD,
  seedWorld,
  signIn,
  type World,
} from './support.js';

const DAY = 24 * 60 * 60_000;

describe('telephony tokens', () => {
  it('reach only routes of the route table', () => {
    const keys = new Set(ROUTES.map((r) => `${r.method} ${r.url}`));
    expect([...TELEPHONY_TOKEN_ROUTES].filter((k) => !keys.has(k))).toEqual([]);
  });
});

for (const { name, create } of DATABASES) {
  describe(`API tokens on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let now = MONDAY_10;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 3);
      app = await appOver(store, { now: () => now });
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const withToken = (token: string, options: InjectOptions) =>
      app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } });
    const sessionOf = async (email: string, password: string) => {
      const s = await signIn(app, email, password);
      return { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
    };
    const mintWithSession = async (headers: Record<string, string>, payload: object) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: number; token: string; scope: string; expiresAt: string | null };
    };
    const contacts = async () =>
      Number(
        (
          await store.db
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('lets a read-only token read, and refuses it every write with nothing changed', async () => {
      const rep = await sessionOf('rex@ex.test', REP_PASSWORD);
      const minted = await mintWithSession(rep, { name: 'dashboard', scope: 'read-only' });
      expect(minted).toMatchObject({ scope: 'read-only', expiresAt: null });
      const contactId = world.contacts.get('1')!;
      const before = await contacts();
      for (const url of [
        '/api/v1/me',
        '/api/v1/contacts',
        `/api/v1/contacts/${contactId}`,
        '/api/v1/tokens',
      ]) {
        expect((await withToken(minted.token, { method: 'GET', url })).statusCode, url).toBe(200);
      }
      for (const request of [
        { method: 'POST', url: '/api/v1/contacts', payload: { lastName: 'Written' } },
        { method: 'PATCH', url: `/api/v1/contacts/${contactId}`, payload: { notes: 'written' } },
        { method: 'DELETE', url: `/api/v1/contacts/${contactId}` },
        { method: 'POST', url: '/api/v1/attempts', payload: { contactId, outcome: 'no_answer' } },
        { method: 'POST', url: '/api/v1/tokens', payload: { name: 'more', scope: 'read-only' } },
        { method: 'DELETE', url: `/api/v1/tokens/${minted.id}` },
      ] as InjectOptions[]) {
        const res = expectProblem(await withToken(minted.token, request), 403);
        expect(res.detail, `${request.method} ${request.url}`).toBe(
          'this API token is read-only: it may only read (GET)',
        );
      }
      expect(await contacts()).toBe(before);
      expect(
        await store.db.selectFrom('attempts').select('id').where('contact_id', '=', contactId).execute(),
      ).toEqual([]);
    });

    it('lets a telephony token screen calls and read the callback list, and nothing else', async () => {
      const rep = await sessionOf('rex@ex.test', REP_PASSWORD);
      const phone = await mintWithSession(rep, { name: 'phone system', scope: 'telephony' });
      const screened = await withToken(phone.token, {
        method: 'POST',
        url: '/api/v1/screen',
        payload: { number: '(212) 555-1001' },
      });
      expect(screened.statusCode, screened.body).toBe(200);
      expect((await withToken(phone.token, { method: 'GET', url: '/api/v1/callbacks' })).statusCode).toBe(
        200,
      );
      // Allowed through to the call itself, which fails for its own reason (no provider set up).
      const call = await withToken(phone.token, {
        method: 'POST',
        url: '/api/v1/calls',
        payload: { contactId: world.contacts.get('1')! },
      });
      expect(call.json().detail).not.toMatch(/API token/);
      for (const request of [
        { method: 'GET', url: '/api/v1/contacts' },
        { method: 'GET', url: '/api/v1/tokens' },
        { method: 'POST', url: '/api/v1/tokens', payload: { name: 'wider' } },
        { method: 'POST', url: '/api/v1/tokens', payload: { name: 'same', scope: 'telephony' } },
        { method: 'POST', url: '/api/v1/contacts', payload: { lastName: 'Written' } },
      ] as InjectOptions[]) {
        const res = expectProblem(await withToken(phone.token, request), 403);
        expect(res.detail).toMatch(
          /^this API token is for telephony: it may only call POST \/api\/v1\/screen/,
        );
      }
    });

    it('mints no token that outlives the token minting it, or reaches further', async () => {
      const admin = await sessionOf('ada@ex.test', ADMIN_PASSWORD);
      const expiry = new Date(now + 30 * DAY).toISOString();
      const parent = await mintWithSession(admin, { name: 'ci', expiresAt: expiry });
      expect(parent).toMatchObject({ scope: 'full', expiresAt: expiry });
      const mint = (payload: object) =>
        withToken(parent.token, { method: 'POST', url: '/api/v1/tokens', payload });

      const inherited = await mint({ name: 'child' });
      expect(inherited.statusCode, inherited.body).toBe(201);
      expect(inherited.json()).toMatchObject({ scope: 'full', expiresAt: expiry });
      const later = expectProblem(
        await mint({ name: 'later', expiresAt: new Date(now + 31 * DAY).toISOString() }),
        422,
      );
      expect(later.errors).toEqual([
        {
          path: '/expiresAt',
          message: `cannot be later than the expiry of the token minting it (${expiry})`,
        },
      ]);
      const past = expectProblem(
        await mint({ name: 'past', expiresAt: new Date(now - DAY).toISOString() }),
        422,
      );
      expect(past.errors).toEqual([{ path: '/expiresAt', message: 'must be in the future' }]);
      const sooner = await mint({
        name: 'sooner',
        scope: 'read-only',
        expiresAt: new Date(now + DAY).toISOString(),
      });
      expect(sooner.statusCode, sooner.body).toBe(201);
      expect(sooner.json()).toMatchObject({
        scope: 'read-only',
        expiresAt: new Date(now + DAY).toISOString(),
      });
      // A signed-in session (the password) mints without a bound.
      expect(await mintWithSession(admin, { name: 'forever' })).toMatchObject({
        scope: 'full',
        expiresAt: null,
      });

      // Expired: refused, and saying so.
      const then = now;
      now = Date.parse(expiry);
      const expired = expectProblem(await withToken(parent.token, { method: 'GET', url: '/api/v1/me' }), 401);
      expect(expired.detail).toBe(`the API token expired at ${expiry}`);
      expectProblem(await withToken(inherited.json().token, { method: 'GET', url: '/api/v1/me' }), 401);
      now = then;
      expect((await withToken(parent.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    });

    it('signs a user out everywhere and revokes their tokens when an admin sets their password', async () => {
      const rep = await sessionOf('rex@ex.test', REP_PASSWORD);
      const token = await mintWithSession(rep, { name: 'laptop' });
      const admin = await sessionOf('ada@ex.test', ADMIN_PASSWORD);
      const reset = await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${world.rep.id}`,
        headers: admin,
        payload: { password: 'a-new-rep-password-42' },
      });
      expect(reset.statusCode, reset.body).toBe(200);
      expectProblem(await withToken(token.token, { method: 'GET', url: '/api/v1/me' }), 401);
      expectProblem(
        await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: rep.cookie } }),
        401,
      );
      const live = await store.db
        .selectFrom('api_tokens')
        .select('id')
        .where('user_id', '=', world.rep.id)
        .where('revoked_at', 'is', null)
        .execute();
      expect(live).toEqual([]);
      await sessionOf('rex@ex.test', 'a-new-rep-password-42');
    });

    it('changes your own password only with the current one', async () => {
      const admin = await sessionOf('ada@ex.test', ADMIN_PASSWORD);
      const own = await mintWithSession(admin, { name: 'own' });
      const change = (payload: object) =>
        app.inject({ method: 'PATCH', url: `/api/v1/users/${world.admin.id}`, headers: admin, payload });
      const missing = expectProblem(await change({ password: 'a-new-admin-password' }), 400);
      expect(missing.errors).toEqual([
        {
          path: '/currentPassword',
          message: 'to change your own password, give your current one (currentPassword)',
        },
      ]);
      const wrong = expectProblem(
        await change({ password: 'a-new-admin-password', currentPassword: 'not-my-password' }),
        403,
      );
      expect(wrong.errors).toEqual([{ path: '/currentPassword', message: 'the current password is wrong' }]);
      await expect(signIn(app, 'ada@ex.test', 'a-new-admin-password')).rejects.toThrow(/401/);

      const done = await change({ password: 'a-new-admin-password', currentPassword: ADMIN_PASSWORD });
      expect(done.statusCode, done.body).toBe(200);
      await sessionOf('ada@ex.test', 'a-new-admin-password');
      // Their own change: their session and tokens go on.
      expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: admin })).statusCode).toBe(200);
      expect((await withToken(own.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    });
  });
}
