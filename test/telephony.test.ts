/**
 * The TwiML webhooks on both databases, end to end: a signed inbound call during a block from
 * a contact who got a voicemail yesterday rings through with the right whisper; a contact not
 * expected and an unknown number hear the block greeting and are recorded, the messages land
 * on the timeline and in the block summary. Signatures: Twilio's published example, missing,
 * wrong, altered bodies and replays all refused with nothing changed. Fail open: a real held
 * lock does not hold the call.
 */
import { createHmac } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlock, stopBlock } from '../src/app/blocks.js';
import { InProcessEventBus, type RingbackEvent } from '../src/app/events.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { setTelephony } from '../src/app/telephony-settings.js';
import { buildApp } from '../src/server/build-app.js';
import type { Store } from '../src/store/db.js';
import {
  DANA_DIRECT,
  MINUTE,
  REX_PASSWORD,
  REX_PHONE,
  SAM_MOBILE,
  type ScreeningWorld,
  screeningWorld,
  TUESDAY_11,
  UNKNOWN,
  WEDNESDAY_10,
} from './screening-support.js';
import { memoryLog, signIn } from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

/** Twilio's algorithm written out independently: HMAC-SHA1 of the URL and the sorted name+value pairs. */
function sign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

describe('Twilio request signatures', () => {
  // https://www.twilio.com/docs/usage/security#validating-requests (TwilioDevEd/api-snippets).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  };
  it("matches Twilio's published example", () => {
    expect(sign('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(validateRequest('12345', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params)).toBe(true);
    expect(validateRequest('12345', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, { ...params, Digits: '1235' })).toBe(
      false,
    );
    expect(validateRequest('54321', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params)).toBe(false);
  });
});

/** The event a call put through unscreened (fail open) sends to Rex's stream. */
const failOpenEvent = (caller: string, callSid?: string) => ({
  userId: expect.any(Number),
  type: 'screening.decided',
  data: expect.objectContaining({
    decisionId: null,
    action: 'ring',
    reason: 'fail_open',
    toast: true,
    caller,
    whisper: 'Unscreened call.',
    ...(callSid ? { callSid } : {}),
  }),
});

const PUBLIC = 'https://rb.example.com';
const INBOUND = '+12125550111';
const TOKEN = 'test-auth-token';

for (const { name, create } of DATABASES) {
  describe(`telephony webhooks on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let w: ScreeningWorld;
    let now = WEDNESDAY_10;
    const log = memoryLog();
    const events = new InProcessEventBus();
    const published: RingbackEvent[] = [];
    let sid = 0;

    const post = (
      path: string,
      params: Record<string, string>,
      signature?: string | null,
      bodyOverride?: string,
    ) =>
      app.inject({
        method: 'POST',
        url: path,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature === null
            ? {}
            : { 'x-twilio-signature': signature ?? sign(TOKEN, `${PUBLIC}${path}`, params) }),
        },
        payload: bodyOverride ?? new URLSearchParams(params).toString(),
      });
    const call = (from: string, callSid = `CA${++sid}`) => ({
      CallSid: callSid,
      From: from,
      To: INBOUND,
      AccountSid: 'AC1',
    });
    const count = async (table: 'screening_decisions' | 'voicemails') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      await logAttempt(store, { user: w.rex, contactId: w.dana, outcome: 'voicemail_left', at: TUESDAY_11 });
      await setTelephony(store, w.workspaceId, {
        accountSid: 'AC1',
        authToken: TOKEN,
        callerId: '+12125550100',
        numbers: { [INBOUND]: 'rex@ex.test' },
        deadlineMs: 300,
      });
      events.subscribe((e) => published.push(e));
      app = await buildApp({
        store,
        now: () => now,
        publicUrl: PUBLIC,
        logger: { level: 'warn', stream: log.stream },
        events,
      });
      await startBlock(store, w.rex, 90, WEDNESDAY_10);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    it('rings a contact who got a voicemail yesterday through the block, with the whisper', async () => {
      now = WEDNESDAY_10 + 5 * MINUTE;
      const res = await post('/telephony/1/voice', call(DANA_DIRECT, 'CA-dana'));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      const whisper = 'Callback from Dana Lee, Acme — your voicemail of yesterday';
      const whisperPath = `/telephony/1/whisper?text=${encodeURIComponent(whisper)}`;
      expect(res.body).toContain(
        `<Dial timeout="25" answerOnBridge="true"><Number url="${PUBLIC}${whisperPath.replace(/&/g, '&amp;')}" method="POST">${REX_PHONE}</Number></Dial>`,
      );
      const played = await post(whisperPath, { CallSid: 'CA-dana', AccountSid: 'AC1' });
      expect(played.body).toContain(`<Say>${whisper}</Say>`);
      const decision = await store.db
        .selectFrom('screening_decisions')
        .selectAll()
        .where('call_sid', '=', 'CA-dana')
        .executeTakeFirstOrThrow();
      expect(decision).toMatchObject({
        action: 'ring',
        reason: 'callback_list',
        contact_id: w.dana,
        fail_open: 0,
      });
      expect(decision.attempt_id).not.toBeNull();
      // The web app's toast: who, why, and the voicemail the call answers.
      await new Promise((r) => setTimeout(r, 10));
      expect(
        published.find((e) => (e.data as { decisionId: number }).decisionId === decision.id),
      ).toMatchObject({
        userId: w.rex.id,
        type: 'screening.decided',
        data: {
          action: 'ring',
          reason: 'callback_list',
          toast: true,
          contact: { id: w.dana, name: 'Dana Lee', company: 'Acme' },
          callbackFor: {
            reason: 'voicemail_left',
            attemptId: decision.attempt_id,
            since: new Date(TUESDAY_11).toISOString(),
          },
          whisper,
        },
      });
    });

    it('sends an unknown number and an unexpected contact to the greeting and stores their messages', async () => {
      now = WEDNESDAY_10 + 10 * MINUTE;
      const unknown = await post('/telephony/1/voice', call(UNKNOWN, 'CA-unknown'));
      expect(unknown.statusCode).toBe(200);
      expect(unknown.body).toContain("<Say>Hello. This is Rex. I'm on calls until 11:30.");
      expect(unknown.body).toContain(`<Record action="${PUBLIC}/telephony/1/recording" method="POST"`);
      expect(unknown.body).toContain(`transcribeCallback="${PUBLIC}/telephony/1/transcription"`);
      const sam = await post('/telephony/1/voice', call(SAM_MOBILE, 'CA-sam'));
      expect(sam.body).toContain('<Record');
      await new Promise((r) => setTimeout(r, 10));
      expect(published.at(-1)).toMatchObject({
        data: { action: 'voicemail', toast: false, contact: { id: w.sam } },
      });

      now += MINUTE;
      const rec = {
        CallSid: 'CA-sam',
        RecordingSid: 'RE-sam',
        RecordingUrl: 'https://api.twilio.com/recordings/RE-sam',
        RecordingDuration: '17',
        AccountSid: 'AC1',
      };
      const stored = await post('/telephony/1/recording', rec);
      expect(stored.statusCode, stored.body).toBe(200);
      expect(stored.body).toContain('<Hangup/>');
      expect(
        (await post('/telephony/1/recording', { ...rec, CallSid: 'CA-unknown', RecordingSid: 'RE-unknown' }))
          .statusCode,
      ).toBe(200);
      const transcribed = await post('/telephony/1/transcription', {
        CallSid: 'CA-sam',
        RecordingSid: 'RE-sam',
        TranscriptionText: 'Hi Rex, Sam from Acme, call me back.',
        TranscriptionStatus: 'completed',
      });
      expect(transcribed.statusCode, transcribed.body).toBe(204);
      // Each message reaches Rex's event stream, with who left it.
      await new Promise((r) => setTimeout(r, 10));
      const received = published.filter((e) => e.type === 'voicemail.received');
      expect(received).toEqual([
        {
          workspaceId: w.workspaceId,
          userId: w.rex.id,
          type: 'voicemail.received',
          data: expect.objectContaining({
            caller: SAM_MOBILE,
            contact: { id: w.sam, name: 'Sam Roe', company: 'Acme' },
            durationSeconds: 17,
            url: 'https://api.twilio.com/recordings/RE-sam',
            at: new Date(now).toISOString(),
          }),
        },
        expect.objectContaining({ data: expect.objectContaining({ caller: UNKNOWN, contact: null }) }),
      ]);
      const samDecision = await store.db
        .selectFrom('screening_decisions')
        .select(['id', 'block_id'])
        .where('call_sid', '=', 'CA-sam')
        .executeTakeFirstOrThrow();
      expect(received[0]!.data).toMatchObject({ decisionId: samDecision.id, blockId: samDecision.block_id });

      const session = await signIn(app, 'rex@ex.test', REX_PASSWORD);
      const timeline = await app.inject({
        method: 'GET',
        url: `/api/v1/contacts/${w.sam}/voicemails`,
        headers: { cookie: session.cookie },
      });
      expect(timeline.json().voicemails).toEqual([
        expect.objectContaining({
          from: SAM_MOBILE,
          url: 'https://api.twilio.com/recordings/RE-sam',
          durationSeconds: 17,
          transcription: 'Hi Rex, Sam from Acme, call me back.',
        }),
      ]);
    });

    it('refuses missing, wrong and replayed signatures and altered bodies, changing nothing', async () => {
      const decisions = await count('screening_decisions');
      const voicemails = await count('voicemails');
      const params = call(UNKNOWN, 'CA-forged');
      expect((await post('/telephony/1/voice', params, null)).statusCode).toBe(403);
      expect((await post('/telephony/1/voice', params, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).statusCode).toBe(403);
      expect(
        (
          await post(
            '/telephony/1/voice',
            params,
            sign('another-token', `${PUBLIC}/telephony/1/voice`, params),
          )
        ).statusCode,
      ).toBe(403);
      // Signed for one caller, delivered with another.
      const altered = new URLSearchParams({ ...params, From: DANA_DIRECT }).toString();
      expect((await post('/telephony/1/voice', params, undefined, altered)).statusCode).toBe(403);
      // Signed for another server's URL.
      expect(
        (
          await post(
            '/telephony/1/voice',
            params,
            sign(TOKEN, 'https://evil.example.com/telephony/1/voice', params),
          )
        ).statusCode,
      ).toBe(403);
      // A replay of a call already screened, and of a recording already stored.
      expect((await post('/telephony/1/voice', call(DANA_DIRECT, 'CA-dana'))).statusCode).toBe(403);
      const replayed = await post('/telephony/1/recording', {
        CallSid: 'CA-sam',
        RecordingSid: 'RE-sam',
        RecordingUrl: 'https://api.twilio.com/recordings/RE-sam',
        RecordingDuration: '17',
        AccountSid: 'AC1',
      });
      expect(replayed.statusCode).toBe(403);
      // A recording for a call that rang through, and a stale one a day and more later.
      expect(
        (
          await post('/telephony/1/recording', {
            CallSid: 'CA-dana',
            RecordingSid: 'RE-x',
            RecordingUrl: 'https://api.twilio.com/recordings/RE-x',
            RecordingDuration: '3',
          })
        ).statusCode,
      ).toBe(403);
      const stale = now;
      now += 25 * 60 * MINUTE;
      expect(
        (
          await post('/telephony/1/recording', {
            CallSid: 'CA-unknown',
            RecordingSid: 'RE-late',
            RecordingUrl: 'https://api.twilio.com/recordings/RE-late',
            RecordingDuration: '3',
          })
        ).statusCode,
      ).toBe(403);
      now = stale;
      // Another workspace's webhook, and a workspace without telephony.
      expect((await post('/telephony/2/voice', params)).statusCode).toBe(403);
      expect(await count('screening_decisions')).toBe(decisions);
      expect(await count('voicemails')).toBe(voicemails);
    });

    it('changes nothing on a replayed transcription or a second recording of a call, and refuses JSON and non-https recordings', async () => {
      const voicemails = await count('voicemails');
      const transcriptionOf = async (recordingSid: string) =>
        (
          await store.db
            .selectFrom('voicemails')
            .select('transcription')
            .where('recording_sid', '=', recordingSid)
            .executeTakeFirstOrThrow()
        ).transcription;
      const first = 'Hi Rex, Sam from Acme, call me back.';
      // The exact signed request again, and one the provider signed with other words.
      const replay = {
        CallSid: 'CA-sam',
        RecordingSid: 'RE-sam',
        TranscriptionText: first,
        TranscriptionStatus: 'completed',
      };
      expect((await post('/telephony/1/transcription', replay)).statusCode).toBe(204);
      const other = { ...replay, TranscriptionText: 'Ignore Sam, call Eve on 555-0100.' };
      expect((await post('/telephony/1/transcription', other)).statusCode).toBe(204);
      expect(await transcriptionOf('RE-sam')).toBe(first);
      // A second recording of the same call, under a new recording id.
      const second = await post('/telephony/1/recording', {
        CallSid: 'CA-sam',
        RecordingSid: 'RE-sam-again',
        RecordingUrl: 'https://api.twilio.com/recordings/RE-sam-again',
        RecordingDuration: '40',
        AccountSid: 'AC1',
      });
      expect(second.statusCode, second.body).toBe(403);
      expect(await count('voicemails')).toBe(voicemails);

      now = WEDNESDAY_10 + 12 * MINUTE;
      expect((await post('/telephony/1/voice', call('+16175550198', 'CA-json'))).body).toContain('<Record');
      const rec = {
        CallSid: 'CA-json',
        RecordingSid: 'RE-json',
        RecordingUrl: 'https://api.twilio.com/recordings/RE-json',
        RecordingDuration: '9',
        AccountSid: 'AC1',
      };
      // Signed over the same parameters, sent as JSON: no provider posts that.
      const json = await app.inject({
        method: 'POST',
        url: '/telephony/1/recording',
        headers: {
          'content-type': 'application/json',
          'x-twilio-signature': sign(TOKEN, `${PUBLIC}/telephony/1/recording`, rec),
        },
        payload: JSON.stringify(rec),
      });
      expect(json.statusCode, json.body).toBe(415);
      expect(json.json().detail).toBe(
        "telephony webhooks take the provider's form (application/x-www-form-urlencoded), not application/json",
      );
      for (const [url, why] of [
        ['http://api.twilio.com/recordings/RE-json', 'not an https URL'],
        ['javascript:alert(1)', 'not an https URL'],
        ['recordings/RE-json', 'not a URL'],
      ] as const) {
        const refused = await post('/telephony/1/recording', { ...rec, RecordingUrl: url });
        expect(refused.statusCode, refused.body).toBe(400);
        expect(refused.json().errors).toEqual([{ path: '/RecordingUrl', message: why }]);
      }
      expect(await count('voicemails')).toBe(voicemails);
      expect((await post('/telephony/1/recording', rec)).statusCode).toBe(200);
      expect(await count('voicemails')).toBe(voicemails + 1);
    });

    it('stores every decision of calls arriving together before answering, and refuses a replay among them', async () => {
      now = WEDNESDAY_10 + 15 * MINUTE;
      const before = await count('screening_decisions');
      // Fired together, these are written as one group (one transaction); the duplicate call id is a replay.
      const calls = Array.from({ length: 12 }, (_, i) =>
        call(i % 2 ? UNKNOWN : DANA_DIRECT, `CA-group-${i}`),
      );
      const answers = await Promise.all(
        [...calls, calls[3]!].map((params) => post('/telephony/1/voice', params)),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(12).fill(200), 403]);
      expect(await count('screening_decisions')).toBe(before + 12);
      const stored = await store.db
        .selectFrom('screening_decisions')
        .select(['call_sid', 'action'])
        .where('call_sid', 'like', 'CA-group-%')
        .orderBy('id')
        .execute();
      expect(stored.map((d) => d.call_sid).sort()).toEqual(calls.map((c) => c.CallSid).sort());
      expect(stored.filter((d) => d.action === 'ring').length).toBe(6);
      // Either copy of the replayed call may be the one screened; the other is refused.
      const [first, copy] = [answers[3]!, answers[12]!];
      expect([first.statusCode, copy.statusCode].sort()).toEqual([200, 403]);
      for (const [i, answer] of answers.entries()) {
        const unknown = i === 12 || i % 2 === 1; // the copy is of call 3, from the unknown number
        if (answer.statusCode === 200) expect(answer.body).toContain(unknown ? '<Record' : '</Dial>');
      }
    });

    it('rings the user unscreened when a held lock makes the store too slow, and logs it', async () => {
      now = WEDNESDAY_10 + 20 * MINUTE;
      const params = call(SAM_MOBILE, 'CA-locked');
      let release: () => Promise<void>;
      if (name === 'postgres') {
        const holder = new pg.Client({ connectionString: database.env.DATABASE_URL });
        await holder.connect();
        await holder.query('begin');
        await holder.query('lock table screening_decisions in access exclusive mode');
        release = async () => {
          await holder.query('rollback');
          await holder.end();
        };
      } else {
        const holder = new BetterSqlite3(database.config.sqlitePath!);
        holder.exec('begin immediate');
        release = async () => {
          holder.exec('rollback');
          holder.close();
        };
      }
      try {
        const res = await post('/telephony/1/voice', params);
        expect(res.statusCode, res.body).toBe(200);
        if (name === 'postgres') {
          // The read of earlier decisions waits on the lock: past the deadline, the call rings Rex's own phone.
          expect(res.body).toContain(`${REX_PHONE}</Number></Dial>`);
          expect(res.body).toContain(encodeURIComponent('Unscreened call.'));
          expect(log.text()).toContain('screening fell back');
          await new Promise((r) => setTimeout(r, 10));
          expect(published.at(-1)).toMatchObject(failOpenEvent(SAM_MOBILE));
        } else {
          // SQLite reads never wait on a writer: the call is screened as usual; only the write waits.
          expect(res.body).toContain('<Record');
          expect(log.text()).toContain('screening decision deferred');
        }
      } finally {
        await release();
      }
      // Once the lock is gone the decision is stored as what happened to the call.
      let row: { action: string; fail_open: number } | undefined;
      for (let i = 0; i < 100 && !row; i++) {
        row = await store.db
          .selectFrom('screening_decisions')
          .select(['action', 'fail_open'])
          .where('call_sid', '=', 'CA-locked')
          .executeTakeFirst();
        if (!row) await new Promise((r) => setTimeout(r, 100));
      }
      expect(row).toEqual(
        name === 'postgres' ? { action: 'ring', fail_open: 1 } : { action: 'voicemail', fail_open: 0 },
      );
    });

    it("tells the user's event stream about a call put through unscreened when the store is too slow", async () => {
      now = WEDNESDAY_10 + 25 * MINUTE;
      // The server's own store held busy past the 300 ms deadline: a long transaction on
      // SQLite's one connection; on PostgreSQL a lock the decision's insert waits on.
      let held: Promise<unknown>;
      let release!: () => void;
      const until = new Promise<void>((r) => {
        release = r;
      });
      if (name === 'postgres') {
        const locked = new Promise<void>((ready) => {
          held = store.db.transaction().execute(async (trx) => {
            await sql`lock table screening_decisions in access exclusive mode`.execute(trx);
            ready();
            await until;
          });
        });
        await locked;
      } else {
        held = store.db.connection().execute(() => until);
      }
      const before = published.length;
      const res = await post('/telephony/1/voice', call(`${UNKNOWN}`, 'CA-slow'));
      release();
      await held!;
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`${REX_PHONE}</Number></Dial>`);
      await new Promise((r) => setTimeout(r, 10));
      expect(published.slice(before)).toEqual([expect.objectContaining(failOpenEvent(UNKNOWN, 'CA-slow'))]);
      // Stored, once the store answers, as what happened to the call.
      let row: { action: string; fail_open: number } | undefined;
      for (let i = 0; i < 100 && !row; i++) {
        row = await store.db
          .selectFrom('screening_decisions')
          .select(['action', 'fail_open'])
          .where('call_sid', '=', 'CA-slow')
          .executeTakeFirst();
        if (!row) await new Promise((r) => setTimeout(r, 50));
      }
      expect(row).toEqual({ action: 'ring', fail_open: 1 });
    });

    it('lists the calls sent to voicemail, with their messages, when the block ends', async () => {
      const summary = await stopBlock(store, w.rex, WEDNESDAY_10 + 60 * MINUTE);
      const byCaller = new Map(summary.sentToVoicemail.filter((v) => v.voicemail).map((v) => [v.caller, v]));
      expect(byCaller.get(UNKNOWN)).toMatchObject({ contact: null, voicemail: { durationSeconds: 17 } });
      expect(byCaller.get(SAM_MOBILE)).toMatchObject({
        contact: { id: w.sam, name: 'Sam Roe', company: 'Acme' },
        voicemail: {
          url: 'https://api.twilio.com/recordings/RE-sam',
          transcription: 'Hi Rex, Sam from Acme, call me back.',
        },
      });
      expect(summary.sentToVoicemail.some((v) => v.contact?.id === w.dana)).toBe(false);
    });
  });
}
