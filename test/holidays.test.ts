/**
 * The workspace holiday calendar on both databases: on by default with the workspace country's
 * public holidays, a US workspace's business contacts are not queued on Thanksgiving, 25
 * December or 1 January, and are again on the next working day; an admin removes a public
 * holiday the team works anyway and adds its own days off, over the API and the command line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHoliday, listHolidays, removeHoliday } from '../src/app/holidays.js';
import { buildQueue } from '../src/app/queue.js';
import type { Store } from '../src/store/db.js';
import { type ScreeningWorld, screeningWorld } from './screening-support.js';
import { appOver, expectProblem, tokenFor } from './server/support.js';
import { runCli } from './support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const NOW = Date.parse('2026-11-20T15:00:00Z');

for (const { name, create } of DATABASES) {
  describe(`holidays on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let w: ScreeningWorld;
    const queued = async (iso: string) =>
      (
        await buildQueue(store, {
          user: w.rex,
          campaignId: null,
          now: Date.parse(iso),
          limit: 10,
          leaseUntil: null,
        })
      )
        .map((i) => i.contact.id)
        .sort();

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
    });
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it("does not queue business contacts on the country's public holidays, with no setting needed", async () => {
      const all = [w.dana, w.sam, w.pat].sort();
      expect(await queued('2026-11-26T15:00:00Z')).toEqual([]); // Thanksgiving
      expect(await queued('2026-12-25T15:00:00Z')).toEqual([]);
      expect(await queued('2027-01-01T15:00:00Z')).toEqual([]);
      expect(await queued('2026-11-27T15:00:00Z')).toEqual(all);
      expect(await queued('2026-12-28T15:00:00Z')).toEqual(all);
      const list = await listHolidays(store, w.rex, 2026, NOW);
      expect(list.country).toBe('US');
      expect(list.days.map((d) => d.date)).toContain('2026-11-26');
      expect(list.days.find((d) => d.date === '2026-12-25')).toEqual({
        date: '2026-12-25',
        name: 'Christmas Day',
        source: 'public',
      });
    });

    it('follows the edits: a public holiday worked anyway, a day off added, a holiday brought back', async () => {
      await removeHoliday(store, w.rex, '2026-12-25', NOW);
      expect((await queued('2026-12-25T15:00:00Z')).length).toBe(3);
      expect((await listHolidays(store, w.rex, 2026, NOW)).removed).toEqual([
        { date: '2026-12-25', name: 'Christmas Day', source: 'public' },
      ]);
      // 2027's Christmas is still a holiday: only that date was removed.
      expect((await listHolidays(store, w.rex, 2027, NOW)).days.map((d) => d.date)).toContain('2027-12-24');
      await addHoliday(store, w.rex, '2026-12-28', 'Office closed', NOW);
      expect(await queued('2026-12-28T15:00:00Z')).toEqual([]);
      expect(await addHoliday(store, w.rex, '2026-12-25', undefined, NOW)).toEqual({
        date: '2026-12-25',
        name: 'Christmas Day',
        source: 'public',
      });
      expect(await queued('2026-12-25T15:00:00Z')).toEqual([]);
      await removeHoliday(store, w.rex, '2026-12-28', NOW);
      expect((await queued('2026-12-28T15:00:00Z')).length).toBe(3);
      await expect(removeHoliday(store, w.rex, '2026-12-29', NOW)).rejects.toThrow(
        "2026-12-29 is not a holiday in this workspace's calendar",
      );
      await expect(addHoliday(store, w.rex, '2026-02-30', 'Nope', NOW)).rejects.toThrow(
        '"2026-02-30" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-24',
      );
    });

    it('over the API: everyone reads the calendar, only admins change it', async () => {
      const admin = await store.db
        .insertInto('users')
        .values({ workspace_id: w.workspaceId, email: 'ada@ex.test', role: 'admin', created_at: 0 })
        .returningAll()
        .executeTakeFirstOrThrow();
      const app = await appOver(store, { now: () => NOW });
      try {
        const as = async (
          user: typeof admin,
          method: 'GET' | 'POST' | 'DELETE',
          url: string,
          payload?: object,
        ) =>
          app.inject({
            method,
            url,
            headers: { authorization: `Bearer ${await tokenFor(store, user)}` },
            ...(payload ? { payload } : {}),
          });
        const list = await as(w.rex, 'GET', '/api/v1/holidays?year=2026');
        expect(list.statusCode).toBe(200);
        expect(list.json().days).toContainEqual({
          date: '2026-07-03',
          name: 'Independence Day (observed)',
          source: 'public',
        });
        expectProblem(await as(w.rex, 'POST', '/api/v1/holidays', { date: '2026-12-31' }), 403);
        const added = await as(admin, 'POST', '/api/v1/holidays', { date: '2026-12-31', name: 'Year end' });
        expect(added.json()).toEqual({ date: '2026-12-31', name: 'Year end', source: 'custom' });
        const removed = await as(admin, 'DELETE', '/api/v1/holidays/2026-07-03');
        expect(removed.json()).toEqual({
          date: '2026-07-03',
          name: 'Independence Day (observed)',
          source: 'public',
        });
        const bad = expectProblem(await as(admin, 'DELETE', '/api/v1/holidays/2026-07-05'), 422);
        expect(bad.detail).toBe("2026-07-05 is not a holiday in this workspace's calendar");
      } finally {
        await app.close();
      }
    });

    it('from the command line: list, add and remove', async () => {
      const add = await runCli(['holidays', 'add', '2026-08-14', '--name', 'Summer party'], database.env);
      expect(add.stderr).toBe('');
      expect(add.stdout).toBe(
        '2026-08-14 (Summer party) is a holiday: business contacts are not called on it\n',
      );
      const list = await runCli(['holidays', 'list', '--year', '2026', '--json'], database.env);
      expect(JSON.parse(list.stdout).days).toContainEqual({
        date: '2026-08-14',
        name: 'Summer party',
        source: 'custom',
      });
      const remove = await runCli(['holidays', 'remove', '2026-09-07'], database.env);
      expect(remove.stdout).toBe('2026-09-07 (Labor Day) is a working day now\n');
      const wrong = await runCli(['holidays', 'remove', '2026-09-08'], database.env);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/2026-09-08 is not a holiday in this workspace's calendar/);
    });
  });
}
