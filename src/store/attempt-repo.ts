/**
 * Recording an attempt and what follows from it: the enrollment rescheduled, numbers marked,
 * do-not-call entries, appointments and callback-list entries.
 */
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import { compiledOnce, isPostgres, toCadenceAttempt, toNumberRow } from './queue-repo.js';
import type { AttemptTable, Database, EnrollmentTable } from './schema.js';
import { type Actor, enrollmentInScope } from './scope.js';

export async function insertAttempt(
  db: Kysely<Database>,
  attempt: Insertable<AttemptTable>,
): Promise<number> {
  const [columns, values] = columnsAndValues(attempt);
  const { rows } = await db.executeQuery(
    compiledOnce(db, `insertAttempt ${columns}`, values, (...slots) =>
      db
        .insertInto('attempts')
        .values(Object.fromEntries(columns.map((c, i) => [c, slots[i]])) as Insertable<AttemptTable>)
        .returning('id'),
    ),
  );
  return rows[0]!.id;
}

export async function updateEnrollment(
  db: Kysely<Database>,
  id: number,
  changes: Updateable<EnrollmentTable>,
): Promise<void> {
  const [columns, values] = columnsAndValues(changes);
  await db.executeQuery(
    compiledOnce(db, `updateEnrollment ${columns}`, [id, ...values], (key, ...slots) =>
      db
        .updateTable('enrollments')
        .set(Object.fromEntries(columns.map((c, i) => [c, slots[i]])) as Updateable<EnrollmentTable>)
        .where('id', '=', key as number),
    ),
  );
}

/**
 * Writes an attempt and its enrollment's new state; returns the attempt's id. On PostgreSQL it
 * is one statement (the insert runs as a CTE of the update): one round trip instead of two.
 */
export async function recordAttempt(
  db: Kysely<Database>,
  attempt: Insertable<AttemptTable>,
  enrollmentId: number,
  changes: Updateable<EnrollmentTable>,
): Promise<number> {
  if (!isPostgres(db)) {
    const id = await insertAttempt(db, attempt);
    await updateEnrollment(db, enrollmentId, changes);
    return id;
  }
  const [attemptColumns, attemptValues] = columnsAndValues(attempt);
  const [columns, values] = columnsAndValues(changes);
  const { rows } = await db.executeQuery(
    compiledOnce(
      db,
      `recordAttempt ${attemptColumns} | ${columns}`,
      [enrollmentId, ...attemptValues, ...values],
      (key, ...slots) =>
        db
          .with('a', (w) =>
            w
              .insertInto('attempts')
              .values(
                Object.fromEntries(attemptColumns.map((c, i) => [c, slots[i]])) as Insertable<AttemptTable>,
              )
              .returning('id'),
          )
          .updateTable('enrollments')
          .set(
            Object.fromEntries(
              columns.map((c, i) => [c, slots[attemptColumns.length + i]]),
            ) as Updateable<EnrollmentTable>,
          )
          .where('id', '=', key as number)
          .returning(sql<number>`(select id from a)`.as('id')),
    ),
  );
  const row = rows[0];
  if (!row) throw new Error(`enrollment ${enrollmentId} vanished while its attempt was logged`);
  return row.id;
}

/** A row's columns (those with a value, in order) and their values, for compiledOnce. */
function columnsAndValues(row: object): [string[], unknown[]] {
  const entries = Object.entries(row).filter(([, v]) => v !== undefined);
  return [entries.map(([c]) => c), entries.map(([, v]) => v)];
}

export async function enrollmentsOfContact(db: Kysely<Database>, workspaceId: number, contactId: number) {
  return db
    .selectFrom('enrollments as e')
    .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
    .selectAll('e')
    .select(['k.name as campaign_name', 'k.policy', 'k.urgency'])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.contact_id', '=', contactId)
    .orderBy('e.id')
    .execute();
}

/**
 * A contact's enrollments in the workspace, each with its campaign's name, policy and urgency
 * and what the cadence reads of the contact: everything logging an attempt starts from, in one
 * read. On PostgreSQL the enrollments stay locked until commit, so two logs of the same contact
 * at once cannot both read the same attempt count (SQLite's write lock already serialises them).
 *
 * On PostgreSQL each row also brings the contact's numbers and the enrollment's attempts (as
 * numbersOf and historyOf read them), aggregated as JSON: two round trips fewer per logged
 * outcome. On SQLite `numbers` and `history` are null and those two indexed reads, cheaper there
 * than building and parsing JSON, are the caller's.
 */
export async function enrollmentsForLog(db: Kysely<Database>, workspaceId: number, contactId: number) {
  if (!isPostgres(db)) {
    const { rows } = await db.executeQuery(
      compiledOnce(db, 'enrollmentsForLog', [workspaceId, contactId] as const, (workspace, contact) =>
        enrollmentsWithContact(db)
          .where('e.workspace_id', '=', workspace)
          .where('e.contact_id', '=', contact)
          .orderBy('e.id'),
      ),
    );
    return rows.map((r) => ({ ...r, numbers: null, history: null }));
  }
  const { rows } = await db.executeQuery(
    compiledOnce(
      db,
      'enrollmentsForLog with numbers and history',
      [workspaceId, contactId] as const,
      (workspace, contact) =>
        enrollmentsWithContact(db)
          .select([
            sql<Parameters<typeof toNumberRow>[0][]>`(
            select coalesce(json_agg(json_build_object(
                     'contact_id', cn.contact_id, 'number_id', n.id, 'e164', n.e164, 'kind', cn.kind,
                     'extension', cn.extension, 'valid', n.valid, 'dnc_id', d.id) order by cn.created_at), '[]'::json)
              from contact_numbers cn
              join numbers n on n.id = cn.number_id
              left join dnc_entries d on d.e164 = n.e164 and d.workspace_id = ${workspace}
             where cn.contact_id = e.contact_id)`.as('numbers_json'),
            sql<Parameters<typeof toCadenceAttempt>[0][]>`(
            select coalesce(json_agg(json_build_object(
                     'started_at', a.started_at, 'outcome', a.outcome, 'e164', n.e164,
                     'voicemail_left', a.voicemail_left, 'script', a.script,
                     'scheduled_for', a.scheduled_for) order by a.started_at, a.id), '[]'::json)
              from attempts a
              left join numbers n on n.id = a.number_id
             where a.enrollment_id = e.id)`.as('history_json'),
          ])
          .where('e.workspace_id', '=', workspace)
          .where('e.contact_id', '=', contact)
          .orderBy('e.id')
          .forUpdate('e'),
    ),
  );
  return rows.map(({ numbers_json, history_json, ...r }) => ({
    ...r,
    numbers: numbers_json.map(toNumberRow),
    history: history_json.map(toCadenceAttempt),
  }));
}

/** Which of these enrollments the actor may work (log calls on, change). */
export async function enrollmentIdsInScope(
  db: Kysely<Database>,
  actor: Actor,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('enrollments as e')
    .select('e.id')
    .where('e.id', 'in', ids)
    .where(enrollmentInScope(actor, 'e'))
    .execute();
  return new Set(rows.map((r) => r.id));
}

function enrollmentsWithContact(db: Kysely<Database>) {
  return db
    .selectFrom('enrollments as e')
    .innerJoin('contacts as c', 'c.id', 'e.contact_id')
    .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
    .selectAll('e')
    .select([
      'k.name as campaign_name',
      'k.policy',
      'k.urgency',
      'c.first_name',
      'c.last_name',
      'c.kind',
      'c.time_zone',
      'c.region',
      'c.country',
      'c.do_not_call',
    ]);
}

export async function contactById(db: Kysely<Database>, workspaceId: number, contactId: number) {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirst();
}

export async function markNumberInvalid(db: Kysely<Database>, numberId: number): Promise<void> {
  await db.updateTable('numbers').set({ valid: 0 }).where('id', '=', numberId).execute();
}

/** What markContactDoNotCall changed, so an undone call can put it back. */
export interface ContactDoNotCallChange {
  flagBefore: number;
  /** The list entry it added; null when the contact was listed already. */
  entryId: number | null;
  /** The contact's enrollments as they were before it took them out of the queue. */
  enrollments: Pick<
    Selectable<EnrollmentTable>,
    'id' | 'state' | 'next_due_at' | 'due_kind' | 'lease_user_id' | 'lease_expires_at' | 'updated_at'
  >[];
}

/** Puts a contact on the workspace do-not-call list and takes every enrollment of it out of the queue. */
export async function markContactDoNotCall(
  db: Kysely<Database>,
  workspaceId: number,
  contactId: number,
  source: string,
  reason: string,
  userId: number | null,
  now: number,
): Promise<ContactDoNotCallChange> {
  const before = await db
    .selectFrom('contacts')
    .select('do_not_call')
    .where('id', '=', contactId)
    .executeTakeFirst();
  const enrollments = await db
    .selectFrom('enrollments')
    .select(['id', 'state', 'next_due_at', 'due_kind', 'lease_user_id', 'lease_expires_at', 'updated_at'])
    .where('contact_id', '=', contactId)
    .execute();
  await db
    .updateTable('contacts')
    .set({ do_not_call: 1, updated_at: now })
    .where('id', '=', contactId)
    .execute();
  const listed = await db
    .selectFrom('dnc_entries')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  let entryId: number | null = null;
  if (!listed) {
    const row = await db
      .insertInto('dnc_entries')
      .values({
        workspace_id: workspaceId,
        contact_id: contactId,
        e164: null,
        reason,
        source,
        created_by: userId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    entryId = row.id;
  }
  await db
    .updateTable('enrollments')
    .set({
      state: 'dnc',
      next_due_at: null,
      due_kind: null,
      lease_user_id: null,
      lease_expires_at: null,
      updated_at: now,
    })
    .where('contact_id', '=', contactId)
    .execute();
  return { flagBefore: before?.do_not_call ?? 0, entryId, enrollments };
}

export async function markNumberDoNotCall(
  db: Kysely<Database>,
  workspaceId: number,
  e164: string,
  source: string,
  reason: string,
  userId: number | null,
  now: number,
): Promise<boolean> {
  const listed = await db
    .selectFrom('dnc_entries')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('e164', '=', e164)
    .executeTakeFirst();
  if (listed) return false;
  await db
    .insertInto('dnc_entries')
    .values({
      workspace_id: workspaceId,
      e164,
      contact_id: null,
      reason,
      source,
      created_by: userId,
      created_at: now,
    })
    .execute();
  return true;
}

export async function insertAppointment(
  db: Kysely<Database>,
  values: Insertable<Database['appointments']>,
): Promise<number> {
  const row = await db.insertInto('appointments').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertCallbackEntry(
  db: Kysely<Database>,
  entry: Insertable<Database['callback_entries']>,
): Promise<number> {
  const [columns, values] = columnsAndValues(entry);
  const { rows } = await db.executeQuery(
    compiledOnce(db, `insertCallbackEntry ${columns}`, values, (...slots) =>
      db
        .insertInto('callback_entries')
        .values(
          Object.fromEntries(columns.map((c, i) => [c, slots[i]])) as Insertable<
            Database['callback_entries']
          >,
        )
        .returning('id'),
    ),
  );
  return rows[0]!.id;
}

/** Clears a user's entries for a contact that are live at `at`: a conversation ended the wait. Returns their ids. */
export async function clearCallbackEntries(
  db: Kysely<Database>,
  userId: number,
  contactId: number,
  at: number,
): Promise<number[]> {
  const rows = await db
    .updateTable('callback_entries')
    .set({ cleared_at: at })
    .where('user_id', '=', userId)
    .where('contact_id', '=', contactId)
    .where('expires_at', '>', at)
    .where('since_at', '<=', at)
    .where('cleared_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Adds a number to a contact (creating it in the workspace if new); keeps an existing link as it
 * is. Says what it added, so an undone call can take it back.
 */
export async function addNumberToContact(
  db: Kysely<Database>,
  workspaceId: number,
  contactId: number,
  number: { e164: string; extension: string; country: string | null },
  kind: Database['contact_numbers']['kind'],
  source: Database['contact_numbers']['source'],
  now: number,
): Promise<{ numberId: number; created: boolean; linked: boolean }> {
  const created = await db
    .insertInto('numbers')
    .values({
      workspace_id: workspaceId,
      e164: number.e164,
      country: number.country,
      valid: 1,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'e164']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const row = await db
    .selectFrom('numbers')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('e164', '=', number.e164)
    .executeTakeFirstOrThrow();
  const linked = await db
    .insertInto('contact_numbers')
    .values({
      contact_id: contactId,
      number_id: row.id,
      kind,
      extension: number.extension,
      source,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['contact_id', 'number_id']).doNothing())
    .returning('number_id')
    .executeTakeFirst();
  return { numberId: row.id, created: created !== undefined, linked: linked !== undefined };
}
