/**
 * A contact's timeline over real HTTP on both databases: Rex leaves Dana a voicemail (she goes
 * on his callback list), she calls back and is put through (credited to that voicemail), she
 * leaves a message another time, an appointment is booked, and Acme's main line goes on the
 * do-not-call list — all on her timeline, newest first, and paged without repeating or
 * skipping an entry even where several share a timestamp.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logAttempt } from '../../src/app/log-attempt.js';
import { screenInbound } from '../../src/app/screen.js';
import { doNotCall } from '../../src/app/snooze-and-dnc.js';
import type { TimelineEntry, TimelineJson } from '../../src/contracts/timeline.js';
import { buildApp } from '../../src/server/build-app.js';
import type { Store } from '../../src/store/db.js';
import { insertVoicemail } from '../../src/store/telephony-repo.js';
import {
  ACME_MAIN,
  DANA_DIRECT,
  MINUTE,
  type ScreeningWorld,
  screeningWorld,
  TUESDAY_11,
  WEDNESDAY_10,
} from '../screening-support.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { tokenFor } from './support.js';

const THURSDAY_9 = WEDNESDAY_10 + 23 * 60 * MINUTE;

for (const { name, create } of DATABASES) {
  describe(`contact timeline over HTTP on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let base: string;
    let w: ScreeningWorld;
    let token: string;
    let stranger: string;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      await logAttempt(store, {
        user: w.rex,
        contactId: w.dana,
        outcome: 'voicemail_left',
        at: TUESDAY_11,
        note: 'Asked for Dana, left the intro',
      });
      await screenInbound(store, { user: w.rex, callerId: DANA_DIRECT, at: WEDNESDAY_10 });
      await insertVoicemail(store.db, {
        workspace_id: 1,
        user_id: w.rex.id,
        contact_id: w.dana,
        call_sid: 'CA1',
        recording_sid: 'RE1',
        caller_e164: DANA_DIRECT,
        recording_url: 'https://rec.example/RE1.mp3',
        duration_s: 18,
        transcription: 'Dana here, call me',
        received_at: WEDNESDAY_10 + 30 * MINUTE,
      });
      await store.db
        .insertInto('appointments')
        .values({
          workspace_id: 1,
          contact_id: w.dana,
          user_id: w.rex.id,
          starts_at: THURSDAY_9 + 60 * MINUTE,
          title: 'Renewal call',
          status: 'scheduled',
          uid: 'appt-1@ringback.test',
          created_at: WEDNESDAY_10,
        })
        .execute();
      await doNotCall(store, { user: w.rex, target: ACME_MAIN, now: THURSDAY_9, reason: 'reception asked' });
      // Three no-answers logged at the same instant: the cursor must page through the tie.
      for (let i = 0; i < 3; i++) {
        await store.db
          .insertInto('attempts')
          .values({
            workspace_id: 1,
            contact_id: w.dana,
            user_id: w.rex.id,
            started_at: TUESDAY_11 - 60 * MINUTE,
            outcome: 'no_answer',
            created_at: TUESDAY_11,
          })
          .execute();
      }
      app = await buildApp({ store, now: () => THURSDAY_9 });
      base = await app.listen({ port: 0, host: '127.0.0.1' });
      token = await tokenFor(store, w.rex);
      // Another rep of the workspace: Dana is Rex's, not his.
      const ray = await store.db
        .insertInto('users')
        .values({ workspace_id: 1, email: 'ray@ex.test', name: 'Ray', role: 'rep', created_at: 0 })
        .returningAll()
        .executeTakeFirstOrThrow();
      stranger = await tokenFor(store, ray);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const timeline = async (contactId: number, query = '', bearer = token) => {
      const res = await fetch(`${base}/api/v1/contacts/${contactId}/timeline${query}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      return { status: res.status, body: (await res.json()) as TimelineJson & { detail?: string } };
    };

    const label = (e: TimelineEntry) => `${e.kind}${e.kind === 'attempt' ? `:${e.outcome}` : ''}`;

    it('merges every kind of entry, newest first', async () => {
      const { status, body } = await timeline(w.dana);
      expect(status).toBe(200);
      expect(body.next).toBeNull();
      expect(body.entries.map(label)).toEqual([
        'appointment',
        'do_not_call',
        'voicemail',
        'inbound_call',
        'attempt:voicemail_left',
        'callback_entry',
        'attempt:no_answer',
        'attempt:no_answer',
        'attempt:no_answer',
      ]);
      const times = body.entries.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('shows who called which number, the note and the voicemail left, and credits the callback to it', async () => {
      const { body } = await timeline(w.dana);
      const left = body.entries.find((e) => e.kind === 'attempt' && e.outcome === 'voicemail_left');
      expect(left).toMatchObject({
        user: 'Rex',
        number: DANA_DIRECT,
        campaign: 'Q4',
        voicemailLeft: true,
        note: 'Asked for Dana, left the intro',
      });
      if (left?.kind !== 'attempt') throw new Error('no attempt');
      expect(left.script).toBe('intro');
      const call = body.entries.find((e) => e.kind === 'inbound_call');
      expect(call).toMatchObject({
        action: 'ring',
        from: DANA_DIRECT,
        creditedTo: { attemptId: left.id, at: new Date(TUESDAY_11).toISOString(), voicemail: true },
      });
      expect(body.entries.find((e) => e.kind === 'callback_entry')).toMatchObject({
        reason: 'voicemail_left',
        user: 'Rex',
      });
      expect(body.entries.find((e) => e.kind === 'voicemail')).toMatchObject({
        url: 'https://rec.example/RE1.mp3',
        durationSeconds: 18,
        transcription: 'Dana here, call me',
      });
      expect(body.entries.find((e) => e.kind === 'do_not_call')).toMatchObject({
        number: ACME_MAIN,
        reason: 'reception asked',
        user: 'Rex',
      });
    });

    it('pages with the cursor it returns, never repeating or skipping an entry', async () => {
      const all = (await timeline(w.dana)).body.entries.map((e) => `${e.kind}-${e.id}`);
      for (const limit of [1, 2, 4]) {
        const seen: string[] = [];
        let after: string | null = null;
        do {
          const q: string = `?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
          const { status, body } = await timeline(w.dana, q);
          expect(status).toBe(200);
          expect(body.entries.length).toBeLessThanOrEqual(limit);
          seen.push(...body.entries.map((e) => `${e.kind}-${e.id}`));
          after = body.next;
        } while (after);
        expect(seen, `limit ${limit}`).toEqual(all);
      }
    });

    it('refuses a cursor it did not make, and a contact outside the caller’s scope', async () => {
      const bad = await timeline(w.dana, '?after=yesterday');
      expect(bad.status).toBe(422);
      expect(bad.body.detail).toMatch(/not a timeline cursor/);
      expect((await timeline(w.dana, '', stranger)).status).toBe(404);
      expect((await timeline(999_999)).status).toBe(404);
    });

    it('is empty for a contact nothing happened with', async () => {
      const { body } = await timeline(w.pat);
      expect(body).toEqual({ entries: [], next: null });
    });
  });
}
