/**
 * The insights' roll-ups (attempt_rollups): added to in the transaction that logs an attempt,
 * rebuilt from the attempts for a workspace, and read grouped for a period. What a row counts
 * is decided in core/insights/rollup.ts; this file only stores and sums.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ExperimentArm, Outcome } from '../core/cadence/types.js';
import type { RollupRow } from '../core/insights/rollup.js';
import type { Band } from '../core/time/bands.js';
import { compiledOnce } from './queue-repo.js';
import type { AttemptRollupTable, Database } from './schema.js';

const KEY = [
  'workspace_id',
  'hour_at',
  'user_id',
  'campaign_id',
  'arm',
  'local_hour',
  'weekday',
  'band',
  'attempt',
  'fresh',
  'outcome',
] as const;

function toColumns(workspaceId: number, r: RollupRow): AttemptRollupTable {
  return {
    workspace_id: workspaceId,
    hour_at: r.hourAt,
    user_id: r.userId,
    campaign_id: r.campaignId,
    arm: r.arm,
    local_hour: r.localHour,
    weekday: r.weekday,
    band: r.band,
    attempt: r.attempt,
    fresh: r.fresh,
    outcome: r.outcome,
    dials: r.dials,
    timed_dials: r.timedDials,
    timed_seconds: r.timedSeconds,
  };
}

const COLUMNS = [...KEY, 'dials', 'timed_dials', 'timed_seconds'] as const;

/** Adds one attempt's row: the logging hot path, compiled once. */
export async function addRollup(db: Kysely<Database>, workspaceId: number, row: RollupRow): Promise<void> {
  const values = toColumns(workspaceId, row);
  await db.executeQuery(
    compiledOnce(db, 'addRollup', COLUMNS.map((c) => values[c]) as unknown[], (...slots) =>
      db
        .insertInto('attempt_rollups')
        .values(Object.fromEntries(COLUMNS.map((c, i) => [c, slots[i]])) as unknown as AttemptRollupTable)
        .onConflict((oc) =>
          oc.columns([...KEY]).doUpdateSet({
            dials: sql`attempt_rollups.dials + excluded.dials`,
            timed_dials: sql`attempt_rollups.timed_dials + excluded.timed_dials`,
            timed_seconds: sql`attempt_rollups.timed_seconds + excluded.timed_seconds`,
          }),
        ),
    ),
  );
}

/** Adds many rows (merged by key first: see mergeRollups), a few hundred per statement. */
export async function addRollups(
  db: Kysely<Database>,
  workspaceId: number,
  rows: readonly RollupRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('attempt_rollups')
      .values(rows.slice(i, i + 200).map((r) => toColumns(workspaceId, r)))
      .onConflict((oc) =>
        oc.columns([...KEY]).doUpdateSet({
          dials: sql`attempt_rollups.dials + excluded.dials`,
          timed_dials: sql`attempt_rollups.timed_dials + excluded.timed_dials`,
          timed_seconds: sql`attempt_rollups.timed_seconds + excluded.timed_seconds`,
        }),
      )
      .execute();
  }
}

export async function deleteRollups(db: Kysely<Database>, workspaceId: number): Promise<void> {
  await db.deleteFrom('attempt_rollups').where('workspace_id', '=', workspaceId).execute();
}

/** One page of a workspace's attempts in the order roll-ups are counted: by enrollment, then time. */
export async function attemptsForRollup(
  db: Kysely<Database>,
  workspaceId: number,
  after: { enrollmentId: number; startedAt: number; id: number } | null,
  limit: number,
) {
  let q = db
    .selectFrom('attempts as a')
    .leftJoin('enrollments as e', 'e.id', 'a.enrollment_id')
    .select([
      'a.id',
      'a.enrollment_id',
      'a.contact_id',
      'a.campaign_id',
      'a.user_id',
      'a.started_at',
      'a.outcome',
      'a.duration_s',
      'e.experiment_arm',
    ])
    .where('a.workspace_id', '=', workspaceId);
  if (after) {
    q = q.where(
      sql<SqlBool>`(coalesce(a.enrollment_id, 0), a.started_at, a.id) > (${after.enrollmentId}, ${after.startedAt}, ${after.id})`,
    );
  }
  return q
    .orderBy(sql`coalesce(a.enrollment_id, 0)`)
    .orderBy('a.started_at')
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

/** What the period's roll-ups are read for: grouped by the columns named. */
export interface RollupFilter {
  from: number;
  to: number;
  /** Whose calls count, on the roll-up's user_id (store/insights-repo.ts builds it). */
  whose: RawBuilder<SqlBool>;
  campaignId?: number | undefined;
}

export interface RollupSum {
  campaignId: number;
  userId: number;
  arm: ExperimentArm | '';
  localHour: number;
  weekday: number;
  band: Band;
  attempt: number;
  fresh: boolean;
  outcome: Outcome;
  dials: number;
  timedDials: number;
  timedSeconds: number;
}

type Dimension =
  | 'campaign_id'
  | 'user_id'
  | 'arm'
  | 'local_hour'
  | 'weekday'
  | 'band'
  | 'attempt'
  | 'fresh'
  | 'outcome';

/** The period's counts summed over every dimension not named in `by`. */
export async function sumRollups(
  db: Kysely<Database>,
  f: RollupFilter,
  by: readonly Dimension[],
): Promise<Partial<RollupSum>[]> {
  let q = db
    .selectFrom('attempt_rollups as r')
    .select(by.map((c) => `r.${c}` as const))
    .select(sql<number>`sum(r.dials)`.as('dials'))
    .select(sql<number>`sum(r.timed_dials)`.as('timed_dials'))
    .select(sql<number>`sum(r.timed_seconds)`.as('timed_seconds'))
    .where('r.hour_at', '>=', f.from)
    .where('r.hour_at', '<', f.to)
    .where(f.whose);
  if (f.campaignId !== undefined) q = q.where('r.campaign_id', '=', f.campaignId);
  if (by.length > 0) q = q.groupBy(by.map((c) => `r.${c}` as const));
  const rows = (await q.execute()) as Record<string, unknown>[];
  return rows.map((r) => {
    const out: Partial<RollupSum> = {
      dials: Number(r.dials),
      timedDials: Number(r.timed_dials),
      timedSeconds: Number(r.timed_seconds),
    };
    if ('campaign_id' in r) out.campaignId = Number(r.campaign_id);
    if ('user_id' in r) out.userId = Number(r.user_id);
    if ('arm' in r) out.arm = r.arm as ExperimentArm | '';
    if ('local_hour' in r) out.localHour = Number(r.local_hour);
    if ('weekday' in r) out.weekday = Number(r.weekday);
    if ('band' in r) out.band = r.band as Band;
    if ('attempt' in r) out.attempt = Number(r.attempt);
    if ('fresh' in r) out.fresh = Number(r.fresh) === 1;
    if ('outcome' in r) out.outcome = r.outcome as Outcome;
    return out;
  });
}

/** What the roll-up reads of contacts to place them in a time zone (cadenceContact). */
export async function contactsForRollup(db: Kysely<Database>, workspaceId: number, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'first_name', 'last_name', 'kind', 'time_zone', 'region', 'country'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...ids])
    .execute();
}
