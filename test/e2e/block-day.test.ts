/**
 * A rep's call block worked with the keyboard alone, in Chromium against the real server, on
 * both databases: twelve calls, notes and a number typed between them, an Enter pressed while a
 * time is still being read, two calls keyed in one burst while the first is still being sent,
 * a skip with a reason and an undo; every figure of the summary is then checked against the
 * database.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_OUTCOMES } from '../../src/core/cadence/types.js';
import { DATABASES, type TestDatabase } from '../support/stores.js';
import {
  type E2EWorld,
  FIXTURES,
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

/** Focus is back on the call card: the next single key is a shortcut, not a letter in a field. */
const cardHasFocus = (page: Page) =>
  page.waitForFunction("document.activeElement?.classList.contains('contact-card') === true");

const loggedFor = (page: Page, name: string) =>
  page.locator('.last-logged:not(.block-notice)', { hasText: `for ${name}.` }).waitFor();

/** One call: its outcome key, whatever is typed, and the key that logs it. */
async function call(page: Page, key: string, type: (page: Page) => Promise<void> = async () => {}) {
  const name = await currentName(page);
  await page.keyboard.press(key);
  await type(page);
  await loggedFor(page, name);
  await cardHasFocus(page);
  return name;
}

const enter = async (page: Page) => page.keyboard.press('Enter');

for (const { name, create } of DATABASES) {
  describe(`a keyboard-only call block in chromium on ${name}`, () => {
    let database: TestDatabase;
    let world: E2EWorld;
    let browser: Browser;

    beforeAll(async () => {
      database = await create();
      world = await startWorld(database, { importProspects: join(FIXTURES, 'block-day.csv') });
      browser = await launchChromium();
    }, WAIT_MS * 4);

    afterAll(async () => {
      await browser?.close();
      await world?.close();
      await database?.drop();
    });

    const contactNamed = async (fullName: string) => {
      const [first, ...rest] = fullName.split(' ');
      return world.store.db
        .selectFrom('contacts')
        .select('id')
        .where('first_name', '=', first!)
        .where('last_name', '=', rest.join(' '))
        .executeTakeFirstOrThrow();
    };
    const attemptsOf = async (fullName: string) => {
      const { id } = await contactNamed(fullName);
      return world.store.db
        .selectFrom('attempts')
        .select(['outcome', 'note', 'scheduled_for'])
        .where('contact_id', '=', id)
        .execute();
    };

    it(
      'works twelve calls, a skip and an undo, and the summary counts what the database holds',
      async () => {
        const page = await newPage(browser);
        await signInAs(page, world.url, REP.email, REP.password);
        await page.getByRole('heading', { name: 'Start a call block' }).waitFor();
        await enter(page);
        await page.locator('#current-contact-name').waitFor();

        const outcomes = new Map<string, string>();
        outcomes.set(await call(page, 'n', enter), 'no_answer');
        const voicemailed = await call(page, 'v', enter);
        outcomes.set(voicemailed, 'voicemail_left');
        // Reception gives a mobile: typed into the new-number field, Enter logs from there.
        const gatekept = await call(page, 'g', async () => {
          // The optional "when" field has the focus: Esc leaves it, l goes to the new number.
          await page.keyboard.press('Escape');
          await page.keyboard.press('l');
          await page.keyboard.type('(917) 555-0199');
          await enter(page);
        });
        outcomes.set(gatekept, 'gatekeeper');
        // A conversation with a note; Ctrl+Enter logs from the note.
        const talked = await call(page, 'c', async () => {
          await page.keyboard.press('m');
          await page.keyboard.type('Wants a Q1 pilot; send the deck');
          await page.keyboard.press('Control+Enter');
        });
        outcomes.set(talked, 'connected');
        // Enter pressed at once, while "tomorrow 3pm" is still being read: kept, and logged when read.
        const callback = await call(page, 'r', async () => {
          await page.keyboard.type('tomorrow 3pm');
          await enter(page);
        });
        outcomes.set(callback, 'callback_requested');

        // Skip one, with "needs research" (key 2).
        const skipped = await currentName(page);
        await page.keyboard.press('s');
        await page.getByRole('dialog', { name: `Skip ${skipped}?` }).waitFor();
        await page.keyboard.press('2');
        await page
          .locator('.block-notice', { hasText: `Skipped ${skipped} (needs research first)` })
          .waitFor();
        await expect.poll(() => currentName(page), { timeout: WAIT_MS }).not.toBe(skipped);
        await cardHasFocus(page);

        outcomes.set(await call(page, 'b', enter), 'busy');
        const appointment = await call(page, 'a', async () => {
          await page.keyboard.type('Wednesday 10am');
          await page.getByText('your time', { exact: false }).waitFor();
          await enter(page);
        });
        outcomes.set(appointment, 'appointment_set');

        // "Not interested" by mistake: undone, the contact is back on the card, and gets a voicemail.
        const mistaken = await call(page, 'i', enter);
        await page.keyboard.press('u');
        await page
          .locator('.block-notice', { hasText: `Undone: “Not interested” for ${mistaken}` })
          .waitFor();
        await expect.poll(() => currentName(page), { timeout: WAIT_MS }).toBe(mistaken);
        expect(await attemptsOf(mistaken)).toEqual([]);
        await cardHasFocus(page);
        outcomes.set(await call(page, 'v', enter), 'voicemail_left');

        // Two calls keyed in one burst: the second call's keys arrive while the first is being sent.
        const first = await currentName(page);
        await page.keyboard.press('n');
        await enter(page);
        await page.keyboard.press('h');
        await enter(page);
        await expect
          .poll(() => page.locator('.stats').first().innerText(), { timeout: WAIT_MS })
          .toMatch(/Dials\s*10/);
        const logs = await world.store.db
          .selectFrom('attempts')
          .select(['contact_id', 'outcome'])
          .orderBy('id')
          .execute();
        const [a, b] = logs.slice(-2);
        expect([a!.outcome, b!.outcome]).toEqual(['no_answer', 'voicemail_skipped']);
        expect(a!.contact_id).not.toBe(b!.contact_id);
        expect(a!.contact_id).toBe((await contactNamed(first)).id);
        await cardHasFocus(page);

        outcomes.set(
          await call(page, 'o', async () => {
            await page.keyboard.type('back Monday the 30th');
            await enter(page);
          }),
          'away',
        );
        outcomes.set(await call(page, 'p', enter), 'wrong_person');

        // What was typed reached the database.
        expect(await attemptsOf(talked)).toEqual([
          { outcome: 'connected', note: 'Wants a Q1 pilot; send the deck', scheduled_for: null },
        ]);
        expect((await attemptsOf(callback))[0]).toMatchObject({
          outcome: 'callback_requested',
          scheduled_for: Date.UTC(2026, 10, 24, 20, 0),
        });
        const learned = await world.store.db
          .selectFrom('contact_numbers as cn')
          .innerJoin('numbers as n', 'n.id', 'cn.number_id')
          .select(['n.e164', 'cn.kind'])
          .where('cn.contact_id', '=', (await contactNamed(gatekept)).id)
          .where('cn.source', '=', 'gatekeeper')
          .execute();
        expect(learned).toEqual([{ e164: '+19175550199', kind: 'mobile' }]);
        for (const [who, outcome] of outcomes) {
          expect(
            (await attemptsOf(who)).map((x) => x.outcome),
            who,
          ).toEqual([outcome]);
        }

        // The contact who got the first voicemail calls back mid-block: a callback received.
        const number = await world.store.db
          .selectFrom('contact_numbers as cn')
          .innerJoin('numbers as n', 'n.id', 'cn.number_id')
          .select('n.e164')
          .where('cn.contact_id', '=', (await contactNamed(voicemailed)).id)
          .executeTakeFirstOrThrow();
        expect((await inboundCall(world, number.e164, 'CA-block-day-callback')).status).toBe(200);
        await page.locator('.toast', { hasText: `Callback from ${voicemailed}` }).waitFor();

        // End the block: e, then Enter confirms.
        await page.keyboard.press('e');
        await page.getByRole('dialog', { name: 'End the call block now?' }).waitFor();
        await enter(page);
        await page.getByRole('heading', { name: 'Block summary' }).waitFor();
        const figures = new Map(
          await page
            .locator('.summary-figures > div')
            .evaluateAll((divs) =>
              divs.map(
                (d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent] as const,
              ),
            ),
        );

        const db = world.store.db;
        const block = await db.selectFrom('call_blocks').selectAll().executeTakeFirstOrThrow();
        const attempts = await db
          .selectFrom('attempts')
          .select(['outcome', 'voicemail_left'])
          .where('user_id', '=', world.rep.id)
          .where('started_at', '>=', block.started_at)
          .where('started_at', '<=', block.ended_at!)
          .execute();
        const count = async (
          table: 'skips' | 'appointments',
          column: 'block_id' | 'user_id',
          value: number,
        ) =>
          Number(
            (
              await db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where(column, '=', value)
                .executeTakeFirstOrThrow()
            ).n,
          );
        const callbacks = await db
          .selectFrom('screening_decisions')
          .select('id')
          .where('block_id', '=', block.id)
          .where('reason', '=', 'callback_list')
          .execute();
        const fromDatabase = {
          Dials: attempts.length,
          Conversations: attempts.filter((x) => LIVE_OUTCOMES.has(x.outcome)).length,
          'Voicemails left': attempts.filter((x) => x.voicemail_left === 1).length,
          'Appointments set': await count('appointments', 'user_id', world.rep.id),
          'Callbacks received': callbacks.length,
          Skips: await count('skips', 'block_id', block.id),
        };
        expect(fromDatabase).toEqual({
          Dials: 12,
          Conversations: 3,
          'Voicemails left': 2,
          'Appointments set': 1,
          'Callbacks received': 1,
          Skips: 1,
        });
        for (const [label, value] of Object.entries(fromDatabase)) {
          expect(figures.get(label), label).toBe(String(value));
        }
        const text = await page.locator('main').innerText();
        expect(text).toContain('Promises you made');
        expect(text).toMatch(new RegExp(`Call back ${callback}.*tomorrow 15:00`));
        expect(text).toMatch(new RegExp(`Appointment with ${appointment}.*Wednesday 10:00`));
        expect(pageErrors(page)).toEqual([]);
        await page.context().close();
      },
      WAIT_MS * 8,
    );
  });
}
