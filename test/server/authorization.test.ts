/**
 * The authorization matrix, generated from the route table: every route × role × ownership.
 *
 * A workspace with two teams — rep Rae, her teammate Rob and their manager Meg on team 1, Ray
 * on team 2, admin Ada — and a second workspace with its own rep. For every route whose scope
 * is a stored thing (contact, campaign, enrollment, appointment) there must be a case below,
 * or the test fails; each case is run by Rae, Meg and Ada against a fresh target of each
 * ownership: Rae's own, her teammate's, the other team's, and the other workspace's. Rae sees
 * her own, Meg her team's, Ada her workspace's, nobody the other workspace; and the other
 * workspace's rep Eve, run the same way, sees her own and nothing of the first. Routes that need
 * a role are refused (403) to every lower role; every non-public route refuses anonymous
 * callers (401).
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/app/passwords.js';
import { ROUTES, type RouteRule } from '../../src/server/routes/index.js';
import type { Store } from '../../src/store/db.js';
import type { Role, User } from '../../src/store/schema.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, MONDAY_10, multipartBody, tokenFor } from './support.js';

type Ownership = 'own' | 'teammate' | 'other-team' | 'other-workspace';
const OWNERSHIPS: Ownership[] = ['own', 'teammate', 'other-team', 'other-workspace'];
/** `outsider` is the other workspace's rep, the owner of its things. */
type ActorName = 'rep' | 'manager' | 'admin' | 'outsider';
const ACTORS: ActorName[] = ['rep', 'manager', 'admin', 'outsider'];
const ROLE_OF: Record<ActorName, Role> = { rep: 'rep', manager: 'manager', admin: 'admin', outsider: 'rep' };

/** Who sees a thing of each ownership. */
const SEES: Record<ActorName, ReadonlySet<Ownership>> = {
  rep: new Set(['own']),
  manager: new Set(['own', 'teammate']),
  admin: new Set(['own', 'teammate', 'other-team']),
  outsider: new Set(['other-workspace']),
};

interface World {
  /** The team of each ownership's owner. */
  teams: Record<Ownership, number>;
  users: Record<Exclude<ActorName, 'outsider'> | 'teammate' | 'otherTeam' | 'elsewhere', User>;
  tokens: Record<ActorName, string>;
  /** The campaign of each ownership's team (the other workspace has its own). */
  campaigns: Record<Ownership, number>;
  /** The user owning things of each ownership. */
  owners: Record<Ownership, User>;
}

interface Target {
  ownership: Ownership;
  contactId: number;
  appointmentId: number;
  numberId: number;
  /** The contact's number, E.164. */
  number: string;
  enrollmentId: number;
  ownerId: number;
  campaignId: number;
}

interface Case {
  /** Run before the request, e.g. to free the target for it. */
  prepare?: (store: Store, target: Target) => Promise<void>;
  /** Who sees what for this route, when not SEES. */
  sees?: Record<ActorName, ReadonlySet<Ownership>>;
  /** The request an actor makes against a target. */
  request(target: Target, world: World): InjectOptions;
  /**
   * `item`: 2xx when the actor sees the target, else 404. `owner`: 2xx when the target's owner is
   * in the actor's scope, else 422. `named`: always 2xx, naming the target only to those who see it.
   */
  expect: 'item' | 'owner' | 'list' | 'named';
  /** For `named`: the contact ids the response names. */
  named?: (body: unknown) => number[];
  /** For `list`: the ids of the response's things. */
  ids?: (body: unknown) => number[];
  /** For `list`: which of the targets should be listed; default: those the actor sees. */
  listed?: (actor: ActorName, ownership: Ownership) => boolean;
  /** For `list`: the target's id that the list holds. */
  idOf?: (target: Target) => number;
}

const json = (method: InjectOptions['method'], url: string, payload?: object): InjectOptions => ({
  method,
  url,
  ...(payload ? { payload } : {}),
});

const contactIds = (body: unknown) => (body as { contacts: { id: number }[] }).contacts.map((c) => c.id);
const queueContactIds = (body: unknown) =>
  (body as { items: { contact: { id: number } }[] }).items.map((i) => i.contact.id);
/** The queue is personal: your own enrollments (and unassigned ones), whatever your role. */
const ownOnly = (actor: ActorName, ownership: Ownership) =>
  (actor === 'rep' && ownership === 'own') || (actor === 'outsider' && ownership === 'other-workspace');

/** Campaigns are shared by team: a rep sees their teammates' campaign too. */
const CAMPAIGN_SEES: Record<ActorName, ReadonlySet<Ownership>> = {
  rep: new Set(['own', 'teammate']),
  manager: new Set(['own', 'teammate']),
  admin: new Set(['own', 'teammate', 'other-team']),
  outsider: new Set(['other-workspace']),
};
let names = 0;
/** The import run each target's undo case undoes, by contact. */
const undoRuns = new Map<number, number>();
/** The target's appointment, moved to an hour ago: it can be marked held or a no-show. */
const startedAppointment = async (store: Store, t: Target) => {
  await store.db
    .updateTable('appointments')
    .set({ starts_at: MONDAY_10 - 60 * 60_000 })
    .where('id', '=', t.appointmentId)
    .execute();
};

const CASES: Record<string, Case> = {
  'GET /api/v1/campaigns': {
    request: () => json('GET', '/api/v1/campaigns'),
    expect: 'list',
    ids: (body) => (body as { campaigns: { id: number }[] }).campaigns.map((c) => c.id),
    idOf: (t) => t.campaignId,
    sees: CAMPAIGN_SEES,
  },
  'POST /api/v1/campaigns': {
    request: (t, w) =>
      json('POST', '/api/v1/campaigns', {
        name: `Campaign ${++names}`,
        topic: 'the matrix',
        teamId: w.teams[t.ownership],
      }),
    expect: 'owner',
  },
  'GET /api/v1/campaigns/:id': {
    request: (t) => json('GET', `/api/v1/campaigns/${t.campaignId}`),
    expect: 'item',
    sees: CAMPAIGN_SEES,
  },
  'GET /api/v1/campaigns/:id/preview': {
    request: (t) => json('GET', `/api/v1/campaigns/${t.campaignId}/preview?zone=America/Chicago`),
    expect: 'item',
    sees: CAMPAIGN_SEES,
  },
  'PATCH /api/v1/campaigns/:id': {
    request: (t) => json('PATCH', `/api/v1/campaigns/${t.campaignId}`, { topic: `topic ${++names}` }),
    expect: 'item',
    sees: CAMPAIGN_SEES,
  },
  'GET /api/v1/enrollments': {
    request: () => json('GET', '/api/v1/enrollments?limit=500'),
    expect: 'list',
    ids: (body) => (body as { enrollments: { id: number }[] }).enrollments.map((e) => e.id),
    idOf: (t) => t.enrollmentId,
  },
  'POST /api/v1/enrollments': {
    prepare: async (store, t) => {
      await store.db.deleteFrom('enrollments').where('id', '=', t.enrollmentId).execute();
    },
    request: (t) => json('POST', '/api/v1/enrollments', { contactId: t.contactId, campaignId: t.campaignId }),
    expect: 'item',
  },
  'PATCH /api/v1/enrollments/:id': {
    request: (t) => json('PATCH', `/api/v1/enrollments/${t.enrollmentId}`, { state: 'won' }),
    expect: 'item',
  },
  'GET /api/v1/appointments': {
    request: () => json('GET', '/api/v1/appointments?limit=500'),
    expect: 'list',
    ids: (body) => (body as { appointments: { id: number }[] }).appointments.map((a) => a.id),
    idOf: (t) => t.appointmentId,
  },
  'POST /api/v1/imports': {
    request: (t, w) => {
      const n = ++names;
      const body = multipartBody(
        { owner: w.owners[t.ownership].email },
        {
          name: 'people.csv',
          content: `First Name,Last Name,Phone\nImported,Person ${n},212-555-${String(3000 + n).padStart(4, '0')}\n`,
        },
      );
      return { method: 'POST', url: '/api/v1/imports', ...body };
    },
    expect: 'owner',
  },
  'POST /api/v1/imports/:id/undo': {
    // An import that changed the target contact: its journal entry has nothing to put back.
    prepare: async (store, t) => {
      const owner = await store.db
        .selectFrom('users')
        .select('workspace_id')
        .where('id', '=', t.ownerId)
        .executeTakeFirstOrThrow();
      const run = await store.db
        .insertInto('import_runs')
        .values({
          workspace_id: owner.workspace_id,
          file_name: 'people.csv',
          format: 'csv',
          status: 'done',
          started_at: MONDAY_10,
          finished_at: MONDAY_10,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await store.db
        .insertInto('import_journal')
        .values({ import_run_id: run.id, contact_id: t.contactId, before: '{}' })
        .execute();
      undoRuns.set(t.contactId, run.id);
    },
    request: (t) => json('POST', `/api/v1/imports/${undoRuns.get(t.contactId)}/undo`),
    expect: 'item',
  },
  'GET /api/v1/appointments/:id/invite.ics': {
    request: (t) => json('GET', `/api/v1/appointments/${t.appointmentId}/invite.ics`),
    expect: 'item',
  },
  'POST /api/v1/appointments/:id/reschedule': {
    request: (t) =>
      json('POST', `/api/v1/appointments/${t.appointmentId}/reschedule`, { when: 'Friday 3pm' }),
    expect: 'item',
  },
  'POST /api/v1/appointments/:id/cancel': {
    request: (t) => json('POST', `/api/v1/appointments/${t.appointmentId}/cancel`),
    expect: 'item',
  },
  'POST /api/v1/appointments/:id/held': {
    prepare: startedAppointment,
    request: (t) => json('POST', `/api/v1/appointments/${t.appointmentId}/held`),
    expect: 'item',
  },
  'POST /api/v1/appointments/:id/no-show': {
    prepare: startedAppointment,
    request: (t) => json('POST', `/api/v1/appointments/${t.appointmentId}/no-show`),
    expect: 'item',
  },
  'GET /api/v1/contacts': {
    request: () => json('GET', '/api/v1/contacts?q=Target&limit=200'),
    expect: 'list',
    ids: contactIds,
  },
  'POST /api/v1/contacts': {
    request: (t) => json('POST', '/api/v1/contacts', { lastName: 'New', ownerId: t.ownerId }),
    expect: 'owner',
  },
  'GET /api/v1/contacts/:id': {
    request: (t) => json('GET', `/api/v1/contacts/${t.contactId}`),
    expect: 'item',
  },
  'GET /api/v1/contacts/:id/vcard': {
    request: (t) => json('GET', `/api/v1/contacts/${t.contactId}/vcard`),
    expect: 'item',
  },
  'PATCH /api/v1/contacts/:id': {
    request: (t) => json('PATCH', `/api/v1/contacts/${t.contactId}`, { notes: 'changed' }),
    expect: 'item',
  },
  'DELETE /api/v1/contacts/:id': {
    request: (t) => json('DELETE', `/api/v1/contacts/${t.contactId}`),
    expect: 'item',
  },
  'POST /api/v1/contacts/:id/numbers': {
    request: (t) =>
      json('POST', `/api/v1/contacts/${t.contactId}/numbers`, { number: '(212) 555-0999', kind: 'mobile' }),
    expect: 'item',
  },
  'DELETE /api/v1/contacts/:id/numbers/:numberId': {
    request: (t) => json('DELETE', `/api/v1/contacts/${t.contactId}/numbers/${t.numberId}`),
    expect: 'item',
  },
  'POST /api/v1/contacts/:id/snooze': {
    request: (t) => json('POST', `/api/v1/contacts/${t.contactId}/snooze`, { until: 'in two weeks' }),
    expect: 'item',
  },
  'POST /api/v1/dnc': {
    request: (t) => json('POST', '/api/v1/dnc', { target: String(t.contactId) }),
    expect: 'item',
  },
  'POST /api/v1/attempts': {
    request: (t) => json('POST', '/api/v1/attempts', { contactId: t.contactId, outcome: 'no_answer' }),
    expect: 'item',
  },
  'POST /api/v1/skips': {
    request: (t) => json('POST', '/api/v1/skips', { contactId: t.contactId, reason: 'not_now' }),
    expect: 'item',
  },
  'GET /api/v1/contacts/:id/voicemails': {
    request: (t) => json('GET', `/api/v1/contacts/${t.contactId}/voicemails`),
    expect: 'item',
  },
  'GET /api/v1/contacts/:id/timeline': {
    request: (t) => json('GET', `/api/v1/contacts/${t.contactId}/timeline`),
    expect: 'item',
  },
  'GET /api/v1/stats': {
    // One call by each target's owner: the stats list a user only when the actor answers for them.
    prepare: async (store, t) => {
      await store.db
        .insertInto('attempts')
        .values({
          workspace_id: (
            await store.db
              .selectFrom('contacts')
              .select('workspace_id')
              .where('id', '=', t.contactId)
              .executeTakeFirstOrThrow()
          ).workspace_id,
          contact_id: t.contactId,
          campaign_id: t.campaignId,
          enrollment_id: t.enrollmentId,
          user_id: t.ownerId,
          started_at: MONDAY_10 - 60 * 60_000,
          outcome: 'no_answer',
          created_at: MONDAY_10,
        })
        .execute();
    },
    request: () => json('GET', '/api/v1/stats'),
    expect: 'list',
    ids: (body) => (body as { users: { userId: number }[] }).users.map((u) => u.userId),
    idOf: (t) => t.ownerId,
  },
  'POST /api/v1/screen': {
    request: (t) => json('POST', '/api/v1/screen', { number: t.number }),
    expect: 'named',
    named: (body) => {
      const contact = (body as { contact: { id: number } | null }).contact;
      return contact ? [contact.id] : [];
    },
  },
  'GET /api/v1/queue': {
    request: () => json('GET', '/api/v1/queue?limit=100'),
    expect: 'list',
    ids: queueContactIds,
    listed: ownOnly,
  },
  'POST /api/v1/queue': {
    request: () => json('POST', '/api/v1/queue', { limit: 100 }),
    expect: 'list',
    ids: queueContactIds,
    listed: ownOnly,
  },
};

const SCOPED = new Set(['contact', 'campaign', 'enrollment', 'appointment', 'user']);
const keyOf = (r: RouteRule) => `${r.method} ${r.url}`;
const RANK: Record<Role, number> = { rep: 0, manager: 1, admin: 2 };

let serial = 0;

async function seedMatrix(store: Store): Promise<Omit<World, 'tokens'>> {
  const hash = await hashPassword('unused-password-1234');
  const ws = async (name: string) =>
    (
      await store.db
        .insertInto('workspaces')
        .values({ name, created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const w1 = await ws('Main');
  const w2 = await ws('Elsewhere');
  const team = async (workspaceId: number, name: string) =>
    (
      await store.db
        .insertInto('teams')
        .values({ workspace_id: workspaceId, name, created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const t1 = await team(w1, 'East');
  const t2 = await team(w1, 'West');
  const t3 = await team(w2, 'Far');
  const user = (workspaceId: number, teamId: number | null, email: string, role: Role) =>
    store.db
      .insertInto('users')
      .values({
        workspace_id: workspaceId,
        team_id: teamId,
        email,
        name: email,
        role,
        password_hash: hash,
        created_at: 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  const users = {
    rep: await user(w1, t1, 'rae@ex.test', 'rep'),
    teammate: await user(w1, t1, 'rob@ex.test', 'rep'),
    manager: await user(w1, t1, 'meg@ex.test', 'manager'),
    otherTeam: await user(w1, t2, 'ray@ex.test', 'rep'),
    admin: await user(w1, null, 'ada@ex.test', 'admin'),
    elsewhere: await user(w2, t3, 'eve@other.test', 'rep'),
  };
  const campaign = async (workspaceId: number, teamId: number, name: string) =>
    (
      await store.db
        .insertInto('campaigns')
        .values({
          workspace_id: workspaceId,
          name,
          kind: 'sales',
          urgency: 'normal',
          policy: '{}',
          scripts: '{}',
          team_id: teamId,
          created_by: null,
          created_at: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const east = await campaign(w1, t1, 'East list');
  const west = await campaign(w1, t2, 'West list');
  const far = await campaign(w2, t3, 'Far list');
  return {
    teams: { own: t1, teammate: t1, 'other-team': t2, 'other-workspace': t3 },
    users,
    campaigns: { own: east, teammate: east, 'other-team': west, 'other-workspace': far },
    owners: {
      own: users.rep,
      teammate: users.teammate,
      'other-team': users.otherTeam,
      'other-workspace': users.elsewhere,
    },
  };
}

/** A fresh contact of an ownership: owned by that user, with a number, enrolled in their team's campaign. */
async function makeTarget(store: Store, world: World, ownership: Ownership): Promise<Target> {
  const owner = world.owners[ownership];
  const n = ++serial;
  const contact = await store.db
    .insertInto('contacts')
    .values({
      workspace_id: owner.workspace_id,
      first_name: 'Target',
      last_name: `${ownership} ${n}`,
      time_zone: 'America/New_York',
      owner_id: owner.id,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Its own exchange: the imports above take 212-555-3000 on, however many targets there are.
  const e164 = `+1718555${String(n).padStart(4, '0')}`;
  const number = await store.db
    .insertInto('numbers')
    .values({
      workspace_id: owner.workspace_id,
      e164,
      country: 'US',
      valid: 1,
      created_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto('contact_numbers')
    .values({ contact_id: contact.id, number_id: number.id, kind: 'direct', source: 'manual', created_at: 0 })
    .execute();
  const enrollment = await store.db
    .insertInto('enrollments')
    .values({
      workspace_id: owner.workspace_id,
      campaign_id: world.campaigns[ownership],
      contact_id: contact.id,
      owner_id: owner.id,
      state: 'new',
      due_kind: 'fresh',
      next_due_at: 0,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const appointment = await store.db
    .insertInto('appointments')
    .values({
      workspace_id: owner.workspace_id,
      enrollment_id: enrollment.id,
      contact_id: contact.id,
      user_id: owner.id,
      starts_at: MONDAY_10 + 24 * 60 * 60_000,
      title: `Call target ${n}`,
      status: 'scheduled',
      uid: `target-${n}@ringback.test`,
      created_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    ownership,
    appointmentId: appointment.id,
    contactId: contact.id,
    numberId: number.id,
    number: e164,
    enrollmentId: enrollment.id,
    ownerId: owner.id,
    campaignId: world.campaigns[ownership],
  };
}

describe('the authorization matrix', () => {
  it('has a case for every scoped route of the route table', () => {
    const missing = ROUTES.filter((r) => SCOPED.has(r.scope) && !CASES[keyOf(r)]).map(keyOf);
    expect(missing, 'scoped routes without a matrix case in test/server/authorization.test.ts').toEqual([]);
    const stale = Object.keys(CASES).filter((k) => !ROUTES.some((r) => keyOf(r) === k));
    expect(stale).toEqual([]);
  });
});

for (const { name, create } of DATABASES) {
  describe(`authorization on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      const seeded = await seedMatrix(store);
      world = {
        ...seeded,
        tokens: {
          rep: await tokenFor(store, seeded.users.rep),
          manager: await tokenFor(store, seeded.users.manager),
          admin: await tokenFor(store, seeded.users.admin),
          outsider: await tokenFor(store, seeded.users.elsewhere),
        },
      };
      app = await appOver(store);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const send = (actor: ActorName, options: InjectOptions) =>
      app.inject({
        ...options,
        headers: { ...options.headers, authorization: `Bearer ${world.tokens[actor]}` },
      });

    for (const route of ROUTES as readonly RouteRule[]) {
      const key = keyOf(route);
      const access = route.access;
      if (access === 'manager' || access === 'admin') {
        it(`${key}: refuses roles below ${access}`, async () => {
          for (const actor of ACTORS.filter((a) => RANK[ROLE_OF[a]] < RANK[access])) {
            const res = await send(actor, { method: route.method, url: route.url.replace(/:\w+/g, '1') });
            expect(res.statusCode, `${actor} on ${key}`).toBe(403);
          }
        });
      }
      const c = CASES[key];
      if (!c) continue;
      it(`${key}: each role reaches exactly what it may, by ownership`, async () => {
        for (const actor of ACTORS) {
          if ((access === 'manager' || access === 'admin') && RANK[ROLE_OF[actor]] < RANK[access]) continue;
          if (c.expect === 'list') {
            const targets = new Map<Ownership, Target>();
            for (const ownership of OWNERSHIPS)
              targets.set(ownership, await makeTarget(store, world, ownership));
            for (const target of targets.values()) await c.prepare?.(store, target);
            const res = await send(actor, c.request(targets.get('own')!, world));
            expect(res.statusCode, `${actor} on ${key}: ${res.body}`).toBeLessThan(300);
            const ids = new Set(c.ids!(res.json()));
            for (const [ownership, target] of targets) {
              const shouldList = c.listed
                ? c.listed(actor, ownership)
                : (c.sees ?? SEES)[actor].has(ownership);
              const id = c.idOf ? c.idOf(target) : target.contactId;
              expect(ids.has(id), `${actor} listing ${ownership} on ${key}`).toBe(shouldList);
            }
            continue;
          }
          for (const ownership of OWNERSHIPS) {
            const target = await makeTarget(store, world, ownership);
            await c.prepare?.(store, target);
            const res = await send(actor, c.request(target, world));
            const sees = (c.sees ?? SEES)[actor].has(ownership);
            const label = `${actor} on ${ownership} via ${key}: ${res.statusCode} ${res.body.slice(0, 200)}`;
            if (c.expect === 'named') {
              expect(res.statusCode, label).toBe(200);
              expect(c.named!(res.json()), label).toEqual(sees ? [target.contactId] : []);
              continue;
            }
            if (sees) expect(res.statusCode, label).toBeLessThan(300);
            else expect(res.statusCode, label).toBe(c.expect === 'owner' ? 422 : 404);
          }
        }
      });
    }
  });
}

/**
 * Writes that reach past the contact they start from: the shared pool lets a rep see a
 * contact, not work its colleagues' enrollments, take a colleague's contact, or delete other
 * reps' call history with it.
 */
for (const { name, create } of DATABASES) {
  describe(`writes check what they change, not only the contact, on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    /** A campaign shared with the whole workspace, for the actors' own enrollments. */
    let side: number;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      const seeded = await seedMatrix(store);
      world = {
        ...seeded,
        tokens: {
          rep: await tokenFor(store, seeded.users.rep),
          manager: await tokenFor(store, seeded.users.manager),
          admin: await tokenFor(store, seeded.users.admin),
          outsider: await tokenFor(store, seeded.users.elsewhere),
        },
      };
      side = (
        await store.db
          .insertInto('campaigns')
          .values({
            workspace_id: seeded.users.rep.workspace_id,
            name: 'Side list',
            kind: 'sales',
            urgency: 'normal',
            policy: '{}',
            scripts: '{}',
            team_id: null,
            created_at: 0,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      app = await appOver(store);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const send = (actor: ActorName, options: InjectOptions) =>
      app.inject({
        ...options,
        headers: { ...options.headers, authorization: `Bearer ${world.tokens[actor]}` },
      });

    /** A contact of an ownership moved to the shared pool (no owner); its enrollment stays its owner's. */
    const poolTarget = async (ownership: Ownership) => {
      const target = await makeTarget(store, world, ownership);
      await store.db
        .updateTable('contacts')
        .set({ owner_id: null })
        .where('id', '=', target.contactId)
        .execute();
      return target;
    };
    const attemptsOn = async (contactId: number) =>
      (await store.db.selectFrom('attempts').select('id').where('contact_id', '=', contactId).execute())
        .length;

    it("refuses a rep logging a call on a pool contact's enrollment that a colleague works", async () => {
      const results: [ActorName, Ownership, number][] = [];
      for (const actor of ['rep', 'manager', 'admin'] as const) {
        for (const ownership of ['own', 'teammate', 'other-team'] as const) {
          const target = await poolTarget(ownership);
          const res = await send(
            actor,
            json('POST', '/api/v1/attempts', { contactId: target.contactId, outcome: 'no_answer' }),
          );
          results.push([actor, ownership, res.statusCode]);
          const worked = SEES[actor].has(ownership);
          expect(await attemptsOn(target.contactId), `${actor} on ${ownership}: ${res.body}`).toBe(
            worked ? 1 : 0,
          );
          if (!worked) {
            expect(res.json().detail).toBe(
              `contact ${target.contactId} is enrolled only in campaigns other reps work; you cannot log calls there`,
            );
          }
        }
      }
      expect(results.map(([a, o, s]) => `${a}/${o}:${s}`)).toEqual([
        'rep/own:201',
        'rep/teammate:422',
        'rep/other-team:422',
        'manager/own:201',
        'manager/teammate:201',
        'manager/other-team:422',
        'admin/own:201',
        'admin/teammate:201',
        'admin/other-team:201',
      ]);
    });

    it("refuses a rep making themselves owner of a colleague's contact they see through their own enrollment", async () => {
      for (const actor of ['rep', 'manager', 'admin'] as const) {
        for (const ownership of ['teammate', 'other-team'] as const) {
          const target = await makeTarget(store, world, ownership);
          // The actor works this contact in a campaign of their own, so they see it.
          await store.db
            .insertInto('enrollments')
            .values({
              workspace_id: world.users.rep.workspace_id,
              campaign_id: side,
              contact_id: target.contactId,
              owner_id: world.users[actor].id,
              state: 'new',
              due_kind: 'fresh',
              next_due_at: 0,
              created_at: 0,
              updated_at: 0,
            })
            .execute();
          const seen = await send(actor, json('GET', `/api/v1/contacts/${target.contactId}`));
          expect(seen.statusCode).toBe(200);
          for (const ownerId of [world.users[actor].id, null]) {
            const res = await send(actor, json('PATCH', `/api/v1/contacts/${target.contactId}`, { ownerId }));
            const owner = await store.db
              .selectFrom('contacts')
              .select('owner_id')
              .where('id', '=', target.contactId)
              .executeTakeFirstOrThrow();
            const label = `${actor} taking ${ownership}'s contact (${String(ownerId)}): ${res.body.slice(0, 200)}`;
            if (SEES[actor].has(ownership)) {
              expect(res.statusCode, label).toBe(200);
              expect(owner.owner_id).toBe(ownerId);
              break;
            }
            expect(res.statusCode, label).toBe(422);
            expect(res.json().errors, label).toEqual([
              {
                path: '/ownerId',
                message: `contact ${target.contactId} belongs to another rep; only they, their manager or an admin can give it to someone else`,
              },
            ]);
            expect(owner.owner_id).toBe(target.ownerId);
          }
        }
      }
    });

    it('refuses a rep deleting a pool contact that carries other reps’ calls, and keeps every call', async () => {
      const outcomes: string[] = [];
      for (const actor of ['rep', 'manager', 'admin'] as const) {
        for (const ownership of ['own', 'teammate', 'other-team'] as const) {
          const target = await poolTarget(ownership);
          await store.db
            .insertInto('attempts')
            .values({
              workspace_id: world.users.rep.workspace_id,
              enrollment_id: target.enrollmentId,
              campaign_id: target.campaignId,
              contact_id: target.contactId,
              user_id: target.ownerId,
              started_at: MONDAY_10 - 86_400_000,
              outcome: 'voicemail_left',
              created_at: MONDAY_10 - 86_400_000,
            })
            .execute();
          const res = await send(actor, json('DELETE', `/api/v1/contacts/${target.contactId}`));
          outcomes.push(`${actor}/${ownership}:${res.statusCode}`);
          const kept = await attemptsOn(target.contactId);
          if (SEES[actor].has(ownership)) expect(kept).toBe(0);
          else {
            expect(res.json().detail).toBe(
              `contact ${target.contactId} has calls or campaigns of other reps; their manager or an admin can delete it`,
            );
            expect(kept).toBe(1);
          }
        }
      }
      expect(outcomes).toEqual([
        'rep/own:204',
        'rep/teammate:422',
        'rep/other-team:422',
        'manager/own:204',
        'manager/teammate:204',
        'manager/other-team:422',
        'admin/own:204',
        'admin/teammate:204',
        'admin/other-team:204',
      ]);
    });
  });
}
