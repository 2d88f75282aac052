/**
 * Campaigns. Policy and scripts are JSON text here; callers validate them with core schemas.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Campaign, CampaignTable, Database } from './schema.js';
import { type Actor, campaignInScope } from './scope.js';

export async function findCampaignByName(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
): Promise<Campaign | undefined> {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Whether the actor may see (and enroll into) this campaign. */
export async function campaignVisibleTo(db: Kysely<Database>, actor: Actor, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('campaigns as k')
    .select('k.id')
    .where('k.id', '=', id)
    .where(campaignInScope(actor, 'k'))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertCampaign(
  db: Kysely<Database>,
  campaign: Insertable<CampaignTable>,
): Promise<Campaign> {
  return db.insertInto('campaigns').values(campaign).returningAll().executeTakeFirstOrThrow();
}

export async function listCampaigns(db: Kysely<Database>, workspaceId: number): Promise<Campaign[]> {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
}

/** A campaign's enrollments: all of them, those still being worked, won, and unreachable. */
export interface CampaignFigures {
  enrolled: number;
  active: number;
  won: number;
  unreachable: number;
}

const WORKED = new Set(['new', 'active', 'snoozed', 'appointment']);

/** The figures of each campaign in `ids`, counted in one grouped query; absent ids count zero. */
export async function campaignFigures(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, CampaignFigures>> {
  const figures = new Map<number, CampaignFigures>(
    ids.map((id) => [id, { enrolled: 0, active: 0, won: 0, unreachable: 0 }]),
  );
  if (ids.length === 0) return figures;
  const rows = await db
    .selectFrom('enrollments')
    .select(['campaign_id', 'state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('campaign_id', 'in', ids)
    .groupBy(['campaign_id', 'state'])
    .execute();
  for (const row of rows) {
    const f = figures.get(row.campaign_id)!;
    const n = Number(row.n);
    f.enrolled += n;
    if (WORKED.has(row.state)) f.active += n;
    if (row.state === 'won') f.won += n;
    if (row.state === 'unreachable') f.unreachable += n;
  }
  return figures;
}
