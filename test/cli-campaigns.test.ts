/**
 * `ringback campaigns list|add|set` as a user runs it, on SQLite and PostgreSQL: a campaign is
 * created with its topic and cadence, listed with its figures, changed and archived; bad input
 * is refused naming the option, and nothing stored changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { DATABASES, type TestDatabase } from './support/stores.js';

for (const { name, create } of DATABASES) {
  describe(`ringback campaigns on ${name}`, () => {
    let db: TestDatabase;
    const as = ['--user', 'ana@ex.test'];
    beforeAll(async () => {
      db = await create();
      const admin = await runCli(
        ['users', 'add', 'ana@ex.test', '--role', 'admin', '--name', 'Ana'],
        db.env,
        'a long enough password\n',
      );
      expect(admin.stderr).toBe('');
      const rep = await runCli(
        ['users', 'add', 'bo@ex.test', '--role', 'rep', '--name', 'Bo'],
        db.env,
        'a long enough password\n',
      );
      expect(rep.code).toBe(0);
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('adds a campaign with its topic, kind, urgency, limit and voicemail policy, and lists it with its figures', async () => {
      const added = await runCli(
        [
          'campaigns',
          'add',
          'Spring hiring',
          '--topic',
          'the senior Go role',
          '--kind',
          'recruiting',
          '--urgency',
          'high',
          '--limit',
          '5',
          '--voicemail',
          'first_and_last',
          '--json',
          ...as,
        ],
        db.env,
      );
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      expect(JSON.parse(added.stdout)).toMatchObject({
        name: 'Spring hiring',
        topic: 'the senior Go role',
        kind: 'recruiting',
        urgency: 'high',
        archived: false,
        policy: { attemptLimit: 5, voicemail: 'first_and_last' },
        figures: { enrolled: 0, active: 0, won: 0, unreachable: 0 },
        lint: [],
      });
      const list = await runCli(['campaigns', 'list', '--json', ...as], db.env);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout).map((c: { name: string }) => c.name)).toEqual(['Spring hiring']);
      const table = await runCli(['campaigns', 'list', ...as], db.env);
      expect(table.stdout).toMatch(/Spring hiring.*the senior Go role/);
      expect(table.stdout).toMatch(/enrolled/);
    }, 300_000);

    it('changes a campaign and archives it, keeping it in the list as archived', async () => {
      await runCli(['campaigns', 'add', 'Autumn', '--topic', 'payroll audits', ...as], db.env);
      const set = await runCli(
        [
          'campaigns',
          'set',
          'Autumn',
          '--topic',
          'year-end payroll audits',
          '--limit',
          '10',
          '--urgency',
          'low',
          '--json',
          ...as,
        ],
        db.env,
      );
      expect(set.stderr).toBe('');
      expect(JSON.parse(set.stdout)).toMatchObject({
        topic: 'year-end payroll audits',
        urgency: 'low',
        policy: { attemptLimit: 10 },
      });
      const archived = await runCli(['campaigns', 'set', 'Autumn', '--archive', '--json', ...as], db.env);
      expect(JSON.parse(archived.stdout)).toMatchObject({ archived: true, topic: 'year-end payroll audits' });
    }, 300_000);

    it('refuses an empty topic, a missing topic, a duplicate name, a bad limit or policy, naming the option', async () => {
      const cases: [string[], RegExp][] = [
        [['campaigns', 'add', 'No topic'], /--topic: must say what the call is about/],
        [
          ['campaigns', 'add', 'Spring hiring', '--topic', 'again'],
          /NAME: there is already a campaign "Spring hiring"/,
        ],
        [
          ['campaigns', 'add', 'Policy', '--topic', 'x', '--voicemail', 'sometimes'],
          /--voicemail: must be one of always, never, first_and_last, experiment/,
        ],
        [['campaigns', 'set', 'Spring hiring', '--topic', ' '], /--topic: must say what the call is about/],
      ];
      for (const [args, message] of cases) {
        const r = await runCli([...args, ...as], db.env);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toMatch(message);
      }
      const list = await runCli(['campaigns', 'list', '--json', ...as], db.env);
      expect(JSON.parse(list.stdout).map((c: { name: string; topic: string }) => [c.name, c.topic])).toEqual([
        ['Spring hiring', 'the senior Go role'],
        ['Autumn', 'year-end payroll audits'],
      ]);
    }, 300_000);
  });
}
