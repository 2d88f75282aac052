/**
 * The route table: every route the server answers and who may call it, as data. One onRequest
 * hook enforces it (authentication, role, CSRF on cookie writes) before the body is even
 * parsed, and registering a route that is missing here fails at startup, so no route can
 * exist without an access rule. Tests walk `ROUTES`.
 *
 *   { method: 'GET', url: '/api/v1/contacts', access: 'authenticated' }
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TokenScope } from '../../core/tokens/mint.js';
import { assertUnreachable } from '../../core/unreachable.js';
import type { Role } from '../../store/schema.js';
import { authenticate, checkCsrf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { Problem } from '../problem.js';
import { registerBlockRoutes } from './blocks.js';
import { registerCallbackRoutes } from './callbacks.js';
import { registerInsightsRoutes } from './insights.js';
import { registerScreenRoutes } from './screen.js';
import { registerSettingsRoutes } from './settings.js';
import { registerTelephonyRoutes } from './telephony.js';
import { registerTimelineRoutes } from './timeline.js';
import { registerWebhookRoutes } from './webhooks.js';
import { registerWhenRoutes } from './when.js';

export type Access = 'public' | 'authenticated' | 'manager' | 'admin';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * Whose things the route reaches, for the authorization matrix test: `contact`, `campaign`,
 * `enrollment`, `appointment`, `user` (things done by the users the caller answers for: stats) —
 * scoped by store/scope.ts (the test needs a case for each such route); `self` — only the caller's own (tokens, events); `workspace` — the caller's workspace
 * as a whole; `none` — nothing stored.
 */
export type Scope =
  | 'none'
  | 'self'
  | 'workspace'
  | 'contact'
  | 'campaign'
  | 'enrollment'
  | 'appointment'
  | 'user';

export interface RouteRule {
  method: Method;
  url: string;
  access: Access;
  scope: Scope;
}

export const ROUTES = [
  { method: 'GET', url: '/', access: 'public', scope: 'none' },
  { method: 'GET', url: '/setup', access: 'public', scope: 'none' },
  { method: 'GET', url: '/setup.js', access: 'public', scope: 'none' },
  // The web app (web-app.ts): its hashed assets, and index.html for every other page path.
  { method: 'GET', url: '/assets/*', access: 'public', scope: 'none' },
  { method: 'GET', url: '/*', access: 'public', scope: 'none' },
  { method: 'GET', url: '/healthz', access: 'public', scope: 'none' },
  { method: 'GET', url: '/readyz', access: 'public', scope: 'none' },
  { method: 'GET', url: '/api/openapi.json', access: 'public', scope: 'none' },
  { method: 'POST', url: '/api/v1/setup', access: 'public', scope: 'none' },
  { method: 'POST', url: '/api/v1/auth/sign-in', access: 'public', scope: 'none' },
  { method: 'POST', url: '/api/v1/auth/sign-out', access: 'authenticated', scope: 'self' },
  { method: 'GET', url: '/api/v1/me', access: 'authenticated', scope: 'self' },
  { method: 'POST', url: '/api/v1/tokens', access: 'authenticated', scope: 'self' },
  { method: 'GET', url: '/api/v1/tokens', access: 'authenticated', scope: 'self' },
  { method: 'DELETE', url: '/api/v1/tokens/:id', access: 'authenticated', scope: 'self' },
  { method: 'GET', url: '/api/v1/events', access: 'authenticated', scope: 'self' },
  { method: 'GET', url: '/api/v1/contacts', access: 'authenticated', scope: 'contact' },
  { method: 'POST', url: '/api/v1/contacts', access: 'authenticated', scope: 'contact' },
  { method: 'GET', url: '/api/v1/contacts/:id', access: 'authenticated', scope: 'contact' },
  { method: 'GET', url: '/api/v1/contacts/:id/vcard', access: 'authenticated', scope: 'contact' },
  { method: 'PATCH', url: '/api/v1/contacts/:id', access: 'authenticated', scope: 'contact' },
  { method: 'DELETE', url: '/api/v1/contacts/:id', access: 'authenticated', scope: 'contact' },
  { method: 'POST', url: '/api/v1/contacts/:id/numbers', access: 'authenticated', scope: 'contact' },
  {
    method: 'DELETE',
    url: '/api/v1/contacts/:id/numbers/:numberId',
    access: 'authenticated',
    scope: 'contact',
  },
  { method: 'POST', url: '/api/v1/contacts/:id/snooze', access: 'authenticated', scope: 'contact' },
  { method: 'POST', url: '/api/v1/dnc', access: 'authenticated', scope: 'contact' },
  { method: 'GET', url: '/api/v1/dnc/registries', access: 'manager', scope: 'workspace' },
  { method: 'POST', url: '/api/v1/dnc/registries', access: 'admin', scope: 'workspace' },
  { method: 'GET', url: '/api/v1/queue', access: 'authenticated', scope: 'enrollment' },
  { method: 'POST', url: '/api/v1/queue', access: 'authenticated', scope: 'enrollment' },
  { method: 'POST', url: '/api/v1/attempts', access: 'authenticated', scope: 'contact' },
  { method: 'POST', url: '/api/v1/skips', access: 'authenticated', scope: 'contact' },
  // Takes back only the caller's own last log or skip (app/undo.ts).
  { method: 'POST', url: '/api/v1/undo', access: 'authenticated', scope: 'self' },
  { method: 'GET', url: '/api/v1/campaigns', access: 'authenticated', scope: 'campaign' },
  { method: 'POST', url: '/api/v1/campaigns', access: 'manager', scope: 'campaign' },
  { method: 'GET', url: '/api/v1/campaigns/:id', access: 'authenticated', scope: 'campaign' },
  { method: 'PATCH', url: '/api/v1/campaigns/:id', access: 'manager', scope: 'campaign' },
  { method: 'GET', url: '/api/v1/enrollments', access: 'authenticated', scope: 'enrollment' },
  { method: 'POST', url: '/api/v1/enrollments', access: 'authenticated', scope: 'enrollment' },
  { method: 'PATCH', url: '/api/v1/enrollments/:id', access: 'authenticated', scope: 'enrollment' },
  { method: 'GET', url: '/api/v1/appointments', access: 'authenticated', scope: 'appointment' },
  {
    method: 'GET',
    url: '/api/v1/appointments/:id/invite.ics',
    access: 'authenticated',
    scope: 'appointment',
  },
  {
    method: 'POST',
    url: '/api/v1/appointments/:id/reschedule',
    access: 'authenticated',
    scope: 'appointment',
  },
  { method: 'POST', url: '/api/v1/appointments/:id/cancel', access: 'authenticated', scope: 'appointment' },
  { method: 'POST', url: '/api/v1/appointments/:id/held', access: 'authenticated', scope: 'appointment' },
  { method: 'POST', url: '/api/v1/appointments/:id/no-show', access: 'authenticated', scope: 'appointment' },
  { method: 'POST', url: '/api/v1/imports', access: 'authenticated', scope: 'contact' },
  // Every contact the run created or changed must be in the caller's scope (app/import/undo-import.ts).
  { method: 'POST', url: '/api/v1/imports/:id/undo', access: 'authenticated', scope: 'contact' },
  { method: 'GET', url: '/api/v1/exports/:what', access: 'admin', scope: 'workspace' },
  { method: 'GET', url: '/api/v1/users', access: 'manager', scope: 'workspace' },
  { method: 'POST', url: '/api/v1/users', access: 'admin', scope: 'workspace' },
  { method: 'GET', url: '/api/v1/workspace', access: 'authenticated', scope: 'workspace' },
  { method: 'PATCH', url: '/api/v1/workspace', access: 'admin', scope: 'workspace' },
  // Names only contacts in the caller's scope; the decision is the caller's own.
  { method: 'POST', url: '/api/v1/screen', access: 'authenticated', scope: 'contact' },
  { method: 'GET', url: '/api/v1/callbacks', access: 'authenticated', scope: 'self' },
  // Writes only the caller's own list; the contact must be in their scope (app/callbacks.ts).
  { method: 'POST', url: '/api/v1/callbacks', access: 'authenticated', scope: 'self' },
  { method: 'POST', url: '/api/v1/blocks', access: 'authenticated', scope: 'self' },
  { method: 'GET', url: '/api/v1/blocks/current', access: 'authenticated', scope: 'self' },
  { method: 'POST', url: '/api/v1/blocks/current/stop', access: 'authenticated', scope: 'self' },
  { method: 'PUT', url: '/api/v1/telephony', access: 'admin', scope: 'workspace' },
  { method: 'GET', url: '/api/v1/contacts/:id/voicemails', access: 'authenticated', scope: 'contact' },
  // Rings the caller's own phone; the contact must be in their scope (app/telephony-outbound.ts).
  { method: 'POST', url: '/api/v1/calls', access: 'authenticated', scope: 'self' },
  // Public, but every one checks X-Twilio-Signature before any work (routes/telephony.ts).
  { method: 'POST', url: '/telephony/:workspaceId/voice', access: 'public', scope: 'none' },
  { method: 'POST', url: '/telephony/:workspaceId/whisper', access: 'public', scope: 'none' },
  { method: 'POST', url: '/telephony/:workspaceId/recording', access: 'public', scope: 'none' },
  { method: 'POST', url: '/telephony/:workspaceId/transcription', access: 'public', scope: 'none' },
  { method: 'POST', url: '/telephony/:workspaceId/outbound/:callId/bridge', access: 'public', scope: 'none' },
  {
    method: 'POST',
    url: '/telephony/:workspaceId/outbound/:callId/answered',
    access: 'public',
    scope: 'none',
  },
  { method: 'POST', url: '/telephony/:workspaceId/outbound/:callId/dialed', access: 'public', scope: 'none' },
  { method: 'POST', url: '/telephony/:workspaceId/outbound/:callId/status', access: 'public', scope: 'none' },
  // Reads a time in words; a contact's zone only when the contact is in the caller's scope.
  { method: 'GET', url: '/api/v1/when', access: 'authenticated', scope: 'self' },
  { method: 'GET', url: '/api/v1/stats', access: 'authenticated', scope: 'user' },
  { method: 'GET', url: '/api/v1/contacts/:id/timeline', access: 'authenticated', scope: 'contact' },
  // Settings and campaign pages (routes/settings.ts).
  { method: 'GET', url: '/api/v1/campaigns/:id/preview', access: 'authenticated', scope: 'campaign' },
  { method: 'GET', url: '/api/v1/calling-hours', access: 'authenticated', scope: 'workspace' },
  { method: 'PUT', url: '/api/v1/calling-hours', access: 'admin', scope: 'workspace' },
  { method: 'PUT', url: '/api/v1/me/calling-hours', access: 'authenticated', scope: 'self' },
  { method: 'PUT', url: '/api/v1/me/keyboard-shortcuts', access: 'authenticated', scope: 'self' },
  { method: 'GET', url: '/api/v1/greeting', access: 'authenticated', scope: 'workspace' },
  { method: 'PUT', url: '/api/v1/greeting', access: 'admin', scope: 'workspace' },
  { method: 'GET', url: '/api/v1/telephony', access: 'admin', scope: 'workspace' },
  { method: 'GET', url: '/api/v1/holidays', access: 'authenticated', scope: 'workspace' },
  { method: 'POST', url: '/api/v1/holidays', access: 'admin', scope: 'workspace' },
  { method: 'DELETE', url: '/api/v1/holidays/:date', access: 'admin', scope: 'workspace' },
  { method: 'PATCH', url: '/api/v1/users/:id', access: 'admin', scope: 'workspace' },
  { method: 'GET', url: '/api/v1/teams', access: 'manager', scope: 'workspace' },
  { method: 'POST', url: '/api/v1/teams', access: 'admin', scope: 'workspace' },
  // Outgoing webhooks (routes/webhooks.ts).
  { method: 'GET', url: '/api/v1/webhooks', access: 'admin', scope: 'workspace' },
  { method: 'POST', url: '/api/v1/webhooks', access: 'admin', scope: 'workspace' },
  { method: 'DELETE', url: '/api/v1/webhooks/:id', access: 'admin', scope: 'workspace' },
  { method: 'GET', url: '/api/v1/webhooks/deliveries', access: 'admin', scope: 'workspace' },
  { method: 'POST', url: '/api/v1/webhooks/:id/replay', access: 'admin', scope: 'workspace' },
  { method: 'POST', url: '/api/v1/webhooks/deliveries/:id/replay', access: 'admin', scope: 'workspace' },
] as const satisfies readonly RouteRule[];

/**
 * What a `telephony` token may call: what a phone system needs to screen a call, place one and
 * show the callback list (core/tokens/mint.ts).
 */
export const TELEPHONY_TOKEN_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/v1/screen',
  'POST /api/v1/calls',
  'GET /api/v1/callbacks',
  'GET /api/v1/me',
]);

/** Why a token of this scope may not make this request, or null when it may. */
export function tokenRefusal(scope: TokenScope, method: string, url: string): string | null {
  switch (scope) {
    case 'full':
      return null;
    case 'read-only':
      return method === 'GET' || method === 'HEAD'
        ? null
        : 'this API token is read-only: it may only read (GET)';
    case 'telephony':
      return TELEPHONY_TOKEN_ROUTES.has(ruleKey(method, url))
        ? null
        : `this API token is for telephony: it may only call ${[...TELEPHONY_TOKEN_ROUTES].join(', ')}`;
    default:
      return assertUnreachable(scope, 'token scope');
  }
}

/** Route modules buildApp registers after the core ones, one line each. */
export const ROUTE_MODULES: readonly ((app: ZodApp, ctx: ServerContext) => void)[] = [
  registerScreenRoutes,
  registerCallbackRoutes,
  registerBlockRoutes,
  registerTelephonyRoutes,
  registerWhenRoutes,
  registerInsightsRoutes,
  registerTimelineRoutes,
  registerSettingsRoutes,
  registerWebhookRoutes,
];

/** Routes that plugins register (the API reference page and its assets): public, read-only. */
export const PLUGIN_PREFIXES = ['/api/docs'] as const;

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const RANK: Record<Role, number> = { rep: 0, manager: 1, admin: 2 };

const ruleKey = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`;
const RULES = new Map<string, Access>(ROUTES.map((r) => [ruleKey(r.method, r.url), r.access]));

const isPluginRoute = (url: string) => PLUGIN_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`));

const SCOPES = new Map<string, Scope>(ROUTES.map((r) => [ruleKey(r.method, r.url), r.scope]));

export function scopeOf(method: string, url: string): Scope | undefined {
  return SCOPES.get(ruleKey(method, url));
}

export function accessOf(method: string, url: string): Access | undefined {
  const access = RULES.get(ruleKey(method, url));
  if (access) return access;
  return isPluginRoute(url) && (method === 'GET' || method === 'HEAD') ? 'public' : undefined;
}

function roleAllows(access: Exclude<Access, 'public'>, role: Role): boolean {
  switch (access) {
    case 'authenticated':
      return true;
    case 'manager':
      return RANK[role] >= RANK.manager;
    case 'admin':
      return RANK[role] >= RANK.admin;
  }
}

/** Installs the check. Call before registering any route. */
export function registerAccessControl(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (!accessOf(method, route.url)) {
        throw new Error(`route ${method} ${route.url} has no access rule in src/server/routes/index.ts`);
      }
    }
  });
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.is404) return;
    const access = accessOf(request.method, request.routeOptions.url ?? '');
    // Unreachable while onRoute guards registration; fail closed all the same.
    if (!access) throw new Problem('forbidden', 'this route has no access rule');
    if (access === 'public') return;
    const principal = await authenticate(ctx, request);
    if (!principal) throw new Problem('unauthenticated', 'sign in, or send Authorization: Bearer <token>');
    if (!roleAllows(access, principal.user.role)) {
      throw new Problem('forbidden', `this needs the ${access} role`);
    }
    if (principal.via === 'token') {
      const refusal = tokenRefusal(principal.scope, request.method, request.routeOptions.url ?? '');
      if (refusal) throw new Problem('forbidden', refusal);
    }
    if (principal.via === 'session' && WRITE_METHODS.has(request.method)) checkCsrf(request, principal);
    request.principal = principal;
  });
}
