/**
 * Each user's last logged outcome or skip and what it changed (undoable_logs, one row per
 * user, replaced by the next log), and the writes that reverse one: removing what the log
 * added and putting back what it changed. app/undo.ts decides; this file only reads and writes.
 */
import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import { compiledOnce } from './queue-repo.js';
import type { Database, EnrollmentTable, UndoableLogTable } from './schema.js';

/** Replaces the user's undoable log: the logging hot path, compiled once. */
export async function saveUndoable(db: Kysely<Database>, row: Insertable<UndoableLogTable>): Promise<void> {
  const values = [row.user_id, row.workspace_id, row.kind, row.target_id, row.logged_at, row.journal] as [
    number,
    number,
    UndoableLogTable['kind'],
    number,
    number,
    string,
  ];
  await db.executeQuery(
    compiledOnce(db, 'saveUndoable', values, (user, workspace, kind, target, at, journal) =>
      db
        .insertInto('undoable_logs')
        .values({
          user_id: user,
          workspace_id: workspace,
          kind,
          target_id: target,
          logged_at: at,
          journal,
        })
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet({
            workspace_id: sql`excluded.workspace_id`,
            kind: sql`excluded.kind`,
            target_id: sql`excluded.target_id`,
            logged_at: sql`excluded.logged_at`,
            journal: sql`excluded.journal`,
          }),
        ),
    ),
  );
}

export async function undoableOf(db: Kysely<Database>, userId: number) {
  return db.selectFrom('undoable_logs').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function forgetUndoable(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom('undoable_logs').where('user_id', '=', userId).execute();
}

/** The attempt with its contact's name, or undefined when it is gone. */
export async function attemptToUndo(db: Kysely<Database>, attemptId: number) {
  return db
    .selectFrom('attempts as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select([
      'a.id',
      'a.enrollment_id',
      'a.contact_id',
      'a.outcome',
      'a.started_at',
      'c.first_name',
      'c.last_name',
    ])
    .where('a.id', '=', attemptId)
    .executeTakeFirst();
}

/** Whether a call on the enrollment was logged after this attempt. */
export async function laterAttemptExists(
  db: Kysely<Database>,
  enrollmentId: number,
  attempt: { id: number; started_at: number },
): Promise<boolean> {
  const row = await db
    .selectFrom('attempts')
    .select('id')
    .where('enrollment_id', '=', enrollmentId)
    .where('id', '<>', attempt.id)
    .where((eb) =>
      eb.or([
        eb('started_at', '>', attempt.started_at),
        eb.and([eb('started_at', '=', attempt.started_at), eb('id', '>', attempt.id)]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteAttempt(db: Kysely<Database>, attemptId: number): Promise<void> {
  await db.deleteFrom('attempts').where('id', '=', attemptId).execute();
}

export async function restoreEnrollment(
  db: Kysely<Database>,
  enrollmentId: number,
  columns: Updateable<EnrollmentTable>,
): Promise<void> {
  if (Object.keys(columns).length === 0) return;
  await db.updateTable('enrollments').set(columns).where('id', '=', enrollmentId).execute();
}

export async function deleteCallbackEntry(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('callback_entries').where('id', '=', id).execute();
}

export async function unclearCallbackEntries(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('callback_entries').set({ cleared_at: null }).where('id', 'in', ids).execute();
}

export async function deleteAppointment(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('appointments').where('id', '=', id).execute();
}

export async function markNumberValid(db: Kysely<Database>, numberId: number): Promise<void> {
  await db.updateTable('numbers').set({ valid: 1 }).where('id', '=', numberId).execute();
}

/** Takes back a number learned on the call: its link to the contact, and the number if the call created it. */
export async function unlearnNumber(
  db: Kysely<Database>,
  contactId: number,
  numberId: number,
  created: boolean,
): Promise<void> {
  await db
    .deleteFrom('contact_numbers')
    .where('contact_id', '=', contactId)
    .where('number_id', '=', numberId)
    .execute();
  if (created) {
    const used = await db
      .selectFrom('contact_numbers')
      .select('contact_id')
      .where('number_id', '=', numberId)
      .limit(1)
      .executeTakeFirst();
    if (!used) await db.deleteFrom('numbers').where('id', '=', numberId).execute();
  }
}

/** Takes a contact off the do-not-call list a call put it on. */
export async function undoContactDoNotCall(
  db: Kysely<Database>,
  contactId: number,
  flagBefore: number,
  entryId: number | null,
): Promise<void> {
  if (entryId !== null) await db.deleteFrom('dnc_entries').where('id', '=', entryId).execute();
  await db.updateTable('contacts').set({ do_not_call: flagBefore }).where('id', '=', contactId).execute();
}

/** Gives a skipped call its lease back, unless a colleague has taken it since. */
export async function restoreLease(
  db: Kysely<Database>,
  enrollmentId: number,
  userId: number,
  expiresAt: number | null,
): Promise<void> {
  await db
    .updateTable('enrollments')
    .set({ lease_user_id: userId, lease_expires_at: expiresAt })
    .where('id', '=', enrollmentId)
    .where('lease_user_id', 'is', null)
    .execute();
}
