/**
 * Dates far in the future (year 9999, "in 10000 years") on every route that takes one, on both
 * databases: a clear refusal naming the field, never a 500, and nothing stored.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import {
  ADMIN_PASSWORD,
  appOver,
  expectProblem,
  type SignedIn,
  seedWorld,
  signIn,
  type World,
} from './support.js';

const FAR = '9999-12-31T00:00:00Z';
const RANGE = 'must be a time between 1970 and 2199';

for (const { name, create } of DATABASES) {
  describe(`far-future dates on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let admin: SignedIn;
    let campaignId: number;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store);
      app = await appOver(store);
      admin = await signIn(app, 'ada@ex.test', ADMIN_PASSWORD);
      campaignId = (await store.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()).id;
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const send = (method: 'GET' | 'POST', url: string, payload?: object) =>
      app.inject({
        method,
        url,
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
        ...(payload ? { payload } : {}),
      });
    const attempts = async () => (await store.db.selectFrom('attempts').select('id').execute()).length;

    it('refuses a year-9999 instant with a 400 naming the field on every route that takes one', async () => {
      const contactId = world.contacts.get('1')!;
      const cases: [Promise<Awaited<ReturnType<typeof send>>>, string, string][] = [
        [send('POST', '/api/v1/attempts', { contactId, outcome: 'no_answer', at: FAR }), '/at', RANGE],
        [send('GET', `/api/v1/queue?at=${FAR}`), '/at', RANGE],
        [send('POST', '/api/v1/queue', { at: FAR }), '/at', RANGE],
        [send('GET', `/api/v1/appointments?from=${FAR}`), '/from', RANGE],
        [send('GET', `/api/v1/campaigns/${campaignId}/preview?from=${FAR}`), '/from', RANGE],
        [send('GET', '/api/v1/stats?from=9999-01-01'), '/from', 'must be a date between 1970 and 2199'],
        [send('GET', '/api/v1/stats?to=9999-01-01'), '/to', 'must be a date between 1970 and 2199'],
      ];
      for (const [request, path, message] of cases) {
        const res = await request;
        expect(expectProblem(res, 400).errors, res.body).toEqual([{ path, message }]);
      }
      expect(await attempts()).toBe(0);
    });

    it('refuses a time in words thousands of years away, saying why, and stores nothing', async () => {
      const contactId = world.contacts.get('2')!;
      const said = 'in 10000 years';
      const why = `'${said}' is too far away: give a time between 1970 and 2199.`;
      const logged = await send('POST', '/api/v1/attempts', {
        contactId,
        outcome: 'callback_requested',
        when: said,
      });
      expect(expectProblem(logged, 422).detail).toBe(`--when: ${why}`);
      const snoozed = await send('POST', `/api/v1/contacts/${contactId}/snooze`, { until: said });
      expect(snoozed.statusCode, snoozed.body).toBeLessThan(500);
      expect(snoozed.statusCode).toBeGreaterThanOrEqual(400);
      expect(snoozed.json().detail).toContain(why);
      const read = await send('GET', `/api/v1/when?text=${encodeURIComponent(said)}`);
      expect(read.json()).toEqual({ ok: false, message: why });
      expect(await attempts()).toBe(0);
    });
  });
}
