/**
 * First-run setup. On an empty database `ringback serve` makes a one-time token, keeps it in
 * memory and prints a link to /setup#token=… (a fragment: browsers never send it, so the token
 * stays out of request logs); `POST /api/v1/setup` with that token creates the workspace's
 * first admin. It works once, only while there are no users, only with the token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { hashPassword } from '../app/passwords.js';
import { countUsers } from '../store/session-repo.js';
import { insertUser } from '../store/user-repo.js';
import { ensureDefaultWorkspace } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { userJson, userSchema } from './auth.js';
import type { ServerContext, ZodApp } from './context.js';
import { Problem } from './problem.js';

export function newSetupToken(): string {
  return randomBytes(24).toString('base64url');
}

export function setupLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}/setup#token=${encodeURIComponent(token)}`;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

// The page's script is its own file: the Content-Security-Policy allows no inline script.
const SETUP_SCRIPT = `document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const body = Object.fromEntries(form.entries());
  body.token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
  const res = await fetch('/api/v1/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  document.getElementById('out').textContent = res.ok ? 'Done: sign in as ' + json.user.email + '.' : (json.detail || 'failed');
});
`;

const SETUP_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ringback setup</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto">
<h1>Create the first admin</h1>
<form id="f" action="/api/v1/setup" method="post">
<p><label>Name<br><input name="name" required></label></p>
<p><label>Email<br><input name="email" type="email" required></label></p>
<p><label>Password (at least 10 characters)<br><input name="password" type="password" minlength="10" required></label></p>
<p><button>Create admin</button></p>
</form>
<p id="out"></p>
<script src="/setup.js"></script>
</body></html>
`;

export function registerSetupRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get('/setup', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(SETUP_PAGE),
  );
  app.get('/setup.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(SETUP_SCRIPT),
  );

  app.post(
    '/api/v1/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'Create the first admin with the one-time token printed by `ringback serve`',
        body: z.strictObject({
          token: z.string().min(1).max(200),
          email: z.email().max(320),
          name: z.string().trim().min(1).max(200),
          password: z.string().min(10).max(1024),
        }),
        response: { 201: z.object({ user: userSchema }) },
      },
    },
    async (request, reply) => {
      const expected = ctx.setup.token;
      if (expected === null) throw new Problem('setup_closed', 'setup is done; sign in instead');
      if (!timingSafeEqual(digest(request.body.token), digest(expected))) {
        throw new Problem('forbidden', 'the setup token is wrong; use the link `ringback serve` printed');
      }
      // Taken before any await, so two requests with the token cannot both pass.
      ctx.setup.token = null;
      try {
        const passwordHash = await hashPassword(request.body.password);
        const user = await inWriteTransaction(ctx.store, async (db) => {
          if ((await countUsers(db)) > 0) return null;
          const now = ctx.now();
          const workspace = await ensureDefaultWorkspace(db, now);
          return insertUser(db, {
            workspace_id: workspace.id,
            email: request.body.email,
            name: request.body.name,
            role: 'admin',
            password_hash: passwordHash,
            created_at: now,
          });
        });
        if (!user) throw new Problem('setup_closed', 'there are users already; sign in instead');
        reply.code(201);
        return { user: userJson(user) };
      } catch (error) {
        // Nothing was created (a store error): let the token be used again.
        if (!(error instanceof Problem)) ctx.setup.token = expected;
        throw error;
      }
    },
  );
}
