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
