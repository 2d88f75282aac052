/**
 * The command line's output as a shell uses it, on the built binary and both databases: a
 * reader that goes away early (`| head`) ends the command quietly, and `contacts show` honours
 * its own --json and --user.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EMAIL_DOMAIN } from '../src/core/demo/generate.js';
import { BIN, runCli } from './support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const ANA = `ana@${DEMO_EMAIL_DOMAIN}`;
const BEN = `ben@${DEMO_EMAIL_DOMAIN}`;

/** Runs the command with its standard output closed before it writes a byte, as `| head -0` would. */
function withReaderGone(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

for (const { name, create } of DATABASES) {
  describe(`command-line output on ${name}`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await create();
      const demo = await runCli(['demo', '--contacts', '300'], database.env);
      expect(demo.code, demo.stderr).toBe(0);
    }, 120_000);

    afterAll(async () => {
      await database?.drop();
    });

    it.each([
      [['export', 'contacts']],
      [['export', 'attempts', '--format', 'json']],
      [['contacts', '--limit', '100']],
      [['queue', '--user', ANA, '--no-lease', '--limit', '20']],
    ])('ends quietly with status 0 when the reader of its output goes away: %j', async (args) => {
      const result = await withReaderGone(args, database.env);
      expect(result).toEqual({ code: 0, stderr: '' });
    });

    it('contacts show honours --json and --user after the id', async () => {
      const store = await openTestStore(database);
      const [ana, ben] = await Promise.all(
        [ANA, BEN].map((email) =>
          store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow(),
        ),
      );
      const owned = (owner: number) =>
        store.db
          .selectFrom('contacts')
          .select('id')
          .where('owner_id', '=', owner)
          .orderBy('id')
          .limit(1)
          .executeTakeFirstOrThrow();
      const anas = await owned(ana!.id);
      const bens = await owned(ben!.id);
      await store.close();

      const shown = await runCli(
        ['contacts', 'show', String(anas.id), '--json', '--user', ANA],
        database.env,
      );
      expect(shown.code, shown.stderr).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ id: anas.id });

      // Ana is a rep: a colleague's contact is not hers to see.
      const hidden = await runCli(['contacts', 'show', String(bens.id), '--user', ANA], database.env);
      expect(hidden.stderr).toBe(`ringback: there is no contact ${bens.id}\n`);
      expect(hidden.code).toBe(2);
    });

    it('block start says which later block is in the way, without a stack trace, and block stop cancels it', async () => {
      const inThreeDays = new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();
      const ahead = await runCli(
        ['block', 'start', '--minutes', '30', '--user', BEN, '--at', inThreeDays],
        database.env,
      );
      expect(ahead.code, ahead.stderr).toBe(0);
      const refused = await runCli(['block', 'start', '--minutes', '30', '--user', BEN], database.env);
      expect(refused.stderr).toMatch(
        /^ringback: your call block of .+ starts later than this one; stop it first/,
      );
      expect(refused.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(refused.code).toBe(2);
      expect((await runCli(['block', 'stop', '--user', BEN], database.env)).code).toBe(0);
      const started = await runCli(['block', 'start', '--minutes', '30', '--user', BEN], database.env);
      expect(started.code, started.stderr).toBe(0);
      expect((await runCli(['block', 'stop', '--user', BEN], database.env)).code).toBe(0);
    });
  });
}
