/**
 * What the call card reads from the queue, on both databases: the attempt limit, the calling
 * window as it stands, the last three attempts (newest first) with their notes and who made
 * them, and the opener, gatekeeper line and voicemail side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logAttempt } from '../src/app/log-attempt.js';
import { buildQueue } from '../src/app/queue.js';
import type { Store } from '../src/store/db.js';
import { type ScreeningWorld, screeningWorld } from './screening-support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const DAY = 24 * 3_600_000;
// Monday 16 Nov 2026, 10:00 in New York, and the Mondays after.
const MONDAY_10 = Date.parse('2026-11-16T15:00:00Z');

for (const { name, create } of DATABASES) {
  describe(`the call card's queue item on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let w: ScreeningWorld;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      const notes = ['first try', 'reception: try mornings', 'rang out', 'fourth: nobody'];
      for (const [i, note] of notes.entries()) {
        await logAttempt(store, {
          user: w.rex,
          contactId: w.dana,
          outcome: 'no_answer',
          at: MONDAY_10 + i * DAY,
          note,
        });
      }
    });
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it('carries the attempt limit, the window in words, the last three attempts and every script', async () => {
      const now = MONDAY_10 + 14 * DAY;
      const items = await buildQueue(store, {
        user: w.rex,
        campaignId: null,
        now,
        limit: 10,
        leaseUntil: null,
      });
      const dana = items.find((i) => i.contact.id === w.dana)!;
      expect(dana).toBeDefined();
      expect(dana.attempts).toBe(4);
      expect(dana.attemptLimit).toBe(7);
      expect(dana.window).toEqual({ open: true, text: 'Inside their calling hours until 17:00 (7 h left)' });
      expect(dana.recent.map((a) => [a.note, a.words, a.by])).toEqual([
        ['fourth: nobody', 'No answer', 'Rex'],
        ['rang out', 'No answer', 'Rex'],
        ['reception: try mornings', 'No answer', 'Rex'],
      ]);
      expect(dana.scripts.opener).not.toBe('');
      expect(dana.scripts.gatekeeper).not.toBe('');
      expect(dana.scripts.voicemail === null).toBe(!dana.voicemail.leave);
      const fresh = items.find((i) => i.contact.id === w.pat)!;
      expect(fresh.recent).toEqual([]);
    });
  });
}
