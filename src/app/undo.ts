/**
 * Undo: a rep takes back their last logged outcome, or their last skip, for two minutes after
 * it (core/block/undo.ts decides). Logging writes a journal of what the call changed — the
 * enrollment as it was, the callback-list entries it added or cleared, the appointment, the
 * number learned or marked dead, the do-not-call listing, the insights' counts — and undo
 * reverses exactly that, in one transaction, on both databases.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { UndoResult } from '../contracts/queue.js';
import { type UndoCandidate, undoVerdict } from '../core/block/undo.js';
import { OUTCOME_WORDS } from '../core/cadence/next-step.js';
import type { Outcome } from '../core/cadence/types.js';
import type { RollupRow } from '../core/insights/rollup.js';
import type { ContactDoNotCallChange } from '../store/attempt-repo.js';
import type { Store } from '../store/db.js';
import { addRollup } from '../store/rollup-repo.js';
import type { Database, Enrollment, User } from '../store/schema.js';
import { deleteSkip, skipById } from '../store/skip-repo.js';
import {
  attemptToUndo,
  deleteAppointment,
  deleteAttempt,
  deleteCallbackEntry,
  forgetUndoable,
  laterAttemptExists,
  markNumberValid,
  restoreEnrollment,
  restoreLease,
  saveUndoable,
  unclearCallbackEntries,
  undoableOf,
  undoContactDoNotCall,
  unlearnNumber,
} from '../store/undo-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { AppError } from './errors.js';
import { emitWebhookEvent } from './webhook-events.js';

/** The enrollment's columns a log or a skip may change, as they were before it. */
export const ENROLLMENT_COLUMNS = [
  'state',
  'attempt_count',
  'connect_count',
  'next_due_at',
  'due_kind',
  'priority',
  'put_offs',
  'flagged',
  'experiment_arm',
  'last_attempt_at',
  'lease_user_id',
  'lease_expires_at',
  'updated_at',
] as const satisfies readonly (keyof Enrollment)[];

type EnrollmentBefore = Pick<Enrollment, (typeof ENROLLMENT_COLUMNS)[number]>;

export function enrollmentBefore(enrollment: EnrollmentBefore): EnrollmentBefore {
  return Object.fromEntries(ENROLLMENT_COLUMNS.map((c) => [c, enrollment[c]])) as EnrollmentBefore;
}

/** What logging a call changed beyond the attempt itself. */
export interface AttemptJournal {
  kind: 'attempt';
  enrollmentId: number;
  enrollment: EnrollmentBefore;
  learned: { numberId: number; created: boolean } | null;
  invalidatedNumberId: number | null;
  doNotCall: ContactDoNotCallChange | null;
  appointmentId: number | null;
  callbackEntryId: number | null;
  clearedCallbackEntryIds: number[];
  rollup: RollupRow;
}

export interface SkipJournal {
  kind: 'skip';
  enrollmentId: number;
  /** The lease the skip released (null when it had none). */
  lease: { userId: number; expiresAt: number | null } | null;
}

const journalSchema = z.custom<AttemptJournal | SkipJournal>(
  (v) => typeof v === 'object' && v !== null && 'kind' in v && 'enrollmentId' in v,
);

export async function rememberForUndo(
  db: Kysely<Database>,
  user: User,
  targetId: number,
  at: number,
  journal: AttemptJournal | SkipJournal,
): Promise<void> {
  await saveUndoable(db, {
    user_id: user.id,
    workspace_id: user.workspace_id,
    kind: journal.kind,
    target_id: targetId,
    logged_at: at,
    journal: JSON.stringify(journal),
  });
}

const nameOf = (r: { first_name: string; last_name: string }) => `${r.first_name} ${r.last_name}`.trim();

/** Reverses the user's last logged outcome or skip, if it is at most two minutes old. */
export async function undoLast(store: Store, user: User, now: number, zone: string): Promise<UndoResult> {
  return inWriteTransaction(store, async (db) => {
    await store.ops.lockUser(db, user.id);
    const row = await undoableOf(db, user.id);
    const parsed = row ? journalSchema.safeParse(JSON.parse(row.journal)) : null;
    const journal = parsed?.success ? parsed.data : null;
    let candidate: UndoCandidate | null = null;
    let result: UndoResult | null = null;
    if (row && journal?.kind === 'attempt') {
      const attempt = await attemptToUndo(db, row.target_id);
      if (attempt) {
        candidate = {
          what: `“${OUTCOME_WORDS[attempt.outcome as Outcome]}” for ${nameOf(attempt)}`,
          loggedAt: row.logged_at,
          superseded: await laterAttemptExists(db, journal.enrollmentId, attempt),
        };
        result = {
          kind: 'attempt',
          id: attempt.id,
          contactId: attempt.contact_id,
          name: nameOf(attempt),
          outcome: attempt.outcome,
          undone: candidate.what,
        };
      }
    } else if (row && journal?.kind === 'skip') {
      const skip = await skipById(db, row.target_id);
      if (skip) {
        candidate = { what: `the skip of ${nameOf(skip)}`, loggedAt: row.logged_at, superseded: false };
        result = {
          kind: 'skip',
          id: skip.id,
          contactId: skip.contact_id,
          name: nameOf(skip),
          outcome: null,
          undone: candidate.what,
        };
      }
    }
    const verdict = undoVerdict(candidate, now, zone);
    if (!verdict.ok) throw new AppError(verdict.message, { code: 'undo_refused', reason: verdict.reason });
    if (journal!.kind === 'attempt') {
      await reverseAttempt(db, row!.workspace_id, row!.target_id, result!.contactId, journal!);
      // Subscribers may have had attempt.logged (and appointment.set) already.
      await emitWebhookEvent(
        db,
        row!.workspace_id,
        'attempt.undone',
        {
          attemptId: row!.target_id,
          contactId: result!.contactId,
          enrollmentId: journal!.enrollmentId,
          userId: user.id,
          outcome: result!.outcome,
          appointmentId: journal!.appointmentId,
          at: new Date(now).toISOString(),
        },
        now,
      );
    } else await reverseSkip(db, row!.target_id, journal as SkipJournal);
    await forgetUndoable(db, user.id);
    return result!;
  });
}

async function reverseAttempt(
  db: Kysely<Database>,
  workspaceId: number,
  attemptId: number,
  contactId: number,
  journal: AttemptJournal,
): Promise<void> {
  if (journal.appointmentId !== null) await deleteAppointment(db, journal.appointmentId);
  if (journal.callbackEntryId !== null) await deleteCallbackEntry(db, journal.callbackEntryId);
  await unclearCallbackEntries(db, journal.clearedCallbackEntryIds);
  await deleteAttempt(db, attemptId);
  if (journal.invalidatedNumberId !== null) await markNumberValid(db, journal.invalidatedNumberId);
  if (journal.learned) await unlearnNumber(db, contactId, journal.learned.numberId, journal.learned.created);
  if (journal.doNotCall) {
    await undoContactDoNotCall(db, contactId, journal.doNotCall.flagBefore, journal.doNotCall.entryId);
    for (const { id, ...before } of journal.doNotCall.enrollments) await restoreEnrollment(db, id, before);
  }
  // Last: a do-not-call snapshot above is older than the log's own change of this enrollment.
  await restoreEnrollment(db, journal.enrollmentId, journal.enrollment);
  const r = journal.rollup;
  await addRollup(db, workspaceId, {
    ...r,
    dials: -r.dials,
    timedDials: -r.timedDials,
    timedSeconds: -r.timedSeconds,
  });
}

async function reverseSkip(db: Kysely<Database>, skipId: number, journal: SkipJournal): Promise<void> {
  await deleteSkip(db, skipId);
  if (journal.lease)
    await restoreLease(db, journal.enrollmentId, journal.lease.userId, journal.lease.expiresAt);
}
