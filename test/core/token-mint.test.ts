/**
 * The minting rules of core/tokens/mint.ts: a token mints nothing broader than its own scope
 * and nothing that outlives it; a session (or the local CLI) mints anything in the future.
 */
import { describe, expect, it } from 'vitest';
import { mintLimits, scopeCovers, TOKEN_SCOPES } from '../../src/core/tokens/mint.js';

const NOW = Date.UTC(2026, 11, 8);
const DAY = 86_400_000;

describe('minting API tokens', () => {
  it('lets only a full token, or one of the same scope, mint a scope', () => {
    const covered = TOKEN_SCOPES.flatMap((outer) =>
      TOKEN_SCOPES.filter((inner) => scopeCovers(outer, inner)).map((inner) => `${outer}>${inner}`),
    );
    expect(covered).toEqual([
      'full>full',
      'full>read-only',
      'full>telephony',
      'read-only>read-only',
      'telephony>telephony',
    ]);
    expect(
      mintLimits({ scope: 'telephony', expiresAt: null }, { scope: 'full', expiresAt: null }, NOW),
    ).toEqual({
      ok: false,
      field: 'scope',
      message: 'a telephony token cannot mint a full token',
    });
  });

  it('caps a minted token at the minting token’s expiry, and inherits it when none is asked', () => {
    const minter = { scope: 'full' as const, expiresAt: NOW + 10 * DAY };
    expect(mintLimits(minter, { scope: 'read-only', expiresAt: null }, NOW)).toEqual({
      ok: true,
      scope: 'read-only',
      expiresAt: NOW + 10 * DAY,
    });
    expect(mintLimits(minter, { scope: 'full', expiresAt: NOW + DAY }, NOW)).toEqual({
      ok: true,
      scope: 'full',
      expiresAt: NOW + DAY,
    });
    expect(mintLimits(minter, { scope: 'full', expiresAt: NOW + 11 * DAY }, NOW)).toMatchObject({
      ok: false,
      field: 'expiresAt',
    });
  });

  it('lets a session mint any scope, never expiring, but not already expired', () => {
    expect(mintLimits(null, { scope: 'full', expiresAt: null }, NOW)).toEqual({
      ok: true,
      scope: 'full',
      expiresAt: null,
    });
    expect(mintLimits(null, { scope: 'telephony', expiresAt: NOW }, NOW)).toEqual({
      ok: false,
      field: 'expiresAt',
      message: 'must be in the future',
    });
  });
});
