/**
 * The insights for a signed-in user: check the filters against their scope, load the
 * period's counts (store/insights-repo.ts), summarize them (core/insights/stats.ts) and name
 * the campaigns and users.
 *
 *   await statsFor(store.db, user, { from: '2026-11-01', to: '2026-12-01' }, now)
 */
import type { StatsJson, StatsQuery } from '../contracts/insights.js';
import { summarizeRollups } from '../core/insights/rollup-summary.js';
import { summarizeStats } from '../core/insights/stats.js';
import type { Store } from '../store/db.js';
import {
  armCounts,
  blockSpans,
  callbackCounts,
  namesFor,
  outcomeCounts,
  rollupCounts,
  type StatsFilter,
} from '../store/insights-repo.js';
import { type Actor, campaignInScope, userInScope } from '../store/scope.js';
import { invalid, notFound } from './errors.js';

const DAY = 86_400_000;
/** The period when none is given: the last 30 days. */
export const DEFAULT_PERIOD_MS = 30 * DAY;

type Db = Store['db'];

/** The period asked for, or the default; refused when it ends before it starts. */
export function periodOf(query: Pick<StatsQuery, 'from' | 'to'>, now: number): { from: number; to: number } {
  const to = query.to === undefined ? now : Date.parse(query.to);
  const from = query.from === undefined ? to - DEFAULT_PERIOD_MS : Date.parse(query.from);
  if (from >= to) {
    throw invalid(`the period ends (${query.to ?? 'now'}) before it starts (${query.from})`, '/from');
  }
  return { from, to };
}

/** A filter naming something outside the actor's scope is "not found", like any other id. */
async function checkFilters(db: Db, actor: Actor, query: StatsQuery): Promise<void> {
  if (query.userId !== undefined) {
    const found = await db
      .selectFrom('users as u')
      .select('u.id')
      .where('u.id', '=', query.userId)
      .where(userInScope(actor, 'u'))
      .executeTakeFirst();
    if (!found) throw notFound(`there is no user ${query.userId}`);
  }
  if (query.teamId !== undefined) {
    const team = await db
      .selectFrom('teams')
      .select('id')
      .where('id', '=', query.teamId)
      .where('workspace_id', '=', actor.workspace_id)
      .executeTakeFirst();
    const mayAsk = actor.role === 'admin' || actor.team_id === query.teamId;
    if (!team || !mayAsk) throw notFound(`there is no team ${query.teamId}`);
  }
  if (query.campaignId !== undefined) {
    const found = await db
      .selectFrom('campaigns as k')
      .select('k.id')
      .where('k.id', '=', query.campaignId)
      .where(campaignInScope(actor, 'k'))
      .executeTakeFirst();
    if (!found) throw notFound(`there is no campaign ${query.campaignId}`);
  }
}

export async function statsFor(db: Db, actor: Actor, query: StatsQuery, now: number): Promise<StatsJson> {
  const period = periodOf(query, now);
  await checkFilters(db, actor, query);
  const filter: StatsFilter = {
    ...period,
    userId: query.userId,
    teamId: query.teamId,
    campaignId: query.campaignId,
  };
  const [outcomes, callbacks, blocks, arms, rollups] = await Promise.all([
    outcomeCounts(db, actor, filter),
    callbackCounts(db, actor, filter),
    blockSpans(db, actor, filter, now),
    armCounts(db, actor, filter),
    rollupCounts(db, actor, filter),
  ]);
  const stats = summarizeStats({ outcomes, callbacks, blocks, arms });
  const learned = summarizeRollups(rollups, stats.totals.voicemailsCalledBack);
  const campaignIds = [
    ...stats.byCampaign.map((c) => c.campaignId),
    ...stats.experiments.map((e) => e.campaignId),
    ...learned.advisor.map((a) => a.campaignId),
  ].filter((id): id is number => id !== null);
  const userIds = stats.byUser.map((u) => u.userId).filter((id): id is number => id !== null);
  const names = await namesFor(db, actor.workspace_id, [...new Set(campaignIds)], userIds);
  const campaignName = (id: number | null) =>
    id === null ? 'No campaign' : (names.campaigns.get(id) ?? `Campaign ${id}`);
  return {
    period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() },
    filters: {
      userId: query.userId ?? null,
      teamId: query.teamId ?? null,
      campaignId: query.campaignId ?? null,
    },
    totals: stats.totals,
    campaigns: stats.byCampaign.map((c) => ({ ...c, campaign: campaignName(c.campaignId) })),
    users: stats.byUser.map((u) => ({
      ...u,
      user:
        u.userId === null
          ? 'Nobody (logged without a user)'
          : (names.users.get(u.userId) ?? `User ${u.userId}`),
    })),
    heatmap: learned.heatmap,
    firstConnect: learned.firstConnect,
    advisor: learned.advisor.map((a) => ({ ...a, campaign: campaignName(a.campaignId) })),
    cost: learned.cost,
    experiments: stats.experiments.map((e) => ({ ...e, campaign: campaignName(e.campaignId) })),
  };
}
