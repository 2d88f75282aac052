/**
 * `GET /api/v1/events`: the signed-in user's events as server-sent events (text/event-stream).
 * Each event is `event: <type>` and `data: <json>`; a comment line every 25 s keeps proxies
 * from closing an idle stream. The user gets the events addressed to them and those for their
 * whole workspace, never another workspace's. Live only: no replay after a reconnect.
 *
 *   const source = new EventSource('/api/v1/events');
 *   source.addEventListener('attempt.logged', (e) => refresh(JSON.parse(e.data)));
 */
import type { ServerResponse } from 'node:http';
import type { RingbackEvent } from '../../app/events.js';
import { type Credential, credentialLive } from '../../store/session-repo.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { CREDENTIALS_CHANGED } from '../publish.js';

/** A comment line this often keeps proxies from closing an idle stream; the credential is checked as often. */
export const HEARTBEAT_MS = 25_000;

export function formatEvent(id: number, event: Pick<RingbackEvent, 'type' | 'data'>): string {
  // JSON has no raw newlines, so the data is always one `data:` line.
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data ?? null)}\n\n`;
}

/**
 * `checkEveryMs` is the heartbeat, and how often a stream's credential is checked again, in case
 * the change was made where no event was sent (the CLI) or the event was lost.
 */
export function registerEventRoutes(app: ZodApp, ctx: ServerContext, checkEveryMs = HEARTBEAT_MS): void {
  // Open streams are ended when the server closes, so shutdown does not wait on them.
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Your live events as server-sent events (screening decisions, queue changes, reminders)',
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { user } = principal;
      const credential: Credential =
        principal.via === 'session' ? { sessionId: principal.sessionId } : { tokenId: principal.tokenId };
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // nginx buffers responses unless told not to.
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      let next = 1;
      let checking = false;
      const check = async () => {
        if (checking || res.writableEnded) return;
        checking = true;
        try {
          if (!(await credentialLive(ctx.store.db, credential, ctx.now()))) res.end();
        } catch (error) {
          // The store is away: the stream stays until it can tell.
          request.log.warn({ err: error }, 'event stream: could not check its sign-in again');
        } finally {
          checking = false;
        }
      };
      const unsubscribe = ctx.events.subscribe((event) => {
        if (event.workspaceId !== user.workspace_id) return;
        if (event.userId !== null && event.userId !== user.id) return;
        if (event.type === CREDENTIALS_CHANGED) {
          void check();
          return;
        }
        res.write(formatEvent(next++, event));
      });
      const heartbeat = setInterval(() => {
        res.write(': keep-alive\n\n');
        void check();
      }, checkEveryMs);
      heartbeat.unref();
      streams.add(res);
      const done = () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(res);
      };
      res.on('close', done);
      request.raw.on('close', () => res.end());
    },
  );
}
