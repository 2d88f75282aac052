/**
 * `ringback campaigns` — list the campaigns with their figures, add one, change one. The
 * checks are the API's (contracts/campaigns.ts, app/campaigns.ts), so the CLI refuses what the
 * API refuses, naming the option at fault.
 */
import type { Command } from 'commander';
import type { z } from 'zod';
import { changeCampaign, createCampaign, listCampaignsInScope } from '../../app/campaigns.js';
import { isAppError } from '../../app/errors.js';
import { windowsForNewCampaign } from '../../app/workspace-settings.js';
import {
  type CampaignJson,
  campaignInputSchema,
  campaignUpdateSchema,
  URGENCIES,
} from '../../contracts/campaigns.js';
import { type CadencePolicy, cadencePolicySchema, VOICEMAIL_POLICIES } from '../../core/cadence/policy.js';
import type { Store } from '../../store/db.js';
import type { User } from '../../store/schema.js';
import { workspaceSettings } from '../../store/telephony-repo.js';
import { resolveUser } from '../actor.js';
import { clockNow, positiveInt, printJson, printTable, UsageError, withStore } from '../context.js';

interface CampaignFlags {
  topic?: string;
  kind?: string;
  urgency?: string;
  limit?: string;
  voicemail?: string;
  user?: string;
  json?: boolean;
}

/** The option each field of the API body comes from, for messages. */
const OPTION_OF: Record<string, string> = {
  name: 'NAME',
  topic: '--topic',
  kind: '--kind',
  urgency: '--urgency',
  policy: '--limit/--voicemail',
};

function withCampaignOptions(command: Command): Command {
  return command
    .option(
      '--topic <text>',
      'what the call is about, as the scripts say it ("cutting invoice-approval time")',
    )
    .option('--kind <kind>', 'sales, recruiting or direct_sales (picks the starting scripts)')
    .option('--urgency <urgency>', `${URGENCIES.join(', ')}: how far apart later calls are`)
    .option('--limit <n>', 'attempts without a conversation before moving on (5, 7, 10 or 15)')
    .option('--voicemail <policy>', VOICEMAIL_POLICIES.join(', '))
    .option('--user <email>', 'act as this user (a manager or admin)')
    .option('--json', 'print JSON');
}

function valid<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const what = OPTION_OF[field] ?? field;
  const message =
    issue.code === 'invalid_value' && 'values' in issue
      ? `must be one of ${(issue.values as unknown[]).join(', ')}`
      : issue.message;
  throw new UsageError(`${what}: ${message}`);
}

async function actorOf(store: Store, email: string | undefined, now: number): Promise<User> {
  const user = await resolveUser(store, email, now);
  if (!user) throw new UsageError('say who acts with --user EMAIL (a manager or admin)');
  if (user.role !== 'manager' && user.role !== 'admin')
    throw new UsageError(`--user ${user.email}: only managers and admins create and change campaigns`);
  return user;
}

function policyChanges(flags: CampaignFlags, base: CadencePolicy): CadencePolicy | undefined {
  if (flags.limit === undefined && flags.voicemail === undefined) return undefined;
  const draft = {
    ...base,
    ...(flags.limit !== undefined ? { attemptLimit: positiveInt('--limit', flags.limit) } : {}),
    ...(flags.voicemail !== undefined ? { voicemail: flags.voicemail } : {}),
  };
  const parsed = cadencePolicySchema.safeParse(draft);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const option = issue.path[0] === 'attemptLimit' ? '--limit' : '--voicemail';
  const message =
    issue.code === 'invalid_value' && 'values' in issue
      ? `must be one of ${(issue.values as unknown[]).join(', ')}`
      : issue.message;
  throw new UsageError(`${option}: ${message}`);
}

async function appProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isAppError(e, 'invalid')) {
      const field = e.failure.fields[0]?.path.replace(/^\//, '').split('/')[0] ?? '';
      throw new UsageError(OPTION_OF[field] ? `${OPTION_OF[field]}: ${e.message}` : e.message);
    }
    throw e;
  }
}

function printCampaigns(campaigns: CampaignJson[], json: boolean | undefined): void {
  if (json) {
    printJson(campaigns.map(shown));
    return;
  }
  if (campaigns.length === 0) {
    process.stdout.write('no campaigns yet: add one with "ringback campaigns add NAME --topic TEXT"\n');
    return;
  }
  printTable(
    campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      topic: c.topic,
      kind: c.kind,
      urgency: c.urgency,
      limit: c.policy.attemptLimit,
      voicemail: c.policy.voicemail,
      enrolled: c.figures.enrolled,
      active: c.figures.active,
      won: c.figures.won,
      unreachable: c.figures.unreachable,
      archived: c.archived ? 'yes' : '',
    })),
  );
}

const shown = (c: CampaignJson) => ({
  id: c.id,
  name: c.name,
  topic: c.topic,
  kind: c.kind,
  urgency: c.urgency,
  archived: c.archived,
  policy: c.policy,
  figures: c.figures,
  lint: c.lint,
});

function printOne(verb: string, c: CampaignJson, json: boolean | undefined): void {
  if (json) {
    printJson(shown(c));
    return;
  }
  process.stdout.write(`${verb} campaign ${c.id} "${c.name}" about ${c.topic}\n`);
  for (const f of c.lint) process.stdout.write(`  ${f.severity}: ${f.message}\n`);
}

export function registerCampaigns(program: Command): void {
  const campaigns = program.command('campaigns').description('list, add and change campaigns');

  campaigns
    .command('list')
    .description('the campaigns with their figures: enrolled, still being worked, won, unreachable')
    .option('--user <email>', 'as this user sees them')
    .option('--json', 'print JSON')
    .action(async (flags: CampaignFlags) => {
      const list = await withStore(async (store) => {
        const now = clockNow();
        const user = await resolveUser(store, flags.user, now);
        if (!user) throw new UsageError('say whose campaigns with --user EMAIL');
        return listCampaignsInScope(store.db, user);
      });
      printCampaigns(list, flags.json);
    });

  withCampaignOptions(
    campaigns.command('add <name>').description('add a campaign (--topic is required)'),
  ).action(async (name: string, flags: CampaignFlags) => {
    const created = await withStore(async (store) => {
      const now = clockNow();
      const actor = await actorOf(store, flags.user, now);
      // --limit and --voicemail change the policy a new campaign starts with: the workspace's hours.
      const base = cadencePolicySchema.parse(
        windowsForNewCampaign(await workspaceSettings(store.db, actor.workspace_id)),
      );
      const policy = policyChanges(flags, base);
      const input = valid(campaignInputSchema, {
        name,
        topic: flags.topic ?? '',
        ...(flags.kind !== undefined ? { kind: flags.kind } : {}),
        ...(flags.urgency !== undefined ? { urgency: flags.urgency } : {}),
      });
      // Without --limit/--voicemail the campaign starts from the workspace's defaults.
      return appProblems(() => createCampaign(store, actor, { ...input, ...withPolicy(policy) }, now));
    });
    printOne('added', created, flags.json);
  });

  withCampaignOptions(
    campaigns
      .command('set <name>')
      .description('change a campaign: its topic, urgency, attempt limit or voicemail'),
  )
    .option('--archive', 'archive it: it leaves the queue and keeps its history')
    .option('--unarchive', 'bring it back')
    .action(async (name: string, flags: CampaignFlags & { archive?: boolean; unarchive?: boolean }) => {
      if (flags.kind !== undefined) throw new UsageError('--kind: a campaign keeps its kind; add a new one');
      const changed = await withStore(async (store) => {
        const now = clockNow();
        const actor = await actorOf(store, flags.user, now);
        const current = (await listCampaignsInScope(store.db, actor)).find((c) => c.name === name);
        if (!current)
          throw new UsageError(`${name}: there is no such campaign (see "ringback campaigns list")`);
        const policy = policyChanges(flags, cadencePolicySchema.parse(current.policy));
        const update = valid(campaignUpdateSchema, {
          ...(flags.topic !== undefined ? { topic: flags.topic } : {}),
          ...(flags.urgency !== undefined ? { urgency: flags.urgency } : {}),
          ...(flags.archive ? { archived: true } : flags.unarchive ? { archived: false } : {}),
        });
        return appProblems(() =>
          changeCampaign(store, actor, current.id, { ...update, ...withPolicy(policy) }, now),
        );
      });
      printOne('changed', changed, flags.json);
    });
}

const withPolicy = (policy: CadencePolicy | undefined) => (policy ? { policy } : {});
