/**
 * CSV export against spreadsheet formula injection, and the round trip back through import,
 * on SQLite and PostgreSQL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { exportData } from '../src/app/export.js';
import { importContacts } from '../src/app/import/import-contacts.js';
import { neutralizeCell, neutralizePhoneCell, restoreCell } from '../src/core/import/spreadsheet-cells.js';
import type { Store } from '../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'ringback-export-cells-'));

describe('spreadsheet cells', () => {
  it('gives back every value that export neutralized, whatever it starts with', () => {
    const start = fc.constantFrom('', "'", "''", '=', '+', '-', '@', '\t', '\r', 'a', "'a");
    fc.assert(
      fc.property(start, start, fc.string(), (a, b, rest) => {
        const value = a + b + rest;
        expect(restoreCell(neutralizeCell(value))).toBe(value);
        expect(restoreCell(neutralizePhoneCell(value))).toBe(value);
        expect(neutralizeCell(value)).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves E.164 numbers in phone cells as they are and neutralizes anything else there', () => {
    expect(neutralizePhoneCell('+14155550123')).toBe('+14155550123');
    expect(neutralizePhoneCell('+14155550123 x204; +442079460958')).toBe('+14155550123 x204; +442079460958');
    expect(neutralizePhoneCell('+1+cmd|calc')).toBe("'+1+cmd|calc");
    expect(neutralizeCell('+14155550123')).toBe("'+14155550123");
  });
});

async function exportCsv(store: Store): Promise<string> {
  const parts: string[] = [];
  await exportData(store, {
    kind: 'contacts',
    format: 'csv',
    sink: { write: async (t) => void parts.push(t) },
    user: null,
    now: NOW,
  });
  return parts.join('');
}

async function snapshot(store: Store) {
  const contacts = await store.db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select(['c.first_name', 'c.last_name', 'c.title', 'c.notes', 'c.city', 'co.name as company'])
    .orderBy('c.last_name')
    .execute();
  const numbers = await store.db
    .selectFrom('contact_numbers as cn')
    .innerJoin('contacts as c', 'c.id', 'cn.contact_id')
    .innerJoin('numbers as n', 'n.id', 'cn.number_id')
    .select(['c.last_name', 'n.e164', 'cn.kind', 'cn.extension'])
    .orderBy('c.last_name')
    .orderBy('n.e164')
    .execute();
  return { contacts, numbers };
}

for (const { name, create } of DATABASES) {
  describe(`CSV export on ${name}`, () => {
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

    it('writes no cell a spreadsheet would run as a formula, and imports back exactly', async () => {
      const source = await fresh();
      const csv = join(dir, `in-${name}.csv`);
      writeFileSync(
        csv,
        'First Name,Last Name,Title,Company,City,Notes,Phone,Mobile Phone\n' +
          `@SUM(A1),Lee,-2+3,+cmd|' /C calc'!A0,=1+1,"=HYPERLINK(""http://evil.test"",""x"")",415.555.0123 x204,+44 20 7946 0958\n` +
          `Sam,Ortiz,'=quoted,Globex,Boston,plain,212-555-0100,\n`,
      );
      const imported = await importContacts(source, { file: csv, now: NOW });
      expect(imported).toMatchObject({ created: 2, rejected: 0 });
      const before = await snapshot(source);
      // The apostrophe in "'=quoted" was the neutralizing kind, so it is not part of the title.
      expect(before.contacts.map((c) => c.title)).toEqual(['-2+3', '=quoted']);

      const text = await exportCsv(source);
      const [header, ...rows] = parse(text) as string[][];
      const col = (h: string) => header!.indexOf(h);
      const lee = rows.find((r) => r[col('Last Name')] === 'Lee')!;
      expect(lee[col('First Name')]).toBe("'@SUM(A1)");
      expect(lee[col('Title')]).toBe("'-2+3");
      expect(lee[col('Company')]).toBe("'+cmd|' /C calc'!A0");
      expect(lee[col('City')]).toBe("'=1+1");
      expect(lee[col('Notes')]).toBe(`'=HYPERLINK("http://evil.test","x")`);
      expect(lee[col('Direct Phone')]).toBe('+14155550123 x204');
      expect(lee[col('Mobile Phone')]).toBe('+442079460958');
      for (const row of rows)
        for (const cell of row) if (!/^\+\d/.test(cell)) expect(cell).not.toMatch(/^[=+\-@]/);

      const out = join(dir, `out-${name}.csv`);
      writeFileSync(out, text);
      const target = await fresh();
      expect(await importContacts(target, { file: out, now: NOW })).toMatchObject({
        created: 2,
        rejected: 0,
      });
      expect(await snapshot(target)).toEqual(before);
    });

    it("gives each call in the attempts export in the contact's local time and zone", async () => {
      const store = await fresh();
      const csv = join(dir, `zones-${name}.csv`);
      writeFileSync(
        csv,
        'First Name,Last Name,Time Zone,Phone\n' +
          'Dana,Lee,America/Los_Angeles,415-555-0123\n' +
          'Ravi,Patel,,+44 20 7946 0958\n',
      );
      await importContacts(store, { file: csv, now: NOW });
      const ws = await store.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
      const links = await store.db
        .selectFrom('contact_numbers as cn')
        .innerJoin('contacts as c', 'c.id', 'cn.contact_id')
        .select(['c.id', 'cn.number_id', 'c.last_name'])
        .orderBy('c.id')
        .execute();
      for (const l of links) {
        await store.db
          .insertInto('attempts')
          .values({
            workspace_id: ws.id,
            contact_id: l.id,
            number_id: l.number_id,
            started_at: NOW, // 09:00 UTC
            outcome: 'no_answer',
            created_at: NOW,
          })
          .execute();
      }
      const parts: string[] = [];
      await exportData(store, {
        kind: 'attempts',
        format: 'csv',
        sink: { write: async (t) => void parts.push(t) },
        user: null,
        now: NOW,
      });
      const [header, ...rows] = parse(parts.join('')) as string[][];
      const col = (h: string) => header!.indexOf(h);
      expect(
        rows.map((r) => [r[col('Contact')], r[col('Contact Local Time')], r[col('Contact Time Zone')]]),
      ).toEqual([
        ['Dana Lee', '2026-11-24T01:00:00-08:00', 'America/Los_Angeles'],
        ['Ravi Patel', '2026-11-24T09:00:00+00:00', 'Europe/London'],
      ]);
    });
  });
}
