/**
 * The HTTP server, built but not listening: `ringback serve` listens, tests use `inject` or
 * listen on port 0 (STYLE habit 7).
 *
 *   const app = await buildApp({ store });
 *   const res = await app.inject({ method: 'GET', url: '/healthz' });
 *
 * Order matters: the problem handlers and the access check go in before any route, so every
 * route (plugins' too) gets problem+json errors and must have an access rule.
 */
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type EventBus, InProcessEventBus } from '../app/events.js';
import { startReminderTimer } from '../app/reminders.js';
import { DATABASE_NAMES, type Store, storeAnswers } from '../store/db.js';
import { RETRY_AFTER_SECONDS } from '../store/errors.js';
import { registerAuthRoutes, SESSION_COOKIE } from './auth.js';
import type { ServerContext, ZodApp } from './context.js';
import { Problem, registerProblems } from './problem.js';
import { QueueCache } from './queue-cache.js';
import { registerAccountRoutes } from './routes/accounts.js';
import { registerAppointmentRoutes } from './routes/appointments.js';
import { registerCallRoutes, registerQueueChangeAnnouncements } from './routes/calls.js';
import { registerCampaignRoutes } from './routes/campaigns.js';
import { registerContactRoutes } from './routes/contacts.js';
import { registerEventRoutes } from './routes/events.js';
import { ROUTE_MODULES, registerAccessControl } from './routes/index.js';
import { registerTransferRoutes } from './routes/transfer.js';
import { registerSetupRoutes } from './setup.js';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimiter, type SignInLimits } from './sign-in-limiter.js';
import { apiValidatorCompiler } from './validator.js';
import { registerWebApp } from './web-app.js';

/** Reverse proxies in front of the server: a number of hops, or their addresses (CIDR allowed). */
export type TrustProxy = number | string[];

export interface BuildAppOptions {
  store: Store;
  /**
   * The event bus (app/events.ts): pass a PostgresEventBus when several processes share the
   * database. Default: in-process, closed with the app; a bus passed in is the caller's to close.
   */
  events?: EventBus;
  /** The URL users reach the server at; https here makes session cookies Secure. */
  publicUrl?: string | undefined;
  /** Fastify's logger option (pino options, `stream` included); off when omitted. */
  logger?: FastifyServerOptions['logger'];
  /** The one-time first-admin token (see setup.ts); omit when there are users. */
  setupToken?: string | null;
  /** The clock; tests pass a fixed one. */
  now?: () => number;
  signInLimits?: Partial<SignInLimits>;
  /** Trust X-Forwarded-* from this many proxy hops or these proxy addresses; off when omitted. */
  trustProxy?: TrustProxy | undefined;
  /** The built web app (index.html and assets/); dist/web unless set. */
  webRoot?: string;
  /**
   * How often this process looks for appointment reminders to send (app/reminders.ts); off
   * when omitted. Every process may run it: each reminder is claimed in the database.
   */
  reminderEveryMs?: number | undefined;
  /** How often open event streams send a heartbeat and check their sign-in again; default 25 s. */
  eventStreamCheckMs?: number | undefined;
}

export const BODY_LIMIT = 1024 * 1024;
/** /readyz says "not ready" when the store takes longer than this: a load balancer must not wait on it. */
const READY_WITHIN_MS = 800;

/** Never logged: credentials in headers and bodies. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'token',
  'csrfToken',
  '*.password',
  '*.token',
  '*.csrfToken',
];

function loggerOption(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  return { ...base, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const publicUrl = options.publicUrl?.replace(/\/$/, '');
  const events = options.events ?? new InProcessEventBus();
  const ctx: ServerContext = {
    store: options.store,
    events,
    queueCache: new QueueCache(events),
    now: options.now ?? Date.now,
    publicUrl,
    secureCookies: publicUrl?.startsWith('https:') ?? false,
    limiter: new SignInLimiter(options.store.db, { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits }),
    setup: { token: options.setupToken ?? null },
  };
  const app = Fastify({
    logger: loggerOption(options.logger),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(options.trustProxy),
    // Closing waits for requests in flight; idle keep-alive sockets are closed at once.
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(apiValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: anything else is 415 rather than a string the schema then rejects.
  app.removeContentTypeParser('text/plain');
  registerProblems(app);
  await app.register(helmet, securityHeaders(ctx.secureCookies));
  // Before any route: the plugin compresses the replies of routes registered after it.
  await app.register(compress);
  // Cookies are parsed in an onRequest hook that must run before the access check's.
  await app.register(cookie);
  registerAccessControl(app, ctx);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ringback API',
        version: '0.1.0',
        description:
          'Errors are RFC 9457 application/problem+json. Cookie-authenticated writes need X-CSRF-Token.',
      },
      ...(publicUrl ? { servers: [{ url: publicUrl }] } : {}),
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const zapp: ZodApp = app.withTypeProvider<ZodTypeProvider>();
  registerSystemRoutes(zapp, ctx);
  registerSetupRoutes(zapp, ctx);
  registerAuthRoutes(zapp, ctx);
  registerQueueChangeAnnouncements(zapp, ctx);
  registerContactRoutes(zapp, ctx);
  registerCallRoutes(zapp, ctx);
  registerCampaignRoutes(zapp, ctx);
  registerAppointmentRoutes(zapp, ctx);
  registerAccountRoutes(zapp, ctx);
  await registerTransferRoutes(zapp, ctx);
  registerEventRoutes(zapp, ctx, options.eventStreamCheckMs);
  for (const register of ROUTE_MODULES) register(zapp, ctx);
  await registerWebApp(app, options.webRoot);
  const reminders =
    options.reminderEveryMs === undefined
      ? null
      : startReminderTimer({
          store: ctx.store,
          events,
          now: ctx.now,
          everyMs: options.reminderEveryMs,
          onError: (error) => app.log.warn({ err: error }, 'appointment reminders: pass failed'),
        });
  app.addHook('onClose', async () => {
    await reminders?.stop();
    ctx.queueCache.close();
    if (!options.events) await events.close();
  });
  await app.ready();
  return app;
}

/**
 * Every response's security headers. Scripts only from our own files (the web app's and the
 * API reference's bundles; no inline script), styles also inline (React and Swagger UI set
 * style attributes), nothing may frame a page, and HSTS only when users reach us over https
 * (`--public-url https://…`): sent over plain http it would lock a browser out of the server.
 */
function securityHeaders(https: boolean) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'same-origin' as const },
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false } : false,
  };
}

/**
 * Fastify refuses to trust a bare hop count (it cannot check the nearest peer), so hops are
 * spelled as the trust function proxy-addr would build: the nearest `hops` addresses are proxies.
 */
function trustProxyOption(trust: TrustProxy | undefined): FastifyServerOptions['trustProxy'] {
  if (trust === undefined) return false;
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust;
}

function registerSystemRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['system'],
        summary: 'The store answers',
        response: { 200: z.object({ status: z.literal('ready'), store: z.enum(DATABASE_NAMES) }) },
      },
    },
    async () => {
      if (!(await storeAnswers(ctx.store, READY_WITHIN_MS))) {
        throw new Problem('unavailable', 'the store does not answer', undefined, {
          'retry-after': String(RETRY_AFTER_SECONDS),
        });
      }
      return { status: 'ready' as const, store: ctx.store.ops.name };
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
