/**
 * Phone appointments (rule 9) after they are set: list them, change them (reschedule, cancel,
 * held, no-show) and give each as an invite. A change is one transaction: the appointment row
 * (status and sequence), its reminder, the enrollment waiting for it (a no-show counts a
 * put-off, rule 8) and `appointment.changed` for the webhooks.
 *
 *   await changeAppointment(store, { user, id: 7, change: 'reschedule', when: 'Friday 3pm', now });
 */
import { hostname } from 'node:os';
import type { AppointmentView } from '../contracts/appointments.js';
import { appointmentInvite as inviteText } from '../core/appointments/invite.js';
import {
  type AppointmentChange,
  type AppointmentChangeKind,
  changeAppointment as decideChange,
  refusedChange,
} from '../core/appointments/lifecycle.js';
import { countPutOff, putOffPriority } from '../core/cadence/decision.js';
import { parseWhen } from '../core/when/parse-when.js';
import {
  type AppointmentRow,
  appointmentById,
  listAppointments as listRows,
  numberToDial,
  updateWaitingEnrollment,
  writeAppointmentChange,
} from '../store/appointment-repo.js';
import type { Store } from '../store/db.js';
import { numbersOf } from '../store/queue-repo.js';
import type { User } from '../store/schema.js';
import { workspaceOfActor } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { cadenceContact, parsePolicy, workspaceRules } from './cadence-context.js';
import { invalid, notFound } from './errors.js';
import { refuseUnlawfulTime } from './log-attempt.js';
import { emitWebhookEvent } from './webhook-events.js';

/**
 * The host in invite UIDs: the public URL's, else this machine's name. Stable for a server, so
 * an invite sent again replaces the event it sent before.
 */
export function inviteHost(publicUrl: string | undefined): string {
  if (publicUrl) {
    try {
      return new URL(publicUrl).hostname;
    } catch {
      // A public URL that does not parse is refused where it is set; fall back to the machine.
    }
  }
  return hostname() || 'localhost';
}

export const inviteUrl = (id: number) => `/api/v1/appointments/${id}/invite.ics`;

function view(r: AppointmentRow): AppointmentView {
  return {
    id: r.id,
    contactId: r.contact_id,
    contact: `${r.first_name} ${r.last_name}`.trim(),
    company: r.company,
    userId: r.user_id,
    user: r.user_name || r.user_email,
    startsAt: new Date(r.starts_at).toISOString(),
    durationMinutes: r.duration_min,
    title: r.title,
    notes: r.notes,
    status: r.status,
    sequence: r.sequence,
    invite: inviteUrl(r.id),
  };
}

/** Appointments from `from` on (default: a day before now, so a missed one still shows), soonest first. */
export async function listAppointments(
  store: Store,
  req: { user: User | null; only?: User | null; from?: number; limit?: number; now: number },
): Promise<AppointmentView[]> {
  const workspace = await workspaceOfActor(store.db, req.user, req.now);
  const rows = await listRows(store.db, workspace.id, req.user, {
    from: req.from ?? req.now - 24 * 60 * 60_000,
    limit: req.limit ?? 100,
    ...(req.only ? { userId: req.only.id } : {}),
  });
  return rows.map(view);
}

async function loadOne(store: Store, user: User | null, id: number, now: number) {
  const workspace = await workspaceOfActor(store.db, user, now);
  const row = await appointmentById(store.db, workspace.id, user, id);
  if (!row) throw notFound(`there is no appointment ${id}`);
  return { workspace, row };
}

export const APPOINTMENT_CHANGES: readonly AppointmentChangeKind[] = [
  'reschedule',
  'cancel',
  'held',
  'no_show',
];

export async function changeAppointment(
  store: Store,
  req: { user: User | null; id: number; change: AppointmentChangeKind; when?: string; now: number },
): Promise<AppointmentView> {
  const { workspace, row } = await loadOne(store, req.user, req.id, req.now);
  // A finished appointment says so before any new time is read.
  const refused = refusedChange(row.status, req.change);
  if (refused !== null) throw invalid(`appointment ${row.id}: ${refused}`);
  let change: AppointmentChange;
  if (req.change === 'reschedule') {
    if (!req.when?.trim()) throw invalid('reschedule needs the new time, e.g. "Friday 3pm"', '/when');
    const parsed = parseWhen(req.when, { now: req.now, zone: req.user?.time_zone || workspace.time_zone });
    if (!parsed.ok) throw invalid(`when: ${parsed.message}`, '/when');
    // Rule 12 holds for a new time as for the first: never when the law forbids a call.
    const rules = workspaceRules(workspace);
    const numbers = await numbersOf(store.db, workspace.id, [row.contact_id]);
    refuseUnlawfulTime(
      req.when,
      parsed.at,
      req.now,
      cadenceContact(row, numbers, rules),
      parsePolicy(row.policy ?? '{}'),
      rules,
    );
    change = { kind: 'reschedule', startsAt: parsed.at };
  } else {
    if (req.when !== undefined) throw invalid(`only a reschedule takes a time, not a ${req.change}`, '/when');
    change = { kind: req.change };
  }
  const decided = decideChange(
    { status: row.status, startsAt: row.starts_at, sequence: row.sequence },
    change,
    req.now,
  );
  if (!decided.ok) throw invalid(`appointment ${row.id}: ${decided.message}`);
  const next = decided.changed;

  await inWriteTransaction(store, async (db) => {
    const written = await writeAppointmentChange(db, row.id, row.sequence, next);
    if (!written) throw invalid(`appointment ${row.id} was changed meanwhile: look again and retry`);
    if (row.enrollment_id !== null) {
      const base = { updated_at: req.now };
      if (next.enrollment === 'move') {
        await updateWaitingEnrollment(db, row.enrollment_id, row.starts_at, {
          ...base,
          state: 'appointment',
          due_kind: 'appointment',
          next_due_at: next.startsAt,
        });
      } else if (next.enrollment === 'rest') {
        await updateWaitingEnrollment(db, row.enrollment_id, row.starts_at, {
          ...base,
          state: 'active',
          due_kind: null,
          next_due_at: null,
        });
      } else if (next.enrollment === 'retry') {
        await updateWaitingEnrollment(db, row.enrollment_id, row.starts_at, {
          ...base,
          state: 'active',
          due_kind: 'retry',
          next_due_at: req.now,
        });
      } else if (row.policy !== null && row.urgency !== null && row.put_offs !== null) {
        const maxPutOffs = parsePolicy(row.policy).maxPutOffs;
        const counted = countPutOff(
          { putOffs: row.put_offs, flagged: row.flagged === 1 },
          maxPutOffs,
          'Missed the appointment',
        );
        await updateWaitingEnrollment(db, row.enrollment_id, row.starts_at, {
          ...base,
          state: 'active',
          due_kind: 'retry',
          next_due_at: req.now,
          put_offs: counted.putOffs,
          flagged: counted.flagged ? 1 : 0,
          priority: putOffPriority(row.urgency, counted.putOffs, maxPutOffs),
        });
      }
    }
    await emitWebhookEvent(
      db,
      workspace.id,
      'appointment.changed',
      {
        appointmentId: row.id,
        contactId: row.contact_id,
        enrollmentId: row.enrollment_id,
        userId: row.user_id,
        change: req.change,
        status: next.status,
        sequence: next.sequence,
        startsAt: new Date(next.startsAt).toISOString(),
        previousStartsAt: new Date(row.starts_at).toISOString(),
      },
      req.now,
    );
  });
  const { row: after } = await loadOne(store, req.user, req.id, req.now);
  return view(after);
}

/** The appointment's invite (.ics); `host` makes its UID unique across servers. */
export async function appointmentInvite(
  store: Store,
  req: { user: User | null; id: number; host: string; now: number },
): Promise<string> {
  const { row } = await loadOne(store, req.user, req.id, req.now);
  return inviteText(
    {
      id: row.id,
      startsAt: row.starts_at,
      durationMinutes: row.duration_min,
      title: row.title,
      notes: row.notes,
      status: row.status,
      sequence: row.sequence,
      stampedAt: req.now,
      contact: {
        name: `${row.first_name} ${row.last_name}`.trim() || 'the contact',
        company: row.company,
        zone: row.contact_zone || null,
        number: await numberToDial(store.db, row.id, row.contact_id),
      },
      rep: { name: row.user_name, email: row.user_email, zone: row.user_zone },
    },
    req.host,
  );
}
