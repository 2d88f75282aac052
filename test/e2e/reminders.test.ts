/**
 * Appointment reminders in chromium, on both databases: an appointment a few minutes away shows
 * its reminder as a notice on whichever page the rep is on, once.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import { type E2EWorld, launchChromium, newPage, pageErrors, REP, signInAs, startWorld } from './support.js';

const MINUTE = 60_000;

for (const { name, create } of DATABASES) {
  describe(`appointment reminders in chromium on ${name}`, () => {
    let database: TestDatabase;
    let world: E2EWorld;
    let browser: Browser;

    beforeAll(async () => {
      database = await create();
      world = await startWorld(database, { importProspects: true, reminderEveryMs: 250 });
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await world?.close();
      await database?.drop();
    });

    it('shows the reminder on the page the rep is on, with who and when', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('link', { name: 'Contacts', exact: true }).click();
      await page.getByRole('heading', { name: 'Contacts' }).waitFor();

      const contact = await world.store.db
        .selectFrom('contacts')
        .select(['id', 'first_name', 'last_name'])
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await world.store.db
        .insertInto('appointments')
        .values({
          workspace_id: world.rep.workspace_id,
          contact_id: contact.id,
          user_id: world.rep.id,
          starts_at: world.now() + 5 * MINUTE,
          title: 'Demo of Ledgerline',
          status: 'scheduled',
          uid: `e2e-reminder-${name}`,
          created_at: world.now(),
        })
        .execute();

      const toast = page.locator('.toast', { hasText: `${contact.first_name} ${contact.last_name}` });
      await toast.waitFor();
      expect(await toast.innerText()).toMatch(/Appointment in [45] min:[\s\S]*— Demo of Ledgerline/);
      // Sent once: later passes of the timer find it claimed.
      await page.waitForTimeout(1_000);
      expect(await page.locator('.toast').count()).toBe(1);
      expect(pageErrors(page)).toEqual([]);
    });
  });
}
