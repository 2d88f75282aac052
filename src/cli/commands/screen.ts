/**
 * `ringback screen NUMBER`: what would happen to a call from NUMBER now (or `--at`), decided and
 * stored exactly as a call through the telephony webhook is.
 */
import type { Command } from 'commander';
import { screenInbound, screenResult } from '../../app/screen.js';
import { resolveUser } from '../actor.js';
import { UsageError, withStore } from '../context.js';
import { printScreened } from '../print-results.js';
import { parseAt } from './calls.js';

export function registerScreen(program: Command): void {
  program
    .command('screen')
    .description('screen an inbound call: ring or voicemail, and why (the decision is logged)')
    .argument('<number>', 'the caller ID, as the phone system gives it')
    .option('--user <email>', 'who is being called (default: the only user)')
    .option('--at <iso>', 'as if it were this time (ISO 8601 with a zone)')
    .option('--json', 'print as JSON')
    .action(async (number: string, flags: { user?: string; at?: string; json?: boolean }) => {
      const at = parseAt(flags.at);
      const result = await withStore(async (store) => {
        const user = await resolveUser(store, flags.user, at);
        if (!user) throw new UsageError('whose call is it? add --user EMAIL');
        return screenResult(
          (await screenInbound(store, { user, callerId: number, at, inScopeOnly: true })).decision,
        );
      });
      printScreened(result, flags.json);
    });
}
