/**
 * Blocks, the callback list and the screening lookup over HTTP on both databases: starting a
 * block leases its first calls, the lookup switches to "only the expected", circling lets a
 * contact through, and stopping returns who was sent to voicemail.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logAttempt } from '../src/app/log-attempt.js';
import { buildApp } from '../src/server/build-app.js';
import type { Store } from '../src/store/db.js';
import {
  MINUTE,
  PAT_DIRECT,
  REX_PASSWORD,
  SAM_MOBILE,
  type ScreeningWorld,
  screeningWorld,
  TUESDAY_11,
  UNKNOWN,
  WEDNESDAY_10,
} from './screening-support.js';
import { expectProblem, signIn } from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

for (const { name, create } of DATABASES) {
  describe(`blocks over HTTP on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let w: ScreeningWorld;
    let now = WEDNESDAY_10;
    let headers: Record<string, string>;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      await logAttempt(store, { user: w.rex, contactId: w.dana, outcome: 'voicemail_left', at: TUESDAY_11 });
      app = await buildApp({ store, now: () => now });
      const session = await signIn(app, 'rex@ex.test', REX_PASSWORD);
      headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const screen = async (number: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/screen', payload: { number }, headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    it('needs a signed-in user for every route', async () => {
      for (const [method, url] of [
        ['POST', '/api/v1/screen'],
        ['GET', '/api/v1/callbacks'],
        ['POST', '/api/v1/blocks'],
        ['POST', '/api/v1/blocks/current/stop'],
      ] as const) {
        expectProblem(await app.inject({ method, url }), 401);
      }
    });

    it('starts a block, leasing its first calls, and screens only the expected through', async () => {
      expect((await screen(SAM_MOBILE)).action).toBe('ring');
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/blocks',
        headers,
        payload: { minutes: 60, calls: 2 },
      });
      expect(res.statusCode, res.body).toBe(201);
      const started = res.json();
      expect(started.block).toMatchObject({
        plannedEndAt: new Date(WEDNESDAY_10 + 60 * MINUTE).toISOString(),
      });
      expect(started.calls).toHaveLength(2);
      const leased = await store.db
        .selectFrom('enrollments')
        .select(['lease_user_id', 'lease_expires_at'])
        .where('lease_user_id', '=', w.rex.id)
        .execute();
      expect(leased).toHaveLength(2);
      expect(leased.every((l) => l.lease_expires_at === WEDNESDAY_10 + 60 * MINUTE)).toBe(true);
      expectProblem(
        await app.inject({ method: 'POST', url: '/api/v1/blocks', headers, payload: { minutes: 5 } }),
        409,
      );
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/blocks/current', headers })).json().block.id,
      ).toBe(started.block.id);

      now += MINUTE;
      const sam = await screen(SAM_MOBILE);
      expect(sam).toMatchObject({ action: 'voicemail', contact: { id: w.sam }, callbackFor: null });
      expect(await screen('+1 415 555 0101')).toMatchObject({
        action: 'ring',
        callbackFor: { reason: 'voicemail_left' },
      });
      expect((await screen(UNKNOWN)).action).toBe('voicemail');

      const list = await app.inject({ method: 'GET', url: '/api/v1/callbacks', headers });
      expect(list.json().callbacks.map((c: { contact: { id: number } }) => c.contact.id)).toEqual([w.dana]);
      const circled = await app.inject({
        method: 'POST',
        url: '/api/v1/callbacks',
        headers,
        payload: { contactId: w.pat, until: 'tomorrow 5pm' },
      });
      expect(circled.statusCode, circled.body).toBe(201);
      expect(circled.json()).toMatchObject({ reason: 'manual', contact: { id: w.pat, name: 'Pat Poe' } });
      expect((await screen(PAT_DIRECT)).action).toBe('ring');
      expectProblem(
        await app.inject({
          method: 'POST',
          url: '/api/v1/callbacks',
          headers,
          payload: { contactId: 999999 },
        }),
        404,
      );
      // A colleague's contact is not Rex's to circle, nor are its voicemails his to read.
      const ann = await store.db
        .insertInto('users')
        .values({ workspace_id: 1, email: 'ann@ex.test', role: 'rep', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const hers = await store.db
        .insertInto('contacts')
        .values({ workspace_id: 1, last_name: 'Hers', owner_id: ann.id, created_at: 0, updated_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      expectProblem(
        await app.inject({
          method: 'POST',
          url: '/api/v1/callbacks',
          headers,
          payload: { contactId: hers.id },
        }),
        404,
      );
      expectProblem(
        await app.inject({ method: 'GET', url: `/api/v1/contacts/${hers.id}/voicemails`, headers }),
        404,
      );

      now += 10 * MINUTE;
      const stop = await app.inject({ method: 'POST', url: '/api/v1/blocks/current/stop', headers });
      expect(stop.statusCode, stop.body).toBe(200);
      expect(
        stop
          .json()
          .sentToVoicemail.map((v: { caller: string; contact: { name: string } | null }) => [
            v.caller,
            v.contact?.name ?? null,
          ]),
      ).toEqual([
        [SAM_MOBILE, 'Sam Roe'],
        [UNKNOWN, null],
      ]);
      expect(stop.json().rangThrough).toBe(2);
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/blocks/current', headers })).json().block,
      ).toBeNull();
      expectProblem(await app.inject({ method: 'POST', url: '/api/v1/blocks/current/stop', headers }), 422);
    });

    it('screens only by POST, with the CSRF token, and names no contact outside the caller’s scope', async () => {
      const decisions = async () =>
        (await store.db.selectFrom('screening_decisions').select('id').execute()).length;
      const before = await decisions();
      // A GET must not write: the lookup is no longer one.
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/screen', query: { number: SAM_MOBILE }, headers }))
          .statusCode,
      ).toBe(404);
      // Another site can make a signed-in browser post, but not with the CSRF token.
      expectProblem(
        await app.inject({
          method: 'POST',
          url: '/api/v1/screen',
          payload: { number: SAM_MOBILE },
          headers: { cookie: headers.cookie! },
        }),
        403,
      );
      expect(await decisions()).toBe(before);

      const ann = await store.db
        .insertInto('users')
        .values({ workspace_id: 1, email: 'ann2@ex.test', role: 'rep', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const theirs = await store.db
        .insertInto('contacts')
        .values({
          workspace_id: 1,
          first_name: 'Quinn',
          last_name: 'Private',
          owner_id: ann.id,
          created_at: 0,
          updated_at: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const number = await store.db
        .insertInto('numbers')
        .values({ workspace_id: 1, e164: '+16465550123', country: 'US', valid: 1, created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      await store.db
        .insertInto('contact_numbers')
        .values({
          contact_id: theirs.id,
          number_id: number.id,
          kind: 'direct',
          source: 'manual',
          created_at: 0,
        })
        .execute();
      const asked = await screen('+1 646 555 0123');
      expect(asked.contact).toBeNull();
      expect(JSON.stringify(asked)).not.toMatch(/Quinn|Private/);
      const stored = await store.db
        .selectFrom('screening_decisions')
        .select(['contact_id', 'reason'])
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(stored.contact_id).toBeNull();
      // His own contact he still sees by name.
      expect((await screen(SAM_MOBILE)).contact).toMatchObject({ id: w.sam, name: 'Sam Roe' });
    });

    it.each([
      ['still open', false],
      ['already stopped', true],
    ])(
      'answers 409 naming a block recorded for a later time (%s), and stopping cancels it so one starts now',
      async (_, stopItThen) => {
        const today = now;
        const post = (url: string, payload?: object) =>
          app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
        // A replay with --at, three days ahead.
        now = today + 3 * 24 * 60 * MINUTE;
        const later = await post('/api/v1/blocks', { minutes: 30, calls: 0 });
        expect(later.statusCode, later.body).toBe(201);
        if (stopItThen) {
          now += 10 * MINUTE;
          expect((await post('/api/v1/blocks/current/stop')).statusCode).toBe(200);
        }
        now = today + MINUTE;
        const refused = expectProblem(await post('/api/v1/blocks', { minutes: 30, calls: 0 }), 409);
        expect((refused.block as { id: number }).id).toBe(later.json().block.id);
        expect(refused.detail).toMatch(/^your call block of .+ starts later than this one; stop it first/);

        const cancelled = await post('/api/v1/blocks/current/stop');
        expect(cancelled.statusCode, cancelled.body).toBe(200);
        expect(cancelled.json().block.endedAt).toBe(cancelled.json().block.startedAt);
        expect(
          await store.db
            .selectFrom('call_blocks')
            .select('id')
            .where('id', '=', later.json().block.id)
            .execute(),
        ).toEqual([]);

        const started = await post('/api/v1/blocks', { minutes: 30, calls: 0 });
        expect(started.statusCode, started.body).toBe(201);
        expect(
          (await app.inject({ method: 'GET', url: '/api/v1/blocks/current', headers })).json().block.id,
        ).toBe(started.json().block.id);
        now += 5 * MINUTE;
        expect((await post('/api/v1/blocks/current/stop')).statusCode).toBe(200);
        now += 60 * MINUTE;
      },
    );
  });
}
