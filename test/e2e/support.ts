/**
 * End-to-end plumbing: the real server (buildApp, as `ringback serve` builds it, listening on
 * loopback) over a real database, with a clock that starts on a weekday morning in New York
 * and runs on from there, so the queue has people inside their calling hours whatever the
 * day the tests run; and Debian's chromium driven by playwright-core.
 *
 * Waits are on conditions, with generous limits: the machine is small and shared.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { importContacts } from '../../src/app/import/import-contacts.js';
import { hashPassword } from '../../src/app/passwords.js';
import { setTelephony } from '../../src/app/telephony-settings.js';
import { buildApp } from '../../src/server/build-app.js';
import type { Store } from '../../src/store/db.js';
import type { User } from '../../src/store/schema.js';
import { openTestStore, type TestDatabase } from '../support/stores.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/web/', import.meta.url));
export const PROSPECTS_CSV = join(FIXTURES, 'prospects.csv');
export const REP = { email: 'sam@e2e.test', password: 'sam-password-long-enough', name: 'Sam Ortiz' };
/** Monday 23 Nov 2026, 10:00 in New York. */
export const START = Date.UTC(2026, 10, 23, 15, 0);
/** The provider number inbound calls arrive on (it rings the rep), and the provider's auth token. */
export const INBOUND = '+12125550111';
export const TWILIO_TOKEN = 'e2e-auth-token';
/** Long enough for a loaded two-core machine; conditions usually hold within a second. */
export const WAIT_MS = 30_000;

export interface E2EWorld {
  store: Store;
  app: FastifyInstance;
  url: string;
  rep: User;
  /** The server's clock. */
  now: () => number;
  close(): Promise<void>;
}

/**
 * A workspace with one rep, the server listening on 127.0.0.1 at a free port; `importProspects`
 * imports the prospects fixture (or the CSV file named) into campaign Ledgerline, owned by the rep.
 */
export async function startWorld(
  database: TestDatabase,
  options: { importProspects?: boolean | string; reminderEveryMs?: number } = {},
) {
  const store = await openTestStore(database);
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'E2E', created_at: START, time_zone: 'America/New_York', default_country: 'US' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rep = await store.db
    .insertInto('users')
    .values({
      workspace_id: ws.id,
      email: REP.email,
      name: REP.name,
      role: 'rep',
      phone: '+12125550100',
      time_zone: 'America/New_York',
      password_hash: await hashPassword(REP.password),
      created_at: START,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await setTelephony(store, ws.id, {
    accountSid: 'AC-e2e',
    authToken: TWILIO_TOKEN,
    callerId: '+12125550100',
    numbers: { [INBOUND]: REP.email },
  });
  if (options.importProspects) {
    await importContacts(store, {
      file: typeof options.importProspects === 'string' ? options.importProspects : PROSPECTS_CSV,
      campaign: 'Ledgerline',
      ownerEmail: REP.email,
      now: START,
    });
  }
  const startedAt = Date.now();
  const now = () => START + (Date.now() - startedAt);
  const app = await buildApp({ store, now, reminderEveryMs: options.reminderEveryMs });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    store,
    app,
    url: address,
    rep,
    now,
    close: async () => {
      await app.close();
      await store.close();
    },
  } satisfies E2EWorld;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: WAIT_MS * 2,
  });
}

export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

/** Uncaught errors the page threw so far. */
export const pageErrors = (page: Page): string[] => (page as Page & { errors?: string[] }).errors ?? [];

export async function signInAs(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * An inbound call as Twilio announces it: a form POST to the voice webhook, signed with the
 * account's auth token (HMAC-SHA1 of the URL and the sorted parameters).
 */
export async function inboundCall(world: E2EWorld, from: string, callSid: string): Promise<Response> {
  const url = `${world.url}/telephony/${world.rep.workspace_id}/voice`;
  const params: Record<string, string> = { CallSid: callSid, From: from, To: INBOUND, AccountSid: 'AC-e2e' };
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  const signature = createHmac('sha1', TWILIO_TOKEN).update(data, 'utf8').digest('base64');
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

export const ADMIN = { email: 'ada@e2e.test', password: 'ada-password-long-enough', name: 'Ada Admin' };

/** An admin next to the world's rep, for the Settings pages only an admin sees whole. */
export async function addAdmin(world: E2EWorld): Promise<void> {
  await world.store.db
    .insertInto('users')
    .values({
      workspace_id: world.rep.workspace_id,
      email: ADMIN.email,
      name: ADMIN.name,
      role: 'admin',
      time_zone: 'America/New_York',
      password_hash: await hashPassword(ADMIN.password),
      created_at: START,
    })
    .execute();
}
