/**
 * The `ringback` binary as a user runs it, on SQLite and PostgreSQL: output, exit codes,
 * export → import round trip, users, backup, and an interrupted import run again.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImportCsv } from '../bench/import-data.js';
import { openStore } from '../src/store/db.js';
import { BIN, runCli } from './support/cli.js';
import { DATABASES, type TestDatabase } from './support/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'ringback-cli-'));
const path = (name: string) => join(dir, name);

/** Contacts and numbers as a user would compare them, independent of ids. */
async function snapshot(database: TestDatabase) {
  const store = openStore(database.config);
  try {
    const contacts = await store.db
      .selectFrom('contacts as c')
      .leftJoin('companies as co', 'co.id', 'c.company_id')
      .select([
        'c.id',
        'c.first_name',
        'c.last_name',
        'c.title',
        'c.email',
        'c.kind',
        'c.time_zone',
        'c.interests',
        'c.notes',
        'c.street',
        'c.city',
        'c.region',
        'c.postal_code',
        'c.country',
        'c.do_not_call',
        'co.name as company',
      ])
      .execute();
    const links = await store.db
      .selectFrom('contact_numbers as cn')
      .innerJoin('numbers as n', 'n.id', 'cn.number_id')
      .select(['cn.contact_id', 'n.e164', 'cn.kind', 'cn.extension'])
      .execute();
    return contacts
      .map(({ id, ...c }) =>
        JSON.stringify({
          ...c,
          numbers: links
            .filter((l) => l.contact_id === id)
            .map((l) => `${l.kind}:${l.e164}:${l.extension}`)
            .sort(),
        }),
      )
      .sort();
  } finally {
    await store.close();
  }
}

for (const { name, create } of DATABASES) {
  describe(`ringback CLI on ${name}`, () => {
    const databases: TestDatabase[] = [];
    const fresh = async () => {
      const d = await create();
      databases.push(d);
      return d;
    };
    let demo: TestDatabase;
    beforeAll(async () => {
      demo = await fresh();
      const r = await runCli(['demo', '--contacts', '300', '--seed', '7', '--json'], demo.env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });
    afterAll(async () => {
      for (const d of databases) await d.drop();
    });

    it('prints the import summary as JSON and exits 0 even with rejected rows', async () => {
      const db = await fresh();
      const file = path(`summary-${name}.csv`);
      writeFileSync(file, 'Name,Phone\nDana Lee,415-555-0123\nNobody,123\n');
      const r = await runCli(['import', 'contacts', file, '--json'], db.env);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary).toMatchObject({ read: 2, created: 1, updated: 0, unchanged: 0, rejected: 1 });
      expect(summary.errors).toEqual([{ row: 3, field: 'Phone', message: expect.stringContaining('123') }]);
    });

    it('exits 1 when the file cannot be read or nothing in it is usable, 2 when used wrongly', async () => {
      const db = await fresh();
      const missing = await runCli(['import', 'contacts', path('nope.csv')], db.env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/nope\.csv/);
      const useless = path(`useless-${name}.csv`);
      writeFileSync(useless, 'Name,Phone\n,\nX,1\n');
      const none = await runCli(['import', 'contacts', useless, '--json'], db.env);
      expect(none.code).toBe(1);
      expect(JSON.parse(none.stdout)).toMatchObject({ read: 2, rejected: 2 });
      const empty = path(`empty-${name}.csv`);
      writeFileSync(empty, '');
      expect((await runCli(['import', 'contacts', empty], db.env)).code).toBe(1);
      const badMap = await runCli(['import', 'contacts', useless, '--map', 'Name=shoe_size'], db.env);
      expect(badMap.code).toBe(2);
      expect(badMap.stderr).toMatch(/shoe_size/);
      expect((await runCli(['import', 'contacts'], db.env)).code).toBe(2);
      expect((await runCli(['import', 'contacts', useless, '--frobnicate'], db.env)).code).toBe(2);
      expect((await runCli(['export', 'everything'], db.env)).code).toBe(2);
      const unwritable = await runCli(['export', 'contacts', '--out', '/nonexistent/dir/c.csv'], db.env);
      expect(unwritable.code).toBe(1);
      expect(unwritable.stderr).toMatch(/cannot write \/nonexistent\/dir\/c\.csv: ENOENT/);
      const noZone = await runCli(['queue', '--at', '2026-11-24T15:00'], db.env);
      expect(noZone.code).toBe(2);
      expect(noZone.stderr).toMatch(/zone/);
      const unknownOwner = await runCli(['import', 'contacts', useless, '--owner', 'ghost@ex.test'], db.env);
      expect(unknownOwner.code).toBe(2);
      expect(unknownOwner.stderr).toMatch(/ghost@ex\.test/);
    });

    it('has --help on every command', async () => {
      // Walks the commands the program itself lists, so a new command is covered the day it lands.
      const seen: string[] = [];
      const walk = async (args: string[]): Promise<void> => {
        const r = await runCli([...args, '--help'], demo.env);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.stdout, args.join(' ')).toMatch(/Usage: ringback/);
        seen.push(args.join(' '));
        const listed = r.stdout.split(/^Commands:$/m)[1] ?? '';
        for (const [, name] of listed.matchAll(/^ {2}(\S+)/gm)) {
          if (name !== 'help') await walk([...args, name!]);
        }
      };
      await walk([]);
      for (const command of [
        'import contacts',
        'import undo',
        'telephony set',
        'block start',
        'users add',
        'log',
      ])
        expect(seen).toContain(command);
    });

    it('uses the workspace default region for numbers without a country code', async () => {
      const db = await fresh();
      const set = await runCli(['workspace', '--country', 'gb', '--json'], db.env);
      expect(JSON.parse(set.stdout)).toMatchObject({ defaultCountry: 'GB' });
      expect((await runCli(['workspace', '--country', 'XX'], db.env)).code).toBe(2);
      const file = path(`uk-${name}.csv`);
      writeFileSync(file, 'Name,Phone\nNigel Moss,020 7946 0958\n');
      const r = await runCli(['import', 'contacts', file, '--json'], db.env);
      expect(JSON.parse(r.stdout)).toMatchObject({ created: 1, rejected: 0 });
      const exported = await runCli(['export', 'contacts', '--format', 'json'], db.env);
      expect(JSON.parse(exported.stdout)[0].numbers[0].e164).toBe('+442079460958');
    });

    it('exports contacts that import back into an empty database as the same contacts and numbers', async () => {
      const csv = path(`roundtrip-${name}.csv`);
      const exported = await runCli(['export', 'contacts', '--out', csv], demo.env);
      expect(exported.code).toBe(0);
      const target = await fresh();
      // The empty database has none of the demo's users to own them (owners come back in
      // test/export-round-trip.test.ts, where the users exist).
      const imported = await runCli(
        ['import', 'contacts', csv, '--json', '--map', 'Owner Email=ignore'],
        target.env,
      );
      expect(imported.code).toBe(0);
      const summary = JSON.parse(imported.stdout);
      expect(summary.rejected).toBe(0);
      expect(summary.created).toBe(300);
      const [before, after] = [await snapshot(demo), await snapshot(target)];
      expect(after).toEqual(before);
    });

    it('exports contacts and attempts as JSON and attempts as CSV', async () => {
      const contacts = await runCli(['export', 'contacts', '--format', 'json'], demo.env);
      expect(contacts.code).toBe(0);
      const list = JSON.parse(contacts.stdout);
      expect(list).toHaveLength(300);
      expect(list[0]).toMatchObject({ id: expect.any(Number), numbers: expect.any(Array) });
      const attempts = await runCli(['export', 'attempts', '--format', 'json'], demo.env);
      const history = JSON.parse(attempts.stdout);
      expect(history.length).toBeGreaterThan(300);
      expect(history[0]).toMatchObject({
        outcome: expect.any(String),
        startedAt: expect.stringMatching(/Z$/),
      });
      const csv = await runCli(['export', 'attempts'], demo.env);
      const lines = csv.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^Id,Started At,/);
      expect(lines.length).toBe(history.length + 1);
    });

    it('adds a user with the password from standard input, never echoing it', async () => {
      const db = await fresh();
      const secret = 'correct horse battery staple';
      const r = await runCli(
        ['users', 'add', 'Ana@Ex.test', '--role', 'manager', '--name', 'Ana', '--json'],
        db.env,
        `${secret}\n`,
      );
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(JSON.parse(r.stdout)).toMatchObject({ email: 'ana@ex.test', role: 'manager' });
      const again = await runCli(['users', 'add', 'ana@ex.test', '--role', 'rep'], db.env, `${secret}\n`);
      expect(again.code).toBe(1);
      const badRole = await runCli(['users', 'add', 'bo@ex.test', '--role', 'king'], db.env, `${secret}\n`);
      expect(badRole.code).toBe(2);
      const short = await runCli(['users', 'add', 'bo@ex.test', '--role', 'rep'], db.env, 'short\n');
      expect(short.code).toBe(2);
      const list = await runCli(['users', 'list', '--json'], db.env);
      expect(JSON.parse(list.stdout).map((u: { email: string }) => u.email)).toEqual(['ana@ex.test']);
      const store = openStore(db.config);
      const row = await store.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
      await store.close();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });

    it(`backs up ${name === 'sqlite' ? 'the database online' : 'nothing and points to pg_dump'}`, async () => {
      const target = path(`backup-${name}.db`);
      const r = await runCli(['backup', target, '--json'], demo.env);
      if (name === 'postgres') {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/pg_dump/);
        return;
      }
      expect(r.code).toBe(0);
      expect(existsSync(target)).toBe(true);
      const copy = await snapshot({ ...demo, config: { sqlitePath: target } });
      expect(copy).toEqual(await snapshot(demo));
      expect((await runCli(['backup', target], demo.env)).code).toBe(1);
    });

    it('gives the same result when an import killed part-way is run again', async () => {
      const rows = 30_000;
      const file = path(`big-${name}.csv`);
      if (!existsSync(file)) await writeImportCsv(file, rows, 3);
      const whole = await fresh();
      const once = await runCli(['import', 'contacts', file, '--json'], whole.env);
      expect(once.code).toBe(0);
      const summary = JSON.parse(once.stdout);
      expect(summary.read).toBe(rows);

      const interrupted = await fresh();
      const child = spawn(process.execPath, [BIN, 'import', 'contacts', file, '--json'], {
        env: { ...process.env, ...interrupted.env },
        stdio: 'ignore',
      });
      // Kill it as soon as the first batches are committed.
      const watcher = openStore(interrupted.config);
      const count = async () =>
        Number(
          (
            await watcher.db
              .selectFrom('contacts')
              .select(({ fn }) => fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      let atKill = 0;
      for (let i = 0; i < 3000 && atKill === 0; i++) {
        await new Promise((r) => setTimeout(r, 5));
        atKill = await count().catch(() => 0);
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      const afterKill = await count();
      await watcher.close();
      expect(afterKill).toBeGreaterThan(0);
      expect(afterKill).toBeLessThan(summary.created);

      const rerun = await runCli(['import', 'contacts', file, '--json'], interrupted.env);
      expect(rerun.code).toBe(0);
      expect(await snapshot(interrupted)).toEqual(await snapshot(whole));
    }, 180_000);
  });
}
