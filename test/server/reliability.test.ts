/**
 * The server under real HTTP on both databases: 200 concurrent clients logging outcomes for a
 * bounded time (with retries of the same Idempotency-Key mixed in) get no error and leave
 * exactly one attempt per request; bad requests get clear problem documents; session cookies
 * carry their flags; secrets stay out of the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/server/build-app.js';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, memoryLog, REP_PASSWORD, seedWorld, tokenFor, type World } from './support.js';

const CLIENTS = 200;
const RUN_MS = 3000;
const OUTCOMES = ['no_answer', 'busy', 'connected', 'voicemail_skipped'] as const;

for (const { name, create } of DATABASES) {
  describe(`reliability over HTTP on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let world: World;
    let url: string;
    let token: string;
    let close: () => Promise<void>;
    const log = memoryLog();

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, CLIENTS);
      token = await tokenFor(store, world.rep);
      const app = await appOver(store, { logger: { level: 'info', stream: log.stream } });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      close = async () => {
        await app.close();
        await store.close();
        await database.drop();
      };
    });
    afterAll(async () => close());

    it(`serves ${CLIENTS} concurrent clients logging outcomes for ${RUN_MS} ms with no error and one attempt per request`, async () => {
      const contactIds = [...world.contacts.values()];
      const before = Number(
        (
          await store.db
            .selectFrom('attempts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const deadline = Date.now() + RUN_MS;
      const failures: string[] = [];
      const attemptIds = new Set<number>();
      let requests = 0;
      let retries = 0;
      const post = (contactId: number, outcome: string, key: string) =>
        fetch(`${url}/api/v1/attempts`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify({ contactId, outcome }),
        });
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          const contactId = contactIds[client % contactIds.length]!;
          for (let n = 0; Date.now() < deadline; n++) {
            const key = `client-${client}-${n}`;
            const outcome = OUTCOMES[(client + n) % OUTCOMES.length]!;
            const res = await post(contactId, outcome, key);
            requests++;
            const body = await res.text();
            if (res.status !== 201) {
              failures.push(`${res.status} ${body.slice(0, 200)}`);
              continue;
            }
            const { attemptId } = JSON.parse(body) as { attemptId: number };
            attemptIds.add(attemptId);
            // Every third request is retried, as a client that lost the response would.
            if (n % 3 === 0) {
              const again = await post(contactId, outcome, key);
              retries++;
              const replay = (await again.json()) as { attemptId: number };
              if (again.status !== 201 || replay.attemptId !== attemptId) {
                failures.push(`retry of ${key}: ${again.status} attempt ${replay.attemptId} != ${attemptId}`);
              }
            }
          }
        }),
      );
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThanOrEqual(CLIENTS);
      expect(retries).toBeGreaterThan(0);
      expect(attemptIds.size).toBe(requests);
      const after = Number(
        (
          await store.db
            .selectFrom('attempts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(after - before).toBe(requests);
    });

    it('answers malformed JSON, an oversized body, a wrong content type and unknown fields with clear problems', async () => {
      const send = async (body: string | Uint8Array, contentType: string) => {
        const res = await fetch(`${url}/api/v1/attempts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
          body,
        });
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        return {
          status: res.status,
          body: (await res.json()) as { type: string; detail: string; errors?: unknown[] },
        };
      };
      const malformed = await send('{"contactId": 1, "outcome": ', 'application/json');
      expect([malformed.status, malformed.body.type]).toEqual([400, '/problems/malformed_json']);
      const huge = await send(JSON.stringify({ note: 'x'.repeat(BODY_LIMIT + 10) }), 'application/json');
      expect([huge.status, huge.body.type]).toEqual([413, '/problems/payload_too_large']);
      const text = await send('contactId=1&outcome=busy', 'application/x-www-form-urlencoded');
      expect([text.status, text.body.type]).toEqual([415, '/problems/unsupported_media_type']);
      const unknown = await send(
        JSON.stringify({ contactId: 1, outcome: 'busy', mood: 'great' }),
        'application/json',
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ path: '/mood', message: 'unknown field' }]);
      const wrong = await send(JSON.stringify({ contactId: 'one', outcome: 'maybe' }), 'application/json');
      expect(wrong.status).toBe(400);
      expect((wrong.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
        '/contactId',
        '/outcome',
      ]);
    });

    it('sets an HttpOnly, SameSite session cookie over HTTP and never logs passwords, cookies or tokens', async () => {
      const res = await fetch(`${url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'rex@ex.test', password: REP_PASSWORD }),
      });
      expect(res.status).toBe(200);
      const setCookie = res.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^rb_session=[\w-]{40,};/);
      expect(setCookie).toMatch(/; HttpOnly/i);
      expect(setCookie).toMatch(/; SameSite=Lax/i);
      expect(setCookie).toMatch(/; Path=\//i);
      const cookie = setCookie.split(';')[0]!;
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const me = await fetch(`${url}/api/v1/me`, { headers: { cookie } });
      expect(me.status).toBe(200);
      await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      const text = log.text();
      expect(text).toContain('/api/v1/me');
      for (const secret of [REP_PASSWORD, cookie.split('=')[1]!, csrfToken, token]) {
        expect(text.includes(secret), 'a secret reached the log').toBe(false);
      }
    });
  });
}
