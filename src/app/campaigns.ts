/**
 * Campaigns (with their cadence policy and scripts, linted) and enrollments, for a signed-in
 * user, scoped by store/scope.ts. Scripts with lint errors are refused; warnings come back
 * with the campaign.
 */

import type { Updateable } from 'kysely';
import type { CampaignInput, CampaignJson, CampaignUpdate, EnrollmentJson } from '../contracts/campaigns.js';
import { cadencePolicySchema } from '../core/cadence/policy.js';
import { defaultScriptsFor } from '../core/scripts/defaults.js';
import { type LintFinding, lintScripts } from '../core/scripts/lint.js';
import { type CampaignScripts, campaignScriptsSchema } from '../core/scripts/schema.js';
import { type CampaignFigures, campaignFigures } from '../store/campaign-repo.js';
import { findContactInScope } from '../store/contact-repo.js';
import type { Store } from '../store/db.js';
import type { Campaign, CampaignTable, User } from '../store/schema.js';
import { type Actor, campaignInScope, enrollmentInScope } from '../store/scope.js';
import { workspaceSettings } from '../store/telephony-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { checkOwner } from './contacts.js';
import { invalid, notFound } from './errors.js';
import { emitWebhookEvent, endsEnrollment } from './webhook-events.js';
import { windowsForNewCampaign } from './workspace-settings.js';

type Db = Store['db'];

const SCRIPT_PATHS: Record<string, string> = {
  elevator: '/scripts/elevator',
  voicemail_intro: '/scripts/voicemail/intro',
  voicemail_follow_up: '/scripts/voicemail/follow_up',
  voicemail_break_up: '/scripts/voicemail/break_up',
  gatekeeper: '/scripts/gatekeeper',
};

function lint(scripts: CampaignScripts, topic: string): LintFinding[] {
  const findings = lintScripts(scripts, { known: { topic } });
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw invalid(
      `the scripts have ${errors.length} error(s): ${errors.map((e) => e.message).join('; ')}`,
      errors.map((e) => ({ path: SCRIPT_PATHS[e.script] ?? '/scripts', message: e.message })),
    );
  }
  return findings;
}

const NO_FIGURES: CampaignFigures = { enrolled: 0, active: 0, won: 0, unreachable: 0 };

export function campaignJson(row: Campaign, figures: CampaignFigures = NO_FIGURES): CampaignJson {
  const scripts = campaignScriptsSchema.safeParse(JSON.parse(row.scripts || '{}'));
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    urgency: row.urgency,
    topic: row.topic,
    teamId: row.team_id,
    createdBy: row.created_by,
    archived: row.archived_at !== null,
    policy: cadencePolicySchema.parse(JSON.parse(row.policy || '{}')),
    scripts: JSON.parse(row.scripts || '{}'),
    lint: scripts.success ? lintScripts(scripts.data, { known: { topic: row.topic } }) : [],
    figures,
  };
}

/** A manager shares with their own team or the whole workspace; an admin with any team of the workspace. */
async function checkTeam(db: Db, actor: Actor, teamId: number | null | undefined): Promise<void> {
  if (teamId === undefined || teamId === null) return;
  if (actor.role !== 'admin' && teamId !== actor.team_id) {
    throw invalid(`you can share campaigns with your own team only`, '/teamId');
  }
  const team = await db
    .selectFrom('teams')
    .select('id')
    .where('id', '=', teamId)
    .where('workspace_id', '=', actor.workspace_id)
    .executeTakeFirst();
  if (!team) throw invalid(`there is no team ${teamId}`, '/teamId');
}

export async function listCampaignsInScope(db: Db, actor: Actor): Promise<CampaignJson[]> {
  const rows = await db
    .selectFrom('campaigns as k')
    .selectAll('k')
    .where(campaignInScope(actor, 'k'))
    .orderBy('k.id')
    .execute();
  const figures = await campaignFigures(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => campaignJson(r, figures.get(r.id)));
}

async function findCampaign(db: Db, actor: Actor, id: number): Promise<Campaign> {
  const row = await db
    .selectFrom('campaigns as k')
    .selectAll('k')
    .where('k.id', '=', id)
    .where(campaignInScope(actor, 'k'))
    .executeTakeFirst();
  if (!row) throw notFound(`there is no campaign ${id}`);
  return row;
}

export async function campaignDetail(db: Db, actor: Actor, id: number): Promise<CampaignJson> {
  const row = await findCampaign(db, actor, id);
  return campaignJson(row, (await campaignFigures(db, [id])).get(id));
}

async function checkNameFree(
  db: Db,
  workspaceId: number,
  name: string,
  except: number | null,
): Promise<void> {
  let query = db
    .selectFrom('campaigns')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name);
  if (except !== null) query = query.where('id', '!=', except);
  if (await query.executeTakeFirst()) throw invalid(`there is already a campaign "${name}"`, '/name');
}

export async function createCampaign(
  store: Store,
  actor: User,
  input: CampaignInput,
  now: number,
): Promise<CampaignJson> {
  const scripts = input.scripts ?? defaultScriptsFor(input.kind);
  lint(scripts, input.topic);
  return inWriteTransaction(store, async (db) => {
    const teamId = input.teamId === undefined ? actor.team_id : input.teamId;
    await checkTeam(db, actor, teamId);
    await checkNameFree(db, actor.workspace_id, input.name, null);
    // Without a policy, a campaign starts from the design's defaults and the workspace's calling hours.
    const policy =
      input.policy ??
      cadencePolicySchema.parse(windowsForNewCampaign(await workspaceSettings(db, actor.workspace_id)));
    const row = await db
      .insertInto('campaigns')
      .values({
        workspace_id: actor.workspace_id,
        name: input.name,
        kind: input.kind,
        urgency: input.urgency,
        topic: input.topic,
        policy: JSON.stringify(policy),
        scripts: JSON.stringify(scripts),
        team_id: teamId,
        created_by: actor.id,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return campaignJson(row);
  });
}

export async function changeCampaign(
  store: Store,
  actor: User,
  id: number,
  input: CampaignUpdate,
  now: number,
): Promise<CampaignJson> {
  return inWriteTransaction(store, async (db) => {
    const row = await findCampaign(db, actor, id);
    const changes: Updateable<CampaignTable> = {};
    if (input.name !== undefined) {
      await checkNameFree(db, actor.workspace_id, input.name, id);
      changes.name = input.name;
    }
    if (input.urgency !== undefined) changes.urgency = input.urgency;
    if (input.topic !== undefined) changes.topic = input.topic;
    if (input.teamId !== undefined) {
      await checkTeam(db, actor, input.teamId);
      changes.team_id = input.teamId;
    }
    if (input.policy !== undefined) changes.policy = JSON.stringify(input.policy);
    if (input.scripts !== undefined) {
      lint(input.scripts, input.topic ?? row.topic);
      changes.scripts = JSON.stringify(input.scripts);
    }
    if (input.archived !== undefined) changes.archived_at = input.archived ? (row.archived_at ?? now) : null;
    if (Object.keys(changes).length > 0) {
      await db.updateTable('campaigns').set(changes).where('id', '=', id).execute();
    }
    return campaignDetail(db, actor, id);
  });
}

function enrollmentQuery(db: Db, actor: Actor) {
  return db
    .selectFrom('enrollments as e')
    .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
    .innerJoin('contacts as c', 'c.id', 'e.contact_id')
    .select([
      'e.id',
      'e.campaign_id',
      'k.name as campaign',
      'e.contact_id',
      'c.first_name',
      'c.last_name',
      'e.owner_id',
      'e.state',
      'e.attempt_count',
      'e.next_due_at',
      'e.due_kind',
      'e.flagged',
    ])
    .where(enrollmentInScope(actor, 'e'));
}

type EnrollmentRow = Awaited<ReturnType<ReturnType<typeof enrollmentQuery>['executeTakeFirstOrThrow']>>;

const enrollmentJson = (r: EnrollmentRow): EnrollmentJson => ({
  id: r.id,
  campaignId: r.campaign_id,
  campaign: r.campaign,
  contactId: r.contact_id,
  contact: `${r.first_name} ${r.last_name}`.trim(),
  ownerId: r.owner_id,
  state: r.state,
  attemptCount: r.attempt_count,
  nextDueAt: r.next_due_at === null ? null : new Date(r.next_due_at).toISOString(),
  dueKind: r.due_kind,
  flagged: r.flagged === 1,
});

export async function listEnrollments(
  db: Db,
  actor: Actor,
  filter: {
    campaignId?: number | undefined;
    contactId?: number | undefined;
    state?: string | undefined;
    limit: number;
    after: number;
  },
): Promise<EnrollmentJson[]> {
  let query = enrollmentQuery(db, actor).where('e.id', '>', filter.after);
  if (filter.campaignId !== undefined) query = query.where('e.campaign_id', '=', filter.campaignId);
  if (filter.contactId !== undefined) query = query.where('e.contact_id', '=', filter.contactId);
  if (filter.state !== undefined) query = query.where('e.state', '=', filter.state as EnrollmentRow['state']);
  const rows = await query.orderBy('e.id').limit(filter.limit).execute();
  return rows.map(enrollmentJson);
}

export async function enroll(
  store: Store,
  actor: User,
  input: { contactId: number; campaignId: number; ownerId?: number | null | undefined },
  now: number,
): Promise<EnrollmentJson> {
  return inWriteTransaction(store, async (db) => {
    const contact = await findContactInScope(db, actor, input.contactId);
    if (!contact) throw notFound(`there is no contact ${input.contactId}`);
    await findCampaign(db, actor, input.campaignId);
    const ownerId = input.ownerId === undefined ? (contact.owner_id ?? actor.id) : input.ownerId;
    await checkOwner(db, actor, ownerId, 'enrollments');
    const existing = await db
      .selectFrom('enrollments')
      .select('id')
      .where('campaign_id', '=', input.campaignId)
      .where('contact_id', '=', input.contactId)
      .executeTakeFirst();
    if (existing)
      throw invalid(
        `contact ${input.contactId} is already in campaign ${input.campaignId} (enrollment ${existing.id})`,
        '/contactId',
      );
    const row = await db
      .insertInto('enrollments')
      .values({
        workspace_id: actor.workspace_id,
        campaign_id: input.campaignId,
        contact_id: input.contactId,
        owner_id: ownerId,
        state: contact.do_not_call === 1 ? 'dnc' : 'new',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return enrollmentJson(
      await enrollmentQuery(db, actor).where('e.id', '=', row.id).executeTakeFirstOrThrow(),
    );
  });
}

export async function changeEnrollment(
  store: Store,
  actor: User,
  id: number,
  input: { ownerId?: number | null | undefined; state?: 'active' | 'won' | 'lost' | undefined },
  now: number,
): Promise<EnrollmentJson> {
  return inWriteTransaction(store, async (db) => {
    const row = await enrollmentQuery(db, actor).where('e.id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`there is no enrollment ${id}`);
    await checkOwner(db, actor, input.ownerId, 'enrollments');
    if (input.state === 'active' && row.state === 'dnc') {
      throw invalid('a do-not-call enrollment is never reopened (rule 13)', '/state');
    }
    await db
      .updateTable('enrollments')
      .set({
        ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
        ...(input.state !== undefined
          ? {
              state: input.state,
              ...(input.state === 'active'
                ? { next_due_at: now, due_kind: 'retry' as const }
                : { next_due_at: null, due_kind: null }),
            }
          : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    const changed = enrollmentJson(
      await enrollmentQuery(db, actor).where('e.id', '=', id).executeTakeFirstOrThrow(),
    );
    if (input.state !== undefined && endsEnrollment(row.state, input.state)) {
      await emitWebhookEvent(
        db,
        actor.workspace_id,
        'enrollment.ended',
        {
          enrollmentId: id,
          state: input.state,
          by: actor.id,
          at: new Date(now).toISOString(),
          enrollment: changed,
        },
        now,
      );
    }
    return changed;
  });
}
