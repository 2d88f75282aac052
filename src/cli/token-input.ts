/**
 * What `ringback tokens create` checks before it touches anything, the same locally and through
 * a server: the scope and the expiry.
 */
import type { Command } from 'commander';
import { TOKEN_SCOPES, type TokenScope } from '../core/tokens/mint.js';
import { UsageError } from './context.js';

export interface TokenFlags {
  scope: string;
  expires?: string;
  json?: boolean;
}

export function tokenOptions(command: Command): Command {
  return command
    .argument('<name>', 'what the token is for, e.g. "phone system"')
    .option('--scope <scope>', `what it may do: ${TOKEN_SCOPES.join(', ')}`, 'full')
    .option('--expires <iso>', 'when it stops working (ISO 8601 with a zone); default: never')
    .option('--json', 'print as JSON');
}

export function tokenInput(flags: TokenFlags): { scope: TokenScope; expiresAt: string | undefined } {
  if (!(TOKEN_SCOPES as readonly string[]).includes(flags.scope)) {
    throw new UsageError(`--scope ${flags.scope}: use ${TOKEN_SCOPES.join(', ')}`);
  }
  let expiresAt: string | undefined;
  if (flags.expires !== undefined) {
    const t = Date.parse(flags.expires);
    if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d\d:?\d\d)$/i.test(flags.expires) || Number.isNaN(t)) {
      throw new UsageError(
        `--expires ${flags.expires}: use an ISO time with a zone, e.g. 2027-01-31T00:00:00Z`,
      );
    }
    expiresAt = new Date(t).toISOString();
  }
  return { scope: flags.scope as TokenScope, expiresAt };
}
