/**
 * `ringback callbacks` (the user's callback list) and `ringback circle CONTACT_ID` (put a
 * contact on it by hand).
 */
import type { Command } from 'commander';
import { circleContact, listCallbacks } from '../../app/callbacks.js';
import { resolveUser } from '../actor.js';
import { UsageError, withStore } from '../context.js';
import { printCallbacks, printCircled } from '../print-results.js';
import { parseAt } from './calls.js';

export function registerCallbacks(program: Command): void {
  program
    .command('callbacks')
    .description('the callback list: who you are waiting to hear from, why and since when')
    .option('--user <email>', 'whose list (default: the only user)')
    .option('--at <iso>', 'as if it were this time (ISO 8601 with a zone)')
    .option('--json', 'print as JSON')
    .action(async (flags: { user?: string; at?: string; json?: boolean }) => {
      const at = parseAt(flags.at);
      const lines = await withStore(async (store) => {
        const user = await resolveUser(store, flags.user, at);
        if (!user) throw new UsageError('whose list? add --user EMAIL');
        return listCallbacks(store, user, at);
      });
      printCallbacks(lines, flags.json);
    });

  program
    .command('circle')
    .description('put a contact on your callback list, so their call rings through during a block')
    .argument('<contactId>', 'the contact')
    .option('--until <text>', 'until when, in words: "Friday 5pm", "in two weeks" (default: a week)')
    .option('--user <email>', 'whose list (default: the only user)')
    .option('--at <iso>', 'as if it were this time (ISO 8601 with a zone)')
    .option('--json', 'print as JSON')
    .action(
      async (contactId: string, flags: { until?: string; user?: string; at?: string; json?: boolean }) => {
        const id = Number(contactId);
        if (!Number.isInteger(id) || id <= 0) throw new UsageError(`${contactId}: expected a contact id`);
        const at = parseAt(flags.at);
        const line = await withStore(async (store) => {
          const user = await resolveUser(store, flags.user, at);
          if (!user) throw new UsageError('whose list? add --user EMAIL');
          return await circleContact(store, { user, contactId: id, until: flags.until, at });
        });
        printCircled(line, flags.json);
      },
    );
}
