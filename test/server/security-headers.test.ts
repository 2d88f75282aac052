/**
 * Security headers on every response, on both databases: a Content-Security-Policy without
 * inline script that forbids framing, nosniff, a Referrer-Policy, and HSTS only when the
 * server's public URL is https.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, REP_PASSWORD, type SignedIn, seedWorld, signIn } from './support.js';

/** The CSP's directives by name. */
function directives(header: unknown): Map<string, string[]> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

for (const { name, create } of DATABASES) {
  describe(`security headers on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let https: FastifyInstance;
    let rep: SignedIn;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      await seedWorld(store);
      app = await appOver(store);
      https = await appOver(store, { publicUrl: 'https://ringback.example.com' });
      rep = await signIn(app, 'rex@ex.test', REP_PASSWORD);
    });
    afterAll(async () => {
      await app.close();
      await https.close();
      await store.close();
      await database.drop();
    });

    it('sends a CSP without inline script that no page can be framed under, nosniff and a Referrer-Policy on pages, the API and the API reference', async () => {
      const requests = [
        { url: '/' },
        { url: '/today', headers: { cookie: rep.cookie } },
        { url: '/api/v1/me', headers: { cookie: rep.cookie } },
        { url: '/api/v1/me' },
        { url: '/api/docs/' },
        { url: '/api/openapi.json' },
      ];
      for (const request of requests) {
        const res = await app.inject({ method: 'GET', ...request });
        const csp = directives(res.headers['content-security-policy']);
        expect(csp.get('script-src'), request.url).toEqual(["'self'"]);
        expect(csp.get('script-src-attr'), request.url).toEqual(["'none'"]);
        expect(csp.get('default-src'), request.url).toEqual(["'self'"]);
        expect(csp.get('object-src'), request.url).toEqual(["'none'"]);
        expect(csp.get('frame-ancestors'), request.url).toEqual(["'none'"]);
        expect(res.headers['x-frame-options'], request.url).toBe('DENY');
        expect(res.headers['x-content-type-options'], request.url).toBe('nosniff');
        expect(res.headers['referrer-policy'], request.url).toBe('same-origin');
        // Over plain http, HSTS would lock browsers out of a server that has no https.
        expect(res.headers['strict-transport-security'], request.url).toBeUndefined();
        expect(csp.has('upgrade-insecure-requests'), request.url).toBe(false);
      }
    });

    it('sends HSTS and upgrades insecure requests when the public URL is https', async () => {
      const res = await https.inject({ method: 'GET', url: '/' });
      expect(res.headers['strict-transport-security']).toBe('max-age=15552000');
      expect(directives(res.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(true);
      expect(directives(res.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
    });
  });
}
