/**
 * What the insights read: attempts, inbound callbacks, call blocks and the voicemail
 * experiment's enrollments of a period, grouped in SQL so only a few hundred rows come back
 * whatever the period. Every query is limited to the actor's scope (store/scope.ts: whose
 * calls they answer for) and to the optional user, team and campaign filters.
 *
 * Indexes: attempts (workspace_id, started_at), (user_id, started_at), (campaign_id,
 * started_at); screening_decisions (workspace_id, decided_at), (user_id, decided_at);
 * call_blocks (workspace_id, started_at), (user_id, started_at).
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { type ExperimentArm, LIVE_OUTCOMES, type Outcome } from '../core/cadence/types.js';
import type { AttemptCount, HourCount, OutcomeDuration } from '../core/insights/rollup-summary.js';
import type { ArmCount, BlockSpan, CallbackCount, OutcomeCount } from '../core/insights/stats.js';
import { sumRollups } from './rollup-repo.js';
import type { Database } from './schema.js';
import { type Actor, ownedInScope } from './scope.js';

export interface StatsFilter {
  from: number;
  to: number;
  userId?: number | undefined;
  teamId?: number | undefined;
  campaignId?: number | undefined;
}

/**
 * Whose calls count, on a user-id column: the actor's scope, narrowed by the filters — and the
 * workspace, but only when nothing narrows the users. A narrowed set of users lies inside the
 * workspace already (scope.ts, and the filters were checked against it), and leaving the
 * workspace out lets SQLite pick the per-user index instead of reading the whole workspace's
 * period.
 */
function whose(actor: Actor, f: StatsFilter, column: string, workspaceColumn: string): RawBuilder<SqlBool> {
  const ref = sql.ref(column);
  const narrowed = actor.role !== 'admin' || f.userId !== undefined || f.teamId !== undefined;
  const parts: RawBuilder<SqlBool>[] = narrowed
    ? [ownedInScope(actor, column)]
    : [sql<SqlBool>`${sql.ref(workspaceColumn)} = ${actor.workspace_id}`];
  if (f.userId !== undefined) parts.push(sql<SqlBool>`${ref} = ${f.userId}`);
  if (f.teamId !== undefined) {
    parts.push(
      sql<SqlBool>`${ref} in (select tu.id from users tu where tu.team_id = ${f.teamId} and tu.workspace_id = ${actor.workspace_id})`,
    );
  }
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

const LIVE = [...LIVE_OUTCOMES];

export async function outcomeCounts(
  db: Kysely<Database>,
  actor: Actor,
  f: StatsFilter,
): Promise<OutcomeCount[]> {
  let query = db
    .selectFrom('attempts as a')
    .select(['a.user_id', 'a.campaign_id', 'a.outcome', 'a.voicemail_left'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.started_at', '>=', f.from)
    .where('a.started_at', '<', f.to)
    .where(whose(actor, f, 'a.user_id', 'a.workspace_id'));
  if (f.campaignId !== undefined) query = query.where('a.campaign_id', '=', f.campaignId);
  const rows = await query.groupBy(['a.user_id', 'a.campaign_id', 'a.outcome', 'a.voicemail_left']).execute();
  return rows.map((r) => ({
    userId: r.user_id,
    campaignId: r.campaign_id,
    outcome: r.outcome as Outcome,
    voicemailLeft: r.voicemail_left === 1,
    count: Number(r.n),
  }));
}

/**
 * Inbound calls from known contacts in the period, by who took them and the attempt screening
 * credited them to. With a campaign filter, only callbacks earned by that campaign's attempts.
 */
export async function callbackCounts(
  db: Kysely<Database>,
  actor: Actor,
  f: StatsFilter,
): Promise<CallbackCount[]> {
  let query = db
    .selectFrom('screening_decisions as d')
    .leftJoin('attempts as ea', 'ea.id', 'd.attempt_id')
    .select(['d.user_id', 'ea.campaign_id'])
    .select(sql<number>`coalesce(ea.voicemail_left, 0)`.as('from_voicemail'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .select(sql<number>`count(distinct case when ea.voicemail_left = 1 then ea.id end)`.as('voicemails'))
    .where('d.decided_at', '>=', f.from)
    .where('d.decided_at', '<', f.to)
    .where('d.contact_id', 'is not', null)
    .where(whose(actor, f, 'd.user_id', 'd.workspace_id'));
  if (f.campaignId !== undefined) query = query.where('ea.campaign_id', '=', f.campaignId);
  const rows = await query
    .groupBy(['d.user_id', 'ea.campaign_id', sql`coalesce(ea.voicemail_left, 0)`])
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    campaignId: r.campaign_id,
    fromVoicemail: Number(r.from_voicemail) === 1,
    count: Number(r.n),
    voicemailsCalledBack: Number(r.voicemails),
  }));
}

/**
 * Blocks started in the period with the dials made inside each (attempts of its user between
 * its start and its end); a running block counts until `now`. Block time is not per campaign,
 * so the campaign filter narrows only the dials.
 */
export async function blockSpans(
  db: Kysely<Database>,
  actor: Actor,
  f: StatsFilter,
  now: number,
): Promise<BlockSpan[]> {
  const end = sql<number>`coalesce(b.ended_at, case when b.planned_end_at < ${now} then b.planned_end_at else ${now} end)`;
  const campaign = f.campaignId === undefined ? sql`` : sql` and ba.campaign_id = ${f.campaignId}`;
  const rows = await db
    .selectFrom('call_blocks as b')
    .select(['b.id', 'b.user_id', 'b.started_at'])
    .select(end.as('end_at'))
    .select(
      sql<number>`(select count(*) from attempts ba where ba.user_id = b.user_id and ba.started_at >= b.started_at and ba.started_at < ${end}${campaign})`.as(
        'dials',
      ),
    )
    .where('b.started_at', '>=', f.from)
    .where('b.started_at', '<', f.to)
    .where(whose(actor, f, 'b.user_id', 'b.workspace_id'))
    .orderBy('b.id')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    startedAt: r.started_at,
    endAt: Math.max(r.started_at, Number(r.end_at)),
    dials: Number(r.dials),
  }));
}

/**
 * The voicemail experiment: enrollments with an arm dialled in the period (by someone in
 * scope), per campaign and arm — how many, their dials and voicemails, how many were reached
 * live, and how many called in (any inbound call from the contact) after their first dial.
 */
export async function armCounts(db: Kysely<Database>, actor: Actor, f: StatsFilter): Promise<ArmCount[]> {
  let dialled = db
    .selectFrom('attempts as a')
    .select('a.enrollment_id')
    .select((eb) => eb.fn.min('a.started_at').as('first_at'))
    .select((eb) => eb.fn.countAll<number>().as('dials'))
    .select(sql<number>`sum(a.voicemail_left)`.as('voicemails'))
    .select(
      sql<number>`sum(case when a.outcome in (${sql.join(LIVE.map((o) => sql.lit(o)))}) then 1 else 0 end)`.as(
        'live',
      ),
    )
    .where('a.started_at', '>=', f.from)
    .where('a.started_at', '<', f.to)
    .where(whose(actor, f, 'a.user_id', 'a.workspace_id'));
  if (f.campaignId !== undefined) dialled = dialled.where('a.campaign_id', '=', f.campaignId);
  // Attempts without an enrollment fall out at the join; saying so in the inner query would
  // invite SQLite to walk the enrollment index over every attempt ever made.
  const rows = await db
    .selectFrom(dialled.groupBy('a.enrollment_id').as('x'))
    .innerJoin('enrollments as e', 'e.id', 'x.enrollment_id')
    .select(['e.campaign_id', 'e.experiment_arm'])
    .select((eb) => eb.fn.countAll<number>().as('enrollments'))
    .select(sql<number>`sum(x.dials)`.as('dials'))
    .select(sql<number>`sum(x.voicemails)`.as('voicemails'))
    .select(sql<number>`sum(case when x.live > 0 then 1 else 0 end)`.as('reached'))
    .select(
      sql<number>`sum(case when exists (select 1 from screening_decisions cd where cd.workspace_id = e.workspace_id and cd.contact_id = e.contact_id and cd.decided_at >= x.first_at and cd.decided_at < ${f.to}) then 1 else 0 end)`.as(
        'called_back',
      ),
    )
    .where('e.experiment_arm', 'is not', null)
    .groupBy(['e.campaign_id', 'e.experiment_arm'])
    .execute();
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    arm: r.experiment_arm as ExperimentArm,
    enrollments: Number(r.enrollments),
    dials: Number(r.dials),
    voicemailsLeft: Number(r.voicemails),
    reached: Number(r.reached),
    calledBack: Number(r.called_back),
  }));
}

/** Names for the ids the stats mention, limited to the workspace. */
export async function namesFor(
  db: Kysely<Database>,
  workspaceId: number,
  campaignIds: readonly number[],
  userIds: readonly number[],
): Promise<{ campaigns: Map<number, string>; users: Map<number, string> }> {
  const [campaigns, users] = await Promise.all([
    campaignIds.length === 0
      ? []
      : db
          .selectFrom('campaigns')
          .select(['id', 'name'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', [...campaignIds])
          .execute(),
    userIds.length === 0
      ? []
      : db
          .selectFrom('users')
          .select(['id', 'name', 'email'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', [...userIds])
          .execute(),
  ]);
  return {
    campaigns: new Map(campaigns.map((c) => [c.id, c.name])),
    users: new Map(users.map((u) => [u.id, u.name || u.email])),
  };
}

/**
 * The period's roll-ups (store/rollup-repo.ts) as the heatmap, the per-attempt counts and the
 * durations need them: three small grouped reads, whatever the number of attempts. Roll-ups are
 * per UTC hour, so the period counts the hours that start inside it.
 */
export async function rollupCounts(
  db: Kysely<Database>,
  actor: Actor,
  f: StatsFilter,
): Promise<{ cells: HourCount[]; attempts: AttemptCount[]; durations: OutcomeDuration[] }> {
  const filter = {
    workspaceId: actor.workspace_id,
    from: f.from,
    to: f.to,
    whose: whose(actor, f, 'r.user_id', 'r.workspace_id'),
    campaignId: f.campaignId,
  };
  const [cells, attempts, durations] = await Promise.all([
    sumRollups(db, filter, ['weekday', 'local_hour', 'outcome']),
    sumRollups(db, filter, ['campaign_id', 'attempt', 'fresh', 'outcome']),
    sumRollups(db, filter, ['outcome']),
  ]);
  return {
    cells: cells.map((r) => ({
      weekday: r.weekday!,
      localHour: r.localHour!,
      outcome: r.outcome!,
      dials: r.dials!,
    })),
    attempts: attempts.map((r) => ({
      campaignId: r.campaignId!,
      attempt: r.attempt!,
      fresh: r.fresh!,
      outcome: r.outcome!,
      dials: r.dials!,
    })),
    durations: durations.map((r) => ({
      outcome: r.outcome!,
      dials: r.dials!,
      timedDials: r.timedDials!,
      timedSeconds: r.timedSeconds!,
    })),
  };
}
