/**
 * `ringback stats`: the insights the Insights page shows — dials, conversations, voicemails,
 * callbacks credited to voicemails, appointments, block pace and the voicemail experiment —
 * for a period, as the person given by --user sees them (a rep their own, a manager their
 * team's, an admin everyone's); naming nobody, the whole workspace.
 */
import type { Command } from 'commander';
import { ContactError } from '../../app/contacts.js';
import { statsFor } from '../../app/insights.js';
import { statsSchema } from '../../contracts/insights.js';
import { findCampaignByName } from '../../store/campaign-repo.js';
import type { Actor } from '../../store/scope.js';
import { ensureDefaultWorkspace } from '../../store/workspace-repo.js';
import { resolveUser } from '../actor.js';
import { clockNow, UsageError, withStore } from '../context.js';
import { printStats } from '../print-results.js';
import { type StatsFlags, statsOptions, statsPeriod } from '../stats-input.js';

export function registerStats(program: Command): void {
  statsOptions(program.command('stats'))
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
        try {
          return await statsFor(store.db, actor, { ...period, campaignId }, now);
        } catch (e) {
          if (e instanceof ContactError) throw new UsageError(e.message);
          throw e;
        }
      });
      // Through the API's schema, so both print the same fields in the same order.
      printStats(statsSchema.parse(stats), flags.json);
    });
}
