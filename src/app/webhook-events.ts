/**
 * Writing an outgoing-webhook event: inside the write transaction of the change it announces
 * (the transactional outbox), so it is stored if and only if the change is. Each event type is
 * written in one use case; see WEBHOOK_EVENTS for the list.
 *
 *   await emitWebhookEvent(db, workspace.id, 'block.ended', { blockId, userId, … }, at);
 */
import type { Kysely } from 'kysely';
import type { WebhookEventType } from '../core/webhooks/events.js';
import type { Database } from '../store/schema.js';
import { recordWebhookEvent } from '../store/webhook-repo.js';

export function emitWebhookEvent(
  db: Kysely<Database>,
  workspaceId: number,
  type: WebhookEventType,
  data: Record<string, unknown>,
  at: number,
): Promise<void> {
  return recordWebhookEvent(db, workspaceId, type, data, at);
}

const ENDED = new Set(['won', 'lost', 'unreachable', 'dnc']);

/** An enrollment leaves the queue for good: won, lost, unreachable or do-not-call. */
export function endsEnrollment(before: string, after: string): boolean {
  return !ENDED.has(before) && ENDED.has(after);
}

/**
 * `enrollment.ended` for each of a contact's enrollments that a do-not-call took out of the
 * queue (those that had not ended already), in the caller's transaction.
 */
export async function emitDoNotCallEnded(
  db: Kysely<Database>,
  workspaceId: number,
  contactId: number,
  before: readonly { id: number; state: string }[],
  at: number,
): Promise<void> {
  for (const e of before) {
    if (!endsEnrollment(e.state, 'dnc')) continue;
    await emitWebhookEvent(
      db,
      workspaceId,
      'enrollment.ended',
      { enrollmentId: e.id, contactId, state: 'dnc', at: new Date(at).toISOString() },
      at,
    );
  }
}
