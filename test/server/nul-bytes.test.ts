/**
 * A NUL byte in any string the API takes is a 400 naming the field, on both databases (the
 * PostgreSQL text type cannot hold one; before, such requests were 500s there and stored as is
 * on SQLite). Bodies, query strings, path parameters and sign-in alike.
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

for (const { name, create } of DATABASES) {
  describe(`NUL bytes on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let admin: SignedIn;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store);
      app = await appOver(store);
      admin = await signIn(app, 'ada@ex.test', ADMIN_PASSWORD);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      app.inject({
        method,
        url,
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
        ...(payload ? { payload } : {}),
      });

    it('refuses a NUL byte in any string input with a 400 that names the field, and stores nothing', async () => {
      const contactId = world.contacts.get('0')!;
      const cases: [ReturnType<typeof send>, string][] = [
        [send('POST', '/api/v1/contacts', { lastName: 'Null\u0000Byte' }), '/lastName'],
        [send('PATCH', `/api/v1/contacts/${contactId}`, { notes: 'a\u0000b' }), '/notes'],
        [
          send('POST', '/api/v1/contacts', { lastName: 'Ok', numbers: [{ number: '212 555 0199\u0000' }] }),
          '/numbers/0/number',
        ],
        [send('POST', '/api/v1/campaigns', { name: 'Q\u00001' }), '/name'],
        [send('POST', '/api/v1/attempts', { contactId, outcome: 'no_answer', note: '\u0000' }), '/note'],
        [send('GET', `/api/v1/contacts?q=${encodeURIComponent('ac\u0000me')}`), '/q'],
        [
          app.inject({
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            payload: { email: 'ada@ex.test\u0000', password: ADMIN_PASSWORD },
          }),
          '/email',
        ],
      ];
      for (const [request, path] of cases) {
        const res = await request;
        const problem = expectProblem(res, 400);
        expect(problem.errors, res.body).toEqual([
          { path, message: 'must not contain a NUL byte (\\u0000)' },
        ]);
      }
      const stored = await store.db
        .selectFrom('contacts')
        .select('last_name')
        .where('last_name', 'in', ['Ok', 'Null'])
        .execute();
      expect(stored).toEqual([]);
      const notes = await store.db
        .selectFrom('contacts')
        .select('notes')
        .where('id', '=', contactId)
        .executeTakeFirst();
      expect(notes?.notes).not.toContain('\u0000');
    });

    it('still takes every other character, accents and emoji included', async () => {
      const res = await send('POST', '/api/v1/contacts', { lastName: 'Zoë 🙂 \u0001' });
      expect(res.statusCode, res.body).toBe(201);
    });
  });
}
