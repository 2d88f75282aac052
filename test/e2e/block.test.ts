/**
 * The call block in a real browser against the real server, on both databases: sign in,
 * start a block, log five outcomes with the keyboard alone, check the follow-up the cadence
 * gave each (on screen and in the database), end the block and read the summary; and the
 * same page at phone width.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import {
  type E2EWorld,
  inboundCall,
  launchChromium,
  newPage,
  pageErrors,
  REP,
  signInAs,
  startWorld,
  WAIT_MS,
} from './support.js';

const currentName = (page: Page) => page.locator('#current-contact-name').innerText();

/** Presses the outcome's key (and types its time), then Enter; waits for the server's answer. */
async function logWithKeyboard(page: Page, key: string, when?: string): Promise<string> {
  const name = await currentName(page);
  await page.keyboard.press(key);
  if (when !== undefined) {
    await page.keyboard.type(when);
    // The preview is the server's reading: wait for it before logging.
    await page.getByText('your time', { exact: false }).waitFor();
  }
  await page.keyboard.press('Enter');
  await page.locator('.last-logged', { hasText: `for ${name}.` }).waitFor();
  return name;
}

for (const { name, create } of DATABASES) {
  describe(`call block in chromium on ${name}`, () => {
    let database: TestDatabase;
    let world: E2EWorld;
    let browser: Browser;

    const idOf = async (fullName: string) => {
      const [first, ...rest] = fullName.split(' ');
      const row = await world.store.db
        .selectFrom('contacts')
        .select('id')
        .where('first_name', '=', first!)
        .where('last_name', '=', rest.join(' '))
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const attemptsOf = async (contactId: number) =>
      Number(
        (
          await world.store.db
            .selectFrom('attempts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('contact_id', '=', contactId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      database = await create();
      world = await startWorld(database, { importProspects: true });
      browser = await launchChromium();
    }, WAIT_MS * 4);

    afterAll(async () => {
      await browser?.close();
      await world?.close();
      await database?.drop();
    });

    // It only looks, so it leaves the queue whole for the next test.
    it('fits a phone: no sideways scrolling, the contact and the outcome buttons in reach', async () => {
      const page = await newPage(browser, { width: 390, height: 844 });
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('button', { name: 'Start block' }).click();
      await page.locator('#current-contact-name').waitFor();
      // A string, evaluated in the page (the tests are typed for Node, not the DOM).
      const widths = (await page.evaluate(
        '({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })',
      )) as { scroll: number; view: number };
      expect(widths.scroll).toBeLessThanOrEqual(widths.view);
      const button = await page.getByRole('button', { name: /No answer/ }).boundingBox();
      expect(button).not.toBeNull();
      expect(button!.x).toBeGreaterThanOrEqual(0);
      expect(button!.x + button!.width).toBeLessThanOrEqual(390);
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });

    it('keeps an outcome logged while the server is unreachable, shows it pending, and sends it once when back', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('button', { name: 'Start block' }).click();
      const name = await currentName(page);
      const contactId = await idOf(name);
      await page.route('**/api/v1/attempts', (route) => route.abort('internetdisconnected'));
      await page.keyboard.press('g');
      await page.getByLabel('New number learned').fill('(917) 555-0199');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: '1 outcome waiting for the server' }).waitFor();
      await page.locator('.last-logged', { hasText: 'Pending' }).waitFor();
      // The next contact is offered meanwhile.
      await expect.poll(() => currentName(page), { timeout: WAIT_MS }).not.toBe(name);
      expect(await attemptsOf(contactId)).toBe(0);
      // Back online: the outbox retries by itself.
      await page.unroute('**/api/v1/attempts');

      await page
        .getByRole('status')
        .filter({ hasText: 'waiting for the server' })
        .waitFor({ state: 'detached' });
      await expect.poll(() => attemptsOf(contactId), { timeout: WAIT_MS }).toBe(1);
      const learned = await world.store.db
        .selectFrom('contact_numbers as cn')
        .innerJoin('numbers as n', 'n.id', 'cn.number_id')
        .select(['n.e164', 'cn.kind'])
        .where('cn.contact_id', '=', contactId)
        .where('n.e164', '=', '+19175550199')
        .execute();
      expect(learned).toEqual([{ e164: '+19175550199', kind: 'mobile' }]);
      await page.context().close();
    });

    it('logs five outcomes with the keyboard alone and shows the follow-up each got', async () => {
      const page = await newPage(browser);
      await signInAs(page, world.url, REP.email, REP.password);
      await page.getByRole('heading', { name: 'Start a call block' }).waitFor();
      // The start button has the focus: Enter starts the block.
      await page.keyboard.press('Enter');
      await page.locator('#current-contact-name').waitFor();
      await expect.poll(() => page.getByRole('timer').innerText(), { timeout: WAIT_MS }).toMatch(/\d+:\d\d/);

      const logged = new Map<string, string>();
      logged.set('no_answer', await logWithKeyboard(page, 'n'));
      logged.set('voicemail_left', await logWithKeyboard(page, 'v'));
      logged.set('callback_requested', await logWithKeyboard(page, 'r', 'tomorrow 3pm'));
      logged.set('busy', await logWithKeyboard(page, 'b'));
      logged.set('appointment_set', await logWithKeyboard(page, 'a', 'Wednesday 10am'));
      expect(new Set(logged.values()).size).toBe(5);

      await expect.poll(() => page.locator('.stats').innerText(), { timeout: WAIT_MS }).toMatch(/Dials\s*5/);
      expect(await page.locator('.stats').innerText()).toMatch(/Voicemails\s*1/);

      // What the cadence scheduled, as stored.
      const due = async (fullName: string) => {
        const [first, ...rest] = fullName.split(' ');
        const row = await world.store.db
          .selectFrom('enrollments as e')
          .innerJoin('contacts as c', 'c.id', 'e.contact_id')
          .select(['e.next_due_at', 'e.due_kind', 'e.state', 'e.attempt_count'])
          .where('c.first_name', '=', first!)
          .where('c.last_name', '=', rest.join(' '))
          .executeTakeFirstOrThrow();
        return row;
      };
      const tomorrow3pm = Date.UTC(2026, 10, 24, 20, 0);
      const wednesday10am = Date.UTC(2026, 10, 25, 15, 0);
      expect(await due(logged.get('callback_requested')!)).toMatchObject({
        next_due_at: tomorrow3pm,
        due_kind: 'callback',
        attempt_count: 1,
      });
      expect(await due(logged.get('appointment_set')!)).toMatchObject({
        next_due_at: wednesday10am,
        due_kind: 'appointment',
        state: 'appointment',
      });
      // No message left with most of the day ahead: later today, New York time (rule 1).
      for (const outcome of ['no_answer', 'busy']) {
        const row = await due(logged.get(outcome)!);
        expect(row.due_kind, outcome).toBe('retry');
        expect(row.next_due_at!, outcome).toBeLessThan(Date.UTC(2026, 10, 24, 5, 0));
        expect(row.next_due_at!, outcome).toBeGreaterThan(world.now());
      }
      // A voicemail: one to two business days later (rule 2).
      const afterVoicemail = (await due(logged.get('voicemail_left')!)).next_due_at!;
      expect(afterVoicemail).toBeGreaterThan(Date.UTC(2026, 10, 24, 5, 0));
      expect(afterVoicemail).toBeLessThan(Date.UTC(2026, 10, 26, 5, 0));

      // The contact who got the voicemail calls back: put through mid-block, with a toast.
      const voicemailed = logged.get('voicemail_left')!;
      const number = await world.store.db
        .selectFrom('contact_numbers as cn')
        .innerJoin('numbers as n', 'n.id', 'cn.number_id')
        .select('n.e164')
        .where('cn.contact_id', '=', await idOf(voicemailed))
        .executeTakeFirstOrThrow();
      const ring = await inboundCall(world, number.e164, 'CA-e2e-callback');
      expect(ring.status).toBe(200);
      expect(await ring.text()).toContain('<Dial');
      await page.locator('.toast', { hasText: `Callback from ${voicemailed}` }).waitFor();
      // A stranger goes to voicemail, unseen until the block ends.
      const stranger = await inboundCall(world, '+12025550177', 'CA-e2e-stranger');
      expect(await stranger.text()).not.toContain('<Dial');
      expect(await page.locator('.toast').count()).toBe(1);

      await page.getByRole('button', { name: 'End block' }).click();
      await page.getByRole('heading', { name: 'Block summary' }).waitFor();
      await page.getByRole('heading', { name: 'Calls sent to voicemail during the block' }).waitFor();
      expect(await page.locator('main').innerText()).toMatch(/1 call put through; 1 call sent to voicemail/);
      expect(await page.locator('main').innerText()).toContain('+12025550177');
      const summary = await page.locator('main').innerText();
      // A callback asked for and an appointment made are conversations too.
      expect(summary).toMatch(/Dials\s*5\s*Conversations\s*2\s*Voicemails left\s*1\s*Appointments set\s*1/);
      for (const contact of logged.values()) expect(summary).toContain(contact);
      expect(summary).toContain('Call me back');
      expect(pageErrors(page)).toEqual([]);
      await page.context().close();
    });
  });
}
