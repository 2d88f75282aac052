/**
 * Skip and undo on both databases: undoing a logged call puts back exactly what the log
 * changed (enrollment, attempt count, callback list, appointment, do-not-call listing, numbers,
 * the insights' counts) for two minutes to the millisecond and not after; a skip is counted,
 * hands the lease back, keeps the contact out of the rep's queue for the rest of the block,
 * and can be undone too. The API answers the same, with a 409 problem when it is too late.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBlock, stopBlock } from '../src/app/blocks.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { buildQueue } from '../src/app/queue.js';
import { skipCall } from '../src/app/skip.js';
import { undoLast } from '../src/app/undo.js';
import { UNDO_WINDOW_MS } from '../src/core/block/undo.js';
import { buildApp } from '../src/server/build-app.js';
import type { Store } from '../src/store/db.js';
import { insertWebhookEndpoint } from '../src/store/webhook-repo.js';
import {
  MINUTE,
  REX_PASSWORD,
  type ScreeningWorld,
  screeningWorld,
  TUESDAY_11,
  WEDNESDAY_10,
} from './screening-support.js';
import { expectProblem, signIn } from './server/support.js';
import { runCli } from './support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const ZONE = 'America/New_York';

/** Every row a logged call can touch, in a stable order; roll-up rows that count nothing are left out. */
async function snapshot(store: Store) {
  const db = store.db;
  return {
    enrollments: await db.selectFrom('enrollments').selectAll().orderBy('id').execute(),
    attempts: await db.selectFrom('attempts').selectAll().orderBy('id').execute(),
    callbacks: await db.selectFrom('callback_entries').selectAll().orderBy('id').execute(),
    appointments: await db.selectFrom('appointments').selectAll().orderBy('id').execute(),
    dnc: await db.selectFrom('dnc_entries').selectAll().orderBy('id').execute(),
    contacts: await db.selectFrom('contacts').select(['id', 'do_not_call']).orderBy('id').execute(),
    numbers: await db.selectFrom('numbers').select(['id', 'e164', 'valid']).orderBy('id').execute(),
    links: await db
      .selectFrom('contact_numbers')
      .select(['contact_id', 'number_id', 'kind'])
      .orderBy('contact_id')
      .orderBy('number_id')
      .execute(),
    rollups: (
      await db
        .selectFrom('attempt_rollups')
        .selectAll()
        .orderBy('hour_at')
        .orderBy('outcome')
        .orderBy('attempt')
        .execute()
    )
      .filter((r) => Number(r.dials) !== 0 || Number(r.timed_seconds) !== 0)
      .map((r) => ({
        ...r,
        dials: Number(r.dials),
        timed_dials: Number(r.timed_dials),
        timed_seconds: Number(r.timed_seconds),
      })),
  };
}

for (const { name, create } of DATABASES) {
  describe(`skip and undo on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let w: ScreeningWorld;

    beforeEach(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      await insertWebhookEndpoint(
        store.db,
        {
          workspace_id: w.workspaceId,
          url: 'https://hooks.example.test/ringback',
          events: JSON.stringify(['attempt.undone']),
          secret: 'whsec_dGVzdA==',
          allow_private: 0,
          created_by: null,
          created_at: 0,
        },
        ['attempt.undone'],
      );
    });
    afterEach(async () => {
      await store.close();
      await database.drop();
    });

    const log = (
      contactId: number,
      outcome: string,
      at: number,
      extra: Partial<Parameters<typeof logAttempt>[1]> = {},
    ) => logAttempt(store, { user: w.rex, contactId, outcome, at, ...extra });

    it.each([
      ['no_answer', {}],
      ['voicemail_left', {}],
      ['appointment_set', { when: 'tomorrow 3pm', note: 'demo' }],
      ['callback_requested', { when: 'Friday 10am' }],
      ['do_not_call', {}],
      ['bad_number', {}],
      ['gatekeeper', { learnedNumber: '(415) 555-0188', learnedKind: 'mobile' as const, when: 'Monday' }],
      ['away', { when: 'back Monday the 30th' }],
    ])('undoing %s puts back everything the log changed', async (outcome, extra) => {
      // A voicemail first, so a conversation has a callback-list entry to clear.
      await log(w.dana, 'voicemail_left', TUESDAY_11);
      const before = await snapshot(store);
      await log(w.dana, outcome, WEDNESDAY_10, extra);
      expect(await snapshot(store)).not.toEqual(before);
      const undone = await undoLast(store, w.rex, WEDNESDAY_10 + MINUTE, ZONE);
      expect(undone).toMatchObject({ kind: 'attempt', contactId: w.dana, name: 'Dana Lee', outcome });
      expect(await snapshot(store)).toEqual(before);
      // Webhook subscribers may have heard of the call already: they hear it was taken back.
      const told = await store.db
        .selectFrom('webhook_events')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(told.type).toBe('attempt.undone');
      expect(JSON.parse(told.payload)).toMatchObject({ attemptId: undone.id, contactId: w.dana, outcome });
    });

    it('undoing a conversation puts the callback-list entry it cleared back', async () => {
      await log(w.dana, 'voicemail_left', TUESDAY_11);
      const before = await snapshot(store);
      await log(w.dana, 'connected', WEDNESDAY_10);
      const cleared = await store.db
        .selectFrom('callback_entries')
        .select('cleared_at')
        .executeTakeFirstOrThrow();
      expect(cleared.cleared_at).toBe(WEDNESDAY_10);
      await undoLast(store, w.rex, WEDNESDAY_10 + 30_000, ZONE);
      expect(await snapshot(store)).toEqual(before);
    });

    it('undoes for exactly two minutes: at 2:00 it is undone, a millisecond later it stays', async () => {
      await log(w.dana, 'no_answer', WEDNESDAY_10);
      await undoLast(store, w.rex, WEDNESDAY_10 + UNDO_WINDOW_MS, ZONE);
      expect(await store.db.selectFrom('attempts').selectAll().execute()).toEqual([]);

      await log(w.sam, 'no_answer', WEDNESDAY_10);
      const late = undoLast(store, w.rex, WEDNESDAY_10 + UNDO_WINDOW_MS + 1, ZONE);
      await expect(late).rejects.toMatchObject({ failure: { code: 'undo_refused', reason: 'too_late' } });
      await expect(late).rejects.toThrow(
        '“No answer” for Sam Roe was logged at 10:00 (America/New_York), 2 minutes ago; a call can be undone for 2 minutes after it is logged',
      );
      expect(await store.db.selectFrom('attempts').select('contact_id').execute()).toEqual([
        { contact_id: w.sam },
      ]);
    });

    it('undoes only the last log, once', async () => {
      await log(w.dana, 'no_answer', WEDNESDAY_10);
      await log(w.sam, 'no_answer', WEDNESDAY_10 + 1000);
      expect((await undoLast(store, w.rex, WEDNESDAY_10 + 2000, ZONE)).contactId).toBe(w.sam);
      await expect(undoLast(store, w.rex, WEDNESDAY_10 + 3000, ZONE)).rejects.toThrow(
        'there is nothing to undo',
      );
      expect(await store.db.selectFrom('attempts').select('contact_id').execute()).toEqual([
        { contact_id: w.dana },
      ]);
    });

    it('refuses when a later call on the same contact was logged since', async () => {
      await log(w.dana, 'no_answer', WEDNESDAY_10);
      // The owner's call logged from the command line, without a user.
      await logAttempt(store, { user: null, contactId: w.dana, outcome: 'busy', at: WEDNESDAY_10 + 1000 });
      await expect(undoLast(store, w.rex, WEDNESDAY_10 + 2000, ZONE)).rejects.toThrow(
        'a later call on the same contact has been logged since',
      );
    });

    it('a skip is counted in the block, hands the lease back, and keeps the contact out of the rep’s queue until the block ends', async () => {
      await startBlock(store, w.rex, 60, WEDNESDAY_10);
      const queue = await buildQueue(store, {
        user: w.rex,
        campaignId: null,
        now: WEDNESDAY_10,
        limit: 3,
        leaseUntil: WEDNESDAY_10 + 60 * MINUTE,
      });
      const first = queue[0]!;
      const dueBefore = await store.db
        .selectFrom('enrollments')
        .select(['next_due_at', 'attempt_count'])
        .where('id', '=', first.enrollmentId)
        .executeTakeFirstOrThrow();
      const skipped = await skipCall(store, {
        user: w.rex,
        contactId: first.contact.id,
        reason: 'need_research',
        at: WEDNESDAY_10 + MINUTE,
      });
      expect(skipped).toMatchObject({ contactId: first.contact.id, reason: 'need_research', campaign: 'Q4' });
      expect(skipped.blockId).not.toBeNull();
      const after = await store.db
        .selectFrom('enrollments')
        .selectAll()
        .where('id', '=', first.enrollmentId)
        .executeTakeFirstOrThrow();
      // Not an attempt: the cadence's due time and count stand; the lease is free for colleagues.
      expect(after).toMatchObject({ ...dueBefore, lease_user_id: null });
      const again = await buildQueue(store, {
        user: w.rex,
        campaignId: null,
        now: WEDNESDAY_10 + 2 * MINUTE,
        limit: 10,
        leaseUntil: null,
      });
      expect(again.map((i) => i.contact.id)).not.toContain(first.contact.id);
      expect(again.length).toBeGreaterThan(0);

      const summary = await stopBlock(store, w.rex, WEDNESDAY_10 + 3 * MINUTE);
      expect(summary.counts.skips).toBe(1);
      // After the block the contact is offered again.
      const later = await buildQueue(store, {
        user: w.rex,
        campaignId: null,
        now: WEDNESDAY_10 + 4 * MINUTE,
        limit: 10,
        leaseUntil: null,
      });
      expect(later.map((i) => i.contact.id)).toContain(first.contact.id);
    });

    it('undoing a skip removes it and gives the lease back', async () => {
      await startBlock(store, w.rex, 60, WEDNESDAY_10);
      const [first] = await buildQueue(store, {
        user: w.rex,
        campaignId: null,
        now: WEDNESDAY_10,
        limit: 1,
        leaseUntil: WEDNESDAY_10 + 60 * MINUTE,
      });
      const before = await snapshot(store);
      await skipCall(store, { user: w.rex, contactId: first!.contact.id, at: WEDNESDAY_10 + MINUTE });
      const undone = await undoLast(store, w.rex, WEDNESDAY_10 + 2 * MINUTE, ZONE);
      expect(undone).toMatchObject({ kind: 'skip', contactId: first!.contact.id, outcome: null });
      expect(await store.db.selectFrom('skips').selectAll().execute()).toEqual([]);
      expect(await snapshot(store)).toEqual(before);
    });

    it('refuses a reason it does not know, naming the ones it does', async () => {
      await expect(
        skipCall(store, { user: w.rex, contactId: w.dana, reason: 'lunch', at: WEDNESDAY_10 }),
      ).rejects.toThrow(
        'reason: "lunch" is not a reason to skip; use one of: bad_moment, need_research, not_now',
      );
    });
  });

  describe(`skip and undo over HTTP on ${name}`, () => {
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
      app = await buildApp({ store, now: () => now });
      const session = await signIn(app, 'rex@ex.test', REX_PASSWORD);
      headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    it('skips with a reason, undoes a log within two minutes, and answers 409 after', async () => {
      const skip = await app.inject({
        method: 'POST',
        url: '/api/v1/skips',
        headers,
        payload: { contactId: w.pat, reason: 'bad_moment' },
      });
      expect(skip.statusCode, skip.body).toBe(201);
      expect(skip.json()).toMatchObject({ contactId: w.pat, reason: 'bad_moment', blockId: null });

      const logged = await app.inject({
        method: 'POST',
        url: '/api/v1/attempts',
        headers,
        payload: { contactId: w.dana, outcome: 'voicemail_left' },
      });
      expect(logged.statusCode, logged.body).toBe(201);
      now += 119_000;
      const undo = await app.inject({ method: 'POST', url: '/api/v1/undo', headers });
      expect(undo.statusCode, undo.body).toBe(200);
      expect(undo.json()).toMatchObject({
        kind: 'attempt',
        contactId: w.dana,
        undone: '“Voicemail left” for Dana Lee',
      });
      expect(await store.db.selectFrom('callback_entries').selectAll().execute()).toEqual([]);

      await app.inject({
        method: 'POST',
        url: '/api/v1/attempts',
        headers,
        payload: { contactId: w.sam, outcome: 'busy' },
      });
      now += UNDO_WINDOW_MS + 1;
      const late = await app.inject({ method: 'POST', url: '/api/v1/undo', headers });
      expectProblem(late, 409);
      expect(late.json().detail).toContain('“Busy” for Sam Roe was logged at');
      expect(late.json().reason).toBe('too_late');
    });

    it('names the field when the skip reason is unknown', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/skips',
        headers,
        payload: { contactId: w.pat, reason: 'lunch' },
      });
      expectProblem(res, 400);
      expect(res.json().errors[0].path).toBe('/reason');
    });
  });

  describe(`skip, undo and block stop from the command line on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let w: ScreeningWorld;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      await store.close();
    });
    afterAll(async () => {
      await database.drop();
    });

    it('skips with a reason, undoes within two minutes, refuses after, and block stop --json counts the skip', async () => {
      const iso = (t: number) => new Date(t).toISOString();
      const cli = (...args: string[]) => runCli(args, database.env);
      expect((await cli('block', 'start', '--minutes', '60', '--at', iso(WEDNESDAY_10))).code).toBe(0);
      const skipped = await cli(
        'skip',
        String(w.pat),
        '--reason',
        'need_research',
        '--at',
        iso(WEDNESDAY_10 + MINUTE),
      );
      expect(skipped.stderr).toBe('');
      expect(skipped.stdout).toMatch(
        /^skipped contact \d+ \(Q4\): needs research first; counted in block \d+/,
      );
      const logged = await cli('log', String(w.dana), 'no_answer', '--at', iso(WEDNESDAY_10 + 2 * MINUTE));
      expect(logged.code, logged.stderr).toBe(0);
      const undone = await cli('undo', '--json', '--at', iso(WEDNESDAY_10 + 3 * MINUTE));
      expect(undone.code, undone.stderr).toBe(0);
      expect(JSON.parse(undone.stdout)).toMatchObject({
        kind: 'attempt',
        contactId: w.dana,
        outcome: 'no_answer',
      });
      await cli('log', String(w.sam), 'busy', '--at', iso(WEDNESDAY_10 + 4 * MINUTE));
      const late = await cli('undo', '--at', iso(WEDNESDAY_10 + 6 * MINUTE + 1));
      expect(late.code).toBe(2);
      expect(late.stderr).toMatch(
        /“Busy” for Sam Roe was logged at 10:04 \(America\/New_York\), 2 minutes ago/,
      );
      const stop = await cli('block', 'stop', '--json', '--at', iso(WEDNESDAY_10 + 30 * MINUTE));
      expect(stop.code, stop.stderr).toBe(0);
      expect(JSON.parse(stop.stdout).counts).toEqual({
        dials: 1,
        conversations: 0,
        voicemailsLeft: 0,
        appointmentsSet: 0,
        callbacksReceived: 0,
        skips: 1,
      });
    });
  });
}
