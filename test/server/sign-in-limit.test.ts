/**
 * The sign-in limit under attack, on both databases: attempts are counted before the password
 * is checked and in the database, so parallel requests and several server processes share one
 * count; one address cannot spray passwords over many accounts; and a refusal takes as long
 * for an unknown email as for a wrong password.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/app/passwords.js';
import { parseTrustProxy } from '../../src/cli/commands/serve.js';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { ADMIN_PASSWORD, appOver, REP_PASSWORD, seedWorld, type World } from './support.js';

for (const { name, create } of DATABASES) {
  describe(`sign-in limit on ${name}`, () => {
    let database: TestDatabase;
    const stores: Store[] = [];
    const apps: FastifyInstance[] = [];
    let world: World;

    beforeAll(async () => {
      database = await create();
      const store = await openTestStore(database);
      stores.push(store);
      world = await seedWorld(store);
      const others = [];
      for (let i = 0; i < 6; i++) {
        others.push({
          workspace_id: world.admin.workspace_id,
          email: `user${i}@ex.test`,
          name: `User ${i}`,
          role: 'rep' as const,
          password_hash: await hashPassword(`password-${i}`),
          created_at: 0,
        });
      }
      await store.db.insertInto('users').values(others).execute();
    });
    afterAll(async () => {
      for (const a of apps) await a.close();
      for (const s of stores) await s.close();
      await database.drop();
    });

    /** Another server process's view: its own store handle on the same database. */
    const server = async (limits: { max?: number; perAddressMax?: number } = {}, trustProxy?: string) => {
      const store = await openTestStore(database);
      stores.push(store);
      const app = await appOver(store, {
        signInLimits: limits,
        ...(trustProxy ? { trustProxy: parseTrustProxy(trustProxy) } : {}),
      });
      apps.push(app);
      return app;
    };
    const attempt = (app: FastifyInstance, email: string, password: string, remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        remoteAddress,
        payload: { email, password },
      });

    it('checks at most the limit of passwords when many wrong ones arrive at once on two servers, then refuses the right one too', async () => {
      const [one, two] = [await server(), await server()];
      const tries = Array.from({ length: 60 }, (_, i) =>
        attempt(i % 2 ? one : two, 'ada@ex.test', `guess-${i}`, '10.1.1.1'),
      );
      const statuses = (await Promise.all(tries)).map((r) => r.statusCode);
      // A 401 is a password checked and found wrong; a 429 was refused before any check.
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(50);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      expect((await attempt(one, 'ada@ex.test', ADMIN_PASSWORD, '10.1.1.1')).statusCode).toBe(429);
      expect((await attempt(two, 'ada@ex.test', ADMIN_PASSWORD, '10.1.1.1')).statusCode).toBe(429);
      expect((await attempt(one, 'ada@ex.test', ADMIN_PASSWORD, '10.1.1.2')).statusCode).toBe(200);
    });

    it('limits one address spraying a password across many accounts', async () => {
      const app = await server({ perAddressMax: 5 });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await attempt(app, `user${i}@ex.test`, 'Winter2026!', '10.2.2.2')).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      // Even the right password of a fresh account waits; another address does not.
      expect((await attempt(app, 'rex@ex.test', REP_PASSWORD, '10.2.2.2')).statusCode).toBe(429);
      expect((await attempt(app, 'rex@ex.test', REP_PASSWORD, '10.2.2.3')).statusCode).toBe(200);
    });

    it('does not count successful sign-ins against their address', async () => {
      const app = await server({ perAddressMax: 3 });
      for (let i = 0; i < 6; i++) {
        expect((await attempt(app, `user${i}@ex.test`, `password-${i}`, '10.3.3.3')).statusCode).toBe(200);
      }
    });

    for (const trust of ['1', '10.0.0.9', '10.0.0.0/24']) {
      it(`keeps counting a client who forges X-Forwarded-For behind --trust-proxy ${trust}`, async () => {
        const app = await server({}, trust);
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) {
          const res = await app.inject({
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            remoteAddress: '10.0.0.9',
            // The client sent its own header; the proxy appended the address it saw.
            headers: { 'x-forwarded-for': `192.0.2.${i}, 198.51.100.${trust.length}` },
            payload: { email: 'ada@ex.test', password: `guess-${i}` },
          });
          statuses.push(res.statusCode);
        }
        expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
        expect(statuses.slice(10)).toEqual([429, 429]);
        // A request that did not come through a trusted proxy is counted by its own address.
        const direct = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          remoteAddress: '203.0.113.50',
          headers: { 'x-forwarded-for': `198.51.100.${trust.length}` },
          payload: { email: 'ada@ex.test', password: ADMIN_PASSWORD },
        });
        expect(direct.statusCode).toBe(trust === '1' ? 429 : 200);
      });
    }

    it('takes as long to refuse an unknown email as a wrong password', async () => {
      const app = await server({ max: 1000, perAddressMax: 1000 });
      const time = async (email: string, i: number) => {
        const started = performance.now();
        const res = await attempt(app, email, 'not-the-password', `10.4.4.${i}`);
        expect(res.statusCode).toBe(401);
        return performance.now() - started;
      };
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 7; i++) {
        unknown.push(await time(`nobody${i}@ex.test`, i));
        known.push(await time('rex@ex.test', i));
      }
      // Both verify one argon2 hash; without the dummy hash an unknown email answers many times faster.
      expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    });
  });
}

describe('--trust-proxy', () => {
  it('takes a number of hops (bare: one) or a list of proxy addresses, and says what is wrong with anything else', () => {
    expect(parseTrustProxy(true)).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.5, 10.1.0.0/16,::1')).toEqual(['10.0.0.5', '10.1.0.0/16', '::1']);
    expect(() => parseTrustProxy('0')).toThrow(/hops from 1 to 10/);
    expect(() => parseTrustProxy('proxy.local')).toThrow(
      /"proxy.local" is neither a number of hops nor a proxy address/,
    );
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/"10.0.0.0\/33"/);
  });
});
