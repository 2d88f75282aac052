/**
 * Export → import without loss, on SQLite and PostgreSQL: the contacts CSV carries each
 * contact's owner, every number with its kind, extension and do-not-call flag, and its campaign
 * enrollments, and importing it into an empty workspace (with the same users) gives them all
 * back, compared field by field; the JSON export says the same.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExportFormat, exportData } from '../src/app/export.js';
import { importContacts } from '../src/app/import/import-contacts.js';
import type { Store } from '../src/store/db.js';
import type { User } from '../src/store/schema.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'ringback-round-trip-'));

async function exported(store: Store, format: ExportFormat): Promise<string> {
  const parts: string[] = [];
  await exportData(store, {
    kind: 'contacts',
    format,
    sink: { write: async (t) => void parts.push(t) },
    user: null,
    now: NOW,
  });
  return parts.join('');
}

async function users(store: Store): Promise<{ mia: User; riley: User }> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Harbor', created_at: NOW })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = (email: string, role: 'rep' | 'manager') =>
    store.db
      .insertInto('users')
      .values({ workspace_id: ws.id, email, role, created_at: NOW })
      .returningAll()
      .executeTakeFirstOrThrow();
  return { mia: await user('mia@harbor.test', 'manager'), riley: await user('riley@harbor.test', 'rep') };
}

/** Every contact as the workspace holds it, by name, without ids. */
async function snapshot(store: Store) {
  const contacts = await store.db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .select([
      'c.id',
      'c.first_name',
      'c.last_name',
      'c.title',
      'co.name as company',
      'c.email',
      'c.kind',
      'c.time_zone',
      'c.interests',
      'c.notes',
      'c.street',
      'c.city',
      'c.region',
      'c.postal_code',
      'c.country',
      'c.do_not_call',
      'u.email as owner',
    ])
    .orderBy('c.last_name')
    .execute();
  const out = [];
  for (const { id, ...c } of contacts) {
    const numbers = await store.db
      .selectFrom('contact_numbers as cn')
      .innerJoin('numbers as n', 'n.id', 'cn.number_id')
      .leftJoin('dnc_entries as d', (j) =>
        j.onRef('d.e164', '=', 'n.e164').onRef('d.workspace_id', '=', 'n.workspace_id'),
      )
      .select(['n.e164', 'cn.kind', 'cn.extension', 'd.id as listed'])
      .where('cn.contact_id', '=', id)
      .orderBy('n.e164')
      .execute();
    const enrollments = await store.db
      .selectFrom('enrollments as e')
      .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
      .leftJoin('users as u', 'u.id', 'e.owner_id')
      .select(['k.name as campaign', 'e.state', 'u.email as owner'])
      .where('e.contact_id', '=', id)
      .orderBy('k.name')
      .execute();
    out.push({
      ...c,
      numbers: numbers.map(({ listed, ...n }) => ({ ...n, doNotCall: listed !== null })),
      enrollments,
    });
  }
  return out;
}

for (const { name, create } of DATABASES) {
  describe(`contacts export round trip on ${name}`, () => {
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

    it('gives back owners, numbers with kinds and do-not-call flags, and enrollments, field by field', async () => {
      const source = await fresh();
      const { mia, riley } = await users(source);
      const csv = join(dir, `people-${name}.csv`);
      writeFileSync(
        csv,
        'First Name,Last Name,Email,Company,Title,Work Phone,Mobile,Home Phone,Kind,Time Zone,City,State,Notes,Interests\n' +
          'Ana,Ruiz,ana@harbor.test,Harbor Freight,Ops lead,415-555-0101 x204,415-555-0111,,business,America/Los_Angeles,Oakland,CA,"Met at the fair\nLikes email",Forklifts\n' +
          'Ben,Cole,ben@harbor.test,Harbor Freight,Finance,415-555-0102,,,business,,,,,\n' +
          'Cara,Diaz,,,,,,+44 20 7946 0958,consumer,Europe/London,London,,,\n',
      );
      expect(
        await importContacts(source, {
          file: csv,
          user: riley,
          ownerEmail: riley.email,
          campaign: 'Harbor Q4',
          now: NOW,
        }),
      ).toMatchObject({ created: 3, rejected: 0 });
      // Cara is Mia's, in a second campaign whose name has a semicolon; Ben won; Ana's mobile and
      // Cara herself are on the do-not-call list.
      const id = async (last: string) =>
        (
          await source.db
            .selectFrom('contacts')
            .select('id')
            .where('last_name', '=', last)
            .executeTakeFirstOrThrow()
        ).id;
      const [ben, cara] = [await id('Cole'), await id('Diaz')];
      // Handed to Mia with her enrollment (an enrollment comes back owned by its contact's owner).
      await source.db.updateTable('contacts').set({ owner_id: mia.id }).where('id', '=', cara).execute();
      await source.db
        .updateTable('enrollments')
        .set({ owner_id: mia.id })
        .where('contact_id', '=', cara)
        .execute();
      const caraCsv = join(dir, `cara-${name}.csv`);
      writeFileSync(caraCsv, 'First Name,Last Name,Home Phone\nCara,Diaz,+44 20 7946 0958\n');
      expect(
        await importContacts(source, {
          file: caraCsv,
          user: mia,
          ownerEmail: mia.email,
          campaign: 'Spring; UK',
          now: NOW,
        }),
      ).toMatchObject({ unchanged: 1 });
      await source.db
        .updateTable('enrollments')
        .set({ state: 'won' })
        .where('contact_id', '=', ben)
        .execute();
      // As marking her do-not-call does (rule 13): every enrollment ends.
      await source.db.updateTable('contacts').set({ do_not_call: 1 }).where('id', '=', cara).execute();
      await source.db
        .updateTable('enrollments')
        .set({ state: 'dnc' })
        .where('contact_id', '=', cara)
        .execute();
      const ws = await source.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
      await source.db
        .insertInto('dnc_entries')
        .values({ workspace_id: ws.id, e164: '+14155550111', source: 'manual', created_at: NOW })
        .execute();
      const before = await snapshot(source);
      expect(before.map((c) => c.owner)).toEqual([riley.email, mia.email, riley.email]);
      const [cole, diaz, ruiz] = before as [(typeof before)[0], (typeof before)[0], (typeof before)[0]];
      expect(ruiz.numbers).toEqual([
        { e164: '+14155550101', kind: 'direct', extension: '204', doNotCall: false },
        { e164: '+14155550111', kind: 'mobile', extension: '', doNotCall: true },
      ]);
      expect(cole.enrollments).toEqual([{ campaign: 'Harbor Q4', state: 'won', owner: riley.email }]);
      expect(diaz.enrollments).toEqual([
        { campaign: 'Harbor Q4', state: 'dnc', owner: mia.email },
        { campaign: 'Spring; UK', state: 'dnc', owner: mia.email },
      ]);

      const out = join(dir, `export-${name}.csv`);
      writeFileSync(out, await exported(source, 'csv'));
      const target = await fresh();
      await users(target);
      const summary = await importContacts(target, { file: out, now: NOW });
      expect(summary).toMatchObject({ created: 3, rejected: 0, errors: [] });
      expect(await snapshot(target)).toEqual(before);

      // The JSON export of what came back is the source's, but for the ids.
      const withoutIds = (text: string) =>
        (JSON.parse(text) as { id: number }[]).map(({ id: _id, ...c }) => c);
      expect(withoutIds(await exported(target, 'json'))).toEqual(withoutIds(await exported(source, 'json')));
    });

    it('rejects a row naming an owner who is not a user here, saying how to leave the column out', async () => {
      const store = await fresh();
      await users(store);
      const csv = join(dir, `ghost-${name}.csv`);
      writeFileSync(
        csv,
        'First Name,Last Name,Owner Email\nDee,Park,ghost@harbor.test\nEli,Moss,mia@harbor.test\n',
      );
      const summary = await importContacts(store, { file: csv, now: NOW });
      expect(summary).toMatchObject({ created: 1, rejected: 1 });
      expect(summary.errors).toEqual([
        {
          row: 2,
          field: 'Owner Email',
          message:
            'ghost@harbor.test is not a user of this workspace (add them first, or leave the column out with --map "Owner Email=ignore")',
        },
      ]);
    });
  });
}
