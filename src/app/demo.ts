/**
 * The demo use case: generate the demo world (core, pure) and write it into the default
 * workspace in one write transaction with batched multi-row inserts. Refuses a workspace that
 * already has contacts, so it never mixes made-up people with real ones.
 */
import type { InsertObject, Kysely } from 'kysely';
import { DEMO_DEFAULTS, generateDemoWorld } from '../core/demo/generate.js';
import { type DemoSummary, summarizeDemo } from '../core/demo/summary.js';
import type { DemoWorld } from '../core/demo/world.js';
import type { Store } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { ensureTeam } from '../store/user-repo.js';
import { ensureDefaultWorkspace } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { AppError } from './errors.js';
import { hashPassword } from './passwords.js';
import { rebuildRollupsIn } from './rollups.js';

export interface CreateDemoOptions {
  /** Default 1. */
  seed?: number | undefined;
  /** Default 2000. */
  contacts?: number | undefined;
  /** The clock, passed in: the history ends here. */
  now: number;
}

export interface DemoResult extends DemoSummary {
  /** Where the demo was written ("ringback.db", "postgres://host/db"). */
  database: string;
}

/** Largest number of contacts the demo makes; beyond it the fictional number ranges run thin. */
export const MAX_DEMO_CONTACTS = 50_000;

/** Below SQLite's 32,766 bound parameters per statement (PostgreSQL allows 65,535). */
const MAX_PARAMETERS = 30_000;

export async function createDemo(store: Store, options: CreateDemoOptions): Promise<DemoResult> {
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const contacts = options.contacts ?? DEMO_DEFAULTS.contacts;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError('seed must be a non-negative integer');
  if (!Number.isInteger(contacts) || contacts < 1 || contacts > MAX_DEMO_CONTACTS) {
    throw new RangeError(`contacts must be between 1 and ${MAX_DEMO_CONTACTS}`);
  }
  const world = generateDemoWorld({ seed, contacts, now: options.now });
  // One hash for every demo user: argon2 is deliberately slow, and they share the password.
  const passwordHash = await hashPassword(world.password);

  const workspace = await inWriteTransaction(store, async (trx) => {
    const ws = await ensureDefaultWorkspace(trx, options.now);
    await refuseUnlessEmpty(trx, ws.id, world, store.location);
    await writeWorld(trx, store, ws.id, world, passwordHash);
    await rebuildRollupsIn(trx, ws.id);
    return ws;
  });
  return { database: store.location, ...summarizeDemo(world, workspace.time_zone) };
}

async function refuseUnlessEmpty(
  db: Kysely<Database>,
  workspaceId: number,
  world: DemoWorld,
  location: string,
) {
  const count = async (table: 'contacts' | 'numbers') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('workspace_id', '=', workspaceId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const contacts = await count('contacts');
  const numbers = await count('numbers');
  const users = await db
    .selectFrom('users')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where(
      'email',
      'in',
      world.users.map((u) => u.email),
    )
    .execute();
  const campaigns = await db
    .selectFrom('campaigns')
    .select('name')
    .where('workspace_id', '=', workspaceId)
    .where(
      'name',
      'in',
      world.campaigns.map((c) => c.name),
    )
    .execute();
  const found =
    contacts > 0
      ? `${contacts} contacts`
      : numbers > 0
        ? `${numbers} phone numbers`
        : users.length > 0
          ? `the demo user ${users[0]!.email}`
          : campaigns.length > 0
            ? `the demo campaign "${campaigns[0]!.name}"`
            : null;
  if (found) {
    throw new AppError(
      `${location} already has ${found}; the demo only fills an empty database. ` +
        'Point RINGBACK_DB at a new file, e.g. RINGBACK_DB=demo.db ringback demo',
      { code: 'demo_refused' },
    );
  }
}

async function writeWorld(
  trx: Kysely<Database>,
  store: Pick<Store, 'ops'>,
  ws: number,
  world: DemoWorld,
  passwordHash: string,
): Promise<void> {
  const ids = async (table: keyof Database, count: number) => {
    const reserved = await store.ops.reserveIds(trx, table, count);
    return (localId: number) => reserved[localId - 1]!;
  };
  // The team may exist already (`users add` can make it); reuse it by name.
  const teamId = await ensureTeam(trx, ws, world.teams[0]!.name, world.teams[0]!.createdAt);
  const user = await ids('users', world.users.length);
  const company = await ids('companies', world.companies.length);
  const contact = await ids('contacts', world.contacts.length);
  const number = await ids('numbers', world.numbers.length);
  const campaign = await ids('campaigns', world.campaigns.length);
  const enrollment = await ids('enrollments', world.enrollments.length);
  const attempt = await ids('attempts', world.attempts.length);
  const appointment = await ids('appointments', world.appointments.length);
  const callbackEntry = await ids('callback_entries', world.callbackEntries.length);
  const callBlock = await ids('call_blocks', world.callBlocks.length);
  const decision = await ids('screening_decisions', world.inboundCalls.length);
  const dncEntry = await ids('dnc_entries', world.dncEntries.length);
  const flag = (b: boolean) => (b ? 1 : 0);

  await insertAll(
    trx,
    'users',
    world.users.map((u) => ({
      id: user(u.id),
      workspace_id: ws,
      team_id: teamId,
      email: u.email,
      name: u.name,
      role: u.role,
      phone: u.phone,
      time_zone: u.timeZone,
      password_hash: passwordHash,
      created_at: u.createdAt,
    })),
  );
  await insertAll(
    trx,
    'companies',
    world.companies.map((c) => ({
      id: company(c.id),
      workspace_id: ws,
      name: c.name,
      name_key: c.nameKey,
      created_at: c.createdAt,
    })),
  );
  await insertAll(
    trx,
    'contacts',
    world.contacts.map((c) => ({
      id: contact(c.id),
      workspace_id: ws,
      first_name: c.firstName,
      last_name: c.lastName,
      title: c.title,
      company_id: c.companyId === null ? null : company(c.companyId),
      email: c.email,
      email_key: c.emailKey,
      time_zone: c.timeZone,
      kind: c.kind,
      interests: c.interests,
      notes: c.notes,
      street: c.street,
      city: c.city,
      region: c.region,
      postal_code: c.postalCode,
      country: c.country,
      owner_id: user(c.ownerId),
      do_not_call: flag(c.doNotCall),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    })),
  );
  await insertAll(
    trx,
    'numbers',
    world.numbers.map((n) => ({
      id: number(n.id),
      workspace_id: ws,
      e164: n.e164,
      country: n.country,
      valid: flag(n.valid),
      created_at: n.createdAt,
    })),
  );
  await insertAll(
    trx,
    'contact_numbers',
    world.contactNumbers.map((cn) => ({
      contact_id: contact(cn.contactId),
      number_id: number(cn.numberId),
      kind: cn.kind,
      extension: cn.extension,
      source: 'demo' as const,
      created_at: cn.createdAt,
    })),
  );
  await insertAll(
    trx,
    'campaigns',
    world.campaigns.map((c) => ({
      id: campaign(c.id),
      workspace_id: ws,
      name: c.name,
      kind: c.kind,
      urgency: c.urgency,
      policy: JSON.stringify(c.policy),
      scripts: JSON.stringify(c.scripts),
      topic: c.topic,
      team_id: teamId,
      created_by: user(c.createdBy),
      created_at: c.createdAt,
      archived_at: null,
    })),
  );
  await insertAll(
    trx,
    'enrollments',
    world.enrollments.map((e) => ({
      id: enrollment(e.id),
      workspace_id: ws,
      campaign_id: campaign(e.campaignId),
      contact_id: contact(e.contactId),
      owner_id: user(e.ownerId),
      state: e.state,
      attempt_count: e.attemptCount,
      connect_count: e.connectCount,
      next_due_at: e.nextDueAt,
      due_kind: e.dueKind,
      priority: e.priority,
      put_offs: e.putOffs,
      flagged: flag(e.flagged),
      experiment_arm: e.experimentArm,
      lease_user_id: null,
      lease_expires_at: null,
      last_attempt_at: e.lastAttemptAt,
      created_at: e.createdAt,
      updated_at: e.updatedAt,
    })),
  );
  await insertAll(
    trx,
    'attempts',
    world.attempts.map((a) => ({
      id: attempt(a.id),
      workspace_id: ws,
      enrollment_id: enrollment(a.enrollmentId),
      campaign_id: campaign(a.campaignId),
      contact_id: contact(a.contactId),
      user_id: user(a.userId),
      number_id: number(a.numberId),
      started_at: a.startedAt,
      ended_at: a.endedAt,
      duration_s: a.durationS,
      outcome: a.outcome,
      note: a.note,
      voicemail_left: flag(a.voicemailLeft),
      script: a.script,
      scheduled_for: a.scheduledFor,
      idempotency_key: null,
      created_at: a.createdAt,
    })),
  );
  await insertAll(
    trx,
    'appointments',
    world.appointments.map((a) => ({
      id: appointment(a.id),
      workspace_id: ws,
      enrollment_id: enrollment(a.enrollmentId),
      contact_id: contact(a.contactId),
      user_id: user(a.userId),
      attempt_id: attempt(a.attemptId),
      starts_at: a.startsAt,
      duration_min: a.durationMin,
      title: a.title,
      notes: a.notes,
      status: a.status,
      uid: a.uid,
      created_at: a.createdAt,
    })),
  );
  await insertAll(
    trx,
    'callback_entries',
    world.callbackEntries.map((c) => ({
      id: callbackEntry(c.id),
      workspace_id: ws,
      user_id: user(c.userId),
      contact_id: contact(c.contactId),
      reason: c.reason,
      attempt_id: attempt(c.attemptId),
      since_at: c.sinceAt,
      expires_at: c.expiresAt,
      cleared_at: c.clearedAt,
    })),
  );
  await insertAll(
    trx,
    'call_blocks',
    world.callBlocks.map((b) => ({
      id: callBlock(b.id),
      workspace_id: ws,
      user_id: user(b.userId),
      started_at: b.startedAt,
      planned_end_at: b.plannedEndAt,
      ended_at: b.endedAt,
      stats: JSON.stringify(b.stats),
    })),
  );
  await insertAll(
    trx,
    'screening_decisions',
    world.inboundCalls.map((c) => ({
      id: decision(c.id),
      workspace_id: ws,
      user_id: user(c.userId),
      block_id: null,
      caller_raw: c.e164,
      caller_e164: c.e164,
      contact_id: contact(c.contactId),
      action: 'ring' as const,
      reason: c.reason,
      callback_entry_id: c.callbackEntryId === null ? null : callbackEntry(c.callbackEntryId),
      attempt_id: c.attemptId === null ? null : attempt(c.attemptId),
      decided_at: c.at,
      call_sid: null,
    })),
  );
  await insertAll(
    trx,
    'dnc_entries',
    world.dncEntries.map((d) => ({
      id: dncEntry(d.id),
      workspace_id: ws,
      e164: null,
      contact_id: contact(d.contactId),
      reason: d.reason,
      source: d.source,
      created_by: user(d.createdBy),
      created_at: d.createdAt,
    })),
  );
}

async function insertAll<T extends keyof Database & string>(
  trx: Kysely<Database>,
  table: T,
  rows: InsertObject<Database, T>[],
): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / perRow));
  for (let i = 0; i < rows.length; i += size) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + size))
      .execute();
  }
}
