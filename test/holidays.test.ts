/**
 * The workspace holiday calendar on both databases: with its country's public holidays on, a US
 * workspace's business contacts are not queued on 25 December or 1 January, and are again on
 * the next working day; the workspace may leave a holiday out and add its own days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQueue } from '../src/app/queue.js';
import type { Store } from '../src/store/db.js';
import { type ScreeningWorld, screeningWorld } from './screening-support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

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
      ).map((i) => i.contact.id);

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      await store.db
        .updateTable('workspaces')
        .set({ settings: JSON.stringify({ holidayCalendar: { country: true } }) })
        .execute();
    });
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it('does not queue business contacts on 25 December and 1 January', async () => {
      expect(await queued('2026-12-25T15:00:00Z')).toEqual([]);
      expect(await queued('2027-01-01T15:00:00Z')).toEqual([]);
      expect((await queued('2026-12-28T15:00:00Z')).sort()).toEqual([w.dana, w.sam, w.pat].sort());
    });

    it("follows the workspace's edits to its calendar", async () => {
      await store.db
        .updateTable('workspaces')
        .set({ settings: JSON.stringify({ holidayCalendar: { country: true, omit: ['Christmas Day'] } }) })
        .execute();
      expect((await queued('2026-12-25T15:00:00Z')).length).toBe(3);
      await store.db
        .updateTable('workspaces')
        .set({
          settings: JSON.stringify({
            holidayCalendar: { extra: [{ date: '2026-12-28', name: 'Office closed' }] },
          }),
        })
        .execute();
      expect(await queued('2026-12-28T15:00:00Z')).toEqual([]);
    });
  });
}
