/**
 * `ringback block start|stop`: a call block switches screening so only expected calls ring
 * through; stopping prints the calls sent to voicemail meanwhile.
 */
import type { Command } from 'commander';
import { startBlock, stopBlock } from '../../app/blocks.js';
import { resolveUser } from '../actor.js';
import { UsageError, withStore } from '../context.js';
import { printBlockStarted, printBlockSummary } from '../print-results.js';
import { parseAt } from './calls.js';

export function registerBlock(program: Command): void {
  const block = program
    .command('block')
    .description('call blocks: time boxes in which only expected calls ring through');
  block
    .command('start')
    .description('start a call block')
    .requiredOption('--minutes <n>', 'how long')
    .option('--user <email>', 'whose block (default: the only user)')
    .option('--at <iso>', 'as if it were this time (ISO 8601 with a zone)')
    .option('--json', 'print as JSON')
    .action(async (flags: { minutes: string; user?: string; at?: string; json?: boolean }) => {
      const minutes = Number(flags.minutes);
      if (!Number.isInteger(minutes) || minutes <= 0)
        throw new UsageError(`--minutes ${flags.minutes}: expected a positive whole number`);
      const at = parseAt(flags.at);
      const started = await withStore(async (store) => {
        const user = await resolveUser(store, flags.user, at);
        if (!user) throw new UsageError('whose block? add --user EMAIL');
        return startBlock(store, user, minutes, at);
      });
      printBlockStarted(started, flags.json);
    });
  block
    .command('stop')
    .description('end the call block and list the calls sent to voicemail')
    .option('--user <email>', 'whose block (default: the only user)')
    .option('--at <iso>', 'as if it were this time (ISO 8601 with a zone)')
    .option('--json', 'print as JSON')
    .action(async (flags: { user?: string; at?: string; json?: boolean }) => {
      const at = parseAt(flags.at);
      const summary = await withStore(async (store) => {
        const user = await resolveUser(store, flags.user, at);
        if (!user) throw new UsageError('whose block? add --user EMAIL');
        return stopBlock(store, user, at);
      });
      printBlockSummary(summary, flags.json);
    });
}
