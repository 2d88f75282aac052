/**
 * The remote CLI against a real server on both databases: `ringback --server URL --token T`
 * prints what the local command prints for the same data (queue, contacts, export, import
 * dry runs, callbacks, screening, users, workspace), logs, starts and stops blocks and adds
 * users through the API, fails the way the local command fails, and says why the commands
 * without an API equivalent do not run remotely.
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
    /** Runs a command locally and through the server, and expects the same output; gives the remote run. */
    const expectSameOutput = async (args: readonly string[], remoteArgs: readonly string[]) => {
      const mine = await local([...args]);
      const theirs = await viaServer([...remoteArgs]);
      expect(theirs.stderr, remoteArgs.join(' ')).toBe('');
      expect(theirs.code, remoteArgs.join(' ')).toBe(0);
      expect(theirs.stdout, remoteArgs.join(' ')).toBe(mine.stdout);
      return theirs;
    };

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

    it('mints tokens with a scope and an expiry, locally and through the server, never wider than the minting token', async () => {
      const expires = new Date(Date.now() + 30 * 24 * 60 * 60_000).toISOString();
      const made = await local([
        'tokens',
        'create',
        'dashboard',
        '--user',
        'rex@ex.test',
        '--scope',
        'read-only',
        '--expires',
        expires,
        '--json',
      ]);
      expect(made.stderr).toBe('');
      const readOnly = JSON.parse(made.stdout);
      expect(readOnly).toMatchObject({ name: 'dashboard', scope: 'read-only', expiresAt: expires });
      const asReader = (args: string[]) => viaServer(['--token', readOnly.token, ...args]);
      expect((await asReader(['contacts', 'acme'])).code).toBe(0);
      const write = await asReader(['log', String(world.contacts.get('3')), 'busy']);
      expect(write.code).toBe(1);
      expect(write.stderr).toMatch(/this API token is read-only: it may only read \(GET\)/);
      const wider = await asReader(['tokens', 'create', 'wider']);
      expect(wider.code).toBe(1);
      expect(wider.stderr).toMatch(/read-only/);

      const phone = await viaServer(['tokens', 'create', 'phone system', '--scope', 'telephony', '--json']);
      expect(phone.stderr).toBe('');
      expect(JSON.parse(phone.stdout)).toMatchObject({
        name: 'phone system',
        scope: 'telephony',
        expiresAt: null,
      });
      const listed = JSON.parse((await viaServer(['tokens', 'list', '--json'])).stdout);
      expect(listed.map((t: { name: string; scope: string }) => `${t.name}:${t.scope}`)).toEqual(
        expect.arrayContaining(['dashboard:read-only', 'phone system:telephony']),
      );
      expect(JSON.stringify(listed)).not.toContain(readOnly.token);
      const badScope = await viaServer(['tokens', 'create', 'x', '--scope', 'admin']);
      expect(badScope.code).toBe(2);
      expect(badScope.stderr).toMatch(/--scope admin: use full, read-only, telephony/);
    });

    it('prints the same callback list, screening, users and workspace as the local commands', async () => {
      const admin = ['--token', adminToken];
      const circled = await viaServer(['circle', String(world.contacts.get('1')), '--until', 'in two weeks']);
      expect(circled.stderr).toBe('');
      expect(circled.stdout).toMatch(/^Person 1 is on your callback list until \S+ \(.+\)\n$/);
      for (const [args, remoteArgs] of [
        [['callbacks', '--user', 'rex@ex.test'], ['callbacks']],
        [
          ['callbacks', '--user', 'rex@ex.test', '--json'],
          ['callbacks', '--json'],
        ],
        [
          ['screen', '(212) 555-1001', '--user', 'rex@ex.test'],
          ['screen', '(212) 555-1001'],
        ],
        [
          ['screen', '212 555 0000', '--user', 'rex@ex.test', '--json'],
          ['screen', '212 555 0000', '--json'],
        ],
        [
          ['users', 'list'],
          [...admin, 'users', 'list'],
        ],
        [
          ['users', 'list', '--json'],
          [...admin, 'users', 'list', '--json'],
        ],
        [['workspace'], ['workspace']],
        [
          ['workspace', '--json'],
          ['workspace', '--json'],
        ],
      ] as const) {
        const theirs = await expectSameOutput(args, remoteArgs);
        expect(theirs.stdout.length, remoteArgs.join(' ')).toBeGreaterThan(10);
      }
    });

    it('starts and stops a block, adds a user and changes the workspace through the API, failing as locally', async () => {
      const started = await viaServer(['block', 'start', '--minutes', '30']);
      expect(started.stderr).toBe('');
      expect(started.stdout).toMatch(/^Block \d+ started; until \S+ only expected calls ring through\n$/);
      const [mineAgain, theirsAgain] = [
        await local(['block', 'start', '--minutes', '5', '--user', 'rex@ex.test']),
        await viaServer(['block', 'start', '--minutes', '5']),
      ];
      expect([theirsAgain.code, mineAgain.code]).toEqual([2, 2]);
      expect(theirsAgain.stderr).toBe(mineAgain.stderr);
      expect(theirsAgain.stderr).toMatch(/already in a call block until/);

      const stopped = await viaServer(['block', 'stop', '--json']);
      expect(stopped.code).toBe(0);
      expect(JSON.parse(stopped.stdout)).toMatchObject({
        rangThrough: expect.any(Number),
        sentToVoicemail: [],
      });
      const [mineStop, theirsStop] = [
        await local(['block', 'stop', '--user', 'rex@ex.test']),
        await viaServer(['block', 'stop']),
      ];
      expect([theirsStop.code, mineStop.code]).toEqual([2, 2]);
      expect(theirsStop.stderr).toBe(mineStop.stderr);

      const added = await runCli(
        [
          ...remote,
          '--token',
          adminToken,
          'users',
          'add',
          'newbie@ex.test',
          '--role',
          'rep',
          '--name',
          'Newbie',
        ],
        { RINGBACK_DB: join(dir, 'must-not-exist.db'), DATABASE_URL: '' },
        'a-long-enough-password\n',
      );
      expect(added.stderr).toBe('');
      expect(added.stdout).toBe('added newbie@ex.test (rep)\n');
      const stored = await store.db
        .selectFrom('users')
        .select(['workspace_id', 'role'])
        .where('email', '=', 'newbie@ex.test')
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ workspace_id: world.admin.workspace_id, role: 'rep' });
      const short = await viaServer(['users', 'add', 'x@ex.test', '--role', 'rep']);
      expect(short.code).toBe(2);
      expect(short.stderr).toMatch(/at least 10 characters/);
      const byRep = await runCli(
        [...remote, 'users', 'add', 'sneaky@ex.test', '--role', 'admin'],
        { RINGBACK_DB: join(dir, 'must-not-exist.db'), DATABASE_URL: '' },
        'a-long-enough-password\n',
      );
      expect(byRep.code).toBe(1);
      expect(byRep.stderr).toMatch(/403/);

      const changed = await viaServer([
        '--token',
        adminToken,
        'workspace',
        '--reminder-minutes',
        '15',
        '--json',
      ]);
      expect(changed.stderr).toBe('');
      expect(JSON.parse(changed.stdout)).toMatchObject({ reminderMinutes: 15 });
      expect((await local(['workspace', '--json'])).stdout).toBe(changed.stdout);
      const wrong = await viaServer(['--token', adminToken, 'workspace', '--reminder-minutes', '999']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toBe((await local(['workspace', '--reminder-minutes', '999'])).stderr);
    });

    it('prints the same insights as the local command, for the whole workspace and for one rep', async () => {
      const period = ['--from', '2000-01-01', '--to', '2100-01-01'];
      const attempts = await store.db
        .selectFrom('attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      for (const [args, remoteArgs] of [
        [
          ['stats', ...period, '--json'],
          ['--token', adminToken, 'stats', ...period, '--json'],
        ],
        [
          ['stats', ...period],
          ['--token', adminToken, 'stats', ...period],
        ],
        [
          ['stats', ...period, '--user', 'rex@ex.test'],
          ['stats', ...period],
        ],
      ] as const) {
        await expectSameOutput(args, remoteArgs);
      }
      const whole = JSON.parse((await local(['stats', ...period, '--json'])).stdout);
      expect(whole.totals.dials).toBe(Number(attempts.n));
      expect(whole.totals.dials).toBeGreaterThan(0);

      const wrong = await viaServer(['stats', '--from', 'last tuesday']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/--from last tuesday: not a date or time/);
      expect(wrong.stderr).toBe((await local(['stats', '--from', 'last tuesday'])).stderr);
      const unknown = await viaServer(['stats', '--campaign', 'Nope']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe((await local(['stats', '--campaign', 'Nope'])).stderr);
    });

    it('says why demo, migrate, backup and serve do not run through a server', async () => {
      for (const [command, reason] of [
        ['demo', /demo fills a database/],
        ['migrate', /migrate changes the database schema/],
        ['backup', /backup copies the database file/],
        ['serve', /drop --server/],
      ] as const) {
        const res = await viaServer([command]);
        expect(res.code, command).toBe(2);
        expect(res.stderr, command).toMatch(reason);
      }
    });
  });
}
