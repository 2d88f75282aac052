/**
 * What every route module is handed: the store, the clock, and the server's own settings.
 * Kept in one object so buildApp wires it once and tests can swap the clock.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { EventBus } from '../app/events.js';
import type { Store } from '../store/db.js';
import type { QueueCache } from './queue-cache.js';
import type { SignInLimiter } from './sign-in-limiter.js';

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServerContext {
  store: Store;
  /** Live events for signed-in users (SSE); see app/events.ts. */
  events: EventBus;
  /** Recent queue looks, dropped on any event of their workspace. */
  queueCache: QueueCache;
  now: () => number;
  /** The URL users reach the server at (behind a proxy, not the listen address). */
  publicUrl: string | undefined;
  /** Session cookies carry `Secure` (always when publicUrl is https). */
  secureCookies: boolean;
  limiter: SignInLimiter;
  /** The one-time first-admin token; null once used or when there are users already. */
  setup: { token: string | null };
}
