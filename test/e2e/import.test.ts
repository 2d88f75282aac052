/**
 * Importing in the browser, on both databases: check a CSV first (nothing stored), import it
 * into a campaign with the per-row report, and the imported people are in the next block.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/cadence/policy.js';
import { defaultScriptsFor } from '../../src/core/scripts/defaults.js';
import { insertCampaign } from '../../src/store/campaign-repo.js';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import {
  type E2EWorld,
  launchChromium,
  newPage,
  PROSPECTS_CSV,
  pageErrors,
  REP,
  START,
  signInAs,
  startWorld,
  WAIT_MS,
} from './support.js';

for (const { name, create } of DATABASES) {
  describe(`import in chromium on ${name}`, () => {
    let database: TestDatabase;
    let world: E2EWorld;
    let browser: Browser;

    beforeAll(async () => {
      database = await create();
      world = await startWorld(database);
      // A manager's campaign: reps import into campaigns shared with them, they do not create them.
      await insertCampaign(world.store.db, {
        workspace_id: world.rep.workspace_id,
        name: 'Ledgerline',
        kind: 'sales',
        urgency: 'normal',
        policy: JSON.stringify(DEFAULT_POLICY),
        scripts: JSON.stringify(defaultScriptsFor('sales')),
        created_at: START,
      });
      browser = await launchChromium();
    }, WAIT_MS * 4);

    afterAll(async () => {
      await browser?.close();
      await world?.close();
      await database?.drop();
    });

    const contacts = async () =>
      Number(
        (
          await world.store.db
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('checks a CSV, imports it into a campaign, and its people are called in the next block', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('link', { name: 'Import', exact: true }).click();
      await page.getByLabel('CSV or vCard file').setInputFiles(PROSPECTS_CSV);
      await page.getByLabel('Campaign to enroll them in').fill('Ledgerline');
      await page.getByRole('button', { name: 'Check first' }).click();
      await page.getByRole('heading', { name: 'Check of prospects.csv' }).waitFor();
      expect(await page.locator('#import-result + p').innerText()).toMatch(
        /^9 rows read: 9 would be created/,
      );
      expect(await contacts()).toBe(0);

      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByRole('heading', { name: 'Imported prospects.csv' }).waitFor();
      expect(await page.locator('#import-result + p').innerText()).toMatch(
        /^9 rows read: 9 created, 0 updated/,
      );
      expect(await contacts()).toBe(9);

      await page.getByRole('link', { name: 'Call block', exact: true }).click();
      await page.getByRole('button', { name: 'Start block' }).click();
      await page.locator('#current-contact-name').waitFor();
      expect(await page.locator('.contact-card .eyebrow').innerText()).toContain('Ledgerline');
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });
  });
}
