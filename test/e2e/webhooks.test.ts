/**
 * Webhooks in Settings, in chromium, on both databases: an admin subscribes a receiver (a
 * process of its own) and is shown the signing secret once; when the receiver keeps failing,
 * the endpoint shows as disabled with its latest error; Replay enables it and the event is
 * delivered, signed with that secret. `SCREENSHOTS=1` saves the section to docs/screenshots/.
 */
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logAttempt } from '../../src/app/log-attempt.js';
import { startWebhookWorker, type WebhookWorker } from '../../src/app/webhook-delivery.js';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import { type Receiver, startReceiver } from '../support/webhook-receiver.js';
import {
  ADMIN,
  addAdmin,
  type E2EWorld,
  launchChromium,
  newPage,
  pageErrors,
  signInAs,
  startWorld,
  WAIT_MS,
} from './support.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshots/settings-webhooks.png', import.meta.url));

for (const { name, create } of DATABASES) {
  describe(`webhooks in Settings in chromium on ${name}`, () => {
    let database: TestDatabase;
    let world: E2EWorld;
    let browser: Browser;
    let receiver: Receiver;
    let worker: WebhookWorker | null = null;

    beforeAll(async () => {
      database = await create();
      world = await startWorld(database, { importProspects: true });
      await addAdmin(world);
      receiver = await startReceiver();
      browser = await launchChromium();
    }, WAIT_MS * 4);

    afterAll(async () => {
      await worker?.stop();
      await browser?.close();
      await receiver?.close();
      await world?.close();
      await database?.drop();
    });

    it('adds a webhook, shows it disabled with its latest error when its retries run out, and a replay delivers', async () => {
      const page = await newPage(browser, { width: 1280, height: 1000 });
      await signInAs(page, world.url, ADMIN.email, ADMIN.password);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      const section = page.getByRole('region', { name: 'Webhooks' });
      await section.getByText('No webhooks yet.').waitFor();

      await section.getByLabel('URL to send events to').fill(`${receiver.url}/e2e`);
      await section.getByRole('checkbox', { name: 'contact.created' }).uncheck();
      await section.getByRole('checkbox', { name: 'contact.updated' }).uncheck();
      await section.getByRole('checkbox', { name: /^Allow private addresses/ }).check();
      await section.getByRole('button', { name: 'Add webhook' }).click();
      const shown = await section
        .getByText(/^Copy the signing secret now, it is shown only once:/)
        .textContent();
      const secret = /whsec_\S+/.exec(shown ?? '')?.[0];
      expect(secret).toMatch(/^whsec_/);
      receiver.set('/e2e', { secret: secret!, mode: 'fail' });
      await section.getByRole('cell', { name: `${receiver.url}/e2e private addresses allowed` }).waitFor();

      worker = startWebhookWorker(world.store, {
        pollMs: 20,
        schedule: { firstDelayMs: 20, maxDelayMs: 50, retryForMs: 300 },
      });
      const contact = await world.store.db
        .selectFrom('contacts')
        .select('id')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await logAttempt(world.store, {
        user: world.rep,
        contactId: contact.id,
        outcome: 'no_answer',
        at: world.now(),
      });
      for (let i = 0; i < 200; i++) {
        const row = await world.store.db
          .selectFrom('webhook_endpoints')
          .select('disabled_at')
          .executeTakeFirstOrThrow();
        if (row.disabled_at !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }

      await page.reload();
      await section.getByText('Disabled', { exact: true }).waitFor();
      await expect(section.getByText('answered 500 Internal Server Error').count()).resolves.toBe(1);
      await section.getByText('0 delivered, 0 waiting, 1 failed').waitFor();
      if (process.env.SCREENSHOTS) await section.screenshot({ path: SCREENSHOT });

      receiver.set('/e2e', { mode: 'ok' });
      await section.getByRole('button', { name: `Replay ${receiver.url}/e2e` }).click();
      const got = await receiver.waitFor((r) => r.some((x) => x.status === 200));
      expect(got.find((x) => x.status === 200)).toMatchObject({ verified: true, type: 'attempt.logged' });
      await new Promise((r) => setTimeout(r, 200));
      await page.reload();
      await section.getByText('1 delivered, 0 waiting, 0 failed').waitFor();
      await section.getByText('Enabled', { exact: true }).waitFor();
      expect(pageErrors(page)).toEqual([]);
    });
  });
}
