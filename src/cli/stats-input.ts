/**
 * The options of `ringback stats`, shared by the local command and the remote CLI (this module
 * loads no database code).
 */
import type { Command } from 'commander';
import { type StatsQuery, statsQuerySchema } from '../contracts/insights.js';
import { UsageError } from './context.js';

export interface StatsFlags {
  from?: string;
  to?: string;
  campaign?: string;
  json?: boolean;
}

export function statsOptions(command: Command): Command {
  return command
    .description(
      'insights for a period: dials, conversations, voicemails, callbacks they earned, the experiment',
    )
    .option('--from <date>', 'start of the period (e.g. 2026-11-01; default 30 days before --to)')
    .option('--to <date>', 'end of the period, exclusive (default now)')
    .option('--campaign <name>', 'one campaign only')
    .option('--json', 'print as JSON');
}

/** --from and --to as the API checks them; a bad one is a usage error naming the option. */
export function statsPeriod(flags: Pick<StatsFlags, 'from' | 'to'>): Pick<StatsQuery, 'from' | 'to'> {
  const parsed = statsQuerySchema.safeParse({ from: flags.from, to: flags.to });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `--${String(issue.path[0])} ${flags[issue.path[0] as 'from' | 'to']}: ${issue.message}`,
    );
  }
  return parsed.data;
}
