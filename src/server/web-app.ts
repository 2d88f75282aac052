/**
 * The web app's files: the Vite build in dist/web (`npm run build`). Hashed assets under
 * /assets/ are cached for a year; every other GET that is not an API path gets index.html,
 * so the app's own routes (/block, /contacts/7) survive a reload. Before the app is built,
 * a short page says how to build it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Problem } from './problem.js';

/** dist/web from both src/server (tests) and dist/server (the built CLI). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ringback</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto">
<h1>Ringback</h1>
<p>The server is running, but the web app is not built: run <code>npm run build</code>.
Meanwhile the <a href="/api/docs">API reference</a> and the <code>ringback</code> command work.</p>
</body></html>
`;

/** Paths the app never answers with index.html: a wrong API URL must stay a 404 problem. */
const SERVER_PATHS = /^\/(api|assets)(\/|$)|^\/(healthz|readyz)\/?$/;

export async function registerWebApp(app: FastifyInstance, webRoot = DEFAULT_WEB_ROOT): Promise<void> {
  const indexFile = join(webRoot, 'index.html');
  const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;
  if (index !== null) {
    await app.register(fastifyStatic, {
      root: join(webRoot, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      immutable: true,
      maxAge: '365d',
    });
  }
  const page = index ?? NOT_BUILT_PAGE;
  const sendPage = async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  app.get('/', { schema: { hide: true } }, sendPage);
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (SERVER_PATHS.test(path)) throw new Problem('not_found', `no route for GET ${path}`);
    return sendPage(request, reply);
  });
}
