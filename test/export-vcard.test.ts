/**
 * vCard 4.0 export of a list of contacts and of one, on SQLite and PostgreSQL, read with a real
 * vCard parser (ical.js): every field the contact has, escaped and folded so the parser gives it
 * back exactly; the importer reads the file back as the same contacts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, describe, expect, it } from 'vitest';
import { exportData } from '../src/app/export.js';
import { importContacts } from '../src/app/import/import-contacts.js';
import type { Store } from '../src/store/db.js';
import { appOver, expectProblem, tokenFor } from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'ringback-vcard-'));
const LONG_NOTE = `Met at the fair; asked about pricing, twice.\nPrefers mornings — ${'très bien '.repeat(12)}merci`;

async function vcards(store: Store, contactId?: number): Promise<string> {
  const parts: string[] = [];
  await exportData(store, {
    kind: 'contacts',
    format: 'vcard',
    sink: { write: async (t) => void parts.push(t) },
    user: null,
    contactId,
    now: NOW,
  });
  return parts.join('');
}

/** The cards a text holds, as ical.js components. */
function parsed(text: string): ICAL.Component[] {
  const jcal = ICAL.parse(text) as unknown[];
  const list = typeof jcal[0] === 'string' ? [jcal] : jcal;
  return list.map((card) => new ICAL.Component(card as unknown[]));
}

for (const { name, create } of DATABASES) {
  describe(`vCard export on ${name}`, () => {
    const opened: { database: TestDatabase; store: Store }[] = [];
    const fresh = async () => {
      const database = await create();
      const store = await openTestStore(database);
      opened.push({ database, store });
      return store;
    };
    afterAll(async () => {
      for (const { database, store } of opened) {
        await store.close();
        await database.drop();
      }
    });

    it('writes vCard 4.0 cards a vCard parser reads back field by field, and the importer too', async () => {
      const store = await fresh();
      const csv = join(dir, `people-${name}.csv`);
      writeFileSync(
        csv,
        'First Name,Last Name,Email,Company,Title,Work Phone,Mobile,Main Phone,Time Zone,Street,City,State,Postal Code,Country,Notes\n' +
          `Ana,"Ruiz, Jr.",ana@harbor.test,"Harbor; Freight",Ops lead,415-555-0101 x204,415-555-0111,415-555-0100,America/Los_Angeles,1 Pier Rd,Oakland,CA,94607,US,"${LONG_NOTE}"\n` +
          'Ben,Cole,,,,,+44 20 7946 0958,,,,,,,,\n',
      );
      expect(await importContacts(store, { file: csv, now: NOW })).toMatchObject({ created: 2, rejected: 0 });

      const text = await vcards(store);
      for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      const [ana, ben] = parsed(text);
      expect(ana!.getFirstPropertyValue('version')).toBe('4.0');
      expect(ana!.getFirstPropertyValue('fn')).toBe('Ana Ruiz, Jr.');
      expect(ana!.getFirstPropertyValue('n')).toEqual(['Ruiz, Jr.', 'Ana', '', '', '']);
      expect(ana!.getFirstPropertyValue('org')).toBe('Harbor; Freight');
      expect(ana!.getFirstPropertyValue('title')).toBe('Ops lead');
      expect(ana!.getFirstPropertyValue('email')).toBe('ana@harbor.test');
      expect(ana!.getFirstPropertyValue('tz')).toBe('America/Los_Angeles');
      expect(ana!.getFirstPropertyValue('note')).toBe(LONG_NOTE);
      expect(ana!.getFirstPropertyValue('adr')).toEqual([
        '',
        '',
        '1 Pier Rd',
        'Oakland',
        'CA',
        '94607',
        'US',
      ]);
      const tels = ana!.getAllProperties('tel').map((p) => [p.getFirstValue(), p.getParameter('type')]);
      expect(tels).toEqual([
        ['tel:+14155550100', ['work', 'x-main']],
        ['tel:+14155550101;ext=204', ['work', 'voice']],
        ['tel:+14155550111', ['cell', 'voice']],
      ]);
      expect(ben!.getFirstPropertyValue('fn')).toBe('Ben Cole');
      expect(ben!.getAllProperties('tel').map((p) => p.getFirstValue())).toEqual(['tel:+442079460958']);

      // The importer reads the cards back as the same people and numbers.
      const vcf = join(dir, `people-${name}.vcf`);
      writeFileSync(vcf, text);
      const target = await fresh();
      expect(await importContacts(target, { file: vcf, now: NOW })).toMatchObject({
        created: 2,
        rejected: 0,
      });
      const numbers = (s: Store) =>
        s.db
          .selectFrom('contact_numbers as cn')
          .innerJoin('numbers as n', 'n.id', 'cn.number_id')
          .innerJoin('contacts as c', 'c.id', 'cn.contact_id')
          .select(['c.first_name', 'c.last_name', 'c.notes', 'n.e164', 'cn.kind', 'cn.extension'])
          .orderBy('n.e164')
          .execute();
      expect(await numbers(target)).toEqual(await numbers(store));
    });

    it('gives one contact as a vCard over the API, to those who may see it', async () => {
      const store = await fresh();
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Harbor', created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const user = (email: string) =>
        store.db
          .insertInto('users')
          .values({ workspace_id: ws.id, email, role: 'rep', created_at: NOW })
          .returningAll()
          .executeTakeFirstOrThrow();
      const [riley, bo] = [await user('riley@harbor.test'), await user('bo@harbor.test')];
      const csv = join(dir, `one-${name}.csv`);
      writeFileSync(csv, 'First Name,Last Name,Mobile\nDee,Park,415-555-0104\nEli,Moss,415-555-0105\n');
      await importContacts(store, { file: csv, user: riley, ownerEmail: riley.email, now: NOW });
      const dee = await store.db
        .selectFrom('contacts')
        .select('id')
        .where('first_name', '=', 'Dee')
        .executeTakeFirstOrThrow();
      expect(parsed(await vcards(store, dee.id)).map((c) => c.getFirstPropertyValue('fn'))).toEqual([
        'Dee Park',
      ]);

      const app = await appOver(store, { now: () => NOW });
      try {
        const get = async (as: typeof riley) =>
          app.inject({
            method: 'GET',
            url: `/api/v1/contacts/${dee.id}/vcard`,
            headers: { authorization: `Bearer ${await tokenFor(store, as)}` },
          });
        const res = await get(riley);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('text/vcard; charset=utf-8');
        expect(res.headers['content-disposition']).toBe(`attachment; filename="contact-${dee.id}.vcf"`);
        const cards = parsed(res.body);
        expect(cards.map((c) => c.getFirstPropertyValue('fn'))).toEqual(['Dee Park']);
        expectProblem(await get(bo), 404);
      } finally {
        await app.close();
      }
    });
  });
}
