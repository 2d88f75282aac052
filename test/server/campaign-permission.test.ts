/**
 * Who creates campaigns, on both databases: managers and admins, through the API and through
 * an import's campaign field alike; a rep's import naming a campaign that does not exist or is
 * not shared with them is refused whole (nothing imported, nothing created), and a campaign
 * name is bounded wherever it is given.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/app/passwords.js';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import {
  ADMIN_PASSWORD,
  appOver,
  expectProblem,
  multipartBody,
  REP_PASSWORD,
  type SignedIn,
  seedWorld,
  signIn,
  type World,
} from './support.js';

for (const { name, create } of DATABASES) {
  describe(`creating campaigns on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let rep: SignedIn;
    let admin: SignedIn;
    let manager: SignedIn;
    let teamId: number;
    let managerId: number;
    let rows = 0;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store);
      const ws = world.admin.workspace_id;
      const [mine, other] = await store.db
        .insertInto('teams')
        .values([
          { workspace_id: ws, name: 'East', created_at: 0 },
          { workspace_id: ws, name: 'West', created_at: 0 },
        ])
        .returning('id')
        .execute();
      teamId = mine!.id;
      await store.db.updateTable('users').set({ team_id: teamId }).where('id', '=', world.rep.id).execute();
      const meg = await store.db
        .insertInto('users')
        .values({
          workspace_id: ws,
          team_id: teamId,
          email: 'meg@ex.test',
          name: 'Meg',
          role: 'manager',
          password_hash: await hashPassword('meg-password-long-enough'),
          created_at: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      managerId = meg.id;
      await store.db
        .insertInto('campaigns')
        .values({
          workspace_id: ws,
          name: 'West only',
          kind: 'sales',
          urgency: 'normal',
          team_id: other!.id,
          policy: '{}',
          scripts: '{}',
          created_at: 0,
        })
        .execute();
      app = await appOver(store);
      rep = await signIn(app, 'rex@ex.test', REP_PASSWORD);
      admin = await signIn(app, 'ada@ex.test', ADMIN_PASSWORD);
      manager = await signIn(app, 'meg@ex.test', 'meg-password-long-enough');
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const importAs = (who: SignedIn, campaign: string) => {
      rows++;
      const body = multipartBody(
        { campaign },
        {
          name: 'people.csv',
          content: `First Name,Last Name,Phone\nImported,Person ${rows},212-555-${String(4000 + rows).padStart(4, '0')}\n`,
        },
      );
      return app.inject({
        method: 'POST',
        url: '/api/v1/imports',
        headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken, ...body.headers },
        payload: body.payload,
      });
    };
    const campaignNames = async () =>
      (await store.db.selectFrom('campaigns').select('name').orderBy('id').execute()).map((c) => c.name);
    const contactCount = async () =>
      Number(
        (
          await store.db
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("refuses a rep's import naming a campaign that does not exist, creating nothing", async () => {
      const [before, contacts] = [await campaignNames(), await contactCount()];
      const res = await importAs(rep, 'Rex’s own list');
      expect(expectProblem(res, 422).detail).toBe(
        'campaign: there is no campaign "Rex’s own list" shared with you (managers and admins create campaigns)',
      );
      expect(await campaignNames()).toEqual(before);
      expect(await contactCount()).toBe(contacts);
    });

    it("refuses a rep's import into another team's campaign, enrolling nobody there", async () => {
      const res = await importAs(rep, 'West only');
      expect(expectProblem(res, 422).detail).toMatch(
        /^campaign: there is no campaign "West only" shared with you/,
      );
      const enrolled = await store.db
        .selectFrom('enrollments as e')
        .innerJoin('campaigns as k', 'k.id', 'e.campaign_id')
        .select('e.id')
        .where('k.name', '=', 'West only')
        .execute();
      expect(enrolled).toEqual([]);
    });

    it('lets a rep import into a campaign shared with them', async () => {
      const res = await importAs(rep, 'Q4');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().created).toBe(1);
    });

    it('lets a manager create a campaign by import, shared with their team', async () => {
      const res = await importAs(manager, 'East spring');
      expect(res.statusCode, res.body).toBe(200);
      const created = await store.db
        .selectFrom('campaigns')
        .select(['team_id', 'created_by'])
        .where('name', '=', 'East spring')
        .executeTakeFirstOrThrow();
      expect(created).toEqual({ team_id: teamId, created_by: managerId });
    });

    it('refuses a rep creating a campaign through the API', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/campaigns',
        headers: { cookie: rep.cookie, 'x-csrf-token': rep.csrfToken },
        payload: { name: 'Mine' },
      });
      expectProblem(res, 403);
    });

    it('bounds campaign names at 200 characters through the API and the import, naming the field', async () => {
      const before = await campaignNames();
      const long = 'x'.repeat(10_000);
      const byImport = await importAs(admin, long);
      expect(expectProblem(byImport, 422).detail).toBe(
        'campaign: a campaign name has at most 200 characters (this one has 10000)',
      );
      const byApi = await app.inject({
        method: 'POST',
        url: '/api/v1/campaigns',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
        payload: { name: 'y'.repeat(201), topic: 'spring pricing' },
      });
      expect((expectProblem(byApi, 400).errors as { path: string }[]).map((e) => e.path)).toEqual(['/name']);
      expect(await campaignNames()).toEqual(before);
    });
  });
}
