/**
 * The real `ringback serve` (the built binary) in a real browser, on both databases: on an
 * empty database the link it prints creates the first admin, who signs in to the web app, and
 * a reload on an app page serves the app again, its writes still carrying the CSRF token.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import { launchChromium, newPage, pageErrors, signInAs, WAIT_MS } from './support.js';

/** Starts `ringback serve --port 0` and resolves with the setup link it prints. */
function serve(env: Record<string, string>): Promise<{ child: ChildProcess; setupLink: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no setup link within ${WAIT_MS} ms: ${out}`)), WAIT_MS);
    child.stdout!.on('data', (d) => {
      out += d;
      const link = /(http:\/\/\S+\/setup#token=\S+)/.exec(out);
      if (link) {
        clearTimeout(timer);
        resolve({ child, setupLink: link[1]! });
      }
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => reject(new Error(`ringback serve exited with ${code}: ${out}`)));
  });
}

for (const { name, create } of DATABASES) {
  describe(`ringback serve in chromium on ${name}`, () => {
    let database: TestDatabase;
    let server: ChildProcess | undefined;
    let browser: Browser;

    beforeAll(async () => {
      database = await create();
      browser = await launchChromium();
    }, WAIT_MS * 2);

    afterAll(async () => {
      await browser?.close();
      if (server && server.exitCode === null) {
        const exited = new Promise((resolve) => server!.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      await database?.drop();
    });

    it('creates the first admin from the printed link, signs in, and survives a reload on an app page', async () => {
      const started = await serve(database.env);
      server = started.child;
      const base = new URL(started.setupLink).origin;
      const page = await newPage(browser);
      await page.goto(started.setupLink);
      await page.getByLabel('Name').fill('Ada Admin');
      await page.getByLabel('Email').fill('ada@serve.test');
      await page.getByLabel(/Password/).fill('a-long-admin-password');
      await page.getByRole('button', { name: 'Create admin' }).click();
      await page.getByText('Done: sign in as ada@serve.test.').waitFor();

      await signInAs(page, base, 'ada@serve.test', 'a-long-admin-password');
      await page.getByRole('heading', { name: 'Start a call block' }).waitFor();
      await page.getByRole('link', { name: 'Contacts', exact: true }).click();
      await page.getByLabel('Search by name, company or number').waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/contacts');
      // The CSRF token lives in memory only: after the reload it came from /api/v1/me, and a
      // write with it works — signing out ends the session on the server, so a reload shows sign-in.
      expect(await page.evaluate('Object.keys(localStorage)')).not.toContain('ringback.csrf');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });
  });
}
