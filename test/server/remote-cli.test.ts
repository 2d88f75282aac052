/**
 * The remote CLI against a real server on both databases: `ringback --server URL --token T`
 * prints what the local command prints for the same data (queue, contacts, export, import
 * dry runs), logs through the API, and fails the way the local command fails.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/commands/serve.js';
import type { Store } from '../../src/store/db.js';
import { runCli } from '../support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { seedWorld, tokenFor, type World } from './support.js';

const AT = '2026-11-23T15:00:00Z';

for (const { name, create } of DATABASES) {
  describe(`remote CLI on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let server: RunningServer;
    let world: World;
    let remote: string[];
    let adminToken: string;
    let dir: string;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 8);
      const token = await tokenFor(store, world.rep);
      adminToken = await tokenFor(store, world.admin);
      server = await startServer(
        {
          port: 0,
          host: '127.0.0.1',
          logLevel: 'silent',
          databaseUrl: database.config.databaseUrl,
          print: () => {},
        },
        store,
      );
      remote = ['--server', server.url, '--token', token];
      dir = mkdtempSync(join(tmpdir(), 'ringback-remote-'));
    });
    afterAll(async () => {
      await server.close();
      await database.drop();
    });

    const local = (args: string[]) => runCli(args, database.env);
    // The remote side gets no database at all: whatever it prints came through the API.
    const viaServer = (args: string[]) =>
      runCli([...remote, ...args], { RINGBACK_DB: join(dir, 'must-not-exist.db'), DATABASE_URL: '' });

    it('prints the same queue, contacts and export as the local commands', async () => {
      for (const args of [
        ['queue', '--no-lease', '--at', AT, '--limit', '5'],
        ['queue', '--no-lease', '--at', AT, '--json'],
        ['contacts', 'acme'],
        ['contacts', '212 555 1003', '--json'],
        ['contacts', 'show', String(world.contacts.get('2'))],
        ['export', 'contacts'],
      ]) {
        const mine = await local(args[0] === 'queue' ? [...args, '--user', 'rex@ex.test'] : args);
        // Exports cover the whole workspace: an admin's.
        const theirs = await viaServer(args[0] === 'export' ? ['--token', adminToken, ...args] : args);
        expect(theirs.stderr, args.join(' ')).toBe('');
        expect(theirs.code, args.join(' ')).toBe(0);
        expect(theirs.stdout, args.join(' ')).toBe(mine.stdout);
        expect(theirs.stdout.length).toBeGreaterThan(20);
      }
    });

    it('gives the same import summary as the local command for the same file', async () => {
      const file = join(dir, 'more.csv');
      writeFileSync(file, 'First Name,Last Name,Phone\nNew,Person,415-555-0177\nBad,Row,12\n');
      const mine = await local(['import', 'contacts', file, '--dry-run', '--json']);
      const theirs = await viaServer(['import', 'contacts', file, '--dry-run', '--json']);
      expect(JSON.parse(theirs.stdout)).toEqual(JSON.parse(mine.stdout));
      const done = await viaServer(['import', 'contacts', file, '--campaign', 'Q4']);
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(/read 2 rows — 1 created, 0 updated, 0 unchanged, 1 rejected/);
      expect(done.stdout).toMatch(/row 3, /);
    });

    it('logs, snoozes and marks do-not-call through the API, and fails as the local command does', async () => {
      const contactId = world.contacts.get('4')!;
      const logged = await viaServer(['log', String(contactId), 'voicemail_left', '--at', AT]);
      expect(logged.code).toBe(0);
      expect(logged.stdout).toMatch(
        new RegExp(`^logged voicemail_left for contact ${contactId} \\(Q4\\), attempt \\d+\\nnext: active`),
      );
      const rows = await store.db
        .selectFrom('attempts')
        .select('user_id')
        .where('contact_id', '=', contactId)
        .execute();
      expect(rows).toEqual([{ user_id: world.rep.id }]);

      const snoozed = await viaServer(['snooze', String(world.contacts.get('5')), '--until', 'in two weeks']);
      expect(snoozed.stdout).toMatch(/^contact \d+ snoozed until \S+ \(1 enrollments\)\n$/);
      const dnc = await viaServer(['dnc', '(212) 555-1006']);
      expect(dnc.stdout).toBe('number +12125551006 is now on the do-not-call list\n');
      expect((await local(['dnc', '(212) 555-1006'])).stdout).toBe(
        'number +12125551006 was already on the do-not-call list\n',
      );

      const [mine, theirs] = [
        await local(['log', '99999', 'busy']),
        await viaServer(['log', '99999', 'busy']),
      ];
      expect([theirs.code, mine.code]).toEqual([2, 2]);
      expect(theirs.stderr).toBe(mine.stderr);

      const badToken = await runCli(['--server', server.url, '--token', 'rbt_nope', 'contacts'], {});
      expect(badToken.code).toBe(1);
      expect(badToken.stderr).toMatch(/refused the token/);
      const noServer = await runCli(['--server', 'http://127.0.0.1:9', '--token', 'x', 'contacts'], {});
      expect(noServer.code).toBe(1);
      expect(noServer.stderr).toMatch(/cannot reach/);
      const notRemote = await viaServer(['demo']);
      expect(notRemote.code).toBe(2);
    });
  });
}
