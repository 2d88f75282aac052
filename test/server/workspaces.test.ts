/**
 * Two workspaces on one database, over real HTTP and through the local CLI: each user works in
 * their own workspace — queue, lease, log, snooze, do-not-call, import, export and contacts —
 * and sees and changes nothing of the other. The second workspace holds the same phone numbers
 * and a campaign of the same name as the first, so a lookup that ignored the workspace would
 * show up here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import type { User } from '../../src/store/schema.js';
import { runCli } from '../support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, MONDAY_10, multipartBody, seedWorld, tokenFor, type World } from './support.js';

const AT = new Date(MONDAY_10).toISOString();

async function seedSecondWorkspace(store: Store): Promise<{ admin: User; rep: User }> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Bravo', created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [admin, rep] = await store.db
    .insertInto('users')
    .values([
      { workspace_id: ws.id, email: 'bea@bravo.test', name: 'Bea', role: 'admin', created_at: 0 },
      { workspace_id: ws.id, email: 'bob@bravo.test', name: 'Bob', role: 'rep', created_at: 0 },
    ])
    .returningAll()
    .execute();
  return { admin: admin!, rep: rep! };
}

for (const { name, create } of DATABASES) {
  describe(`two workspaces on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let world: World;
    let bravo: { admin: User; rep: User };
    const tokens: Record<string, string> = {};
    /** Bravo's contact ids by last name, once imported. */
    const bravoContacts = new Map<string, number>();
    let dir: string;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 5);
      bravo = await seedSecondWorkspace(store);
      for (const user of [world.admin, world.rep, bravo.admin, bravo.rep]) {
        tokens[user.email] = await tokenFor(store, user);
      }
      app = await appOver(store);
      base = await app.listen({ port: 0, host: '127.0.0.1' });
      dir = mkdtempSync(join(tmpdir(), 'ringback-workspaces-'));
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const call = async (user: User, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[user.email]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) };
    };
    const alphaIds = () => new Set(world.contacts.values());
    const queueIds = async (user: User) => {
      const res = await call(user, 'GET', `/api/v1/queue?limit=100&at=${AT}`);
      expect(res.status, res.text).toBe(200);
      return (res.json().items as { contact: { id: number } }[]).map((i) => i.contact.id);
    };

    it('imports an upload into the uploader’s workspace, the same numbers and campaign name notwithstanding', async () => {
      const rows = ['First Name,Last Name,Company,Phone,Time Zone'];
      for (let i = 0; i < 4; i++) {
        rows.push(`Bravo,B${i},Beta ${i},212-555-${String(1000 + i).padStart(4, '0')},America/New_York`);
      }
      const upload = multipartBody(
        { campaign: 'Q4', owner: bravo.rep.email },
        { name: 'bravo.csv', content: `${rows.join('\n')}\n` },
      );
      const res = await fetch(`${base}/api/v1/imports`, {
        method: 'POST',
        headers: { ...upload.headers, authorization: `Bearer ${tokens[bravo.admin.email]}` },
        body: upload.payload,
      });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(JSON.parse(text)).toMatchObject({ read: 4, created: 4, rejected: 0 });
      const stored = await store.db
        .selectFrom('contacts')
        .select(['id', 'last_name', 'workspace_id', 'owner_id'])
        .where('last_name', 'like', 'B%')
        .execute();
      expect(stored).toHaveLength(4);
      for (const c of stored) {
        expect(c.workspace_id).toBe(bravo.admin.workspace_id);
        expect(c.owner_id).toBe(bravo.rep.id);
        bravoContacts.set(c.last_name, c.id);
      }
      const campaigns = await store.db.selectFrom('campaigns').select(['workspace_id', 'name']).execute();
      expect(
        campaigns
          .filter((c) => c.name === 'Q4')
          .map((c) => c.workspace_id)
          .sort(),
      ).toEqual([world.admin.workspace_id, bravo.admin.workspace_id].sort());
      // The first workspace's contacts are as they were.
      const alpha = await store.db
        .selectFrom('contacts')
        .select('id')
        .where('workspace_id', '=', world.admin.workspace_id)
        .execute();
      expect(alpha).toHaveLength(5);
    });

    it('gives each rep a queue of their own workspace only, looked at and leased', async () => {
      const bravoQueue = await queueIds(bravo.rep);
      expect(bravoQueue.sort()).toEqual([...bravoContacts.values()].sort());
      const alphaQueue = await queueIds(world.rep);
      expect(alphaQueue.length).toBeGreaterThan(0);
      for (const id of alphaQueue) expect(alphaIds().has(id)).toBe(true);

      const leased = await call(bravo.rep, 'POST', '/api/v1/queue', { limit: 2, at: AT });
      expect(leased.status, leased.text).toBe(200);
      const leasedIds = (leased.json().items as { contact: { id: number } }[]).map((i) => i.contact.id);
      expect(leasedIds).toHaveLength(2);
      for (const id of leasedIds) expect([...bravoContacts.values()]).toContain(id);
      const leases = await store.db
        .selectFrom('enrollments')
        .select(['workspace_id'])
        .where('lease_user_id', '=', bravo.rep.id)
        .execute();
      expect(leases.map((l) => l.workspace_id)).toEqual([bravo.rep.workspace_id, bravo.rep.workspace_id]);
    });

    it('logs attempts in the caller’s workspace and refuses the other workspace’s contacts', async () => {
      const mine = bravoContacts.get('B0')!;
      const logged = await call(bravo.rep, 'POST', '/api/v1/attempts', {
        contactId: mine,
        outcome: 'no_answer',
        at: AT,
      });
      expect(logged.status, logged.text).toBe(201);
      const attempt = await store.db
        .selectFrom('attempts')
        .select(['workspace_id', 'user_id'])
        .where('id', '=', logged.json().attemptId)
        .executeTakeFirstOrThrow();
      expect(attempt).toEqual({ workspace_id: bravo.rep.workspace_id, user_id: bravo.rep.id });

      const theirs = await call(bravo.rep, 'POST', '/api/v1/attempts', {
        contactId: world.contacts.get('0')!,
        outcome: 'no_answer',
        at: AT,
      });
      expect(theirs.status, theirs.text).toBe(404);
      const alphaAttempts = await store.db
        .selectFrom('attempts')
        .select('id')
        .where('workspace_id', '=', world.admin.workspace_id)
        .execute();
      expect(alphaAttempts).toEqual([]);
    });

    it('snoozes only the caller’s workspace’s contacts', async () => {
      const ok = await call(bravo.admin, 'POST', `/api/v1/contacts/${bravoContacts.get('B1')}/snooze`, {
        until: 'in two weeks',
      });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json().enrollments).toBe(1);
      const refused = await call(bravo.admin, 'POST', `/api/v1/contacts/${world.contacts.get('1')}/snooze`, {
        until: 'in two weeks',
      });
      expect(refused.status, refused.text).toBe(404);
      const alphaSnoozed = await store.db
        .selectFrom('enrollments')
        .select('id')
        .where('workspace_id', '=', world.admin.workspace_id)
        .where('state', '=', 'snoozed')
        .execute();
      expect(alphaSnoozed).toEqual([]);
    });

    it('puts a number on the caller’s workspace’s do-not-call list only', async () => {
      const res = await call(bravo.admin, 'POST', '/api/v1/dnc', { target: '(212) 555-1002' });
      expect(res.status, res.text).toBe(200);
      expect(res.json()).toEqual({ kind: 'number', target: '+12125551002', added: true });
      const listed = await store.db
        .selectFrom('dnc_entries')
        .select('workspace_id')
        .where('e164', '=', '+12125551002')
        .execute();
      expect(listed).toEqual([{ workspace_id: bravo.admin.workspace_id }]);
      expect(await queueIds(bravo.rep)).not.toContain(bravoContacts.get('B2'));
      expect(await queueIds(world.rep)).toContain(world.contacts.get('2'));
    });

    it('exports and searches the caller’s workspace only', async () => {
      const exported = await call(bravo.admin, 'GET', '/api/v1/exports/contacts?format=json');
      expect(exported.status, exported.text).toBe(200);
      expect((exported.json() as { lastName: string }[]).map((c) => c.lastName).sort()).toEqual([
        'B0',
        'B1',
        'B2',
        'B3',
      ]);
      const alphaExport = await call(world.admin, 'GET', '/api/v1/exports/contacts?format=json');
      expect((alphaExport.json() as { lastName: string }[]).map((c) => c.lastName).sort()).toEqual([
        '0',
        '1',
        '2',
        '3',
        '4',
      ]);
      const attempts = await call(bravo.admin, 'GET', '/api/v1/exports/attempts?format=json');
      expect((attempts.json() as { contactId: number }[]).map((a) => a.contactId)).toEqual([
        bravoContacts.get('B0'),
      ]);

      const found = await call(bravo.admin, 'GET', '/api/v1/contacts?q=212-555-1001');
      expect(found.status, found.text).toBe(200);
      expect((found.json().contacts as { id: number }[]).map((c) => c.id)).toEqual([bravoContacts.get('B1')]);
      const shown = await call(bravo.admin, 'GET', `/api/v1/contacts/${world.contacts.get('1')}`);
      expect(shown.status).toBe(404);
    });

    it('runs the local commands in the workspace of --user (or --owner for an import)', async () => {
      const env = database.env;
      const queue = await runCli(
        ['queue', '--no-lease', '--user', bravo.rep.email, '--at', AT, '--json'],
        env,
      );
      expect(queue.stderr).toBe('');
      const queued = (JSON.parse(queue.stdout) as { contact: { id: number } }[]).map((i) => i.contact.id);
      expect(queued.length).toBeGreaterThan(0);
      for (const id of queued) expect([...bravoContacts.values()]).toContain(id);

      const contacts = await runCli(['contacts', '212 555 1003', '--user', bravo.admin.email, '--json'], env);
      expect(contacts.stderr).toBe('');
      expect((JSON.parse(contacts.stdout) as { id: number }[]).map((c) => c.id)).toEqual([
        bravoContacts.get('B3'),
      ]);

      const file = join(dir, 'more.csv');
      writeFileSync(file, 'First Name,Last Name,Phone\nBravo,B9,415-555-0199\n');
      const imported = await runCli(['import', 'contacts', file, '--owner', bravo.rep.email, '--json'], env);
      expect(imported.stderr).toBe('');
      expect(JSON.parse(imported.stdout)).toMatchObject({ created: 1 });
      const b9 = await store.db
        .selectFrom('contacts')
        .select(['id', 'workspace_id'])
        .where('last_name', '=', 'B9')
        .executeTakeFirstOrThrow();
      expect(b9.workspace_id).toBe(bravo.rep.workspace_id);

      const logged = await runCli(
        ['log', String(bravoContacts.get('B3')), 'busy', '--user', bravo.rep.email, '--at', AT, '--json'],
        env,
      );
      expect(logged.stderr).toBe('');
      expect(JSON.parse(logged.stdout)).toMatchObject({
        contactId: bravoContacts.get('B3'),
        outcome: 'busy',
      });
      const refused = await runCli(
        ['log', String(world.contacts.get('3')), 'busy', '--user', bravo.rep.email, '--at', AT],
        env,
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`there is no contact ${world.contacts.get('3')}`);

      const exported = await runCli(
        ['export', 'contacts', '--format', 'json', '--user', bravo.rep.email],
        env,
      );
      expect(exported.stderr).toBe('');
      expect((JSON.parse(exported.stdout) as { lastName: string }[]).map((c) => c.lastName).sort()).toEqual([
        'B0',
        'B1',
        'B2',
        'B3',
        'B9',
      ]);
      // Naming nobody: the first workspace, as before.
      const plain = await runCli(['export', 'contacts', '--format', 'json'], env);
      expect((JSON.parse(plain.stdout) as { lastName: string }[]).map((c) => c.lastName).sort()).toEqual([
        '0',
        '1',
        '2',
        '3',
        '4',
      ]);
    });
  });
}
