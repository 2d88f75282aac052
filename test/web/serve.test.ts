/**
 * `ringback serve` serves the web app: index.html for every page path (so /block and
 * /contacts/7 survive a reload), hashed assets cached for a year, API paths still 404 as
 * problems, a page that says how to build when the app is not built; and the "when" preview
 * reads a time exactly as logging an attempt does.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import {
  appOver,
  expectProblem,
  REP_PASSWORD,
  type SignedIn,
  seedWorld,
  signIn,
  type World,
} from '../server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';

function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'ringback-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><div id="root"></div><script src="/assets/app-abc123.js"></script>',
  );
  writeFileSync(join(root, 'assets', 'app-abc123.js'), 'console.log("app")');
  return root;
}

for (const { name, create } of DATABASES) {
  describe(`web app served on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let rep: SignedIn;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store);
      app = await appOver(store, { webRoot: fakeBuild() });
      rep = await signIn(app, 'rex@ex.test', REP_PASSWORD);
    });

    afterAll(async () => {
      await app?.close();
      await store?.close();
      await database?.drop();
    });

    it('answers every page path with index.html, never cached', async () => {
      for (const url of ['/', '/block', '/contacts/7', '/campaigns/Q4?tab=scripts']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(res.body).toContain('<div id="root">');
      }
    });

    it('serves hashed assets with a year-long immutable cache', async () => {
      const res = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('console.log("app")');
      expect(res.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    });

    it('keeps a wrong API or asset path a 404 problem, not the app page', async () => {
      expectProblem(await app.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404);
      expectProblem(await app.inject({ method: 'GET', url: '/api' }), 404);
      expectProblem(await app.inject({ method: 'GET', url: '/assets/missing.js' }), 404);
    });

    it('says how to build the app when it is not built', async () => {
      const bare = await appOver(store, { webRoot: mkdtempSync(join(tmpdir(), 'ringback-web-empty-')) });
      try {
        const res = await bare.inject({ method: 'GET', url: '/block' });
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('npm run build');
      } finally {
        await bare.close();
      }
    });

    it('previews "tomorrow 3pm" in the user\'s zone and the contact\'s', async () => {
      const contactId = world.contacts.get('0')!;
      await store.db
        .updateTable('users')
        .set({ time_zone: 'America/New_York' })
        .where('id', '=', world.rep.id)
        .execute();
      await store.db
        .updateTable('contacts')
        .set({ time_zone: 'America/Los_Angeles' })
        .where('id', '=', contactId)
        .execute();
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/when?text=${encodeURIComponent('tomorrow 3pm')}&contactId=${contactId}`,
        headers: { cookie: rep.cookie },
      });
      expect(res.statusCode).toBe(200);
      // Monday 23 Nov 2026 10:00 in New York: tomorrow 3pm is Tuesday 15:00 there, 12:00 in Los Angeles.
      expect(res.json()).toMatchObject({
        ok: true,
        at: '2026-11-24T20:00:00.000Z',
        yours: { zone: 'America/New_York', text: 'Tuesday 24 Nov 15:00' },
        theirs: { zone: 'America/Los_Angeles', text: 'Tuesday 24 Nov 12:00' },
      });
    });

    it('answers a phrase it cannot read with why, and refuses without a session', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/when?text=whenever%20suits',
        headers: { cookie: rep.cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().ok).toBe(false);
      expect(res.json().message).toMatch(/\w/);
      expectProblem(await app.inject({ method: 'GET', url: '/api/v1/when?text=tomorrow' }), 401);
    });
  });
}
