/**
 * Accounts over HTTP: password sign-in (argon2id) into a session cookie, CSRF tokens for
 * cookie-authenticated writes, and personal API tokens sent as `Authorization: Bearer`.
 *
 * Secrets never reach the store: a session's id is the SHA-256 of its cookie value, an API
 * token's row holds the SHA-256 of the token. Both are 32 random bytes, so a plain hash is
 * enough (no slow hash needed for high-entropy secrets).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../app/passwords.js';
import { mintToken, randomSecret, sha256, tokenJson } from '../app/tokens.js';
import { apiTokenSchema, mintedTokenSchema, tokenInputSchema } from '../contracts/tokens.js';
import type { TokenScope } from '../core/tokens/mint.js';
import type { User } from '../store/schema.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findApiToken,
  findSession,
  insertSession,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
  touchSession,
} from '../store/session-repo.js';
import type { ServerContext, ZodApp } from './context.js';
import { Problem } from './problem.js';
import { credentialsChanged } from './publish.js';

export const SESSION_COOKIE = 'rb_session';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_TTL_MS = 14 * 24 * 60 * 60_000;
/** last_seen_at is written at most this often per session or token. */
const TOUCH_EVERY_MS = 60_000;

export type Principal =
  | { via: 'session'; user: User; sessionId: string; csrfToken: string }
  | { via: 'token'; user: User; tokenId: number; scope: TokenScope; expiresAt: number | null };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the access check on every non-public route. */
    principal: Principal | null;
  }
}

export { sha256 };

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['rep', 'manager', 'admin']),
  workspaceId: z.number().int(),
  teamId: z.number().int().nullable(),
  /** False: the block page's single-key shortcuts are off (WCAG 2.1.4). */
  keyboardShortcuts: z.boolean(),
});

export function userJson(user: User): z.infer<typeof userSchema> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    workspaceId: user.workspace_id,
    teamId: user.team_id,
    keyboardShortcuts: user.keyboard_shortcuts !== 0,
  };
}

/** The principal a non-public route runs as. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Problem('unauthenticated', 'sign in first');
  return request.principal;
}

/**
 * Who sent the request: a bearer token when there is an Authorization header (a bad one is
 * refused, never ignored in favour of the cookie), else the session cookie; null for neither.
 */
export async function authenticate(ctx: ServerContext, request: FastifyRequest): Promise<Principal | null> {
  const now = ctx.now();
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new Problem('unauthenticated', 'the Authorization header must be "Bearer <token>"');
    const found = await findApiToken(ctx.store.db, sha256(match[1]!));
    if (!found) throw new Problem('unauthenticated', 'the API token is unknown or revoked');
    const { token } = found;
    if (token.expires_at !== null && token.expires_at <= now) {
      throw new Problem(
        'unauthenticated',
        `the API token expired at ${new Date(token.expires_at).toISOString()}`,
      );
    }
    if (token.last_used_at === null || now - token.last_used_at > TOUCH_EVERY_MS) {
      await touchApiToken(ctx.store.db, token.id, now);
    }
    return {
      via: 'token',
      user: found.user,
      tokenId: token.id,
      scope: token.scope,
      expiresAt: token.expires_at,
    };
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  const found = await findSession(ctx.store.db, sha256(cookie), now);
  if (!found) return null;
  if (now - found.session.last_seen_at > TOUCH_EVERY_MS)
    await touchSession(ctx.store.db, found.session.id, now);
  return {
    via: 'session',
    user: found.user,
    sessionId: found.session.id,
    csrfToken: found.session.csrf_token,
  };
}

/** Cookie-authenticated writes must echo the session's CSRF token in X-CSRF-Token. */
export function checkCsrf(request: FastifyRequest, principal: Principal & { via: 'session' }): void {
  const sent = request.headers[CSRF_HEADER];
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  const expected = Buffer.from(principal.csrfToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Problem(
      'csrf_failed',
      `cookie-authenticated writes need the ${CSRF_HEADER} header (from sign-in or GET /api/v1/me)`,
    );
  }
}

let dummyHash: Promise<string> | undefined;
/** Verifying against this when there is no such user makes both failures take as long. */
function hashForMissingUser(): Promise<string> {
  dummyHash ??= hashPassword(randomSecret());
  return dummyHash;
}

const signInBody = z.strictObject({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

function setSessionCookie(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply, value: string) {
  reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secureCookies || request.protocol === 'https',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function registerAuthRoutes(app: ZodApp, ctx: ServerContext): void {
  // Hashed now, so the first refusal of an unknown email takes no longer than any other.
  void hashForMissingUser();
  app.post(
    '/api/v1/auth/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: signInBody,
        response: { 200: z.object({ user: userSchema, csrfToken: z.string() }) },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const now = ctx.now();
      const wait = await ctx.limiter.admit(email, request.ip, now);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new Problem('rate_limited', `too many sign-in attempts; try again in ${seconds} s`, undefined, {
          'retry-after': String(seconds),
        });
      }
      const candidates = await ctx.store.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email.toLowerCase())
        .orderBy('id')
        .execute();
      let user: User | undefined;
      for (const candidate of candidates) {
        if (candidate.password_hash && (await verifyPassword(candidate.password_hash, password))) {
          user = candidate;
          break;
        }
      }
      if (candidates.every((c) => !c.password_hash))
        await verifyPassword(await hashForMissingUser(), password);
      if (!user) {
        // The same answer for an unknown email and a wrong password.
        throw new Problem('unauthenticated', 'the email or the password is wrong');
      }
      await ctx.limiter.succeeded(email, request.ip);
      await deleteExpiredSessions(ctx.store.db, user.id, now);
      const secret = randomSecret();
      const csrfToken = randomSecret();
      await insertSession(ctx.store.db, {
        id: sha256(secret),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: now + SESSION_TTL_MS,
        last_seen_at: now,
      });
      setSessionCookie(ctx, request, reply, secret);
      return { user: userJson(user), csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/sign-out',
    { schema: { tags: ['auth'], summary: 'End the session and clear its cookie' } },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.via === 'session') {
        await deleteSession(ctx.store.db, principal.sessionId);
        await credentialsChanged(ctx, request, principal.user);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary:
          'The signed-in user, and for a browser session its CSRF token (send it as X-CSRF-Token on writes; null with a bearer token)',
        response: {
          200: z.object({
            user: userSchema,
            via: z.enum(['session', 'token']),
            csrfToken: z.string().nullable(),
          }),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      // Same-origin pages read it after a reload instead of keeping it in storage; never cached.
      reply.header('cache-control', 'no-store');
      return {
        user: userJson(principal.user),
        via: principal.via,
        csrfToken: principal.via === 'session' ? principal.csrfToken : null,
      };
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary:
          'Create a personal API token, optionally scoped (read-only, telephony) and expiring; a token minted by a token gets no broader scope and no later expiry than it. The token is shown only in this response',
        body: tokenInputSchema,
        response: { 201: mintedTokenSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { name, scope, expiresAt } = request.body;
      const { token, secret } = await mintToken(ctx.store, {
        user: principal.user,
        minter: principal.via === 'token' ? { scope: principal.scope, expiresAt: principal.expiresAt } : null,
        name,
        scope,
        expiresAt: expiresAt === undefined ? null : Date.parse(expiresAt),
        now: ctx.now(),
      });
      reply.code(201);
      return { ...tokenJson(token), token: secret };
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: "The signed-in user's API tokens (never the secrets)",
        response: { 200: z.object({ tokens: z.array(apiTokenSchema) }) },
      },
    },
    async (request) => {
      const rows = await listApiTokens(ctx.store.db, principalOf(request).user.id);
      return { tokens: rows.map(tokenJson) };
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of your API tokens',
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const revoked = await revokeApiToken(ctx.store.db, user.id, request.params.id, ctx.now());
      if (!revoked) throw new Problem('not_found', `you have no live API token ${request.params.id}`);
      await credentialsChanged(ctx, request, user);
      return reply.code(204).send();
    },
  );
}
