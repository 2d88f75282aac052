/**
 * The events an outgoing webhook may subscribe to, and the body every delivery carries
 * (Standard Webhooks: `{ type, timestamp, data }`).
 */
export const WEBHOOK_EVENTS = [
  'attempt.logged',
  /** A rep took a logged call back within the undo window: forget its attempt.logged. */
  'attempt.undone',
  'appointment.set',
  'appointment.changed',
  'callback.received',
  'voicemail.received',
  'enrollment.ended',
  'block.ended',
  'contact.created',
  'contact.updated',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/**
 * The event types of a comma-separated list (`attempt.logged,block.ended`); every type when
 * none is given. Unknown names are an error that names them and the known ones.
 */
export function parseEventList(
  names: readonly string[] | undefined,
): { ok: true; events: WebhookEventType[] } | { ok: false; message: string } {
  const given = (names ?? [])
    .flatMap((n) => n.split(','))
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (given.length === 0) return { ok: true, events: [...WEBHOOK_EVENTS] };
  const unknown = given.filter((n) => !isWebhookEvent(n));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length === 1 ? 'is not an event' : 'are not events'}; use any of: ${WEBHOOK_EVENTS.join(', ')}`,
    };
  }
  return { ok: true, events: WEBHOOK_EVENTS.filter((e) => given.includes(e)) };
}

/** The JSON body of a delivery: the same bytes every attempt, so its signature is reproducible. */
export function webhookBody(type: string, createdAt: number, payload: string): string {
  return `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(new Date(createdAt).toISOString())},"data":${payload}}`;
}

/** The stable `webhook-id` of an event: the same on every attempt and replay. */
export function webhookId(eventId: number): string {
  return `evt_${eventId}`;
}
