/**
 * A rep's own calling hours reach the cadence: an outcome they log is followed up where the
 * contact's window and their hours meet, on both databases.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importContacts } from '../src/app/import/import-contacts.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { setMyCallingHours } from '../src/app/workspace-settings.js';
import type { Store } from '../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

// Tuesday 24 Nov 2026, 09:05 in Los Angeles (12:05 in New York).
const TUESDAY_0905_LA = Date.UTC(2026, 10, 24, 17, 5);
const dir = mkdtempSync(join(tmpdir(), 'ringback-caller-hours-'));

const inZone = (t: number, zone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(t)
    .replace(',', '');

for (const { name, create } of DATABASES) {
  describe(`a rep's own calling hours on ${name}`, () => {
    const databases: TestDatabase[] = [];
    const stores: Store[] = [];
    afterAll(async () => {
      for (const s of stores) await s.close();
      for (const d of databases) await d.drop();
    });

    async function contactInLosAngeles() {
      const database = await create();
      databases.push(database);
      const store = await openTestStore(database);
      stores.push(store);
      const ws = await store.db
        .insertInto('workspaces')
        .values({ name: 'Test', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const rep = await store.db
        .insertInto('users')
        .values({
          workspace_id: ws.id,
          email: 'nia@ex.test',
          name: 'Nia',
          role: 'rep',
          phone: '+12125550133',
          time_zone: 'America/New_York',
          created_at: 0,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const file = join(dir, `${name}-${Math.random().toString(36).slice(2)}.csv`);
      writeFileSync(
        file,
        'First Name,Last Name,Phone,Time Zone\nDana,Lee,310-555-0142,America/Los_Angeles\n',
      );
      await importContacts(store, { file, campaign: 'West', now: 0 });
      const { id } = await store.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
      return { store, rep, contactId: id };
    }

    it('plans the retry inside both the contact’s window and the rep’s hours', async () => {
      const { store, rep, contactId } = await contactInLosAngeles();
      await setMyCallingHours(store, rep, { start: '09:00', end: '14:00', days: [1, 2, 3, 4, 5] });
      const nia = await store.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', rep.id)
        .executeTakeFirstOrThrow();
      const result = await logAttempt(store, {
        user: nia,
        contactId,
        outcome: 'no_answer',
        at: TUESDAY_0905_LA,
      });

      // Under 2 hours of both remain on Tuesday, so rule 1 moves the retry to Wednesday.
      expect(result.next.reasons[0]).toContain('less than 3 hours of calling left today');
      const due = Date.parse(result.next.dueAt!);
      expect(inZone(due, 'America/Los_Angeles').slice(0, 10)).toBe('2026-11-25');
      const ny = inZone(due, 'America/New_York').slice(11);
      expect(ny >= '12:00' && ny < '14:00').toBe(true);
      const stored = await store.db.selectFrom('enrollments').select('next_due_at').executeTakeFirstOrThrow();
      expect(Number(stored.next_due_at)).toBe(due);
    });

    it('plans in the contact’s window alone when the rep set no hours', async () => {
      const { store, rep, contactId } = await contactInLosAngeles();
      const result = await logAttempt(store, {
        user: rep,
        contactId,
        outcome: 'no_answer',
        at: TUESDAY_0905_LA,
      });
      expect(result.next.reasons[0]).toContain('trying again this morning');
    });
  });
}
