/**
 * `GET /api/v1/stats` over real HTTP on both databases, with known calls: Rex's voicemails,
 * a conversation and a call block on Tuesday, the callbacks screening credits to them on
 * Wednesday, a voicemail experiment, and his teammate's and another team's calls — each role
 * sees exactly the calls of the users it answers for.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logAttempt } from '../../src/app/log-attempt.js';
import { screenInbound } from '../../src/app/screen.js';
import type { StatsJson } from '../../src/contracts/insights.js';
import { buildApp } from '../../src/server/build-app.js';
import type { Store } from '../../src/store/db.js';
import type { Outcome, Role, User } from '../../src/store/schema.js';
import {
  DANA_DIRECT,
  MINUTE,
  type ScreeningWorld,
  screeningWorld,
  TUESDAY_11,
  UNKNOWN,
  WEDNESDAY_10,
} from '../screening-support.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { tokenFor } from './support.js';

const TUESDAY_0 = '2026-11-24T05:00:00.000Z';
const THURSDAY_0 = '2026-11-26T05:00:00.000Z';
const PERIOD = `from=${TUESDAY_0}&to=${THURSDAY_0}`;

interface World extends ScreeningWorld {
  users: Record<'rob' | 'meg' | 'ada' | 'ray', User>;
  tokens: Record<'rex' | 'meg' | 'ada', string>;
  q4: number;
  trial: number;
  westTeam: number;
}

async function seed(store: Store): Promise<World> {
  const w = await screeningWorld(store);
  const db = store.db;
  const team = async (name: string) =>
    (
      await db
        .insertInto('teams')
        .values({ workspace_id: 1, name, created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const east = await team('East');
  const west = await team('West');
  await db.updateTable('users').set({ team_id: east }).where('id', '=', w.rex.id).execute();
  const rex = { ...w.rex, team_id: east };
  const user = (email: string, role: Role, teamId: number | null) =>
    db
      .insertInto('users')
      .values({ workspace_id: 1, team_id: teamId, email, name: email.split('@')[0]!, role, created_at: 0 })
      .returningAll()
      .executeTakeFirstOrThrow();
  const users = {
    rob: await user('rob@ex.test', 'rep', east),
    meg: await user('meg@ex.test', 'manager', east),
    ada: await user('ada@ex.test', 'admin', null),
    ray: await user('ray@ex.test', 'rep', west),
  };
  const q4 = (
    await db.selectFrom('campaigns').select('id').where('name', '=', 'Q4').executeTakeFirstOrThrow()
  ).id;
  const trial = (
    await db
      .insertInto('campaigns')
      .values({
        workspace_id: 1,
        name: 'Trial',
        kind: 'sales',
        urgency: 'normal',
        policy: JSON.stringify({ voicemail: 'experiment' }),
        scripts: '{}',
        team_id: null,
        created_by: rex.id,
        created_at: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  return {
    ...w,
    rex,
    users,
    tokens: {
      rex: await tokenFor(store, rex),
      meg: await tokenFor(store, users.meg),
      ada: await tokenFor(store, users.ada),
    },
    q4,
    trial,
    westTeam: west,
  };
}

/** An attempt stored as logging would store it, for the calls the test does not need the cadence for. */
async function attempt(
  store: Store,
  v: {
    user: number;
    contact: number;
    campaign: number;
    enrollment: number | null;
    outcome: Outcome;
    at: number;
  },
): Promise<number> {
  const row = await store.db
    .insertInto('attempts')
    .values({
      workspace_id: 1,
      enrollment_id: v.enrollment,
      campaign_id: v.campaign,
      contact_id: v.contact,
      user_id: v.user,
      started_at: v.at,
      outcome: v.outcome,
      voicemail_left: v.outcome === 'voicemail_left' ? 1 : 0,
      created_at: v.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function inbound(
  store: Store,
  v: { user: number; contact: number; attempt: number | null; at: number },
) {
  await store.db
    .insertInto('screening_decisions')
    .values({
      workspace_id: 1,
      user_id: v.user,
      caller_raw: 'x',
      contact_id: v.contact,
      action: 'ring',
      reason: v.attempt ? 'callback_list' : 'not_in_block',
      attempt_id: v.attempt,
      decided_at: v.at,
    })
    .execute();
}

/** Trial's five people, owned by Rex: three in the arm that leaves voicemails, two in the one that does not. */
async function seedExperiment(store: Store, w: World): Promise<void> {
  const outcomes: [Outcome, 'leave' | 'skip', boolean][] = [
    ['voicemail_left', 'leave', true],
    ['voicemail_left', 'leave', false],
    ['connected', 'leave', false],
    ['no_answer', 'skip', true],
    ['appointment_set', 'skip', false],
  ];
  for (const [i, [outcome, arm, callsBack]] of outcomes.entries()) {
    const contact = (
      await store.db
        .insertInto('contacts')
        .values({
          workspace_id: 1,
          first_name: 'Trial',
          last_name: `T${i + 1}`,
          owner_id: w.rex.id,
          created_at: 0,
          updated_at: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const enrollment = (
      await store.db
        .insertInto('enrollments')
        .values({
          workspace_id: 1,
          campaign_id: w.trial,
          contact_id: contact,
          owner_id: w.rex.id,
          state: 'active',
          experiment_arm: arm,
          created_at: 0,
          updated_at: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const at = TUESDAY_11 + (15 + 5 * i) * MINUTE;
    const id = await attempt(store, { user: w.rex.id, contact, campaign: w.trial, enrollment, outcome, at });
    if (callsBack) {
      await inbound(store, {
        user: w.rex.id,
        contact,
        attempt: arm === 'leave' ? id : null,
        at: WEDNESDAY_10 + (5 + 5 * i) * MINUTE,
      });
    }
  }
}

for (const { name, create } of DATABASES) {
  describe(`stats over HTTP on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let w: World;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await seed(store);
      const rex = w.rex;
      // Rex's Tuesday: a voicemail for Dana, no answer at Sam's, a conversation with Pat, in a one-hour block.
      await store.db
        .insertInto('call_blocks')
        .values({
          workspace_id: 1,
          user_id: rex.id,
          started_at: TUESDAY_11 - 30 * MINUTE,
          planned_end_at: TUESDAY_11 + 30 * MINUTE,
          ended_at: TUESDAY_11 + 30 * MINUTE,
        })
        .execute();
      await logAttempt(store, { user: rex, contactId: w.dana, outcome: 'voicemail_left', at: TUESDAY_11 });
      await logAttempt(store, {
        user: rex,
        contactId: w.sam,
        outcome: 'no_answer',
        at: TUESDAY_11 + 5 * MINUTE,
      });
      await logAttempt(store, {
        user: rex,
        contactId: w.pat,
        outcome: 'connected',
        at: TUESDAY_11 + 10 * MINUTE,
      });
      // Monday: before the period.
      await attempt(store, {
        user: rex.id,
        contact: w.sam,
        campaign: w.q4,
        enrollment: null,
        outcome: 'no_answer',
        at: TUESDAY_11 - 24 * 60 * MINUTE,
      });
      await seedExperiment(store, w);
      // Wednesday: Dana calls back (screening credits Rex's voicemail), and a stranger calls.
      await screenInbound(store, { user: rex, callerId: DANA_DIRECT, at: WEDNESDAY_10 });
      await screenInbound(store, { user: rex, callerId: UNKNOWN, at: WEDNESDAY_10 + MINUTE });
      // His teammate Rob and Ray of the other team call too.
      await attempt(store, {
        user: w.users.rob.id,
        contact: w.sam,
        campaign: w.q4,
        enrollment: null,
        outcome: 'connected',
        at: TUESDAY_11 + 60 * MINUTE,
      });
      for (const m of [61, 62]) {
        await attempt(store, {
          user: w.users.ray.id,
          contact: w.pat,
          campaign: w.q4,
          enrollment: null,
          outcome: 'no_answer',
          at: TUESDAY_11 + m * MINUTE,
        });
      }
      app = await buildApp({ store, now: () => Date.parse(THURSDAY_0) });
      base = await app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const stats = async (who: keyof World['tokens'], query: string) => {
      const res = await fetch(`${base}/api/v1/stats?${query}`, {
        headers: { authorization: `Bearer ${w.tokens[who]}` },
      });
      return { status: res.status, body: (await res.json()) as StatsJson & { detail?: string } };
    };

    it('counts a rep’s dials, conversations, voicemails, callbacks, appointments and block pace for the period', async () => {
      const { status, body } = await stats('rex', PERIOD);
      expect(status).toBe(200);
      expect(body.period).toEqual({ from: TUESDAY_0, to: THURSDAY_0 });
      expect(body.totals).toMatchObject({
        dials: 8,
        conversations: 3,
        voicemailsLeft: 3,
        callbacksReceived: 3,
        callbacksFromVoicemail: 2,
        appointmentsSet: 1,
        conversationRate: { count: 3, of: 8, rate: 3 / 8 },
        callbackRate: { count: 2, of: 3 },
        blocks: 1,
        hours: 1,
        dialsInBlocks: 6,
        dialsPerHour: 6,
      });
      expect(body.users.map((u) => u.user)).toEqual(['Rex']);
    });

    it('credits each callback to the campaign of the voicemail that earned it', async () => {
      const { body } = await stats('rex', PERIOD);
      const rows = body.campaigns.map((c) => [
        c.campaign,
        c.dials,
        c.voicemailsLeft,
        c.callbacksReceived,
        c.callbacksFromVoicemail,
      ]);
      expect(rows).toEqual([
        ['Q4', 3, 1, 1, 1],
        ['Trial', 5, 2, 1, 1],
        ['No campaign', 0, 0, 1, 0],
      ]);
    });

    it('compares the experiment’s arms by enrollment, with the sample size of each', async () => {
      const { body } = await stats('rex', PERIOD);
      expect(body.experiments).toHaveLength(1);
      const e = body.experiments[0]!;
      expect(e.campaign).toBe('Trial');
      expect(e.leave).toMatchObject({
        enrollments: 3,
        dials: 3,
        voicemailsLeft: 2,
        callbackRate: { count: 1, of: 3 },
        conversationRate: { count: 1, of: 3 },
      });
      expect(e.skip).toMatchObject({
        enrollments: 2,
        dials: 2,
        voicemailsLeft: 0,
        callbackRate: { count: 1, of: 2 },
        conversationRate: { count: 1, of: 2 },
      });
      expect(e.callbacks.verdict).toBe('too_few');
    });

    it('shows a manager the team’s calls and an admin the workspace’s, never more', async () => {
      const manager = await stats('meg', PERIOD);
      expect(manager.body.users.map((u) => [u.user, u.dials])).toEqual([
        ['Rex', 8],
        ['rob', 1],
      ]);
      expect(manager.body.totals.dials).toBe(9);
      const admin = await stats('ada', PERIOD);
      expect(admin.body.users.map((u) => [u.user, u.dials])).toEqual([
        ['Rex', 8],
        ['rob', 1],
        ['ray', 2],
      ]);
      const rep = await stats('rex', `${PERIOD}&userId=${w.users.rob.id}`);
      expect(rep.status).toBe(404);
    });

    it('narrows to a user, a team or a campaign', async () => {
      const rob = await stats('meg', `${PERIOD}&userId=${w.users.rob.id}`);
      expect(rob.body.totals).toMatchObject({ dials: 1, conversations: 1, blocks: 0 });
      const west = await stats('ada', `${PERIOD}&teamId=${w.westTeam}`);
      expect(west.body.totals.dials).toBe(2);
      expect((await stats('meg', `${PERIOD}&teamId=${w.westTeam}`)).status).toBe(404);
      const trial = await stats('rex', `${PERIOD}&campaignId=${w.trial}`);
      expect(trial.body.totals).toMatchObject({ dials: 5, callbacksReceived: 1, dialsInBlocks: 3 });
      expect(trial.body.campaigns.map((c) => c.campaign)).toEqual(['Trial']);
    });

    it('defaults to the 30 days up to now, and refuses a period that ends before it starts', async () => {
      const { body } = await stats('rex', '');
      expect(body.period.to).toBe(THURSDAY_0);
      expect(body.totals.dials).toBe(9);
      const backwards = await stats('rex', `from=${THURSDAY_0}&to=${TUESDAY_0}`);
      expect(backwards.status).toBe(422);
      expect(backwards.body.detail).toMatch(/before it starts/);
      const garbage = await stats('rex', 'from=last%20tuesdayish');
      expect(garbage.status).toBe(400);
      expect(JSON.stringify(garbage.body)).toMatch(/from/);
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
        paths: Record<
          string,
          { get: { parameters: { name: string }[]; responses: Record<string, unknown> } }
        >;
      };
      const op = doc.paths['/api/v1/stats']!.get;
      expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
        'campaignId',
        'from',
        'teamId',
        'to',
        'userId',
      ]);
      expect(op.responses['200']).toBeDefined();
    });
  });
}
