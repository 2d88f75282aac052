/**
 * Publishing events from the server, in one place. What an event announces is already stored,
 * so a lost event is logged, never turned into an error.
 */
import type { FastifyRequest } from 'fastify';
import type { RingbackEvent } from '../app/events.js';
import { type Screened, screeningEvent } from '../app/screen.js';
import type { User } from '../store/schema.js';
import type { ServerContext } from './context.js';

/** Tells the event stream; a failure is logged. */
export async function publish(
  ctx: ServerContext,
  request: FastifyRequest,
  event: RingbackEvent,
): Promise<void> {
  try {
    await ctx.events.publish(event);
  } catch (error) {
    request.log.warn({ err: error, type: event.type }, 'event not published');
  }
}

export function publishDecision(
  ctx: ServerContext,
  request: FastifyRequest,
  user: User,
  screened: Screened,
  at: number,
): Promise<void> {
  return publish(ctx, request, screeningEvent(user, screened, at));
}

/**
 * Tells the workspace its queue changed (`queue.changed`: a lease, snooze, do-not-call, a
 * contact, enrollment or import): open workspaces refresh, and cached queue looks are dropped.
 */
export function queueChanged(
  ctx: ServerContext,
  request: FastifyRequest,
  user: User,
  reason: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  // This process's cached looks go at once; other processes' when the event reaches them.
  ctx.queueCache.dropWorkspace(user.workspace_id);
  return publish(ctx, request, {
    workspaceId: user.workspace_id,
    userId: null,
    type: 'queue.changed',
    data: { reason, by: user.id, ...data },
  });
}

/**
 * Told to a user's streams in every process when their sign-in changed (signed out, a token
 * revoked, deactivated): each checks its own credential again and ends if it no longer lets
 * them in. Never sent on to the browser.
 */
export const CREDENTIALS_CHANGED = 'credentials.changed';

/** After a sign-out, a token revoked or a user deactivated: their open streams that lost their credential end. */
export function credentialsChanged(
  ctx: ServerContext,
  request: FastifyRequest,
  user: Pick<User, 'id' | 'workspace_id'>,
): Promise<void> {
  return publish(ctx, request, {
    workspaceId: user.workspace_id,
    userId: user.id,
    type: CREDENTIALS_CHANGED,
    data: null,
  });
}
