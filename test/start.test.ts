/**
 * The first run: what `npm start` runs after its build, on a fresh database, leaves a server
 * answering with the web app, the demo in it and a sign-in that works; on a database with data
 * it only serves. Runs the built binary (the suite builds first), on both databases.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/cli/commands/serve.js';
import { openStore } from '../src/store/db.js';
import { runCli } from './support/cli.js';
import { DATABASES, type TestDatabase } from './support/stores.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WAIT_MS = 120_000;

/** `npm start` is the build, then this command. */
function startCommand(): string {
  const script: string = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts.start;
  const [build, ...rest] = script.split('&&').map((part) => part.trim());
  expect(build).toBe('npm run build');
  return rest.join(' && ');
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Runs the start command until it says where to open the app. */
function start(env: Record<string, string>): Promise<Started> {
  const child = spawn('sh', ['-c', startCommand()], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0' },
    // Its own process group, so stopping it stops the shell's children too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${WAIT_MS} ms: ${out}`)), WAIT_MS);
    const read = (d: Buffer) => {
      out += d;
      const open = /open (http:\/\/\S+) in your browser/.exec(out);
      if (open) {
        clearTimeout(timer);
        resolve({ child, url: open[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`the start command exited with ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

async function contactCount(database: TestDatabase): Promise<number> {
  const store = openStore(database.config);
  try {
    const row = await store.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}

for (const { name, create } of DATABASES) {
  describe(`npm start on ${name}`, () => {
    const children: ChildProcess[] = [];
    let database: TestDatabase;

    afterAll(async () => {
      for (const child of children) await stop(child);
      await database?.drop();
    });

    it(
      'fills a fresh database with the demo, serves the web app compressed and prints a sign-in that works',
      async () => {
        database = await create();
        const started = await start(database.env);
        children.push(started.child);

        const page = await fetch(started.url, { headers: { 'accept-encoding': 'gzip' } });
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toContain('text/html');
        const html = await page.text();
        expect(html).toContain('<div id="root"></div>');
        const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
        const asset = await fetch(new URL(script, started.url), { headers: { 'accept-encoding': 'gzip' } });
        expect(asset.status).toBe(200);
        expect(asset.headers.get('content-encoding')).toBe('gzip');

        const signIn = /Sign in as (\S+) \([^)]*\brep\) with the password (\S+?);/.exec(started.output());
        expect(signIn, started.output()).not.toBeNull();
        const session = await fetch(new URL('/api/v1/auth/sign-in', started.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: signIn![1], password: signIn![2] }),
        });
        expect(session.status).toBe(200);
        expect(((await session.json()) as { user: { role: string } }).user.role).toBe('rep');
        await stop(started.child);
        expect(await contactCount(database)).toBeGreaterThan(0);
      },
      WAIT_MS,
    );

    it(
      'only serves a database that already holds data',
      async () => {
        const before = await contactCount(database);
        const started = await start(database.env);
        children.push(started.child);
        expect(started.output()).not.toContain('Filled the empty database');
        const health = await fetch(new URL('/healthz', started.url));
        expect(await health.json()).toEqual({ status: 'ok' });
        await stop(started.child);
        expect(await contactCount(database)).toBe(before);
      },
      WAIT_MS,
    );
  });
}

/** Holds a port on 127.0.0.1 until released. */
async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return {
    port: (blocker.address() as AddressInfo).port,
    release: () => new Promise((resolve) => blocker.close(() => resolve())),
  };
}

for (const { name, create } of DATABASES) {
  describe(`a taken port on ${name}`, () => {
    const databases: TestDatabase[] = [];
    afterAll(async () => {
      for (const d of databases) await d.drop();
    });

    it('moves to the next free port when none was named, and says so', async () => {
      const database = await create();
      databases.push(database);
      const held = await holdPort();
      const printed: string[] = [];
      try {
        const server = await startServer(
          {
            port: held.port,
            nextFreePort: true,
            host: '127.0.0.1',
            logLevel: 'silent',
            print: (line) => printed.push(line),
          },
          openStore(database.config),
        );
        try {
          const port = Number(new URL(server.url).port);
          expect(port).toBeGreaterThan(held.port);
          expect(printed[0]).toBe(`Port ${held.port} is in use; listening on ${port} instead.`);
          expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        } finally {
          await server.close();
        }
      } finally {
        await held.release();
      }
    });

    it('refuses a taken port named with --port, saying what to do, without a stack trace', async () => {
      const database = await create();
      databases.push(database);
      const held = await holdPort();
      try {
        const result = await runCli(['serve', '--port', String(held.port)], database.env);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          `ringback: port ${held.port} on 127.0.0.1 is in use (another ringback serve?); choose another with --port\n`,
        );
      } finally {
        await held.release();
      }
    });
  });
}
