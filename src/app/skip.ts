/**
 * Skipping a call: the rep passes over the contact on the card without dialling, with an
 * optional reason. Not an attempt: the cadence's due time stands. The skip is recorded (the
 * block summary counts it), the lease is handed back so a colleague may take the call, and the
 * rep's own queue leaves the contact out until the block ends. Undo takes a skip back too.
 */
import type { SkipResult } from '../contracts/queue.js';
import { isSkipReason, SKIP_REASONS, type SkipReason } from '../core/block/skip.js';
import { updateEnrollment } from '../store/attempt-repo.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { insertSkip } from '../store/skip-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { blockInForce } from './blocks.js';
import { invalid } from './errors.js';
import { enrollmentToWork } from './log-attempt.js';
import { rememberForUndo } from './undo.js';

export interface SkipRequest {
  user: User;
  /** Skip only enrollments the user answers for (the API); a local command may skip any. */
  scoped?: boolean | undefined;
  contactId: number;
  campaign?: string | undefined;
  reason?: string | undefined;
  at: number;
}

export async function skipCall(store: Store, req: SkipRequest): Promise<SkipResult> {
  let reason: SkipReason | null = null;
  if (req.reason !== undefined && req.reason !== '') {
    if (!isSkipReason(req.reason)) {
      throw invalid(
        `reason: "${req.reason}" is not a reason to skip; use one of: ${SKIP_REASONS.join(', ')}`,
      );
    }
    reason = req.reason;
  }
  const { user } = req;
  return inWriteTransaction(store, async (db) => {
    const enrollment = await enrollmentToWork(db, user.workspace_id, req);
    const block = await blockInForce(db, user.id, req.at);
    const skipId = await insertSkip(db, {
      workspace_id: user.workspace_id,
      user_id: user.id,
      contact_id: req.contactId,
      enrollment_id: enrollment.id,
      block_id: block?.id ?? null,
      reason,
      skipped_at: req.at,
    });
    const leased = enrollment.lease_user_id === user.id;
    if (leased) await updateEnrollment(db, enrollment.id, { lease_user_id: null, lease_expires_at: null });
    await rememberForUndo(db, user, skipId, req.at, {
      kind: 'skip',
      enrollmentId: enrollment.id,
      lease: leased ? { userId: user.id, expiresAt: enrollment.lease_expires_at } : null,
    });
    return {
      skipId,
      contactId: req.contactId,
      campaign: enrollment.campaign_name,
      reason,
      blockId: block?.id ?? null,
      dueAt: enrollment.next_due_at === null ? null : new Date(enrollment.next_due_at).toISOString(),
    };
  });
}
