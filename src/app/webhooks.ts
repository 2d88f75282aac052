/**
 * An admin's outgoing webhooks: add an endpoint (its signing secret shown once), list them
 * with what their deliveries came to, remove one, list deliveries, and send failed ones again.
 * The API, the CLI and the Settings page all come here.
 */
import { randomBytes } from 'node:crypto';
import type {
  AddedWebhook,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointInput,
} from '../contracts/webhooks.js';
import { parseEventList, type WebhookEventType, webhookId } from '../core/webhooks/events.js';
import type { Store } from '../store/db.js';
import {
  deleteWebhookEndpoint,
  type EndpointRow,
  insertWebhookEndpoint,
  replayWebhookDelivery,
  replayWebhookEndpoint,
  webhookDeliveries,
  webhookEndpoints,
} from '../store/webhook-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { invalid, notFound } from './errors.js';

/** The workspace an admin acts in, and who. */
export interface WebhookActor {
  workspaceId: number;
  userId: number | null;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** `whsec_` and 24 random bytes in base64: a Standard Webhooks secret. */
function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** An http(s) URL without credentials; anything else is refused as invalid, naming the URL. */
function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(
      `"${text}" is not a URL; give one such as https://n8n.example.com/webhook/ringback`,
      '/url',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(`${text}: webhooks are sent over http or https, not ${url.protocol.slice(0, -1)}`, '/url');
  }
  if (url.username || url.password) {
    throw invalid(
      `${url.host}: leave the user name and password out of the URL; requests are signed instead`,
      '/url',
    );
  }
  return url.href;
}

export async function addWebhook(
  store: Store,
  actor: WebhookActor,
  input: WebhookEndpointInput,
  now: number,
): Promise<AddedWebhook> {
  const url = checkUrl(input.url);
  const parsed = parseEventList(input.events);
  if (!parsed.ok) throw invalid(parsed.message, '/events');
  const secret = newSecret();
  const id = await inWriteTransaction(store, (db) =>
    insertWebhookEndpoint(
      db,
      {
        workspace_id: actor.workspaceId,
        url,
        events: JSON.stringify(parsed.events),
        secret,
        allow_private: input.allowPrivate ? 1 : 0,
        created_by: actor.userId,
        created_at: now,
      },
      parsed.events,
    ),
  );
  return { id, url, events: parsed.events, secret };
}

function endpointJson(r: EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as WebhookEventType[],
    allowPrivate: r.allow_private === 1,
    createdAt: iso(r.created_at)!,
    disabledAt: iso(r.disabled_at),
    disabledReason: r.disabled_reason,
    pending: r.pending,
    delivered: r.delivered,
    failed: r.failed,
    lastError: r.last_error,
    lastErrorAt: iso(r.last_error_at),
    lastDeliveredAt: iso(r.last_delivered_at),
  };
}

export async function listWebhooks(store: Store, actor: WebhookActor): Promise<WebhookEndpoint[]> {
  return (await webhookEndpoints(store.db, actor.workspaceId)).map(endpointJson);
}

export async function removeWebhook(store: Store, actor: WebhookActor, id: number): Promise<void> {
  const removed = await inWriteTransaction(store, (db) => deleteWebhookEndpoint(db, actor.workspaceId, id));
  if (!removed) throw notFound(`there is no webhook endpoint ${id}`);
}

export async function listDeliveries(
  store: Store,
  actor: WebhookActor,
  endpointId: number | undefined,
  limit = 100,
): Promise<WebhookDelivery[]> {
  if (
    endpointId !== undefined &&
    (await webhookEndpoints(store.db, actor.workspaceId, endpointId)).length === 0
  ) {
    throw notFound(`there is no webhook endpoint ${endpointId}`);
  }
  const rows = await webhookDeliveries(store.db, actor.workspaceId, endpointId, limit);
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpoint_id,
    webhookId: webhookId(r.event_id),
    type: r.type,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.state === 'pending' ? iso(r.next_attempt_at) : null,
    lastAttemptAt: iso(r.last_attempt_at),
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: iso(r.delivered_at),
    createdAt: iso(r.created_at)!,
  }));
}

/** Enables the endpoint and sends its failed deliveries again; returns the endpoint as it now is. */
export async function replayWebhook(
  store: Store,
  actor: WebhookActor,
  id: number,
  now: number,
): Promise<{ replayed: number; endpoint: WebhookEndpoint }> {
  const replayed = await inWriteTransaction(store, (db) =>
    replayWebhookEndpoint(db, actor.workspaceId, id, now),
  );
  if (replayed === null) throw notFound(`there is no webhook endpoint ${id}`);
  const [row] = await webhookEndpoints(store.db, actor.workspaceId, id);
  return { replayed, endpoint: endpointJson(row!) };
}

/** Sends one delivery again, delivered before or not. */
export async function replayDelivery(
  store: Store,
  actor: WebhookActor,
  id: number,
  now: number,
): Promise<void> {
  const found = await inWriteTransaction(store, (db) =>
    replayWebhookDelivery(db, actor.workspaceId, id, now),
  );
  if (!found) throw notFound(`there is no webhook delivery ${id}`);
}
