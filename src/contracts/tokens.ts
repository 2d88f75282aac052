/**
 * Personal API tokens as the API returns them and the CLI prints them (never the secret, but
 * once, when minted).
 */
import { z } from 'zod';
import { TOKEN_SCOPES } from '../core/tokens/mint.js';
import { isoInstant } from './instant.js';

export const apiTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** `full`, `read-only` (GET and HEAD only) or `telephony` (screen, place calls, read the callback list). */
  scope: z.enum(TOKEN_SCOPES),
  /** Null: never expires. */
  expiresAt: z.string().nullable(),
});
export type ApiTokenJson = z.infer<typeof apiTokenSchema>;

export const mintedTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type MintedTokenJson = z.infer<typeof mintedTokenSchema>;

export const tokenInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(TOKEN_SCOPES).default('full'),
  /** ISO 8601; without it the token never expires, unless minted by a token that does. */
  expiresAt: isoInstant.optional(),
});
