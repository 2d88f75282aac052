/**
 * `ringback stats`: the insights the Insights page shows — dials, conversations, voicemails,
 * callbacks credited to voicemails, appointments, block pace and the voicemail experiment —
 * for a period, as the person given by --user sees them (a rep their own, a manager their
 * team's, an admin everyone's); naming nobody, the whole workspace. `ringback stats rebuild`
 * counts every attempt again into the roll-ups the insights read.
 */
import type { Command } from 'commander';
import { statsFor } from '../../app/insights.js';
import { rebuildRollups } from '../../app/rollups.js';
import { statsSchema } from '../../contracts/insights.js';
import { findCampaignByName } from '../../store/campaign-repo.js';
import type { Actor } from '../../store/scope.js';
import { ensureDefaultWorkspace } from '../../store/workspace-repo.js';
import { resolveUser } from '../actor.js';
import { clockNow, UsageError, withStore } from '../context.js';
import { printStats } from '../print-results.js';
import { type StatsFlags, statsOptions, statsPeriod } from '../stats-input.js';

export function registerStats(program: Command): void {
  const stats = statsOptions(program.command('stats'));
  stats
    .command('rebuild')
    .description("count every attempt again into the insights' roll-ups (after an upgrade, or to check them)")
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const now = clockNow();
      const counted = await withStore(async (store) => {
        const workspace = await ensureDefaultWorkspace(store.db, now);
        return rebuildRollups(store, workspace.id);
      });
      if (flags.json) process.stdout.write(`${JSON.stringify({ attempts: counted })}\n`);
      else process.stdout.write(`Roll-ups rebuilt from ${counted} attempt${counted === 1 ? '' : 's'}.\n`);
    });
  stats
    .option('--user <email>', 'as this person sees them (default: the whole workspace)')
    .action(async (flags: StatsFlags & { user?: string }) => {
      const now = clockNow();
      const period = statsPeriod(flags);
      const stats = await withStore(async (store) => {
        const user = flags.user ? await resolveUser(store, flags.user, now) : null;
        // Naming nobody on the database's own machine: the whole workspace, as its admin sees it.
        const actor: Actor = user ?? {
          id: 0,
          role: 'admin',
          workspace_id: (await ensureDefaultWorkspace(store.db, now)).id,
          team_id: null,
        };
        let campaignId: number | undefined;
        if (flags.campaign !== undefined) {
          const campaign = await findCampaignByName(store.db, actor.workspace_id, flags.campaign);
          if (!campaign) throw new UsageError(`--campaign ${flags.campaign}: there is no such campaign`);
          campaignId = campaign.id;
        }
        return await statsFor(store.db, actor, { ...period, campaignId }, now);
      });
      // Through the API's schema, so both print the same fields in the same order.
      printStats(statsSchema.parse(stats), flags.json);
    });
}
