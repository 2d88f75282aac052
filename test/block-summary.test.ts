/**
 * The block summary is the rep's report, computed on the server from what the database holds:
 * dials, conversations, voicemails left, appointments set, callbacks received, skips, pace, the
 * promises made (in the rep's zone) and the calls sent to voicemail with reasons in words. The
 * API answers the same object as the use case, on both databases.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../src/app/blocks.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { screenInbound } from '../src/app/screen.js';
import { skipCall } from '../src/app/skip.js';
import { buildApp } from '../src/server/build-app.js';
import type { Store } from '../src/store/db.js';
import {
  MINUTE,
  PAT_DIRECT,
  REX_PASSWORD,
  type ScreeningWorld,
  screeningWorld,
  TUESDAY_11,
  UNKNOWN,
  WEDNESDAY_10,
} from './screening-support.js';
import { signIn } from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

for (const { name, create } of DATABASES) {
  describe(`block summary on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let w: ScreeningWorld;
    let now = WEDNESDAY_10;
    let headers: Record<string, string>;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      // Before the block: a voicemail that puts Dana on Rex's callback list.
      await logAttempt(store, { user: w.rex, contactId: w.dana, outcome: 'voicemail_left', at: TUESDAY_11 });
      app = await buildApp({ store, now: () => now });
      const session = await signIn(app, 'rex@ex.test', REX_PASSWORD);
      headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    it('counts what the database holds, lists the promises in the rep’s zone and the voicemail reasons in words', async () => {
      const start = await app.inject({
        method: 'POST',
        url: '/api/v1/blocks',
        headers,
        payload: { minutes: 60, calls: 0 },
      });
      expect(start.statusCode, start.body).toBe(201);
      const at = (m: number) => WEDNESDAY_10 + m * MINUTE;
      const log = (contactId: number, outcome: string, m: number, when?: string) =>
        logAttempt(store, { user: w.rex, contactId, outcome, at: at(m), when });
      await log(w.sam, 'no_answer', 1);
      await log(w.pat, 'voicemail_left', 3);
      await log(w.sam, 'callback_requested', 5, 'tomorrow 3pm');
      await log(w.pat, 'appointment_set', 8, 'Friday 11am');
      await skipCall(store, { user: w.rex, contactId: w.dana, reason: 'not_now', at: at(9) });
      // Dana calls back (she is on the list); Sam's mobile and an unknown number go to voicemail.
      await screenInbound(store, { user: w.rex, callerId: '(415) 555-0101', at: at(10) });
      await screenInbound(store, { user: w.rex, callerId: UNKNOWN, at: at(11) });
      await screenInbound(store, { user: w.rex, callerId: PAT_DIRECT, at: at(12) });
      now = at(30);
      const stop = await app.inject({ method: 'POST', url: '/api/v1/blocks/current/stop', headers });
      expect(stop.statusCode, stop.body).toBe(200);
      const summary = stop.json();
      expect(summary.counts).toEqual({
        dials: 4,
        conversations: 2,
        voicemailsLeft: 1,
        appointmentsSet: 1,
        callbacksReceived: 1,
        skips: 1,
      });
      expect(summary.pace).toEqual({ minutes: 30, dialsPerHour: 8 });
      expect(summary.promises).toEqual([
        {
          kind: 'callback',
          contact: { id: w.sam, name: 'Sam Roe', company: 'Acme' },
          at: '2026-11-26T20:00:00.000Z',
          yourTime: 'tomorrow 15:00',
          zone: 'America/New_York',
        },
        {
          kind: 'appointment',
          contact: { id: w.pat, name: 'Pat Poe', company: 'Beta' },
          // Friday 11am in Rex's zone, New York.
          at: '2026-11-27T16:00:00.000Z',
          yourTime: 'Friday 11:00',
          zone: 'America/New_York',
        },
      ]);
      expect(summary.zone).toBe('America/New_York');
      expect(
        summary.sentToVoicemail.map((v: { caller: string; reason: string; yourTime: string }) => [
          v.caller,
          v.reason,
          v.yourTime,
        ]),
      ).toEqual([
        [UNKNOWN, 'an unknown number', '10:11'],
        // Pat has an appointment on Friday, not within 30 minutes; he is not on the callback list.
        [PAT_DIRECT, 'not on your callback list', '10:12'],
      ]);
      // The same object as the use case computes from the stored block.
      expect(await summarize(store, summary.block.id)).toEqual(summary);
    });
  });
}
