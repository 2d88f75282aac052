/**
 * `ringback tokens create|list` — personal API tokens for the server, made on the machine of the
 * database (the local CLI holds the database, so it mints for any user, like a signed-in session).
 */
import type { Command } from 'commander';
import { mintToken, tokenJson } from '../../app/tokens.js';
import { listApiTokens } from '../../store/session-repo.js';
import { resolveUser } from '../actor.js';
import { clockNow, UsageError, withStore } from '../context.js';
import { printMinted, printTokens } from '../print-results.js';
import { type TokenFlags, tokenInput, tokenOptions } from '../token-input.js';

export function registerTokens(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('personal API tokens (for --server and phone systems)');
  tokenOptions(tokens.command('create').description('create an API token; it is printed only once'))
    .option('--user <email>', 'whose token (default: the only user)')
    .action(async (name: string, flags: TokenFlags & { user?: string }) => {
      const { scope, expiresAt } = tokenInput(flags);
      const minted = await withStore(async (store) => {
        const now = clockNow();
        const user = await resolveUser(store, flags.user, now);
        if (!user) throw new UsageError('whose token is it? add --user EMAIL');
        const { token, secret } = await mintToken(store, {
          user,
          minter: null,
          name,
          scope,
          expiresAt: expiresAt === undefined ? null : Date.parse(expiresAt),
          now,
        });
        return { ...tokenJson(token), token: secret };
      });
      printMinted(minted, flags.json);
    });
  tokens
    .command('list')
    .description('list a user’s API tokens (never the secrets)')
    .option('--user <email>', 'whose tokens (default: the only user)')
    .option('--json', 'print as JSON')
    .action(async (flags: { user?: string; json?: boolean }) => {
      const rows = await withStore(async (store) => {
        const user = await resolveUser(store, flags.user, clockNow());
        if (!user) throw new UsageError('whose tokens? add --user EMAIL');
        return listApiTokens(store.db, user.id);
      });
      printTokens(rows.map(tokenJson), flags.json);
    });
}
