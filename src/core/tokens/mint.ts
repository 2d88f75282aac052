/**
 * What an API token may do, and what a new one may be given: pure rules, no I/O.
 *
 * A token has a scope — `full` (everything its user may do), `read-only` (reads only: GET and
 * HEAD) or `telephony` (what a phone system needs: screen a call, place one, read the callback
 * list) — and may expire. Minting never widens what the minter holds: a token minted by a
 * token gets no broader scope and no later expiry than the minter's (without an expiry asked
 * for, it inherits the minter's). A session (someone signed in with their password) mints
 * anything.
 *
 *   mintLimits({ scope: 'full', expiresAt: t }, { scope: 'read-only', expiresAt: null })
 *     → { ok: true, scope: 'read-only', expiresAt: t }
 */

export const TOKEN_SCOPES = ['full', 'read-only', 'telephony'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who mints: a token (its scope and expiry), or null for a signed-in session or the local CLI. */
export type Minter = { scope: TokenScope; expiresAt: number | null } | null;

export interface MintRequest {
  scope: TokenScope;
  expiresAt: number | null;
}

export type MintLimits =
  | { ok: true; scope: TokenScope; expiresAt: number | null }
  | { ok: false; field: 'scope' | 'expiresAt'; message: string };

/** True when a token of scope `outer` may do all that one of scope `inner` may. */
export function scopeCovers(outer: TokenScope, inner: TokenScope): boolean {
  return outer === 'full' || outer === inner;
}

export function mintLimits(minter: Minter, wanted: MintRequest, now: number): MintLimits {
  if (wanted.expiresAt !== null && wanted.expiresAt <= now) {
    return { ok: false, field: 'expiresAt', message: 'must be in the future' };
  }
  if (minter === null) return { ok: true, ...wanted };
  if (!scopeCovers(minter.scope, wanted.scope)) {
    return {
      ok: false,
      field: 'scope',
      message: `a ${minter.scope} token cannot mint a ${wanted.scope} token`,
    };
  }
  if (minter.expiresAt === null) return { ok: true, ...wanted };
  if (wanted.expiresAt !== null && wanted.expiresAt > minter.expiresAt) {
    return {
      ok: false,
      field: 'expiresAt',
      message: `cannot be later than the expiry of the token minting it (${new Date(minter.expiresAt).toISOString()})`,
    };
  }
  return { ok: true, scope: wanted.scope, expiresAt: wanted.expiresAt ?? minter.expiresAt };
}
