/**
 * Appointments as the lifecycle reads and writes them: one with the enrollment waiting for it,
 * a user's list, and the change written back. `actor` null is the command line with no user:
 * the whole workspace.
 */
import type { Kysely } from 'kysely';
import type { AppointmentStatus, Database } from './schema.js';
import { type Actor, appointmentInScope } from './scope.js';

function appointmentRows(db: Kysely<Database>, workspaceId: number, actor: Actor | null) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .leftJoin('enrollments as e', 'e.id', 'a.enrollment_id')
    .leftJoin('campaigns as k', 'k.id', 'e.campaign_id')
    .select([
      'a.id',
      'a.workspace_id',
      'a.contact_id',
      'a.user_id',
      'a.enrollment_id',
      'a.starts_at',
      'a.duration_min',
      'a.title',
      'a.notes',
      'a.status',
      'a.sequence',
      'a.created_at',
      'c.first_name',
      'c.last_name',
      'c.time_zone as contact_zone',
      'c.time_zone',
      'c.kind',
      'c.region',
      'c.country',
      'co.name as company',
      'u.email as user_email',
      'u.name as user_name',
      'u.phone as user_phone',
      'u.time_zone as user_zone',
      'e.state as enrollment_state',
      'e.due_kind',
      'e.next_due_at',
      'e.put_offs',
      'e.flagged',
      'k.urgency',
      'k.policy',
    ])
    .where('a.workspace_id', '=', workspaceId)
    .$if(actor !== null, (q) => q.where(appointmentInScope(actor!, 'a')));
}

export type AppointmentRow = Awaited<
  ReturnType<ReturnType<typeof appointmentRows>['executeTakeFirstOrThrow']>
>;

export function appointmentById(
  db: Kysely<Database>,
  workspaceId: number,
  actor: Actor | null,
  id: number,
): Promise<AppointmentRow | undefined> {
  return appointmentRows(db, workspaceId, actor).where('a.id', '=', id).executeTakeFirst();
}

/** Appointments starting from `from` (and before `until`, if given), optionally one user's, soonest first. */
export function listAppointments(
  db: Kysely<Database>,
  workspaceId: number,
  actor: Actor | null,
  q: { from: number; until?: number; userId?: number; limit: number },
): Promise<AppointmentRow[]> {
  return appointmentRows(db, workspaceId, actor)
    .where('a.starts_at', '>=', q.from)
    .$if(q.until !== undefined, (s) => s.where('a.starts_at', '<', q.until!))
    .$if(q.userId !== undefined, (s) => s.where('a.user_id', '=', q.userId!))
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .limit(q.limit)
    .execute();
}

/**
 * Writes a change if the appointment is still at `sequence` (a concurrent change loses and
 * reads as "not changed"). `remindAgain` clears the reminder's claim so it goes out for the new
 * time.
 */
export async function writeAppointmentChange(
  db: Kysely<Database>,
  id: number,
  fromSequence: number,
  change: { status: AppointmentStatus; startsAt: number; sequence: number; remindAgain: boolean },
): Promise<boolean> {
  const result = await db
    .updateTable('appointments')
    .set({
      status: change.status,
      starts_at: change.startsAt,
      sequence: change.sequence,
      ...(change.remindAgain ? { reminded_at: null } : {}),
    })
    .where('id', '=', id)
    .where('sequence', '=', fromSequence)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves the enrollment if it still waits for the appointment at `waitingAt`. */
export async function updateWaitingEnrollment(
  db: Kysely<Database>,
  enrollmentId: number,
  waitingAt: number,
  values: {
    state: 'appointment' | 'active';
    due_kind: 'appointment' | 'retry' | null;
    next_due_at: number | null;
    put_offs?: number;
    flagged?: 0 | 1;
    priority?: number;
    updated_at: number;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('enrollments')
    .set(values)
    .where('id', '=', enrollmentId)
    .where('due_kind', '=', 'appointment')
    .where('next_due_at', '=', waitingAt)
    .where('state', 'in', ['appointment', 'active', 'snoozed'] as const)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The number to dial for an appointment: the one the call that set it reached, else the
 * contact's first working number; null when none is left.
 */
export async function numberToDial(
  db: Kysely<Database>,
  appointmentId: number,
  contactId: number,
): Promise<string | null> {
  const reached = await db
    .selectFrom('appointments as a')
    .innerJoin('attempts as t', 't.id', 'a.attempt_id')
    .innerJoin('numbers as n', 'n.id', 't.number_id')
    .select('n.e164')
    .where('a.id', '=', appointmentId)
    .where('n.valid', '=', 1)
    .executeTakeFirst();
  if (reached) return reached.e164;
  const first = await db
    .selectFrom('contact_numbers as cn')
    .innerJoin('numbers as n', 'n.id', 'cn.number_id')
    .select('n.e164')
    .where('cn.contact_id', '=', contactId)
    .where('n.valid', '=', 1)
    .orderBy('cn.created_at')
    .orderBy('n.id')
    .executeTakeFirst();
  return first?.e164 ?? null;
}
