/**
 * `npm run screenshots`: a picture of each page of the web app, at 1280×800 and one at phone
 * width, into docs/screenshots/ (shown in README.md). Same server and browser as the
 * end-to-end tests, on a SQLite file with the prospects fixture.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { logAttempt } from '../../src/app/log-attempt.js';
import { createSqliteDatabase } from '../support/stores.js';
import {
  ADMIN,
  addAdmin,
  inboundCall,
  launchChromium,
  newPage,
  REP,
  signInAs,
  startWorld,
} from './support.js';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/** No part of the page still loading (several may load at once, e.g. Settings' sections). */
const NOTHING_LOADING = '!document.querySelector(\'[aria-busy="true"]\')';

async function shot(page: Page, name: string): Promise<void> {
  // Fonts and layout settle before the picture.
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage: true });
  process.stdout.write(`docs/screenshots/${name}.png\n`);
}

const database = await createSqliteDatabase();
const world = await startWorld(database, { importProspects: true });
const browser = await launchChromium();
try {
  mkdirSync(OUT, { recursive: true });
  const page = await newPage(browser);
  await page.goto(world.url);
  await page.getByLabel('Email').fill(REP.email);
  await shot(page, 'sign-in');
  await signInAs(page, world.url, REP.email, REP.password);
  await page.getByRole('heading', { name: 'Start a call block' }).waitFor();
  await shot(page, 'block-start');
  await page.keyboard.press('Enter');
  await page.locator('#current-contact-name').waitFor();
  await page.keyboard.press('n');
  await page.keyboard.press('Enter');
  await page.locator('.last-logged').waitFor();
  await page.keyboard.press('r');
  await page.keyboard.type('tomorrow 3pm');
  await page.getByText('your time').waitFor();
  await shot(page, 'block');

  await page.keyboard.press('Enter');
  await page.locator('.last-logged', { hasText: 'Call me back' }).waitFor();
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await shot(page, 'block-shortcuts');
  await page.keyboard.press('Escape');
  // A skip, so the summary shows one.
  await page.keyboard.press('s');
  await page.getByRole('dialog', { name: /^Skip / }).waitFor();
  await page.keyboard.press('1');
  await page.locator('.block-notice', { hasText: 'Skipped' }).waitFor();
  await page.keyboard.press('e');
  await page.getByRole('dialog', { name: 'End the call block now?' }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Block summary' }).waitFor();
  await shot(page, 'block-summary');

  // At phone width, a block of its own (the desktop's has ended): one call, then its summary.
  const phone = await newPage(browser, { width: 390, height: 844 });
  await signInAs(phone, world.url, REP.email, REP.password);
  await phone.getByRole('button', { name: 'Start block' }).click();
  await phone.locator('#current-contact-name').waitFor();
  await shot(phone, 'block-phone');
  await phone.keyboard.press('?');
  await phone.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await shot(phone, 'block-shortcuts-phone');
  await phone.keyboard.press('Escape');
  await phone.keyboard.press('n');
  await phone.keyboard.press('Enter');
  await phone.locator('.last-logged').waitFor();
  await phone.keyboard.press('e');
  await phone.getByRole('dialog', { name: 'End the call block now?' }).waitFor();
  await phone.keyboard.press('Enter');
  await phone.getByRole('heading', { name: 'Block summary' }).waitFor();
  await shot(phone, 'block-summary-phone');
  await phone.context().close();

  for (const [name, ready] of [
    ['today', 'Today'],
    ['contacts', 'Contacts'],
    ['campaigns', 'Campaigns'],
    ['import', 'Import'],
    ['settings', 'Settings'],
  ] as const) {
    await page.getByRole('link', { name: ready, exact: true }).click();
    await page.getByRole('heading', { name: new RegExp(`^${ready}`), level: 1 }).waitFor();
    await page.waitForFunction(NOTHING_LOADING);
    await shot(page, name);
  }
  // A few more calls, and a callback a voicemail earned, so Insights has something to show.
  const people = await world.store.db
    .selectFrom('contacts')
    .select(['id', 'last_name'])
    .orderBy('id')
    .execute();
  const outcomes = [
    'voicemail_left',
    'connected',
    'no_answer',
    'voicemail_left',
    'busy',
    'appointment_set',
  ] as const;
  for (const [i, outcome] of outcomes.entries()) {
    const contact = people[(i + 2) % people.length]!;
    await logAttempt(world.store, {
      user: world.rep,
      contactId: contact.id,
      outcome,
      at: world.now(),
      ...(outcome === 'appointment_set' ? { when: 'tomorrow 2pm' } : {}),
    });
  }
  await inboundCall(world, '+13125550144', 'CA-screenshots-1');

  // Priyanka Rao: a voicemail left, her callback put through, on the callback list meanwhile.
  await page.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByRole('link', { name: 'Priyanka Rao' }).click();
  await page.getByRole('heading', { name: /Priyanka Rao/ }).waitFor();
  await page.getByRole('region', { name: 'Timeline' }).getByText('Call received: put through').waitFor();
  await page.waitForFunction(NOTHING_LOADING);
  await shot(page, 'contact');

  await page.getByRole('link', { name: 'Insights', exact: true }).click();
  await page.getByRole('heading', { name: 'Insights', level: 1 }).waitFor();
  await page.locator('.headline').waitFor();
  await page.locator('figure[data-plot="heatmap"] svg').last().waitFor();
  await shot(page, 'insights');
  const small = await newPage(browser, { width: 390, height: 844 });
  await signInAs(small, world.url, REP.email, REP.password);
  await small.goto(`${world.url}/insights`);
  await small.locator('.headline').waitFor();
  await small.locator('figure[data-plot="heatmap"] svg').last().waitFor();
  await shot(small, 'insights-phone');
  await small.context().close();

  // Settings and campaigns as an admin sees them: every section, and the cadence editor open.
  await addAdmin(world);
  const admin = await newPage(browser);
  await signInAs(admin, world.url, ADMIN.email, ADMIN.password);
  await admin.getByRole('link', { name: 'Settings', exact: true }).click();
  await admin.getByRole('heading', { name: 'Users and roles' }).waitFor();
  await admin.waitForFunction(NOTHING_LOADING);
  await shot(admin, 'settings');
  await admin.getByRole('link', { name: 'Campaigns', exact: true }).click();
  await admin.locator('ol.schedule').first().waitFor();
  await admin.getByRole('button', { name: 'Change the cadence' }).first().click();
  await admin.getByLabel('Attempt limit').first().fill('5');
  await admin.waitForFunction("document.querySelector('ol.schedule')?.children.length === 5");
  await shot(admin, 'campaigns');
  const adminPhone = await newPage(browser, { width: 390, height: 844 });
  await signInAs(adminPhone, world.url, ADMIN.email, ADMIN.password);
  await adminPhone.getByRole('link', { name: 'Settings', exact: true }).click();
  await adminPhone.getByRole('heading', { name: 'Users and roles' }).waitFor();
  await adminPhone.waitForFunction(NOTHING_LOADING);
  await shot(adminPhone, 'settings-phone');
  await adminPhone.context().close();
} finally {
  await browser.close();
  await world.close();
  await database.drop();
}
