/**
 * Undoing an import, on SQLite and PostgreSQL: the whole run in one transaction, putting every
 * stored contact back as it was (fields, notes, owner, numbers, enrollments, do-not-call) and
 * removing what the run created; refused, naming the contacts, once something newer touched them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../src/app/errors.js';
import { importContacts } from '../src/app/import/import-contacts.js';
import { undoImport } from '../src/app/import/undo-import.js';
import type { Store } from '../src/store/db.js';
import type { User } from '../src/store/schema.js';
import { appOver, expectProblem, tokenFor } from './server/support.js';
import { runCli } from './support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20, 15, 0, 0);
const T1 = T0 + DAY;
const T2 = T1 + DAY;
const dir = mkdtempSync(join(tmpdir(), 'ringback-undo-'));
let fileCount = 0;
function file(content: string): string {
  const path = join(dir, `f${++fileCount}.csv`);
  writeFileSync(path, content);
  return path;
}

interface World {
  mia: User; // manager
  riley: User; // rep on Mia's team
  bo: User; // rep on another team
}

async function seed(store: Store): Promise<World> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Harbor', created_at: T0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const team = async (name: string) =>
    (
      await store.db
        .insertInto('teams')
        .values({ workspace_id: ws.id, name, created_at: T0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const [harbor, north] = [await team('Harbor'), await team('North')];
  const user = (email: string, role: 'rep' | 'manager', teamId: number) =>
    store.db
      .insertInto('users')
      .values({ workspace_id: ws.id, email, role, team_id: teamId, created_at: T0 })
      .returningAll()
      .executeTakeFirstOrThrow();
  const mia = await user('mia@harbor.test', 'manager', harbor);
  const riley = await user('riley@harbor.test', 'rep', harbor);
  const bo = await user('bo@north.test', 'rep', north);
  // Riley's list, enrolled in Harbor Q4.
  await importContacts(store, {
    file: file(
      'First Name,Last Name,Email,Mobile,Work Phone,Title,Notes\n' +
        'Ana,Ruiz,ana@harbor.test,,(415) 555-0101,Ops lead,Met at the fair\n' +
        'Ben,Cole,ben@harbor.test,(415) 555-0102,,Finance,\n' +
        'Cara,Diaz,cara@harbor.test,,,VP Sales,\n',
    ),
    user: riley,
    ownerEmail: riley.email,
    campaign: 'Harbor Q4',
    now: T0,
  });
  return { mia, riley, bo };
}

/** Everything an import can change, as rows, in a stable order. */
async function snapshot(store: Store) {
  const db = store.db;
  return {
    contacts: await db
      .selectFrom('contacts')
      .select([
        'id',
        'first_name',
        'last_name',
        'title',
        'email',
        'email_key',
        'time_zone',
        'interests',
        'notes',
        'street',
        'city',
        'region',
        'postal_code',
        'country',
        'company_id',
        'kind',
        'do_not_call',
        'owner_id',
        'created_at',
        'updated_at',
      ])
      .orderBy('id')
      .execute(),
    numbers: await db.selectFrom('numbers').select(['id', 'e164']).orderBy('id').execute(),
    links: await db
      .selectFrom('contact_numbers')
      .select(['contact_id', 'number_id', 'kind', 'extension'])
      .orderBy('contact_id')
      .orderBy('number_id')
      .execute(),
    enrollments: await db
      .selectFrom('enrollments')
      .select([
        'id',
        'campaign_id',
        'contact_id',
        'owner_id',
        'state',
        'next_due_at',
        'due_kind',
        'updated_at',
      ])
      .orderBy('id')
      .execute(),
    dnc: await db.selectFrom('dnc_entries').select(['id', 'contact_id', 'e164']).orderBy('id').execute(),
  };
}

for (const { name, create } of DATABASES) {
  describe(`import undo on ${name}`, () => {
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

    it('puts every stored contact back as it was and removes what the import created', async () => {
      const { mia } = world;
      const before = await snapshot(store);
      // Mia takes Ana and Ben over: a new title, an appended note, a new number, a changed
      // number kind, Ben marked do-not-call, both enrolled in a new campaign; two new people.
      const summary = await importContacts(store, {
        file: file(
          'First Name,Last Name,Email,Mobile,Work Phone,Title,Notes,Do Not Call\n' +
            'Ana,Ruiz,ana@harbor.test,(415) 555-0101,(415) 555-0111,COO,Asked for pricing,\n' +
            'Ben,Cole,ben@harbor.test,,,Finance,,yes\n' +
            'Dee,Park,dee@new.test,(415) 555-0104,,Buyer,,\n' +
            'Eli,Moss,,,(415) 555-0105,,,\n',
        ),
        user: mia,
        ownerEmail: mia.email,
        takeOver: true,
        campaign: 'Spring push',
        now: T1,
      });
      expect(summary).toMatchObject({ created: 2, updated: 2, rejected: 0, skipped: 0 });
      const after = await snapshot(store);
      const ana = after.contacts.find((c) => c.email === 'ana@harbor.test')!;
      expect(ana).toMatchObject({ title: 'COO', owner_id: mia.id });
      expect(ana.notes).toContain('Asked for pricing');
      expect(after.contacts.find((c) => c.email === 'ben@harbor.test')).toMatchObject({ do_not_call: 1 });
      expect(after.contacts).toHaveLength(5);
      expect(after.numbers).toHaveLength(before.numbers.length + 3);
      expect(after.links.find((l) => l.contact_id === ana.id && l.kind === 'mobile')).toBeDefined();

      const undo = await undoImport(store, {
        importRunId: summary.importRunId!,
        user: mia,
        actor: mia,
        now: T2,
      });
      expect(undo).toMatchObject({ importRunId: summary.importRunId, restored: 2, removed: 2 });
      // Every row the import wrote is as it was, field by field.
      expect(await snapshot(store)).toEqual(before);
      expect(undo.numbersRemoved).toBe(3);

      await expect(
        undoImport(store, { importRunId: summary.importRunId!, user: mia, actor: mia, now: T2 }),
      ).rejects.toThrow(/was undone already/);
    });

    it('refuses once something newer touched its contacts, naming them, and changes nothing', async () => {
      const { mia, riley } = world;
      const summary = await importContacts(store, {
        file: file(
          'First Name,Last Name,Email,Title\n' +
            'Ana,Ruiz,ana@harbor.test,COO\n' +
            'Dee,Park,dee@new.test,Buyer\n' +
            'Eli,Moss,eli@new.test,Owner\n',
        ),
        user: riley,
        ownerEmail: riley.email,
        campaign: 'Harbor Q4',
        now: T1,
      });
      expect(summary).toMatchObject({ created: 2, updated: 1 });
      // Riley calls Dee after the import; a later import retitles Ana.
      const dee = await store.db
        .selectFrom('enrollments as e')
        .innerJoin('contacts as c', 'c.id', 'e.contact_id')
        .select(['c.id', 'e.id as enrollment_id', 'e.campaign_id'])
        .where('c.email', '=', 'dee@new.test')
        .executeTakeFirstOrThrow();
      await store.db
        .insertInto('attempts')
        .values({
          workspace_id: riley.workspace_id,
          enrollment_id: dee.enrollment_id,
          campaign_id: dee.campaign_id,
          contact_id: dee.id,
          user_id: riley.id,
          started_at: T1 + 3_600_000,
          outcome: 'no_answer',
          created_at: T1 + 3_600_000,
        })
        .execute();
      const later = await importContacts(store, {
        file: file('First Name,Last Name,Email,Title\nAna,Ruiz,ana@harbor.test,Chief Operating Officer\n'),
        user: riley,
        now: T1 + 7_200_000,
      });
      expect(later).toMatchObject({ updated: 1 });
      const ana = await store.db
        .selectFrom('contacts')
        .select('id')
        .where('email', '=', 'ana@harbor.test')
        .executeTakeFirstOrThrow();
      const touched = await snapshot(store);

      const refusal = await undoImport(store, {
        importRunId: summary.importRunId!,
        user: mia,
        actor: mia,
        now: T2,
      }).catch((e: unknown) => e);
      expect(refusal).toMatchObject({ failure: { code: 'import_undo_refused' } });
      const error = refusal as AppError<{
        code: 'import_undo_refused';
        contacts: { id: number; name: string }[];
      }>;
      expect(error.message).toBe(
        `import ${summary.importRunId} (${dir}/f${fileCount - 1}.csv) cannot be undone: 2 of its contacts ` +
          `changed after it (Ana Ruiz (contact ${ana.id}), Dee Park (contact ${dee.id})), and undoing it would lose that`,
      );
      expect(error.failure.contacts.map((c) => c.id)).toEqual([ana.id, dee.id]);
      expect(await snapshot(store)).toEqual(touched);

      // The newer import, touched by nothing since, can be undone: Ana's title goes back.
      await undoImport(store, { importRunId: later.importRunId!, user: mia, actor: mia, now: T2 });
      expect(
        await store.db
          .selectFrom('contacts')
          .select('title')
          .where('id', '=', ana.id)
          .executeTakeFirstOrThrow(),
      ).toEqual({ title: 'COO' });
    });

    it('on the command line: the import prints how to undo it, and undo says what it did', async () => {
      await store.close();
      const csv = file('First Name,Last Name,Email\nDee,Park,dee@new.test\nEli,Moss,eli@new.test\n');
      const imported = await runCli(['import', 'contacts', csv], database.env);
      expect(imported.code, imported.stderr).toBe(0);
      const id = /ringback import undo (\d+)/.exec(imported.stdout)?.[1];
      expect(id).toBeDefined();
      const undone = await runCli(['import', 'undo', id!], database.env);
      expect(undone.code, undone.stderr).toBe(0);
      expect(undone.stdout).toBe(
        `import ${id} (${csv}) undone: removed 2 contacts, 0 numbers and 0 enrollments it had created; put 0 contacts back as before\n`,
      );
      const again = await runCli(['import', 'undo', id!], database.env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(new RegExp(`import ${id} \\(.*\\) was undone already, at 20`));
      store = await openTestStore(database);
    });

    it('over the API: undoes, refuses with 409 naming the contacts, 404 when not theirs', async () => {
      const { mia, riley, bo } = world;
      const first = await importContacts(store, {
        file: file('First Name,Last Name,Email\nDee,Park,dee@new.test\n'),
        user: riley,
        ownerEmail: riley.email,
        now: T1,
      });
      const second = await importContacts(store, {
        file: file('First Name,Last Name,Email,Title\nDee,Park,dee@new.test,Buyer\n'),
        user: riley,
        now: T1 + 60_000,
      });
      const app = await appOver(store, { now: () => T2 });
      try {
        const as = async (user: User, id: number) =>
          app.inject({
            method: 'POST',
            url: `/api/v1/imports/${id}/undo`,
            headers: { authorization: `Bearer ${await tokenFor(store, user)}` },
          });
        const conflict = expectProblem(await as(riley, first.importRunId!), 409);
        expect(conflict.detail).toMatch(/1 of its contacts changed after it \(Dee Park/);
        expect(conflict.contacts).toEqual([{ id: expect.any(Number), name: 'Dee Park' }]);
        // Bo, on another team, may not undo what changed Riley's contacts.
        expect(expectProblem(await as(bo, second.importRunId!), 404).detail).toMatch(
          /contacts you do not answer for/,
        );
        expectProblem(await as(riley, 999_999), 404);

        const undone = await as(riley, second.importRunId!);
        expect(undone.statusCode).toBe(200);
        expect(undone.json()).toMatchObject({ importRunId: second.importRunId, restored: 1, removed: 0 });
        const manager = await as(mia, first.importRunId!);
        expect(manager.statusCode).toBe(200);
        expect(manager.json()).toMatchObject({ removed: 1 });
        const left = await store.db
          .selectFrom('contacts')
          .select('id')
          .where('email', '=', 'dee@new.test')
          .execute();
        expect(left).toEqual([]);
      } finally {
        await app.close();
      }
    });
  });
}
