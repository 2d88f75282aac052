/**
 * Settings and campaign cadence in chromium, on both databases: an admin changes the default
 * calling hours and the block greeting and finds them after a reload; sees the telephony
 * provider without its auth token; adds a user and deactivates them; a campaign shows its
 * schedule if nobody ever answers, which follows the attempt limit as it is edited and keeps
 * it once saved; a rep changes only their own hours; both pages fit a phone's width. Keyboard only where a rep would be.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import {
  ADMIN,
  addAdmin,
  type E2EWorld,
  launchChromium,
  newPage,
  pageErrors,
  REP,
  signInAs,
  startWorld,
  TWILIO_TOKEN,
  WAIT_MS,
} from './support.js';

for (const { name, create } of DATABASES) {
  describe(`settings and campaigns in chromium on ${name}`, () => {
    let database: TestDatabase;
    let world: E2EWorld;
    let browser: Browser;

    beforeAll(async () => {
      database = await create();
      world = await startWorld(database, { importProspects: true });
      await addAdmin(world);
      browser = await launchChromium();
    }, WAIT_MS * 4);

    afterAll(async () => {
      await browser?.close();
      await world?.close();
      await database?.drop();
    });

    it('keeps changed calling hours and greeting across a reload, and never shows the auth token', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('heading', { name: 'Calling hours' }).waitFor();
      const businessEnd = page
        .getByRole('group', { name: 'Business contacts', exact: true })
        .getByLabel('Ends at');
      await businessEnd.fill('16:00');
      await page.getByRole('button', { name: 'Save default hours' }).click();
      await page.getByRole('form', { name: 'Workspace calling hours' }).getByRole('status').waitFor();

      const greeting = page.getByRole('textbox', { name: /^Greeting/ });
      await greeting.fill('You reached {{my_first_name}}, on calls until {{until}}. Leave a message.');
      await page.getByText('You reached Ada, on calls until 11:30. Leave a message.').waitFor();
      await greeting.press('End');
      await greeting.pressSequentially(' {{oops}}');
      await page.getByText(/unknown variable \{\{oops\}\}/).waitFor();
      expect(await page.getByRole('button', { name: 'Save greeting' }).isDisabled()).toBe(true);
      await greeting.fill('You reached {{my_first_name}}, on calls until {{until}}. Leave a message.');
      await page.getByRole('button', { name: 'Save greeting' }).click();
      await page.getByText('Greeting saved.').waitFor();

      await page.reload();
      await page.getByRole('heading', { name: 'Calling hours' }).waitFor();
      await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: WAIT_MS }).toBe(0);
      expect(
        await page
          .getByRole('group', { name: 'Business contacts', exact: true })
          .getByLabel('Ends at')
          .inputValue(),
      ).toBe('16:00');
      expect(await page.getByRole('textbox', { name: /^Greeting/ }).inputValue()).toBe(
        'You reached {{my_first_name}}, on calls until {{until}}. Leave a message.',
      );
      await page.getByRole('heading', { name: 'Telephony provider' }).waitFor();
      await page
        .getByText(`••••${TWILIO_TOKEN.slice(-4)}`)
        .first()
        .waitFor();
      expect(await page.content()).not.toContain(TWILIO_TOKEN);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('adds a user with a starting password shown once, changes their role and deactivates them', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
      await page.getByLabel('Email', { exact: true }).fill('nia@e2e.test');
      await page.getByLabel('Name', { exact: true }).fill('Nia');
      await page.getByRole('button', { name: 'Add user' }).click();
      const shown = await page.getByText(/Their starting password, shown once/).innerText();
      expect(shown).toMatch(/: [A-Za-z0-9]{16}$/);
      await page.getByLabel('Role of Nia').selectOption('manager');
      await page.getByText('Nia is now manager.').waitFor();
      await page.getByRole('button', { name: 'Deactivate Nia' }).click();
      await page.getByRole('button', { name: 'Reactivate Nia' }).waitFor();
      const nia = await world.store.db
        .selectFrom('users')
        .select(['role', 'deactivated_at', 'password_hash'])
        .where('email', '=', 'nia@e2e.test')
        .executeTakeFirstOrThrow();
      expect(nia.role).toBe('manager');
      expect(nia.deactivated_at).not.toBeNull();
      expect(nia.password_hash).toBeNull();
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('previews a campaign’s schedule if nobody answers, follows the attempt limit as it is edited, and saves it', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
      await page.getByRole('heading', { name: 'If nobody ever answers' }).waitFor();
      const calls = page.locator('ol.schedule > li');
      await expect.poll(() => calls.count(), { timeout: WAIT_MS }).toBe(7);
      expect(await calls.first().innerText()).toMatch(/\d\d:\d\d.*intro voicemail/s);

      const change = page.getByRole('button', { name: 'Change the cadence' });
      await change.focus();
      await page.keyboard.press('Enter');
      const limit = page.getByLabel('Attempt limit');
      await limit.fill('5');
      await expect.poll(() => calls.count(), { timeout: WAIT_MS }).toBe(5);
      await page.getByText('Stop after 5 tries without a conversation.').waitFor();
      await page.getByLabel('Sample contact’s time zone').fill('Europe/London');
      await page.getByRole('list', { name: 'Schedule in Europe/London' }).waitFor();
      await page.getByRole('button', { name: 'Save cadence' }).click();
      await page.getByText('Cadence saved.').waitFor();

      await page.reload();
      await page.getByRole('heading', { name: 'If nobody ever answers' }).waitFor();
      await expect.poll(() => calls.count(), { timeout: WAIT_MS }).toBe(5);
      const stored = await world.store.db.selectFrom('campaigns').select('policy').executeTakeFirstOrThrow();
      expect(JSON.parse(stored.policy).attemptLimit).toBe(5);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('shows a rep only what a rep may: their own hours to change, the rest to read', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('heading', { name: 'Block greeting' }).waitFor();
      await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: WAIT_MS }).toBe(0);
      expect(await page.getByRole('heading', { name: 'Users and roles' }).count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Telephony provider' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Save default hours' }).count()).toBe(0);
      expect(await page.getByRole('textbox', { name: /^Greeting/ }).getAttribute('readonly')).not.toBeNull();
      await page.getByText('Admins can change the greeting.').waitFor();

      await page.getByLabel('Set my own hours').check();
      const mine = page.getByRole('group', { name: 'My calling hours', exact: true });
      await mine.getByLabel('Starts at').fill('07:30');
      await mine.getByRole('checkbox', { name: 'Friday' }).uncheck();
      await page.getByRole('button', { name: 'Save my hours' }).click();
      await page.getByRole('form', { name: 'Your calling hours' }).getByRole('status').waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Your hours' }).waitFor();
      const again = page.getByRole('group', { name: 'My calling hours', exact: true });
      expect(await again.getByLabel('Starts at').inputValue()).toBe('07:30');
      expect(await again.getByRole('checkbox', { name: 'Friday' }).isChecked()).toBe(false);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('fits the Settings and Campaigns pages to a phone’s width', async () => {
      const page = await newPage(browser, { width: 390, height: 844 });
      await signInAs(page, world.url, ADMIN.email, ADMIN.password);
      for (const link of ['Settings', 'Campaigns']) {
        await page.getByRole('link', { name: link, exact: true }).click();
        await page.getByRole('heading', { name: link, level: 1 }).waitFor();
        await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: WAIT_MS }).toBe(0);
        const overflow = Number(
          await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
        );
        expect(overflow, `${link} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
      }
      await page.context().close();
    });
  });
}
