/**
 * Minting a personal API token, for the API (`POST /api/v1/tokens`) and the CLI (`ringback
 * tokens create`): decide its scope and expiry within what the minter holds (core/tokens/mint.ts),
 * then store the token's hash. The secret is returned once and never stored.
 *
 *   const { token, secret } = await mintToken(store, { user, minter: null, name: 'phone system',
 *     scope: 'telephony', expiresAt: null, now });
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiTokenJson } from '../contracts/tokens.js';
import { type Minter, mintLimits, type TokenScope } from '../core/tokens/mint.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { type ApiToken, insertApiToken } from '../store/session-repo.js';
import { invalid } from './errors.js';

export const TOKEN_PREFIX = 'rbt_';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const randomSecret = () => randomBytes(32).toString('base64url');

export interface MintTokenRequest {
  user: Pick<User, 'id'>;
  minter: Minter;
  name: string;
  scope: TokenScope;
  expiresAt: number | null;
  now: number;
}

export async function mintToken(
  store: Store,
  req: MintTokenRequest,
): Promise<{ token: ApiToken; secret: string }> {
  const limits = mintLimits(req.minter, { scope: req.scope, expiresAt: req.expiresAt }, req.now);
  if (!limits.ok) {
    throw invalid(`${limits.field}: ${limits.message}`, [
      { path: `/${limits.field}`, message: limits.message },
    ]);
  }
  const secret = `${TOKEN_PREFIX}${randomSecret()}`;
  const token = await insertApiToken(store.db, {
    user_id: req.user.id,
    name: req.name,
    token_hash: sha256(secret),
    created_at: req.now,
    scope: limits.scope,
    expires_at: limits.expiresAt,
  });
  return { token, secret };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function tokenJson(t: ApiToken): ApiTokenJson {
  return {
    id: t.id,
    name: t.name,
    createdAt: new Date(t.created_at).toISOString(),
    lastUsedAt: iso(t.last_used_at),
    revokedAt: iso(t.revoked_at),
    scope: t.scope,
    expiresAt: iso(t.expires_at),
  };
}
