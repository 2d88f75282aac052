/**
 * Imports never destroy and never reach outside the importing user's scope, on SQLite and
 * PostgreSQL: a row matches a stored contact only when the evidence agrees and the user may
 * see it; anything else is a conflict, reported per row and left untouched unless the user
 * chooses otherwise.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importContacts } from '../src/app/import/import-contacts.js';
import type { Store } from '../src/store/db.js';
import type { User } from '../src/store/schema.js';
import { appOver, multipartBody, tokenFor } from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);
const DIEGO_GRACE = new URL('./fixtures/import/diego-grace.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ringback-conflicts-'));
let fileCount = 0;
function file(content: string): string {
  const path = join(dir, `f${++fileCount}.csv`);
  writeFileSync(path, content);
  return path;
}

interface World {
  mia: User; // manager of the harbor team
  riley: User; // rep on the harbor team
  bo: User; // rep on another team
  diegoId: number;
}

async function seed(store: Store): Promise<World> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Harbor', created_at: NOW })
    .returning('id')
    .executeTakeFirstOrThrow();
  const team = async (name: string) =>
    (
      await store.db
        .insertInto('teams')
        .values({ workspace_id: ws.id, name, created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const [harbor, north] = [await team('Harbor'), await team('North')];
  const user = (email: string, role: 'rep' | 'manager', teamId: number) =>
    store.db
      .insertInto('users')
      .values({ workspace_id: ws.id, email, role, team_id: teamId, created_at: NOW })
      .returningAll()
      .executeTakeFirstOrThrow();
  const mia = await user('mia@harbor.test', 'manager', harbor);
  const riley = await user('riley@harbor.test', 'rep', harbor);
  const bo = await user('bo@north.test', 'rep', north);
  // Riley's own list: Diego has no email, only his mobile, and seven calls.
  await importContacts(store, {
    file: file(
      'First Name,Last Name,Email,Mobile,Title,Notes\n' +
        'Diego,Watson,,(415) 555-0142,Buyer,Prefers mornings\n' +
        'Ana,Ruiz,ana@harbor.test,,Ops lead,\n' +
        'Ben,Cole,ben@harbor.test,,Finance,Knows our CEO\n' +
        'Cara,Diaz,cara@harbor.test,,VP Sales,\n',
    ),
    user: riley,
    ownerEmail: riley.email,
    campaign: 'Harbor Q4',
    now: NOW - 86_400_000,
  });
  const diego = await store.db
    .selectFrom('enrollments as e')
    .innerJoin('contacts as c', 'c.id', 'e.contact_id')
    .select(['c.id', 'e.id as enrollment_id', 'e.campaign_id'])
    .where('c.first_name', '=', 'Diego')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < 7; i++) {
    await store.db
      .insertInto('attempts')
      .values({
        workspace_id: ws.id,
        enrollment_id: diego.enrollment_id,
        campaign_id: diego.campaign_id,
        contact_id: diego.id,
        user_id: riley.id,
        started_at: NOW - 86_400_000 + i * 3_600_000,
        outcome: 'no_answer',
        created_at: NOW - 86_400_000 + i * 3_600_000,
      })
      .execute();
  }
  return { mia, riley, bo, diegoId: diego.id };
}

async function contact(store: Store, id: number) {
  return store.db
    .selectFrom('contacts')
    .select(['first_name', 'last_name', 'email', 'title', 'notes', 'owner_id', 'do_not_call'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function attemptsOf(store: Store, id: number): Promise<number> {
  const r = await store.db
    .selectFrom('attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('contact_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

for (const { name, create } of DATABASES) {
  describe(`import conflicts on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let world: World;
    beforeEach(async () => {
      await store?.close();
      await database?.drop();
      database = await create();
      store = await openTestStore(database);
      world = await seed(store);
    });
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it('a row sharing a personal number with a differently named contact is a conflict, not a match (Diego/Grace)', async () => {
      const { mia, riley, diegoId } = world;
      const before = await contact(store, diegoId);
      const dry = await importContacts(store, {
        file: DIEGO_GRACE,
        user: mia,
        ownerEmail: mia.email,
        dryRun: true,
        now: NOW,
      });
      expect(dry).toMatchObject({ read: 4, created: 0, updated: 2, unchanged: 1, skipped: 1, rejected: 0 });
      expect(dry.conflicts).toEqual([
        {
          row: 5,
          contactId: diegoId,
          withRow: null,
          reason: 'name_differs',
          differs: [
            { field: 'firstName', stored: 'Diego', file: 'Grace' },
            { field: 'lastName', stored: 'Watson', file: 'Holloway' },
            { field: 'title', stored: 'Buyer', file: 'Office Manager' },
          ],
          resolution: 'skip',
          message:
            'shares the personal number +14155550142 with Diego Watson (contact ' +
            `${diegoId}) but is named Grace Holloway: left untouched`,
        },
      ]);
      // The dry run lists every change field by field, before and after.
      const ana = dry.changes.find((c) => c.row === 2)!;
      expect(dry.changes.filter((c) => c.row === 2)).toEqual([
        { row: 2, contactId: ana.contactId, field: 'title', before: 'Ops lead', after: 'Head of Ops' },
      ]);
      expect(dry.changes.filter((c) => c.row === 3)).toEqual([
        expect.objectContaining({ field: 'title', before: 'Finance', after: 'CFO' }),
        expect.objectContaining({
          field: 'notes',
          before: 'Knows our CEO',
          after: 'Knows our CEO\n\n2026-11-23: Asked for pricing in January',
        }),
      ]);
      expect(dry.changes.some((c) => c.row === 5 || c.field === 'owner')).toBe(false);
      expect(await contact(store, diegoId)).toEqual(before);

      const applied = await importContacts(store, {
        file: DIEGO_GRACE,
        user: mia,
        ownerEmail: mia.email,
        now: NOW,
      });
      expect(applied).toMatchObject({ updated: 2, unchanged: 1, skipped: 1, changes: [] });
      expect(await contact(store, diegoId)).toEqual(before);
      expect(await attemptsOf(store, diegoId)).toBe(7);
      // Matched contacts keep their owner (no take-over) and their notes, with the new one appended.
      const ben = await store.db
        .selectFrom('contacts')
        .select(['owner_id', 'notes', 'title'])
        .where('email', '=', 'ben@harbor.test')
        .executeTakeFirstOrThrow();
      expect(ben).toEqual({
        owner_id: riley.id,
        notes: 'Knows our CEO\n\n2026-11-23: Asked for pricing in January',
        title: 'CFO',
      });
      const grace = await store.db
        .selectFrom('contacts')
        .select('id')
        .where('first_name', '=', 'Grace')
        .execute();
      expect(grace).toEqual([]);
    });

    it('creates a new contact for a conflicting row, or merges into it, only when the user chooses so for that row', async () => {
      const { mia, riley, diegoId } = world;
      const created = await importContacts(store, {
        file: DIEGO_GRACE,
        user: mia,
        ownerEmail: mia.email,
        resolutions: { 5: 'create' },
        now: NOW,
      });
      expect(created).toMatchObject({ created: 1, updated: 2, unchanged: 1, skipped: 0 });
      expect(created.conflicts).toEqual([expect.objectContaining({ row: 5, resolution: 'create' })]);
      expect(await contact(store, diegoId)).toMatchObject({ first_name: 'Diego', owner_id: riley.id });
      const grace = await store.db
        .selectFrom('contacts as c')
        .innerJoin('contact_numbers as cn', 'cn.contact_id', 'c.id')
        .innerJoin('numbers as n', 'n.id', 'cn.number_id')
        .select(['c.id', 'c.owner_id', 'n.e164'])
        .where('c.first_name', '=', 'Grace')
        .executeTakeFirstOrThrow();
      expect(grace).toMatchObject({ owner_id: mia.id, e164: '+14155550142' });
      expect(grace.id).not.toBe(diegoId);
      // Now Grace has an email the file gives: the same file again is a plain re-import.
      const again = await importContacts(store, { file: DIEGO_GRACE, user: mia, now: NOW });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4, skipped: 0, conflicts: [] });

      const merged = await importContacts(store, {
        file: file('First Name,Last Name,Mobile,Title\nDiego,Walton,415-555-0142,Head Buyer\n'),
        user: mia,
        onConflict: 'update',
        now: NOW,
      });
      expect(merged).toMatchObject({ updated: 1, skipped: 0 });
      expect(await contact(store, diegoId)).toMatchObject({ last_name: 'Walton', title: 'Head Buyer' });
      expect(await attemptsOf(store, diegoId)).toBe(7);
    });

    it("a rep's import never matches, changes or takes over a contact outside the rep's scope", async () => {
      const { bo, riley, diegoId } = world;
      const before = await contact(store, diegoId);
      const ana = await store.db
        .selectFrom('contacts')
        .select(['id', 'first_name', 'notes', 'owner_id', 'do_not_call'])
        .where('email', '=', 'ana@harbor.test')
        .executeTakeFirstOrThrow();
      const csv = file(
        'First Name,Last Name,Email,Mobile,Notes,Do Not Call\n' +
          'Diego,Watson,,415-555-0142,Bo was here,yes\n' +
          'Anna,Ruiz-Bo,ANA@harbor.test,,Bo was here,yes\n',
      );
      for (const onConflict of ['skip', 'update'] as const) {
        const summary = await importContacts(store, {
          file: csv,
          user: bo,
          ownerEmail: bo.email,
          takeOver: true,
          onConflict,
          now: NOW,
        });
        expect(summary).toMatchObject({ read: 2, created: 0, updated: 0, unchanged: 0, skipped: 2 });
        expect(summary.conflicts).toEqual([
          {
            row: 2,
            contactId: null,
            withRow: null,
            reason: 'out_of_scope',
            differs: [],
            resolution: 'skip',
            message: 'matches a contact you cannot see by the number +14155550142: left untouched',
          },
          {
            row: 3,
            contactId: null,
            withRow: null,
            reason: 'out_of_scope',
            differs: [],
            resolution: 'skip',
            message: 'matches a contact you cannot see by email: left untouched',
          },
        ]);
      }
      expect(await contact(store, diegoId)).toEqual(before);
      expect(
        await store.db
          .selectFrom('contacts')
          .select(['id', 'first_name', 'notes', 'owner_id', 'do_not_call'])
          .where('id', '=', ana.id)
          .executeTakeFirstOrThrow(),
      ).toEqual(ana);
      expect(await attemptsOf(store, diegoId)).toBe(7);
      const dnc = await store.db.selectFrom('dnc_entries').select('contact_id').execute();
      expect(dnc).toEqual([]);
      // Nothing was left behind for the rows skipped, not even their numbers.
      const numbers = await store.db.selectFrom('numbers').select('e164').execute();
      expect(numbers.map((n) => n.e164)).toEqual(['+14155550142']);

      // Creating new contacts is Bo's to choose; they are Bo's, and Riley's stay Riley's.
      const mine = await importContacts(store, {
        file: csv,
        user: bo,
        ownerEmail: bo.email,
        onConflict: 'create',
        now: NOW,
      });
      expect(mine).toMatchObject({ created: 2, skipped: 0 });
      const owners = await store.db
        .selectFrom('contacts')
        .select(['owner_id'])
        .where('notes', '=', 'Bo was here')
        .execute();
      expect(owners).toEqual([{ owner_id: bo.id }, { owner_id: bo.id }]);
      expect(await contact(store, diegoId)).toEqual(before);
      expect((await contact(store, ana.id)).owner_id).toBe(riley.id);
    });

    it('changes an owner only when asked to take over', async () => {
      const { mia, riley } = world;
      const csv = file('First Name,Email,Title\nAna,ana@harbor.test,COO\n');
      await importContacts(store, { file: csv, user: mia, ownerEmail: mia.email, now: NOW });
      const owner = () =>
        store.db
          .selectFrom('contacts')
          .select(['owner_id', 'title'])
          .where('email', '=', 'ana@harbor.test')
          .executeTakeFirstOrThrow();
      expect(await owner()).toEqual({ owner_id: riley.id, title: 'COO' });
      const taken = await importContacts(store, {
        file: csv,
        user: mia,
        ownerEmail: mia.email,
        takeOver: true,
        dryRun: true,
        now: NOW,
      });
      expect(taken.changes).toEqual([
        expect.objectContaining({ row: 2, field: 'owner', before: String(riley.id), after: String(mia.id) }),
      ]);
      await importContacts(store, { file: csv, user: mia, ownerEmail: mia.email, takeOver: true, now: NOW });
      expect(await owner()).toEqual({ owner_id: mia.id, title: 'COO' });
    });

    it("a rep's upload through the API reports a colleague's contact as a conflict and changes nothing of it", async () => {
      const { bo, riley, diegoId } = world;
      const before = await contact(store, diegoId);
      const app = await appOver(store);
      try {
        const token = await tokenFor(store, bo);
        const send = async (fields: Record<string, string>) => {
          const upload = multipartBody(fields, {
            name: 'mine.csv',
            content:
              'First Name,Last Name,Mobile,Notes,Do Not Call\nDiego,Watson,415-555-0142,Bo was here,yes\n',
          });
          const res = await app.inject({
            method: 'POST',
            url: '/api/v1/imports',
            headers: { ...upload.headers, authorization: `Bearer ${token}` },
            payload: upload.payload,
          });
          expect(res.statusCode, res.body).toBe(200);
          return res.json();
        };
        const summary = await send({ takeOver: 'true', onConflict: 'update' });
        expect(summary).toMatchObject({ read: 1, created: 0, updated: 0, skipped: 1 });
        expect(summary.conflicts).toEqual([
          expect.objectContaining({
            row: 2,
            contactId: null,
            reason: 'out_of_scope',
            differs: [],
            resolution: 'skip',
          }),
        ]);
        expect(await contact(store, diegoId)).toEqual(before);
        const created = await send({ resolve: '2=create' });
        expect(created).toMatchObject({ created: 1, skipped: 0 });
        expect(await contact(store, diegoId)).toMatchObject({ owner_id: riley.id, do_not_call: 0 });
        const wrong = multipartBody({ resolve: '2=merge' }, { name: 'x.csv', content: 'Name\nA\n' });
        const bad = await app.inject({
          method: 'POST',
          url: '/api/v1/imports',
          headers: { ...wrong.headers, authorization: `Bearer ${token}` },
          payload: wrong.payload,
        });
        expect(bad.statusCode).toBe(400);
      } finally {
        await app.close();
      }
    });
  });
}
