/**
 * Import, end to end through the use case, on SQLite and PostgreSQL.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IMPORT_SILENT_MS,
  importContacts,
  recoverStoppedImports,
  UPLOAD_DIR_PREFIX,
} from '../src/app/import/import-contacts.js';
import type { Store } from '../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'ringback-import-'));
let fileCount = 0;
function file(content: string | Buffer, ext = 'csv'): string {
  const path = join(dir, `f${++fileCount}.${ext}`);
  writeFileSync(path, content);
  return path;
}

async function contactsWithNumbers(store: Store) {
  const contacts = await store.db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select(['c.id', 'c.first_name', 'c.last_name', 'c.email', 'c.title', 'c.notes', 'co.name as company'])
    .orderBy('c.id')
    .execute();
  const links = await store.db
    .selectFrom('contact_numbers as cn')
    .innerJoin('numbers as n', 'n.id', 'cn.number_id')
    .select(['cn.contact_id', 'n.e164', 'cn.kind', 'cn.extension'])
    .orderBy('n.e164')
    .execute();
  return contacts.map((c) => ({
    ...c,
    numbers: links.filter((l) => l.contact_id === c.id).map(({ contact_id: _, ...l }) => l),
  }));
}

for (const { name, create } of DATABASES) {
  describe(`import on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    const fresh = async () => {
      await store?.close();
      await database?.drop();
      database = await create();
      store = await openTestStore(database);
    };
    beforeAll(fresh);
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it('imports a CSV and keeps an extension, several numbers and their kinds', async () => {
      await fresh();
      const path = file(
        'First Name,Last Name,Company,Email,Phone,Mobile Phone,Notes\n' +
          'Dana,Lee,Acme,dana@acme.test,415.555.0123 x204,(415) 555-0199,"met at\nSaaStr"\n' +
          'Ravi,Patel,Globex,ravi@globex.test,+44 20 7946 0958,,\n',
      );
      const summary = await importContacts(store, { file: path, now: NOW });
      expect(summary).toMatchObject({
        read: 2,
        created: 2,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        errors: [],
      });
      const contacts = await contactsWithNumbers(store);
      expect(contacts).toHaveLength(2);
      expect(contacts[0]).toMatchObject({
        first_name: 'Dana',
        last_name: 'Lee',
        company: 'Acme',
        notes: 'met at\nSaaStr',
      });
      expect(contacts[0]!.numbers).toEqual([
        { e164: '+14155550123', kind: 'direct', extension: '204' },
        { e164: '+14155550199', kind: 'mobile', extension: '' },
      ]);
      expect(contacts[1]!.numbers).toEqual([{ e164: '+442079460958', kind: 'direct', extension: '' }]);
    });

    it('creates nothing when the same file is imported twice', async () => {
      await fresh();
      const path = file('Name,Phone,Email\nDana Lee,415-555-0123,dana@acme.test\nSam Ortiz,212 555 0100,\n');
      const first = await importContacts(store, { file: path, now: NOW });
      expect(first).toMatchObject({ read: 2, created: 2 });
      const second = await importContacts(store, { file: path, now: NOW });
      expect(second).toMatchObject({ read: 2, created: 0, updated: 0, unchanged: 2, rejected: 0 });
      expect(await contactsWithNumbers(store)).toHaveLength(2);
    });

    it('merges changed fields into the contact found by email or by number instead of duplicating it', async () => {
      await fresh();
      await importContacts(store, {
        file: file(
          'Name,Phone,Email,Title\nDana Lee,415-555-0123,dana@acme.test,VP Sales\nSam Ortiz,212 555 0100,,\n',
        ),
        now: NOW,
      });
      const summary = await importContacts(store, {
        file: file(
          'Name,Phone,Email,Title,Mobile\n' +
            'Dana Lee,,DANA@acme.test,CRO,\n' + // same email, different case
            'Sam Ortiz,(212) 555-0100,,,646 555 0147\n', // same number, new mobile
        ),
        now: NOW,
      });
      expect(summary).toMatchObject({ read: 2, created: 0, updated: 2, unchanged: 0 });
      const contacts = await contactsWithNumbers(store);
      expect(contacts).toHaveLength(2);
      expect(contacts[0]).toMatchObject({ first_name: 'Dana', title: 'CRO' });
      expect(contacts[1]!.numbers.map((n) => n.e164)).toEqual(['+12125550100', '+16465550147']);
    });

    it('keeps two people who share a mobile apart when their emails differ, across batches', async () => {
      await fresh();
      // More filler than one import batch holds, so Bob is matched against what is already stored.
      const filler = Array.from({ length: 5200 }, (_, i) => `Filler ${i},,f${i}@ex.test,,`);
      const summary = await importContacts(store, {
        file: file(
          [
            'Name,Mobile,Email,Do Not Call,Phone',
            'Alice Archer,(415) 555-0199,alice@x.test,yes,',
            'Alice Archer,,alice@x.test,no,',
            ...filler,
            'Bob Baker,(415) 555-0199,bob@y.test,,',
          ].join('\n'),
        ),
        now: NOW,
      });
      expect(summary.rejected).toBe(0);
      const people = (await contactsWithNumbers(store)).filter((c) => c.first_name !== 'Filler');
      expect(people.map((c) => c.email)).toEqual(['alice@x.test', 'bob@y.test']);
      const alice = await store.db
        .selectFrom('contacts')
        .select('do_not_call')
        .where('email', '=', 'alice@x.test')
        .executeTakeFirstOrThrow();
      expect(alice.do_not_call).toBe(1);
    });

    it('shares a company main line between contacts without merging them', async () => {
      await fresh();
      const summary = await importContacts(store, {
        file: file(
          'First Name,Last Name,Company Main Phone,Business Phone\n' +
            'Dana,Lee,415 555 0100,415 555 0123\n' +
            'Kim,Wu,415 555 0100,415 555 0124\n',
        ),
        now: NOW,
      });
      expect(summary).toMatchObject({ created: 2, rejected: 0 });
      const contacts = await contactsWithNumbers(store);
      expect(contacts.map((c) => c.numbers.find((n) => n.kind === 'main')?.e164)).toEqual([
        '+14155550100',
        '+14155550100',
      ]);
      const numbers = await store.db
        .selectFrom('numbers')
        .select('e164')
        .where('e164', '=', '+14155550100')
        .execute();
      expect(numbers).toHaveLength(1);
    });

    it('reports each bad row with its row, field and reason and imports every valid row', async () => {
      await fresh();
      const tenMb = 'x'.repeat(10 * 1024 * 1024);
      const path = file(
        [
          'Name,Phone,Email,Notes',
          'Good One,415-555-0101,one@ex.test,', // row 2
          'Bad Number,12345,,', // row 3: invalid number
          ',,,just a note', // row 4: no name and no number
          'Broken,"415-555-0102,,', // row 5: quote never closes
          'Good Two,415-555-0103,,', // row 6
          `Huge,415-555-0104,,"${tenMb}"`, // row 7: a 10 MB field
          'Bad Email,415-555-0105,not-an-email,', // row 8
          'Good One,415-555-0101,one@ex.test,', // row 9: duplicate of row 2
          'Good Three,415-555-0106,,', // row 10
        ].join('\n'),
      );
      const summary = await importContacts(store, { file: path, now: NOW });
      expect(summary.read).toBe(9);
      expect(summary.rejected).toBe(5);
      expect(summary.created).toBe(3);
      expect(summary.unchanged).toBe(1);
      expect(summary.created + summary.updated + summary.unchanged + summary.rejected).toBe(summary.read);
      const byRow = new Map(summary.errors.map((e) => [e.row, e]));
      expect(byRow.get(3)).toMatchObject({ field: 'Phone' });
      expect(byRow.get(3)!.message).toMatch(/12345/);
      expect(byRow.get(4)!.message).toMatch(/name/i);
      expect(byRow.get(5)!.message).toMatch(/quot/i);
      expect(byRow.get(7)).toMatchObject({ field: 'Notes' });
      expect(byRow.get(7)!.message).toMatch(/long/i);
      expect(byRow.get(8)).toMatchObject({ field: 'Email' });
      const names = (await contactsWithNumbers(store)).map((c) => `${c.first_name} ${c.last_name}`);
      expect(names).toEqual(['Good One', 'Good Two', 'Good Three']);
      const stored = await store.db
        .selectFrom('import_errors')
        .select(['row', 'field'])
        .where('import_run_id', '=', summary.importRunId!)
        .orderBy('row')
        .execute();
      expect(stored.map((e) => e.row)).toEqual([3, 4, 5, 7, 8]);
    });

    it('rejects only the rows whose bytes are not UTF-8 in an otherwise UTF-8 file', async () => {
      await fresh();
      const path = file(
        Buffer.concat([
          Buffer.from('Name,Phone,City\nZoë Brandt,415-555-0111,Zürich\n'),
          Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x2c]), // "René," in Latin-1
          Buffer.from('415-555-0112,Paris\nJosé Ruiz,415-555-0113,Málaga\n'),
        ]),
      );
      const summary = await importContacts(store, { file: path, now: NOW });
      expect(summary).toMatchObject({ read: 3, created: 2, rejected: 1 });
      expect(summary.errors[0]).toMatchObject({ row: 3 });
      expect(summary.errors[0]!.message).toMatch(/UTF-8/);
    });

    it('reads a file whose lines end with a carriage return alone (classic Mac)', async () => {
      await fresh();
      const path = file('Name,Phone,Notes\rDana Lee,415-555-0123,"two\rlines"\rSam Ortiz,212 555 0100,\r');
      const summary = await importContacts(store, { file: path, now: NOW });
      expect(summary).toMatchObject({ read: 2, created: 2, rejected: 0 });
      const contacts = await contactsWithNumbers(store);
      expect(contacts.map((c) => [c.first_name, c.last_name, c.notes])).toEqual([
        ['Dana', 'Lee', 'two\nlines'],
        ['Sam', 'Ortiz', ''],
      ]);
    });

    it('reads UTF-16 files with or without a byte-order mark, little- and big-endian', async () => {
      await fresh();
      const text = 'Name,Phone,City\nZoë Brandt,415-555-0111,Zürich\n';
      const le = iconv.encode(text, 'utf-16le');
      const be = iconv.encode(text.replace('0111', '0112').replace('Zoë', 'Zoé'), 'utf-16be');
      const withBom = iconv.encode(`\uFEFF${text.replace('0111', '0113').replace('Zoë', 'Zoá')}`, 'utf-16le');
      for (const [bytes, encoding] of [
        [le, 'utf-16le'],
        [be, 'utf-16be'],
        [withBom, 'utf-16le'],
      ] as const) {
        const summary = await importContacts(store, { file: file(bytes), now: NOW });
        expect(summary).toMatchObject({ read: 1, created: 1, rejected: 0, encoding });
      }
      const contacts = await contactsWithNumbers(store);
      expect(contacts.map((c) => `${c.first_name} ${c.numbers[0]!.e164}`)).toEqual([
        'Zoë +14155550111',
        'Zoé +14155550112',
        'Zoá +14155550113',
      ]);
    });

    it('rejects a row with NUL characters on its own and imports every clean row', async () => {
      // PostgreSQL refuses NUL in text: one such row must not sink its batch.
      await fresh();
      const path = file(
        'Name,Phone,Notes\nDana Lee,415-555-0123,ok\nSam Ortiz,212 555 0100,bad\0note\nKim Wu,312-555-0188,\n',
      );
      const summary = await importContacts(store, { file: path, now: NOW });
      expect(summary).toMatchObject({ read: 3, created: 2, rejected: 1 });
      expect(summary.errors).toEqual([
        {
          row: 3,
          field: 'Notes',
          message: 'contains NUL characters, which no text field may hold (is the file UTF-16?)',
        },
      ]);
      expect((await contactsWithNumbers(store)).map((c) => c.first_name)).toEqual(['Dana', 'Kim']);
    });

    it('rejects a contact with more than 20 numbers, naming the card, and imports the rest', async () => {
      await fresh();
      const tels = Array.from(
        { length: 10_000 },
        (_, i) => `TEL;TYPE=CELL:+1 415 555 ${String(i).padStart(4, '0')}`,
      );
      const path = file(
        [
          'BEGIN:VCARD',
          'VERSION:3.0',
          'FN:Many Numbers',
          ...tels,
          'END:VCARD',
          'BEGIN:VCARD',
          'VERSION:3.0',
          'FN:Kim Wu',
          ...tels.slice(0, 20),
          'END:VCARD',
          '',
        ].join('\r\n'),
        'vcf',
      );
      const summary = await importContacts(store, { file: path, now: NOW });
      expect(summary).toMatchObject({ read: 2, created: 1, rejected: 1 });
      expect(summary.errors).toEqual([
        {
          row: 1,
          field: 'TEL',
          message:
            'has more than 20 phone numbers; a contact keeps at most 20 (split it, or drop the old ones)',
        },
      ]);
      const contacts = await contactsWithNumbers(store);
      expect(contacts.map((c) => [c.first_name, c.numbers.length])).toEqual([['Kim', 20]]);
    });

    it('reads Windows-1252 files, semicolons, tabs, a BOM and quoted multi-line fields', async () => {
      await fresh();
      const cp1252 = file(
        iconv.encode('Vorname;Nachname;Telefon;Firma\nJürgen;Groß;+49 30 1234567;Müller GmbH\n', 'win1252'),
      );
      const tabbed = file(
        '\uFEFFFull Name\tMobile\tNotes\n"Ana Silva"\t(312) 555-0188\t"she said ""call me""\r\nline two"\n',
      );
      const s1 = await importContacts(store, {
        file: cp1252,
        now: NOW,
        map: { Vorname: 'first_name', Nachname: 'last_name', Telefon: 'phone:direct', Firma: 'company' },
      });
      expect(s1).toMatchObject({ created: 1, rejected: 0, encoding: 'windows-1252' });
      const s2 = await importContacts(store, { file: tabbed, now: NOW });
      expect(s2).toMatchObject({ created: 1, rejected: 0 });
      const contacts = await contactsWithNumbers(store);
      expect(contacts[0]).toMatchObject({ first_name: 'Jürgen', last_name: 'Groß', company: 'Müller GmbH' });
      expect(contacts[0]!.numbers[0]!.e164).toBe('+49301234567');
      expect(contacts[1]).toMatchObject({
        first_name: 'Ana',
        last_name: 'Silva',
        notes: 'she said "call me"\nline two',
      });
    });

    it('stores backslashes, tabs and the text \\N exactly as the file has them', async () => {
      // PostgreSQL's import writes through COPY, whose text format gives these characters meaning.
      await fresh();
      const path = file(
        'First Name,Last Name,Company,Title,Phone,Notes\n' +
          'Dana,Lee,Acme \\ Sons,\\N,415.555.0123,"C:\\new\\table\tcol\\\\two\nnext \\N"\n',
      );
      expect(await importContacts(store, { file: path, now: NOW })).toMatchObject({
        created: 1,
        rejected: 0,
      });
      const [contact] = await contactsWithNumbers(store);
      expect(contact).toMatchObject({
        company: 'Acme \\ Sons',
        title: '\\N',
        notes: 'C:\\new\\table\tcol\\\\two\nnext \\N',
      });
    });

    it('enrolls contacts in a campaign it creates with the default policy, and assigns the owner', async () => {
      await fresh();
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Test', created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const owner = await store.db
        .insertInto('users')
        .values({ workspace_id: ws.id, email: 'ana@ex.test', role: 'rep', created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const summary = await importContacts(store, {
        file: file('Name,Phone\nDana Lee,415-555-0123\nSam Ortiz,212-555-0100\n'),
        campaign: 'Q4 outbound',
        ownerEmail: 'ana@ex.test',
        now: NOW,
      });
      expect(summary).toMatchObject({ created: 2 });
      const campaign = await store.db.selectFrom('campaigns').selectAll().executeTakeFirstOrThrow();
      expect(campaign.name).toBe('Q4 outbound');
      expect(JSON.parse(campaign.policy)).toMatchObject({ attemptLimit: 7, voicemail: 'always' });
      const enrollments = await store.db.selectFrom('enrollments').selectAll().execute();
      expect(enrollments).toHaveLength(2);
      expect(enrollments.every((e) => e.state === 'new' && e.owner_id === owner.id)).toBe(true);
      const contacts = await store.db.selectFrom('contacts').select('owner_id').execute();
      expect(contacts.every((c) => c.owner_id === owner.id)).toBe(true);
    });

    it('ends every enrollment of a stored contact that a later row marks do-not-call, and enrolls a do-not-call contact as dnc', async () => {
      await fresh();
      await importContacts(store, {
        file: file(
          'Name,Email,Phone\nDana Lee,dana@ex.test,415-555-0123\nSam Ortiz,sam@ex.test,212-555-0100\n',
        ),
        campaign: 'Q4 outbound',
        now: NOW,
      });
      await store.db
        .updateTable('enrollments')
        .set({ state: 'active', next_due_at: NOW + 3600_000 })
        .execute();
      const summary = await importContacts(store, {
        file: file('Name,Email,Do Not Call\nDana Lee,dana@ex.test,yes\n'),
        now: NOW + 1,
      });
      expect(summary).toMatchObject({ updated: 1, created: 0 });
      const states = async () =>
        (
          await store.db
            .selectFrom('enrollments as e')
            .innerJoin('contacts as c', 'c.id', 'e.contact_id')
            .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
            .select(['c.email', 'k.name', 'e.state', 'e.next_due_at'])
            .orderBy('k.name')
            .orderBy('c.email')
            .execute()
        ).map((r) => `${r.name} ${r.email} ${r.state} ${r.next_due_at ?? '-'}`);
      expect(await states()).toEqual([
        'Q4 outbound dana@ex.test dnc -',
        `Q4 outbound sam@ex.test active ${NOW + 3600_000}`,
      ]);
      // Enrolled again elsewhere by a row that does not repeat the mark: still do-not-call.
      await importContacts(store, {
        file: file('Name,Email\nDana Lee,dana@ex.test\nSam Ortiz,sam@ex.test\n'),
        campaign: 'Spring',
        now: NOW + 2,
      });
      expect(await states()).toEqual([
        'Q4 outbound dana@ex.test dnc -',
        `Q4 outbound sam@ex.test active ${NOW + 3600_000}`,
        'Spring dana@ex.test dnc -',
        'Spring sam@ex.test new -',
      ]);
    });

    it('hands stored contacts and their enrollments to --owner only with --take-over, unless their owner has already dialled them', async () => {
      await fresh();
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Test', created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const user = (email: string) =>
        store.db
          .insertInto('users')
          .values({ workspace_id: ws.id, email, role: 'rep', created_at: NOW })
          .returning('id')
          .executeTakeFirstOrThrow();
      const [ana, bo] = [await user('ana@ex.test'), await user('bo@ex.test')];
      const csv = file(
        'Name,Email,Phone\nDana Lee,dana@ex.test,415-555-0123\nSam Ortiz,sam@ex.test,212-555-0100\n',
      );
      await importContacts(store, {
        file: csv,
        campaign: 'Q4 outbound',
        ownerEmail: 'ana@ex.test',
        now: NOW,
      });
      const dana = await store.db
        .selectFrom('enrollments as e')
        .innerJoin('contacts as c', 'c.id', 'e.contact_id')
        .select(['e.id', 'e.contact_id', 'e.campaign_id'])
        .where('c.email', '=', 'dana@ex.test')
        .executeTakeFirstOrThrow();
      await store.db
        .insertInto('attempts')
        .values({
          workspace_id: ws.id,
          enrollment_id: dana.id,
          campaign_id: dana.campaign_id,
          contact_id: dana.contact_id,
          user_id: ana.id,
          started_at: NOW,
          outcome: 'voicemail_left',
          created_at: NOW,
        })
        .execute();
      const kept = await importContacts(store, { file: csv, ownerEmail: 'bo@ex.test', now: NOW + 1 });
      expect(kept).toMatchObject({ updated: 0, unchanged: 2 });
      const summary = await importContacts(store, {
        file: csv,
        ownerEmail: 'bo@ex.test',
        takeOver: true,
        now: NOW + 1,
      });
      expect(summary).toMatchObject({ updated: 2 });
      const owners = await store.db
        .selectFrom('contacts as c')
        .innerJoin('enrollments as e', 'e.contact_id', 'c.id')
        .select(['c.email', 'c.owner_id as contact_owner', 'e.owner_id as enrollment_owner'])
        .orderBy('c.email')
        .execute();
      expect(owners).toEqual([
        { email: 'dana@ex.test', contact_owner: bo.id, enrollment_owner: ana.id },
        { email: 'sam@ex.test', contact_owner: bo.id, enrollment_owner: bo.id },
      ]);
    });

    it('records an import that stops on an error as failed, with the reason', async () => {
      await fresh();
      await expect(
        importContacts(store, {
          file: file('Name,Phone\nDana Lee,415-555-0123\n'),
          map: { Nope: 'phone:direct' },
          now: NOW,
        }),
      ).rejects.toThrow(/Nope/);
      const run = await store.db.selectFrom('import_runs').selectAll().executeTakeFirstOrThrow();
      expect(run.status).toBe('failed');
      expect(run.message).toMatch(/Nope/);
    });

    it('marks failed an import its killed process left running, removes its upload, and leaves a live one alone', async () => {
      await fresh();
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Test', created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      const upload = mkdtempSync(join(tmpdir(), UPLOAD_DIR_PREFIX));
      writeFileSync(join(upload, 'big.csv'), 'Name,Phone\n');
      const run = (heartbeat: number, uploadPath: string | null) =>
        store.db
          .insertInto('import_runs')
          .values({
            workspace_id: ws.id,
            file_name: 'big.csv',
            format: 'csv',
            status: 'running',
            started_at: NOW - 3_600_000,
            heartbeat_at: heartbeat,
            upload_path: uploadPath,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      const killed = await run(NOW - IMPORT_SILENT_MS - 1, upload);
      const live = await run(NOW - 5_000, null);
      await importContacts(store, { file: file('Name,Phone\nDana Lee,415-555-0123\n'), now: NOW });
      const runs = await store.db
        .selectFrom('import_runs')
        .select(['id', 'status', 'message', 'finished_at'])
        .where('id', 'in', [killed.id, live.id])
        .orderBy('id')
        .execute();
      expect(runs).toEqual([
        {
          id: killed.id,
          status: 'failed',
          message:
            'stopped before it finished (its process was killed or crashed); the batches it committed are kept, and importing the same file again is safe',
          finished_at: NOW,
        },
        { id: live.id, status: 'running', message: '', finished_at: null },
      ]);
      expect(existsSync(upload)).toBe(false);
      // A server starting up does the same for a run that has since gone silent.
      expect(await recoverStoppedImports(store, NOW + IMPORT_SILENT_MS)).toBe(1);
    });

    it('changes nothing on a dry run but reports what it would do', async () => {
      await fresh();
      const summary = await importContacts(store, {
        file: file('Name,Phone\nDana Lee,415-555-0123\nBad,123\n'),
        campaign: 'Dry',
        dryRun: true,
        now: NOW,
      });
      expect(summary).toMatchObject({ read: 2, created: 1, rejected: 1, dryRun: true, importRunId: null });
      for (const table of ['contacts', 'numbers', 'campaigns', 'enrollments', 'import_runs'] as const) {
        const rows = await store.db
          .selectFrom(table)
          .select(({ fn }) => fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(rows.n), table).toBe(0);
      }
    });

    it('imports vCard 3.0 and 4.0 cards with their phone types', async () => {
      await fresh();
      const path = file(
        [
          'BEGIN:VCARD',
          'VERSION:3.0',
          'N:Lee;Dana;;;',
          'FN:Dana Lee',
          'ORG:Acme Corp;Sales',
          'TEL;TYPE=CELL:(415) 555-0199',
          'TEL;TYPE=WORK,VOICE:+1 415 555 0123',
          'EMAIL;TYPE=INTERNET:dana@acme.test',
          'NOTE:Prefers mornings\\, call before 10',
          'END:VCARD',
          'BEGIN:VCARD',
          'VERSION:4.0',
          'FN:Kim Wu',
          'N:Wu;Kim;;;',
          'TEL;VALUE=uri;TYPE="home,voice":tel:+44-20-7946-0958',
          'END:VCARD',
          '',
        ].join('\r\n'),
        'vcf',
      );
      const summary = await importContacts(store, { file: path, now: NOW });
      expect(summary).toMatchObject({ format: 'vcard', read: 2, created: 2, rejected: 0 });
      const contacts = await contactsWithNumbers(store);
      expect(contacts[0]).toMatchObject({
        first_name: 'Dana',
        last_name: 'Lee',
        company: 'Acme Corp',
        notes: 'Prefers mornings, call before 10',
      });
      expect(contacts[0]!.numbers).toEqual([
        { e164: '+14155550123', kind: 'direct', extension: '' },
        { e164: '+14155550199', kind: 'mobile', extension: '' },
      ]);
      expect(contacts[1]!.numbers).toEqual([{ e164: '+442079460958', kind: 'home', extension: '' }]);
    });
  });
}
