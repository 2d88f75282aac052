/**
 * What undoing an import needs, and the undo itself. An import tags the contacts and numbers it
 * creates with its run's id; for each stored contact a batch changes it writes a journal entry
 * with the values before. Undo restores the entries newest first (a contact two batches changed
 * gets the first one's "before"), then removes what the run created, in one transaction.
 */
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { ContactTable, Database, EnrollmentTable } from './schema.js';
import { type Actor, contactInScope } from './scope.js';

/** The contact columns an import may change, and so what a journal entry may restore. */
export const JOURNALED_CONTACT_COLUMNS = [
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
  'updated_at',
] as const satisfies readonly (keyof ContactTable)[];
type JournaledColumn = (typeof JOURNALED_CONTACT_COLUMNS)[number];

/** The enrollment columns an import may change (do-not-call, take-over). */
export const JOURNALED_ENROLLMENT_COLUMNS = [
  'id',
  'state',
  'next_due_at',
  'due_kind',
  'lease_user_id',
  'lease_expires_at',
  'owner_id',
  'updated_at',
] as const satisfies readonly (keyof EnrollmentTable)[];
type EnrollmentBefore = { [K in (typeof JOURNALED_ENROLLMENT_COLUMNS)[number]]: unknown };

/** One batch's changes to one stored contact, with what to put back. */
export interface JournalEntry {
  /** The changed columns' values before. */
  contact?: Partial<Record<JournaledColumn, unknown>>;
  /** Numbers the batch linked to the contact. */
  linksAdded?: number[];
  /** Links whose kind or extension the batch changed, as they were. */
  links?: { numberId: number; kind: string; extension: string }[];
  /** Enrollments the batch created. */
  enrollmentsAdded?: number[];
  /** Enrollments the batch changed, as they were. */
  enrollments?: EnrollmentBefore[];
  /** Do-not-call entries the batch added. */
  dncEntries?: number[];
}

type ListPart = Exclude<keyof JournalEntry, 'contact'>;

/** A batch's journal, by contact, written at the end of the batch. */
export class BatchJournal {
  private readonly entries = new Map<number, JournalEntry>();

  private entry(contactId: number): JournalEntry {
    let entry = this.entries.get(contactId);
    if (!entry) {
      entry = {};
      this.entries.set(contactId, entry);
    }
    return entry;
  }

  contactWas(contactId: number, before: Partial<Record<JournaledColumn, unknown>>): void {
    this.entry(contactId).contact = before;
  }

  add<K extends ListPart>(contactId: number, part: K, item: NonNullable<JournalEntry[K]>[number]): void {
    const entry = this.entry(contactId);
    const list = (entry[part] ?? []) as NonNullable<JournalEntry[K]>[number][];
    list.push(item);
    entry[part] = list as JournalEntry[K];
  }

  async write(trx: Kysely<Database>, runId: number): Promise<void> {
    const rows = [...this.entries].map(([contactId, entry]) => ({
      import_run_id: runId,
      contact_id: contactId,
      before: JSON.stringify(entry),
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('import_journal')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  }
}

export interface UndoableRun {
  id: number;
  status: 'running' | 'done' | 'failed';
  startedAt: number;
  undoneAt: number | null;
  fileName: string;
}

export async function findImportRun(
  db: Kysely<Database>,
  workspaceId: number,
  runId: number,
): Promise<UndoableRun | undefined> {
  const row = await db
    .selectFrom('import_runs')
    .select(['id', 'status', 'started_at', 'undone_at', 'file_name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', runId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      status: row.status,
      startedAt: row.started_at,
      undoneAt: row.undone_at,
      fileName: row.file_name,
    }
  );
}

export interface RunContact {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  ownerId: number | null;
}

/** The contacts a run created or changed, with the part a refusal names them by. */
function runContacts(db: Kysely<Database>, workspaceId: number, runId: number) {
  return db
    .selectFrom('contacts as c')
    .where('c.workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('c.import_run_id', '=', runId),
        eb(
          'c.id',
          'in',
          eb.selectFrom('import_journal as j').select('j.contact_id').where('j.import_run_id', '=', runId),
        ),
      ]),
    );
}

/**
 * The run's contacts that something after `since` touched: an edit, a call, a callback, an
 * appointment, a number learned, an enrollment moved on, a do-not-call entry, a later import.
 */
export async function contactsTouchedSince(
  db: Kysely<Database>,
  workspaceId: number,
  runId: number,
  since: number,
): Promise<RunContact[]> {
  const rows = await runContacts(db, workspaceId, runId)
    .select(['c.id', 'c.first_name', 'c.last_name', 'c.email', 'c.owner_id'])
    .where((eb) =>
      eb.or([
        eb('c.updated_at', '>', since),
        eb.exists(
          eb
            .selectFrom('attempts as a')
            .select('a.id')
            .whereRef('a.contact_id', '=', 'c.id')
            .where('a.created_at', '>', since),
        ),
        eb.exists(
          eb
            .selectFrom('enrollments as e')
            .select('e.id')
            .whereRef('e.contact_id', '=', 'c.id')
            .where('e.updated_at', '>', since),
        ),
        eb.exists(
          eb
            .selectFrom('contact_numbers as l')
            .select('l.number_id')
            .whereRef('l.contact_id', '=', 'c.id')
            .where('l.created_at', '>', since),
        ),
        eb.exists(
          eb
            .selectFrom('dnc_entries as d')
            .select('d.id')
            .whereRef('d.contact_id', '=', 'c.id')
            .where('d.created_at', '>', since),
        ),
        eb.exists(
          eb
            .selectFrom('appointments as p')
            .select('p.id')
            .whereRef('p.contact_id', '=', 'c.id')
            .where('p.created_at', '>', since),
        ),
        eb.exists(
          eb
            .selectFrom('callback_entries as b')
            .select('b.id')
            .whereRef('b.contact_id', '=', 'c.id')
            .where('b.since_at', '>', since),
        ),
        eb.exists(
          eb
            .selectFrom('provider_calls as pc')
            .select('pc.id')
            .whereRef('pc.contact_id', '=', 'c.id')
            .where('pc.created_at', '>', since),
        ),
      ]),
    )
    .orderBy('c.id')
    .execute();
  return rows.map(toRunContact);
}

/** The run's contacts the actor may not see (the first `limit`): they may not undo it. */
export async function contactsOutOfScope(
  db: Kysely<Database>,
  actor: Actor,
  runId: number,
  limit: number,
): Promise<RunContact[]> {
  const rows = await runContacts(db, actor.workspace_id, runId)
    .select(['c.id', 'c.first_name', 'c.last_name', 'c.email', 'c.owner_id'])
    .where(sql<SqlBool>`not ${contactInScope(actor, 'c')}`)
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map(toRunContact);
}

function toRunContact(r: {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  owner_id: number | null;
}): RunContact {
  return { id: r.id, firstName: r.first_name, lastName: r.last_name, email: r.email, ownerId: r.owner_id };
}

export interface UndoCounts {
  /** Stored contacts put back as they were. */
  restored: number;
  /** Contacts the run created, removed with their numbers' links, enrollments and entries. */
  removed: number;
  /** Numbers the run created that nothing links any more, removed. */
  numbersRemoved: number;
  /** Enrollments the run created on stored contacts, removed. */
  enrollmentsRemoved: number;
}

/** Undoes a run; the caller has checked nothing touched its contacts since, in the same transaction. */
export async function undoRun(
  trx: Kysely<Database>,
  workspaceId: number,
  runId: number,
  now: number,
): Promise<UndoCounts> {
  const journal = await trx
    .selectFrom('import_journal')
    .select(['contact_id', 'before'])
    .where('import_run_id', '=', runId)
    .orderBy('id', 'desc')
    .execute();
  const restored = new Set<number>();
  let enrollmentsRemoved = 0;
  for (const row of journal) {
    const entry = JSON.parse(row.before) as JournalEntry;
    const contactId = row.contact_id;
    restored.add(contactId);
    for (const id of entry.dncEntries ?? []) {
      await trx.deleteFrom('dnc_entries').where('id', '=', id).execute();
    }
    for (const id of entry.enrollmentsAdded ?? []) {
      const gone = await trx.deleteFrom('enrollments').where('id', '=', id).executeTakeFirst();
      enrollmentsRemoved += Number(gone.numDeletedRows);
    }
    // Newest first: an enrollment changed twice in a batch gets the first change's "before".
    for (const before of [...(entry.enrollments ?? [])].reverse()) {
      const { id, ...columns } = before;
      await trx
        .updateTable('enrollments')
        .set(columns as never)
        .where('id', '=', id as number)
        .execute();
    }
    for (const numberId of entry.linksAdded ?? []) {
      await trx
        .deleteFrom('contact_numbers')
        .where('contact_id', '=', contactId)
        .where('number_id', '=', numberId)
        .execute();
    }
    for (const link of entry.links ?? []) {
      await trx
        .updateTable('contact_numbers')
        .set({ kind: link.kind as never, extension: link.extension })
        .where('contact_id', '=', contactId)
        .where('number_id', '=', link.numberId)
        .execute();
    }
    if (entry.contact && Object.keys(entry.contact).length > 0) {
      await trx
        .updateTable('contacts')
        .set(entry.contact as never)
        .where('id', '=', contactId)
        .execute();
    }
  }
  const removed = await trx
    .deleteFrom('contacts')
    .where('workspace_id', '=', workspaceId)
    .where('import_run_id', '=', runId)
    .executeTakeFirst();
  const numbers = await trx
    .deleteFrom('numbers')
    .where('workspace_id', '=', workspaceId)
    .where('import_run_id', '=', runId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('contact_numbers as l').select('l.number_id').whereRef('l.number_id', '=', 'numbers.id'),
        ),
      ),
    )
    .executeTakeFirst();
  await trx.deleteFrom('import_journal').where('import_run_id', '=', runId).execute();
  await trx.updateTable('import_runs').set({ undone_at: now }).where('id', '=', runId).execute();
  return {
    restored: restored.size,
    removed: Number(removed.numDeletedRows),
    numbersRemoved: Number(numbers.numDeletedRows),
    enrollmentsRemoved,
  };
}
