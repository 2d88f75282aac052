/**
 * The route table: every route the server answers and who may call it, as data. One onRequest
 * hook enforces it (authentication, role, CSRF on cookie writes) before the body is even
 * parsed, and registering a route that is missing here fails at startup, so no route can
 * exist without an access rule. Tests walk `ROUTES`.
 *
 *   { method: 'GET', url: '/api/v1/contacts', access: 'authenticated' }
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../store/schema.js';
import { authenticate, checkCsrf } from '../auth.js';
import type { ServerContext } from '../context.js';
import { Problem } from '../problem.js';

export type Access = 'public' | 'authenticated' | 'manager' | 'admin';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRule {
  method: Method;
  url: string;
  access: Access;
}

export const ROUTES = [
  { method: 'GET', url: '/', access: 'public' },
  { method: 'GET', url: '/setup', access: 'public' },
  // The web app (web-app.ts): its hashed assets, and index.html for every other page path.
  { method: 'GET', url: '/assets/*', access: 'public' },
  { method: 'GET', url: '/*', access: 'public' },
  { method: 'GET', url: '/healthz', access: 'public' },
  { method: 'GET', url: '/readyz', access: 'public' },
  { method: 'GET', url: '/api/openapi.json', access: 'public' },
  { method: 'POST', url: '/api/v1/setup', access: 'public' },
  { method: 'POST', url: '/api/v1/auth/sign-in', access: 'public' },
  { method: 'POST', url: '/api/v1/auth/sign-out', access: 'authenticated' },
  { method: 'GET', url: '/api/v1/me', access: 'authenticated' },
  { method: 'POST', url: '/api/v1/tokens', access: 'authenticated' },
  { method: 'GET', url: '/api/v1/tokens', access: 'authenticated' },
  { method: 'DELETE', url: '/api/v1/tokens/:id', access: 'authenticated' },
  { method: 'GET', url: '/api/v1/contacts', access: 'authenticated' },
  { method: 'GET', url: '/api/v1/contacts/:id', access: 'authenticated' },
  { method: 'GET', url: '/api/v1/queue', access: 'authenticated' },
  { method: 'POST', url: '/api/v1/attempts', access: 'authenticated' },
  { method: 'GET', url: '/api/v1/events', access: 'authenticated' },
  { method: 'GET', url: '/api/v1/when', access: 'authenticated' },
] as const satisfies readonly RouteRule[];

/** Routes that plugins register (the API reference page and its assets): public, read-only. */
export const PLUGIN_PREFIXES = ['/api/docs'] as const;

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const RANK: Record<Role, number> = { rep: 0, manager: 1, admin: 2 };

const ruleKey = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`;
const RULES = new Map<string, Access>(ROUTES.map((r) => [ruleKey(r.method, r.url), r.access]));

const isPluginRoute = (url: string) => PLUGIN_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`));

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
    if (principal.via === 'session' && WRITE_METHODS.has(request.method)) checkCsrf(request, principal);
    request.principal = principal;
  });
}
