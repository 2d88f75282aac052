/**
 * Insights and a contact's timeline in chromium, on both databases: Sam leaves Dana Lee a
 * voicemail and talks to Marcus Webb; Dana calls back (a signed inbound webhook, credited to
 * the voicemail). The Insights page for that day shows it with its sample sizes, Dana's page
 * shows the call and the callback on her timeline, Sam enrolls her in another campaign from
 * there, and Insights fits a phone.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logAttempt } from '../../src/app/log-attempt.js';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import {
  type E2EWorld,
  inboundCall,
  launchChromium,
  newPage,
  pageErrors,
  REP,
  START,
  signInAs,
  startWorld,
  WAIT_MS,
} from './support.js';

const MINUTE = 60_000;

for (const { name, create } of DATABASES) {
  describe(`insights and the contact timeline in chromium on ${name}`, () => {
    let database: TestDatabase;
    let world: E2EWorld;
    let browser: Browser;

    beforeAll(async () => {
      database = await create();
      world = await startWorld(database, { importProspects: true });
      const id = async (last: string) =>
        (
          await world.store.db
            .selectFrom('contacts')
            .select('id')
            .where('last_name', '=', last)
            .executeTakeFirstOrThrow()
        ).id;
      await logAttempt(world.store, {
        user: world.rep,
        contactId: await id('Lee'),
        outcome: 'voicemail_left',
        at: START - 10 * MINUTE,
      });
      await logAttempt(world.store, {
        user: world.rep,
        contactId: await id('Webb'),
        outcome: 'connected',
        at: START - 5 * MINUTE,
      });
      const res = await inboundCall(world, '+12125550141', 'CA-e2e-insights');
      expect(res.status).toBe(200);
      await world.store.db
        .insertInto('campaigns')
        .values({
          workspace_id: world.rep.workspace_id,
          name: 'Spring',
          kind: 'sales',
          urgency: 'normal',
          policy: '{}',
          scripts: '{}',
          team_id: null,
          created_by: world.rep.id,
          created_at: START,
        })
        .execute();
      browser = await launchChromium();
    }, WAIT_MS * 4);

    const campaignId = async (name: string) =>
      (
        await world.store.db
          .selectFrom('campaigns')
          .select('id')
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).id;

    afterAll(async () => {
      await browser?.close();
      await world?.close();
      await database?.drop();
    });

    it('shows the day’s calls, the callback its voicemail earned, and each share with its sample size', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('link', { name: 'Insights', exact: true }).click();
      await page.getByRole('heading', { name: 'Insights', level: 1 }).waitFor();
      await page.getByLabel('From').fill('2026-11-23');
      await page.getByLabel('To (included)').fill('2026-11-23');
      await page.getByRole('button', { name: 'Show' }).click();
      const headline = page.locator('.headline');
      await headline.getByText(/1 earned by a voicemail/).waitFor();
      const value = (term: string) =>
        headline.locator('div', { has: page.getByText(term, { exact: true }) }).locator('dd');
      expect(await value('Dials').innerText()).toBe('2');
      expect(await value('Voicemails left').innerText()).toBe('1');
      expect(await value('Callbacks received').innerText()).toMatch(/^1\s/);
      const row = page
        .getByRole('table', { name: 'Calls by campaign' })
        .getByRole('row', { name: /Ledgerline/ });
      expect(await row.innerText()).toMatch(/50 % \(1 of 2\)/);
      expect(await row.innerText()).toMatch(/100 % \(1 of 1\)/);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('draws every plot with an accessible description, its numbers as a table and SVG/PNG downloads', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.goto(`${world.url}/insights`);
      for (const [id, title] of [
        ['heatmap', "Connect rate by the contact's local time"],
        ['first-connect', 'Reached by attempt k'],
        [`advisor-${await campaignId('Ledgerline')}`, 'Yield per attempt: Ledgerline'],
      ] as const) {
        const figure = page.locator(`figure[data-plot="${id}"]`);
        await figure.locator('svg').last().waitFor();
        // Drawn marks, not an empty frame: cells, a line or dots.
        expect(
          await figure
            .locator('svg [aria-label] rect, svg [aria-label] path, svg [aria-label] circle')
            .count(),
          id,
        ).toBeGreaterThan(0);
        const img = page.getByRole('img', { name: title });
        expect(await img.getAttribute('aria-describedby'), id).toBe(`${id}-desc`);
        expect((await figure.locator('figcaption').innerText()).length, id).toBeGreaterThan(40);
        await figure.getByText('Show the numbers as a table').click();
        expect(await figure.locator('table tbody tr').count(), id).toBeGreaterThan(0);
        for (const kind of ['SVG', 'PNG']) {
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            figure.getByRole('button', { name: `Download ${kind}` }).click(),
          ]);
          expect(download.suggestedFilename()).toBe(`${id}.${kind.toLowerCase()}`);
        }
      }
      const heat = page.locator('figure[data-plot="heatmap"]');
      // Two dials in an hour are "too few", never 0 % or 100 %.
      expect(await heat.locator('table').innerText()).toMatch(/too few/);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('shows Dana’s timeline with the callback credited to the voicemail, and enrolls her in another campaign', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('link', { name: 'Contacts', exact: true }).click();
      await page.getByRole('link', { name: 'Dana Lee' }).click();
      const timeline = page.getByRole('region', { name: 'Timeline' });
      await timeline.getByText('Call received: put through').waitFor();
      expect(await timeline.getByText(/Callback for the voicemail left of/).count()).toBe(1);
      expect(await timeline.getByText(/Call: Left voicemail/).count()).toBe(1);
      expect(await timeline.getByText('On the callback list').count()).toBe(1);

      await page.getByLabel('Enroll in a campaign').selectOption({ label: 'Spring' });
      await page.getByRole('button', { name: 'Enroll' }).click();
      await page.getByRole('status').getByText('Enrolled in Spring.').waitFor();
      await page
        .getByRole('table', { name: 'Campaigns this contact is in' })
        .getByRole('cell', { name: 'Spring' })
        .waitFor();
      const enrolled = await world.store.db
        .selectFrom('enrollments as e')
        .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
        .innerJoin('contacts as c', 'c.id', 'e.contact_id')
        .select(['e.state', 'e.owner_id'])
        .where('k.name', '=', 'Spring')
        .where('c.last_name', '=', 'Lee')
        .execute();
      expect(enrolled).toEqual([{ state: 'new', owner_id: world.rep.id }]);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('fits a phone: Insights and the timeline without sideways scrolling', async () => {
      const page = await newPage(browser, { width: 390, height: 844 });
      await signInAs(page, world.url, REP.email, REP.password);
      for (const path of ['/insights', '/contacts']) {
        await page.goto(`${world.url}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
        const size = (await page.evaluate(
          '({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })',
        )) as { scroll: number; view: number };
        expect(size.scroll, path).toBeLessThanOrEqual(size.view);
      }
      await page.getByRole('link', { name: 'Dana Lee' }).click();
      await page.getByRole('region', { name: 'Timeline' }).getByText('Call received: put through').waitFor();
      const size = (await page.evaluate(
        '({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })',
      )) as { scroll: number; view: number };
      expect(size.scroll).toBeLessThanOrEqual(size.view);
      await page.context().close();
    });
  });
}
