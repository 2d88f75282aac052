/**
 * The queue reads each of its lists a page at a time (store/queue-repo.ts): these check that
 * what it hands out is what ordering every candidate would give, when the first page is not
 * enough — more overdue retries of lower priority than the block has slots, a page of contacts
 * outside their calling hours, more callbacks than slots, fresh prospects enrolled out of id order.
 * Half the enrollments are the user's own and half unassigned, so the two reads are merged too.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importContacts } from '../src/app/import/import-contacts.js';
import { buildQueue } from '../src/app/queue.js';
import type { Store } from '../src/store/db.js';
import type { User } from '../src/store/schema.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

// Monday 23 Nov 2026, 10:00 in New York; midnight in Tokyo.
const MONDAY_10 = Date.UTC(2026, 10, 23, 15, 0);
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'ringback-queue-lists-'));

interface World {
  store: Store;
  ana: User;
  /** Enrollment ids by the contact's last name ("0", "1", …). */
  enrollment: (last: number) => Promise<number>;
}

for (const { name, create } of DATABASES) {
  describe(`queue lists on ${name}`, () => {
    const databases: TestDatabase[] = [];
    const stores: Store[] = [];
    afterAll(async () => {
      for (const s of stores) await s.close();
      for (const d of databases) await d.drop();
    });

    /** `zones[i]` is contact i's time zone; contact i is enrolled i-th. Even ones are Ana's. */
    const world = async (zones: string[]): Promise<World> => {
      const database = await create();
      databases.push(database);
      const store = await openTestStore(database);
      stores.push(store);
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Test', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ana = await store.db
        .insertInto('users')
        .values({ workspace_id: ws.id, email: 'ana@ex.test', name: 'Ana', role: 'rep', created_at: 0 })
        .returningAll()
        .executeTakeFirstOrThrow();
      const rows = ['First Name,Last Name,Phone,Time Zone'];
      zones.forEach((zone, i) => {
        rows.push(`Person,${i},212-555-${String(1000 + i).padStart(4, '0')},${zone}`);
      });
      const file = join(dir, `${name}-${zones.length}-${Math.random().toString(36).slice(2)}.csv`);
      writeFileSync(file, `${rows.join('\n')}\n`);
      expect((await importContacts(store, { file, campaign: 'Q4', now: 0 })).created).toBe(zones.length);
      const enrollment = async (last: number) =>
        (
          await store.db
            .selectFrom('enrollments as e')
            .innerJoin('contacts as c', 'c.id', 'e.contact_id')
            .select('e.id')
            .where('c.last_name', '=', String(last))
            .executeTakeFirstOrThrow()
        ).id;
      for (let i = 0; i < zones.length; i += 2) {
        await store.db
          .updateTable('enrollments')
          .set({ owner_id: ana.id })
          .where('id', '=', await enrollment(i))
          .execute();
      }
      return { store, ana, enrollment };
    };

    /** Puts contact `last`'s enrollment in the queue as given (no fresh prospects unless left new). */
    const schedule = async (
      w: World,
      last: number,
      set: { due_kind: 'retry' | 'callback' | 'appointment'; next_due_at: number; priority?: number },
    ) => {
      await w.store.db
        .updateTable('enrollments')
        .set({
          state: set.due_kind === 'appointment' ? 'appointment' : 'active',
          due_kind: set.due_kind,
          next_due_at: set.next_due_at,
          priority: set.priority ?? 10,
          attempt_count: 1,
        })
        .where('id', '=', await w.enrollment(last))
        .execute();
    };
    const queue = (w: World, limit: number) =>
      buildQueue(w.store, { user: w.ana, campaignId: null, now: MONDAY_10, limit, leaseUntil: null });
    const names = (items: Awaited<ReturnType<typeof queue>>) => items.map((i) => i.contact.name);

    it('takes due retries by priority even when more lower-priority retries are longer overdue', async () => {
      const w = await world(Array.from({ length: 36 }, () => 'America/New_York'));
      // 30 normal-priority retries three days overdue, 6 high-priority ones due an hour ago.
      for (let i = 0; i < 30; i++) {
        await schedule(w, i, { due_kind: 'retry', next_due_at: MONDAY_10 - 72 * HOUR + i, priority: 10 });
      }
      for (let i = 30; i < 36; i++) {
        await schedule(w, i, { due_kind: 'retry', next_due_at: MONDAY_10 - HOUR + i, priority: 20 });
      }
      const items = await queue(w, 4);
      expect(items.map((i) => i.reason)).toEqual(['retry', 'retry', 'retry', 'retry']);
      expect(names(items)).toEqual(['Person 30', 'Person 31', 'Person 32', 'Person 33']);
      const all = await queue(w, 36);
      expect(names(all).slice(0, 8)).toEqual([
        'Person 30',
        'Person 31',
        'Person 32',
        'Person 33',
        'Person 34',
        'Person 35',
        'Person 0',
        'Person 1',
      ]);
    });

    it('reads further into the retries when the longest overdue are outside their calling hours', async () => {
      // Midnight in Tokyo: the 20 Tokyo contacts, longest overdue, must wait; the New York ones not.
      const zones = [
        ...Array.from({ length: 20 }, () => 'Asia/Tokyo'),
        'America/New_York',
        'America/New_York',
      ];
      const w = await world(zones);
      for (let i = 0; i < zones.length; i++) {
        await schedule(w, i, { due_kind: 'retry', next_due_at: MONDAY_10 - 48 * HOUR + i });
      }
      const items = await queue(w, 2);
      expect(names(items)).toEqual(['Person 20', 'Person 21']);
      expect(items[0]!.localTime).toMatchObject({ zone: 'America/New_York', time: '10:00' });
    });

    it('puts every due appointment before callbacks that are longer overdue', async () => {
      const w = await world(Array.from({ length: 17 }, () => 'America/New_York'));
      for (let i = 0; i < 15; i++) {
        await schedule(w, i, { due_kind: 'callback', next_due_at: MONDAY_10 - 24 * HOUR + i });
      }
      await schedule(w, 15, { due_kind: 'appointment', next_due_at: MONDAY_10 + 5 * 60_000 });
      await schedule(w, 16, { due_kind: 'appointment', next_due_at: MONDAY_10 });
      const items = await queue(w, 3);
      expect(items.map((i) => i.reason)).toEqual(['appointment', 'appointment', 'callback']);
      expect(names(items)).toEqual(['Person 16', 'Person 15', 'Person 0']);
    });

    it('keeps an overdue callback or appointment waiting while it is night in the contact’s zone', async () => {
      const w = await world(['Asia/Tokyo', 'Asia/Tokyo', 'America/New_York']);
      await schedule(w, 0, { due_kind: 'callback', next_due_at: MONDAY_10 - 24 * HOUR });
      await schedule(w, 1, { due_kind: 'appointment', next_due_at: MONDAY_10 - HOUR });
      await schedule(w, 2, { due_kind: 'callback', next_due_at: MONDAY_10 - 24 * HOUR + 1 });
      // Midnight in Tokyo.
      expect(names(await queue(w, 5))).toEqual(['Person 2']);
      // 09:00 in Tokyo (19:00 in New York): both Tokyo calls, the appointment first.
      const morning = await buildQueue(w.store, {
        user: w.ana,
        campaignId: null,
        now: MONDAY_10 + 9 * HOUR,
        limit: 5,
        leaseUntil: null,
      });
      expect(names(morning)).toEqual(['Person 1', 'Person 0', 'Person 2']);
    });

    it('offers the fresh prospects enrolled first, whatever their ids', async () => {
      const w = await world(Array.from({ length: 20 }, () => 'America/New_York'));
      // Enrolled in the reverse order of their ids (an import of older records, say).
      for (let i = 0; i < 20; i++) {
        await w.store.db
          .updateTable('enrollments')
          .set({ created_at: 1_000 * (20 - i) })
          .where('id', '=', await w.enrollment(i))
          .execute();
      }
      const items = await queue(w, 3);
      expect(items.map((i) => i.reason)).toEqual(['fresh', 'fresh', 'fresh']);
      expect(names(items)).toEqual(['Person 19', 'Person 18', 'Person 17']);
    });
  });
}
