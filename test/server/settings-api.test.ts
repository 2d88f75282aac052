/**
 * The Settings and Campaigns pages' API over real HTTP on both databases: calling hours (the
 * workspace's defaults reach new campaigns; each user's own), the block greeting (linted
 * before it is saved), the telephony provider shown without its auth token, users and teams
 * managed by an admin (deactivation signs a user out everywhere; the workspace keeps an admin),
 * and a campaign's schedule if nobody ever answers, saved or draft. Errors are problem+json.
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
  describe(`settings API over HTTP on ${name}`, () => {
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

    it('gives new campaigns the workspace’s default calling windows, which only an admin sets', async () => {
      const before = await call('rep', 'GET', '/api/v1/calling-hours');
      expect(before.body.workspace.business).toEqual({ start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] });
      const hours = {
        business: { start: '08:30', end: '16:30', days: [1, 2, 3, 4] },
        consumer: { start: '10:00', end: '19:00', days: [1, 2, 3, 4, 5, 6] },
      };
      problem(await call('rep', 'PUT', '/api/v1/calling-hours', hours), 403);
      const set = await call('admin', 'PUT', '/api/v1/calling-hours', hours);
      expect(set.status, set.text).toBe(200);
      expect(set.body.workspace).toEqual(hours);
      const campaign = await call('admin', 'POST', '/api/v1/campaigns', {
        name: 'Hours test',
        topic: 'calling hours',
      });
      expect(campaign.status, campaign.text).toBe(201);
      expect(campaign.body.policy.businessWindow).toEqual(hours.business);
      expect(campaign.body.policy.consumerWindow).toEqual(hours.consumer);
    });

    it('refuses a window that ends before it starts, naming the field, and keeps the stored hours', async () => {
      const bad = problem(
        await call('admin', 'PUT', '/api/v1/calling-hours', {
          business: { start: '17:00', end: '09:00', days: [1] },
          consumer: { start: '09:00', end: '20:00', days: [1] },
        }),
        400,
      );
      expect(bad.errors?.some((e) => e.path.startsWith('/business'))).toBe(true);
      const after = await call('admin', 'GET', '/api/v1/calling-hours');
      expect(after.body.workspace.business.start).toBe('08:30');
    });

    it('lets each user set and clear their own calling hours', async () => {
      const mine = { start: '07:30', end: '12:00', days: [1, 3, 5] };
      const set = await call('rep', 'PUT', '/api/v1/me/calling-hours', { hours: mine });
      expect(set.status, set.text).toBe(200);
      expect(set.body.mine).toEqual(mine);
      expect((await call('rep', 'GET', '/api/v1/calling-hours')).body.mine).toEqual(mine);
      expect((await call('admin', 'GET', '/api/v1/calling-hours')).body.mine).toBeNull();
      await call('rep', 'PUT', '/api/v1/me/calling-hours', { hours: null });
      expect((await call('rep', 'GET', '/api/v1/calling-hours')).body.mine).toBeNull();
    });

    it('saves a block greeting only when its lint finds no errors, and null restores the built-in one', async () => {
      const start = await call('rep', 'GET', '/api/v1/greeting');
      expect(start.body.template).toBeNull();
      expect(start.body.default).toContain('{{until}}');
      expect(Object.keys(start.body.variables)).toEqual(['my_name', 'my_first_name', 'until']);
      const bad = problem(
        await call('admin', 'PUT', '/api/v1/greeting', {
          template: 'Hi, {{first_name}} is busy until {{until}}.',
        }),
        422,
      );
      expect(bad.errors).toEqual([{ path: '/template', message: expect.stringContaining('{{first_name}}') }]);
      problem(await call('rep', 'PUT', '/api/v1/greeting', { template: 'Busy until {{until}}.' }), 403);
      const template = 'You reached {{my_first_name}}, on calls until {{until}}. Leave a message.';
      const good = await call('admin', 'PUT', '/api/v1/greeting', { template });
      expect(good.status, good.text).toBe(200);
      expect((await call('rep', 'GET', '/api/v1/greeting')).body.template).toBe(template);
      await call('admin', 'PUT', '/api/v1/greeting', { template: null });
      expect((await call('rep', 'GET', '/api/v1/greeting')).body.template).toBeNull();
      // The calling hours saved earlier are still there: each setting has its own key.
      expect((await call('admin', 'GET', '/api/v1/calling-hours')).body.workspace.business.start).toBe(
        '08:30',
      );
    });

    it('shows the telephony provider to an admin with the auth token as a hint only', async () => {
      const empty = await call('admin', 'GET', '/api/v1/telephony');
      expect(empty.body).toMatchObject({ configured: false, authTokenHint: null });
      const secret = 'tok_very_secret_value_9f3c';
      const put = await call('admin', 'PUT', '/api/v1/telephony', {
        accountSid: 'AC123',
        authToken: secret,
        callerId: '+12125550100',
        numbers: { '+12125550111': 'rex@ex.test' },
      });
      expect(put.status, put.text).toBe(200);
      const view = await call('admin', 'GET', '/api/v1/telephony');
      expect(view.body).toMatchObject({
        configured: true,
        accountSid: 'AC123',
        authTokenHint: '••••9f3c',
        callerId: '+12125550100',
        numbers: { '+12125550111': 'rex@ex.test' },
      });
      expect(view.body.webhookUrl).toMatch(/\/telephony\/\d+\/voice$/);
      expect(view.text).not.toContain(secret);
      problem(await call('rep', 'GET', '/api/v1/telephony'), 403);

      // Behind a tunnel: the webhook URL shown is the one the provider calls and signs.
      await call('admin', 'PUT', '/api/v1/telephony', {
        accountSid: 'AC123',
        authToken: secret,
        callerId: '+12125550100',
        publicUrl: 'https://calls.example.com/',
      });
      const tunnelled = await call('admin', 'GET', '/api/v1/telephony');
      expect(tunnelled.body.webhookUrl).toMatch(/^https:\/\/calls\.example\.com\/telephony\/\d+\/voice$/);
    });

    it('keeps every setting when the greeting, calling hours and provider are saved at the same moment', async () => {
      for (let round = 0; round < 5; round++) {
        const until = `until {{until}} (round ${round}).`;
        const replies = await Promise.all([
          call('admin', 'PUT', '/api/v1/greeting', { template: `Busy ${until}` }),
          call('admin', 'PUT', '/api/v1/calling-hours', {
            business: { start: `1${round}:00`, end: '18:00', days: [1, 2, 3] },
            consumer: { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6] },
          }),
          call('admin', 'PUT', '/api/v1/telephony', {
            accountSid: `AC-round-${round}`,
            authToken: 'tok_very_secret_value_9f3c',
            callerId: '+12125550100',
          }),
        ]);
        expect(
          replies.map((r) => r.status),
          `round ${round}`,
        ).toEqual([200, 200, 200]);
        expect((await call('admin', 'GET', '/api/v1/greeting')).body.template).toBe(`Busy ${until}`);
        expect((await call('admin', 'GET', '/api/v1/calling-hours')).body.workspace.business.start).toBe(
          `1${round}:00`,
        );
        expect((await call('admin', 'GET', '/api/v1/telephony')).body.accountSid).toBe(`AC-round-${round}`);
      }
      await call('admin', 'PUT', '/api/v1/greeting', { template: null });
    });

    it('lets an admin change a user’s role and team, and deactivate them: signed out, tokens revoked', async () => {
      const added = await call('admin', 'POST', '/api/v1/users', {
        email: 'nia@ex.test',
        name: 'Nia',
        role: 'rep',
        password: 'starting-password-1',
      });
      expect(added.status, added.text).toBe(201);
      expect(added.body.active).toBe(true);
      const id = added.body.id as number;
      const team = await call('admin', 'POST', '/api/v1/teams', { name: 'North' });
      expect(team.status, team.text).toBe(201);
      problem(await call('admin', 'POST', '/api/v1/teams', { name: 'North' }), 422);
      const changed = await call('admin', 'PATCH', `/api/v1/users/${id}`, {
        role: 'manager',
        teamId: team.body.id,
      });
      expect(changed.body).toMatchObject({ id, role: 'manager', teamId: team.body.id, active: true });
      problem(await call('admin', 'PATCH', `/api/v1/users/${id}`, { teamId: 999_999 }), 422);

      const nia = await store.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      tokens.nia = await tokenFor(store, nia);
      expect((await call('nia', 'GET', '/api/v1/me')).status).toBe(200);
      const signIn = () =>
        fetch(`${base}/api/v1/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'nia@ex.test', password: 'starting-password-1' }),
        });
      expect((await signIn()).status).toBe(200);

      const off = await call('admin', 'PATCH', `/api/v1/users/${id}`, { active: false });
      expect(off.body.active).toBe(false);
      problem(await call('nia', 'GET', '/api/v1/me'), 401);
      expect((await signIn()).status).toBe(401);
      const sessions = await store.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute();
      expect(sessions).toEqual([]);
      const listed = await call('admin', 'GET', '/api/v1/users');
      expect(listed.body.users.find((u: { id: number }) => u.id === id).active).toBe(false);

      const noPassword = problem(await call('admin', 'PATCH', `/api/v1/users/${id}`, { active: true }), 422);
      expect(noPassword.errors?.[0]?.path).toBe('/password');
      const back = await call('admin', 'PATCH', `/api/v1/users/${id}`, {
        active: true,
        password: 'a-new-password-22',
      });
      expect(back.body.active).toBe(true);
      const again = await fetch(`${base}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nia@ex.test', password: 'a-new-password-22' }),
      });
      expect(again.status).toBe(200);
    });

    it('keeps an active admin: an admin cannot demote or deactivate themselves, nor reach another workspace', async () => {
      const self = problem(
        await call('admin', 'PATCH', `/api/v1/users/${world.admin.id}`, { role: 'rep' }),
        422,
      );
      expect(self.errors?.[0]?.path).toBe('/role');
      problem(await call('admin', 'PATCH', `/api/v1/users/${world.admin.id}`, { active: false }), 422);
      const eve = await seedOtherWorkspace(store);
      problem(await call('admin', 'PATCH', `/api/v1/users/${eve.id}`, { role: 'rep' }), 404);
      problem(await call('rep', 'PATCH', `/api/v1/users/${world.rep.id}`, { role: 'admin' }), 403);
      problem(await call('rep', 'GET', '/api/v1/teams'), 403);
      const unknown = problem(
        await call('admin', 'PATCH', `/api/v1/users/${world.rep.id}`, { colour: 'red' }),
        400,
      );
      expect(JSON.stringify(unknown)).toMatch(/colour/);
    });

    it('previews a campaign’s schedule if nobody ever answers, saved or draft, in the sample contact’s zone', async () => {
      const campaign = await call('admin', 'POST', '/api/v1/campaigns', {
        name: 'Preview test',
        topic: 'the preview',
        policy: { attemptLimit: 6, voicemail: 'first_and_last' },
      });
      const id = campaign.body.id as number;
      const from = encodeURIComponent('2026-11-23T08:00:00-06:00');
      const saved = await call(
        'rep',
        'GET',
        `/api/v1/campaigns/${id}/preview?zone=America/Chicago&from=${from}`,
      );
      expect(saved.status, saved.text).toBe(200);
      expect(saved.body.zone).toBe('America/Chicago');
      expect(saved.body.calls).toHaveLength(6);
      expect(saved.body.calls[0]).toMatchObject({
        attempt: 1,
        day: 'Mon 23 Nov',
        time: '09:00',
        voicemail: 'intro',
      });
      expect(saved.body.calls.filter((c: { voicemail: string | null }) => c.voicemail)).toHaveLength(2);
      expect(saved.body.endState).toBe('unreachable');

      const draft = encodeURIComponent(JSON.stringify({ attemptLimit: 3, voicemail: 'never' }));
      const edited = await call(
        'rep',
        'GET',
        `/api/v1/campaigns/${id}/preview?zone=Europe/London&from=${from}&policy=${draft}`,
      );
      expect(edited.body.calls).toHaveLength(3);
      expect(edited.body.calls.every((c: { voicemail: string | null }) => c.voicemail === null)).toBe(true);

      const invalid = encodeURIComponent(JSON.stringify({ attemptLimit: 0 }));
      const refused = problem(
        await call('rep', 'GET', `/api/v1/campaigns/${id}/preview?policy=${invalid}`),
        422,
      );
      expect(refused.errors?.[0]?.path).toBe('/policy/attemptLimit');
      const zone = problem(
        await call('rep', 'GET', `/api/v1/campaigns/${id}/preview?zone=Mars/Olympus`),
        422,
      );
      expect(zone.errors?.[0]?.path).toBe('/zone');
      problem(await call('rep', 'GET', '/api/v1/campaigns/999999/preview'), 404);
    });

    it('documents every new route in the OpenAPI document', async () => {
      const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
        paths: Record<string, object>;
      };
      for (const path of [
        '/api/v1/campaigns/{id}/preview',
        '/api/v1/calling-hours',
        '/api/v1/me/calling-hours',
        '/api/v1/greeting',
        '/api/v1/telephony',
        '/api/v1/users/{id}',
        '/api/v1/teams',
      ]) {
        expect(doc.paths[path], path).toBeDefined();
      }
    });
  });
}
