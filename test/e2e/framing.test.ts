/**
 * The security headers in a real browser, on both databases: the built web app and the API
 * reference still run under the Content-Security-Policy (no violation reported), and a page
 * on the same site (another port of 127.0.0.1, so the session cookie goes along) that frames a
 * signed-in page gets nothing of it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import {
  type E2EWorld,
  launchChromium,
  newPage,
  pageErrors,
  REP,
  signInAs,
  startWorld,
  WAIT_MS,
} from './support.js';

/** Console messages about the Content-Security-Policy. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

for (const { name, create } of DATABASES) {
  describe(`security headers in chromium on ${name}`, () => {
    let database: TestDatabase;
    let world: E2EWorld;
    let browser: Browser;
    let framer: Server;
    let framerUrl: string;

    beforeAll(async () => {
      database = await create();
      world = await startWorld(database, { importProspects: true });
      browser = await launchChromium();
      framer = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(
          `<!doctype html><title>framer</title><iframe name="victim" src="${world.url}/today" width="800" height="600"></iframe>`,
        );
      });
      await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
      framerUrl = `http://127.0.0.1:${(framer.address() as AddressInfo).port}/`;
    }, WAIT_MS * 2);
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => framer?.close(resolve));
      await world?.close();
      await database?.drop();
    });

    it('runs the web app and the API reference without a CSP violation', async () => {
      const page = await newPage(browser);
      const violations = cspViolations(page);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('link', { name: 'Contacts', exact: true }).click();
      await page.getByRole('heading', { name: 'Contacts' }).first().waitFor();
      await page.goto(`${world.url}/api/docs`);
      await page.locator('.swagger-ui .info .title').filter({ hasText: 'Ringback API' }).waitFor();
      expect(violations).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('shows a framing page nothing of a signed-in page', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      const violations = cspViolations(page);
      await page.goto(framerUrl);
      await page.waitForLoadState('load');
      const victim = page.frame({ name: 'victim' });
      // Blocked by frame-ancestors, the frame holds Chromium's error page, never the app.
      expect(victim).not.toBeNull();
      expect(victim!.url()).not.toContain(world.url);
      expect(await victim!.locator('nav').count()).toBe(0);
      expect(violations.join('\n')).toMatch(/frame-ancestors/);
      await page.context().close();
    });
  });
}
