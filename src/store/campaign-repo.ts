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
