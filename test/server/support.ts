/**
 * A small world for server tests: one workspace, an admin and a rep with known passwords,
 * a handful of imported contacts in the campaign "Q4", and a built app over it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { importContacts } from '../../src/app/import/import-contacts.js';
import { hashPassword } from '../../src/app/passwords.js';
import { sha256 } from '../../src/server/auth.js';
import { type BuildAppOptions, buildApp } from '../../src/server/build-app.js';
import type { Store } from '../../src/store/db.js';
import type { User } from '../../src/store/schema.js';
import { insertApiToken } from '../../src/store/session-repo.js';
import { BIN } from '../support/cli.js';

// Monday 23 Nov 2026, 10:00 in New York.
export const MONDAY_10 = Date.UTC(2026, 10, 23, 15, 0);
export const REP_PASSWORD = 'rep-password-correct-horse';
export const ADMIN_PASSWORD = 'admin-password-battery-staple';

export interface World {
  admin: User;
  rep: User;
  /** Contact ids by last name ("0", "1", …). */
  contacts: Map<string, number>;
}

export async function seedWorld(store: Store, contacts = 5): Promise<World> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Test', created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [admin, rep] = await store.db
    .insertInto('users')
    .values([
      {
        workspace_id: ws.id,
        email: 'ada@ex.test',
        name: 'Ada',
        role: 'admin',
        password_hash: await hashPassword(ADMIN_PASSWORD),
        created_at: 0,
      },
      {
        workspace_id: ws.id,
        email: 'rex@ex.test',
        name: 'Rex',
        role: 'rep',
        phone: '+12125550134',
        password_hash: await hashPassword(REP_PASSWORD),
        created_at: 0,
      },
    ])
    .returningAll()
    .execute();
  const rows = ['First Name,Last Name,Company,Phone,Time Zone'];
  for (let i = 0; i < contacts; i++) {
    rows.push(`Person,${i},Acme ${i},212-555-${String(1000 + i).padStart(4, '0')},America/New_York`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ringback-server-'));
  const file = join(dir, 'contacts.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  await importContacts(store, { file, campaign: 'Q4', now: 0 });
  const ids = await store.db.selectFrom('contacts').select(['id', 'last_name']).execute();
  return { admin: admin!, rep: rep!, contacts: new Map(ids.map((r) => [r.last_name, r.id])) };
}

/** A logger stream that keeps every line, to look for secrets afterwards. */
export function memoryLog(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

export async function appOver(
  store: Store,
  options: Partial<BuildAppOptions> = {},
): Promise<FastifyInstance> {
  return buildApp({ store, now: () => MONDAY_10, ...options });
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  /** The raw Set-Cookie header. */
  setCookie: string;
}

export async function signIn(app: FastifyInstance, email: string, password: string): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0]!, csrfToken: res.json().csrfToken, setCookie };
}

export function expectProblem(res: LightMyRequestResponse, status: number): Record<string, unknown> {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${res.headers['content-type']}`);
  }
  const body = res.json();
  for (const key of ['type', 'title', 'status', 'detail', 'instance']) {
    if (!(key in body)) throw new Error(`problem without ${key}: ${res.body}`);
  }
  if (body.status !== status) throw new Error(`problem status ${body.status} != ${status}`);
  return body;
}

/** A personal API token for a user, stored as the server stores one (hashed). */
export async function tokenFor(store: Store, user: User): Promise<string> {
  const secret = `rbt_test_${user.id}_${randomBytes(16).toString('hex')}`;
  await insertApiToken(store.db, {
    user_id: user.id,
    name: 'test',
    token_hash: sha256(secret),
    created_at: 0,
  });
  return secret;
}

/** Another workspace with one admin, to prove nothing crosses workspaces. */
export async function seedOtherWorkspace(store: Store): Promise<User> {
  const ws = await store.db
    .insertInto('workspaces')
    .values({ name: 'Elsewhere', created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return store.db
    .insertInto('users')
    .values({ workspace_id: ws.id, email: 'eve@other.test', name: 'Eve', role: 'admin', created_at: 0 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A multipart/form-data body with text fields and one file part named "file". */
export function multipartBody(
  fields: Record<string, string>,
  file: { name: string; content: string | Buffer; type?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----ringback${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.type ?? 'text/csv'}\r\n\r\n`,
    ),
    Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * Starts `ringback serve` as its own process and resolves with the URL it listens on;
 * `output()` is everything it wrote so far (its log).
 */
export function serveProcess(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /"url":"(http:[^"]+)"/.exec(out);
      if (match) resolve({ url: match[1]!, child, output: () => out + err });
    });
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}
