/**
 * Screening, the callback list and call blocks on both databases, through the app use cases
 * and the built `ringback` command: a voicemail left on Tuesday puts Dana on Rex's list, so her
 * call rings through Wednesday's block (credited to that voicemail) while Sam, on the same
 * company main line but not expected, goes to voicemail and is in the block's summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlock, stopBlock } from '../src/app/blocks.js';
import { circleContact, listCallbacks } from '../src/app/callbacks.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { screenInbound } from '../src/app/screen.js';
import { endBlock, insertBlock } from '../src/store/block-repo.js';
import type { Store } from '../src/store/db.js';
import {
  ACME_MAIN,
  DANA_DIRECT,
  MINUTE,
  PAT_DIRECT,
  SAM_MOBILE,
  type ScreeningWorld,
  screeningWorld,
  TUESDAY_11,
  UNKNOWN,
  WEDNESDAY_10,
} from './screening-support.js';
import { runCli } from './support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const iso = (t: number) => new Date(t).toISOString();

for (const { name, create } of DATABASES) {
  describe(`screening on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let w: ScreeningWorld;
    let voicemailAttempt: number;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      const logged = await logAttempt(store, {
        user: w.rex,
        contactId: w.dana,
        outcome: 'voicemail_left',
        at: TUESDAY_11,
      });
      voicemailAttempt = logged.attemptId;
    });
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it('puts a contact Rex left a voicemail for on his callback list, saying why and since when', async () => {
      const list = await listCallbacks(store, w.rex, WEDNESDAY_10);
      expect(list).toEqual([
        expect.objectContaining({
          contact: { id: w.dana, name: 'Dana Lee', company: 'Acme' },
          reason: 'voicemail_left',
          why: 'voicemail left yesterday 11:00',
          since: iso(TUESDAY_11),
          attemptId: voicemailAttempt,
        }),
      ]);
      // Rule 2: at least a week on the list; then it drops off.
      expect(await listCallbacks(store, w.rex, TUESDAY_11 + 8 * 24 * 60 * MINUTE)).toEqual([]);
    });

    it('rings outside a block and credits the callback to the voicemail', async () => {
      const { decision, decisionId } = await screenInbound(store, {
        user: w.rex,
        callerId: DANA_DIRECT,
        at: WEDNESDAY_10 - 60 * MINUTE,
      });
      expect(decision).toMatchObject({ action: 'ring', reason: 'not_in_block' });
      const row = await store.db
        .selectFrom('screening_decisions')
        .selectAll()
        .where('id', '=', decisionId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        action: 'ring',
        contact_id: w.dana,
        attempt_id: voicemailAttempt,
        block_id: null,
      });
    });

    it('during a block rings only the expected, and the summary lists the rest with who they were', async () => {
      const started = await startBlock(store, w.rex, 90, WEDNESDAY_10);
      await expect(startBlock(store, w.rex, 30, WEDNESDAY_10 + MINUTE)).rejects.toThrow(
        /already in a call block/,
      );
      const at = (m: number) => WEDNESDAY_10 + m * MINUTE;
      const dana = await screenInbound(store, { user: w.rex, callerId: '(415) 555-0101', at: at(5) });
      expect(dana.decision).toMatchObject({
        action: 'ring',
        reason: 'callback_list',
        blockId: started.block.id,
      });
      expect(dana.decision.callbackFor?.attemptId).toBe(voicemailAttempt);
      const sam = await screenInbound(store, { user: w.rex, callerId: SAM_MOBILE, at: at(6) });
      expect(sam.decision).toMatchObject({ action: 'voicemail', reason: 'not_expected' });
      const unknown = await screenInbound(store, { user: w.rex, callerId: UNKNOWN, at: at(7) });
      expect(unknown.decision).toMatchObject({
        action: 'voicemail',
        reason: 'unknown_number',
        contact: null,
      });
      const hidden = await screenInbound(store, { user: w.rex, callerId: 'Anonymous', at: at(8) });
      expect(hidden.decision.reason).toBe('withheld_number');
      // The main line is shared: Dana is expected, so it rings and she is named first.
      const main = await screenInbound(store, { user: w.rex, callerId: ACME_MAIN, at: at(9) });
      expect(main.decision.action).toBe('ring');
      expect(main.decision.contacts.map((c) => c.id)).toEqual([w.dana, w.sam]);

      // Circling Pat lets him through.
      expect(
        (await screenInbound(store, { user: w.rex, callerId: PAT_DIRECT, at: at(10) })).decision.action,
      ).toBe('voicemail');
      const circled = await circleContact(store, {
        user: w.rex,
        contactId: w.pat,
        until: 'in 2 hours',
        at: at(11),
      });
      expect(circled).toMatchObject({ reason: 'manual', until: iso(at(11) + 120 * MINUTE) });
      expect(
        (await screenInbound(store, { user: w.rex, callerId: PAT_DIRECT, at: at(12) })).decision,
      ).toMatchObject({
        action: 'ring',
        reason: 'callback_list',
        callbackFor: { reason: 'manual', attemptId: null },
      });

      const summary = await stopBlock(store, w.rex, at(30));
      expect(summary.block.endedAt).toBe(iso(at(30)));
      expect(summary.rangThrough).toBe(3);
      // Dana twice (her line and the main line) and Pat once circled: all callers on the list.
      expect(summary.counts.callbacksReceived).toBe(3);
      expect(summary.sentToVoicemail.map((v) => [v.caller, v.contact?.name ?? null, v.reason])).toEqual([
        [SAM_MOBILE, 'Sam Roe', 'not on your callback list'],
        [UNKNOWN, null, 'an unknown number'],
        ['Anonymous', null, 'the number was withheld'],
        [PAT_DIRECT, 'Pat Poe', 'not on your callback list'],
      ]);
      await expect(stopBlock(store, w.rex, at(31))).rejects.toThrow(/not in a call block/);
      expect(
        (await screenInbound(store, { user: w.rex, callerId: SAM_MOBILE, at: at(32) })).decision.action,
      ).toBe('ring');
    });

    it('sees a block started and ended by another process within a second, every call of a burst alike', async () => {
      const at = (m: number) => WEDNESDAY_10 + 2 * 60 * MINUTE + m * MINUTE;
      const burst = async (m: number) =>
        (
          await Promise.all(
            Array.from({ length: 5 }, () =>
              screenInbound(store, { user: w.rex, callerId: SAM_MOBILE, at: at(m) }),
            ),
          )
        ).map((s) => [s.decision.action, s.decision.blockId]);
      expect(await burst(0)).toEqual(Array(5).fill(['ring', null]));
      // Written straight to the store, as the CLI or another server would: nothing tells this process.
      const blockId = await insertBlock(store.db, {
        workspace_id: w.rex.workspace_id,
        user_id: w.rex.id,
        started_at: at(1),
        planned_end_at: at(60),
      });
      await new Promise((r) => setTimeout(r, 1100));
      expect(await burst(2)).toEqual(Array(5).fill(['voicemail', blockId]));
      await endBlock(store.db, blockId, at(3), '{}');
      await new Promise((r) => setTimeout(r, 1100));
      expect(await burst(4)).toEqual(Array(5).fill(['ring', null]));
    });

    it('refuses to circle a contact that does not exist or until a time already past', async () => {
      await expect(
        circleContact(store, { user: w.rex, contactId: 999_999, at: WEDNESDAY_10 }),
      ).rejects.toThrow(/no contact 999999/);
      await expect(
        circleContact(store, { user: w.rex, contactId: w.pat, until: 'yesterday', at: WEDNESDAY_10 }),
      ).rejects.toThrow(/has passed/);
      await expect(
        circleContact(store, { user: w.rex, contactId: w.pat, until: 'purple', at: WEDNESDAY_10 }),
      ).rejects.toThrow(/until/);
    });

    it('works the same from the command line', async () => {
      const env = database.env;
      const at = '2026-11-25T20:00:00Z';
      const screen = await runCli(
        ['screen', '+1 415 555 0101', '--user', 'rex@ex.test', '--at', at, '--json'],
        env,
      );
      expect(screen.stderr).toBe('');
      const printed = JSON.parse(screen.stdout);
      expect(Object.keys(printed)).toEqual(['action', 'reason', 'contact', 'callbackFor']);
      expect(printed).toMatchObject({
        action: 'ring',
        contact: { id: w.dana, name: 'Dana Lee', company: 'Acme', numberKind: 'direct' },
        callbackFor: { reason: 'voicemail_left', attemptId: voicemailAttempt },
      });
      const start = await runCli(['block', 'start', '--minutes', '45', '--at', at, '--json'], env);
      expect(start.code).toBe(0);
      const garbage = await runCli(['screen', '%%%', '--at', '2026-11-25T20:01:00Z', '--json'], env);
      expect(JSON.parse(garbage.stdout)).toMatchObject({
        action: 'voicemail',
        contact: null,
        callbackFor: null,
      });
      const circle = await runCli(
        ['circle', String(w.sam), '--until', 'tomorrow 5pm', '--at', at, '--json'],
        env,
      );
      expect(JSON.parse(circle.stdout)).toMatchObject({ reason: 'manual', contact: { id: w.sam } });
      const list = await runCli(['callbacks', '--at', at, '--json'], env);
      expect(
        JSON.parse(list.stdout)
          .map((l: { contact: { id: number } }) => l.contact.id)
          .sort(),
      ).toEqual([w.dana, w.sam].sort());
      const stop = await runCli(['block', 'stop', '--at', '2026-11-25T20:10:00Z'], env);
      expect(stop.code).toBe(0);
      expect(stop.stdout).toMatch(/1 sent to voicemail/);
      expect(stop.stdout).toContain('%%%');
      expect((await runCli(['block', 'start', '--minutes', '0'], env)).code).toBe(2);
      expect((await runCli(['block', 'stop'], env)).code).toBe(2);
      expect((await runCli(['circle', 'abc'], env)).code).toBe(2);
      expect((await runCli(['screen', '+14155550101', '--user', 'ghost@ex.test'], env)).code).toBe(2);
    });
  });
}
