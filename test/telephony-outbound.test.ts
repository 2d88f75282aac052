/**
 * Click-to-call against a local fake provider speaking Twilio's Calls API, on both databases:
 * the provider is asked to ring the rep's phone from the workspace caller ID; the signed
 * webhooks that follow bridge to the contact with answering-machine detection, drop the rep's
 * recorded message on a machine, and log the attempt with its duration and outcome.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomeOf } from '../src/app/telephony-outbound.js';
import { setTelephony } from '../src/app/telephony-settings.js';
import { buildApp } from '../src/server/build-app.js';
import type { Store } from '../src/store/db.js';
import {
  DANA_DIRECT,
  REX_PASSWORD,
  REX_PHONE,
  SAM_MOBILE,
  type ScreeningWorld,
  screeningWorld,
  WEDNESDAY_10,
} from './screening-support.js';
import { expectProblem, signIn } from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const PUBLIC = 'https://rb.example.com';
const TOKEN = 'outbound-token';
const CALLER_ID = '+12125550100';
const DROP = 'https://cdn.example.com/rex-q4.mp3';

function sign(url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', TOKEN).update(data, 'utf8').digest('base64');
}

interface ProviderRequest {
  path: string;
  authorization: string | undefined;
  form: Record<string, string>;
}

/** A provider that accepts calls as Twilio's REST API does, and remembers what it was asked. */
async function fakeProvider(): Promise<{ server: Server; url: string; requests: ProviderRequest[] }> {
  const requests: ProviderRequest[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        authorization: req.headers.authorization,
        form: Object.fromEntries(new URLSearchParams(body)),
      });
      if (req.method === 'POST' && /^\/2010-04-01\/Accounts\/AC1\/Calls\.json$/.test(req.url ?? '')) {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: `CAfake${++n}`, status: 'queued' }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'The requested resource was not found' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('answering-machine detection and the Dial status as outcomes', () => {
  it('maps each ending to the outcome a rep would log', () => {
    expect(outcomeOf('completed', 'human', false)).toBe('connected');
    expect(outcomeOf('completed', 'machine_end_beep', true)).toBe('voicemail_left');
    expect(outcomeOf('completed', 'machine_start', false)).toBe('voicemail_skipped');
    expect(outcomeOf('busy', null, false)).toBe('busy');
    expect(outcomeOf('no-answer', null, false)).toBe('no_answer');
    expect(outcomeOf('failed', null, false)).toBe('bad_number');
  });
});

for (const { name, create } of DATABASES) {
  describe(`click-to-call on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let w: ScreeningWorld;
    let provider: Awaited<ReturnType<typeof fakeProvider>>;
    let headers: Record<string, string>;
    let now = WEDNESDAY_10;

    const hook = (path: string, params: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: path,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': sign(`${PUBLIC}${path}`, params),
        },
        payload: new URLSearchParams(params).toString(),
      });

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      provider = await fakeProvider();
      app = await buildApp({ store, now: () => now, publicUrl: PUBLIC });
      const session = await signIn(app, 'rex@ex.test', REX_PASSWORD);
      headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    });
    afterAll(async () => {
      await app.close();
      await new Promise((r) => provider.server.close(r));
      await store.close();
      await database.drop();
    });

    it('without a provider, says to use the tel: link', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: w.dana },
      });
      expect(expectProblem(res, 422).detail).toMatch(/tel: link/);
    });

    it('rings the rep, bridges to the contact and logs a conversation with its duration', async () => {
      await setTelephony(store, w.workspaceId, {
        accountSid: 'AC1',
        authToken: TOKEN,
        apiBaseUrl: provider.url,
        callerId: CALLER_ID,
        voicemailDrops: { 'rex@ex.test/Q4': DROP },
      });
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: w.dana },
      });
      expect(res.statusCode, res.body).toBe(201);
      const { callId, to } = res.json();
      expect(to).toBe(DANA_DIRECT);
      const asked = provider.requests.at(-1)!;
      expect(asked.path).toBe('/2010-04-01/Accounts/AC1/Calls.json');
      expect(asked.authorization).toBe(`Basic ${Buffer.from(`AC1:${TOKEN}`).toString('base64')}`);
      expect(asked.form).toMatchObject({
        To: REX_PHONE,
        From: CALLER_ID,
        Url: `${PUBLIC}/telephony/1/outbound/${callId}/bridge`,
        StatusCallback: `${PUBLIC}/telephony/1/outbound/${callId}/status`,
      });

      const base = `/telephony/1/outbound/${callId}`;
      const bridge = await hook(`${base}/bridge`, { CallSid: 'CAfake1', CallStatus: 'in-progress' });
      expect(bridge.statusCode, bridge.body).toBe(200);
      expect(bridge.body).toContain(`<Dial callerId="${CALLER_ID}" action="${PUBLIC}${base}/dialed"`);
      expect(bridge.body).toContain(`machineDetection="DetectMessageEnd">${DANA_DIRECT}</Number>`);
      const human = await hook(`${base}/answered`, { CallSid: 'CAchild1', AnsweredBy: 'human' });
      expect(human.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      now = WEDNESDAY_10 + 5 * 60_000;
      const ended = await hook(`${base}/dialed`, {
        CallSid: 'CAfake1',
        DialCallStatus: 'completed',
        DialCallDuration: '184',
      });
      expect(ended.statusCode, ended.body).toBe(200);
      const attempt = await store.db
        .selectFrom('attempts')
        .selectAll()
        .where('contact_id', '=', w.dana)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(attempt).toMatchObject({ outcome: 'connected', duration_s: 184, user_id: w.rex.id });
      expect(attempt.ended_at! - attempt.started_at).toBe(184_000);
      // The provider repeats itself: logged once.
      await hook(`${base}/dialed`, {
        CallSid: 'CAfake1',
        DialCallStatus: 'completed',
        DialCallDuration: '184',
      });
      expect(
        (await store.db.selectFrom('attempts').select('id').where('contact_id', '=', w.dana).execute())
          .length,
      ).toBe(1);
    });

    it("drops the rep's recorded message on a machine and logs voicemail_left", async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: w.sam },
      });
      expect(res.statusCode, res.body).toBe(201);
      const { callId, to } = res.json();
      expect(to).toBe(SAM_MOBILE);
      const base = `/telephony/1/outbound/${callId}`;
      const machine = await hook(`${base}/answered`, { CallSid: 'CAchild2', AnsweredBy: 'machine_end_beep' });
      expect(machine.body).toContain(`<Play>${DROP}</Play><Hangup/>`);
      await hook(`${base}/dialed`, {
        CallSid: 'CAfake2',
        DialCallStatus: 'completed',
        DialCallDuration: '31',
      });
      const attempt = await store.db
        .selectFrom('attempts')
        .selectAll()
        .where('contact_id', '=', w.sam)
        .executeTakeFirstOrThrow();
      expect(attempt).toMatchObject({ outcome: 'voicemail_left', duration_s: 31, voicemail_left: 1 });
      // A voicemail left puts Sam on Rex's callback list (rule 2), as a logged one would.
      expect(
        await store.db
          .selectFrom('callback_entries')
          .select('reason')
          .where('contact_id', '=', w.sam)
          .execute(),
      ).toEqual([{ reason: 'voicemail_left' }]);
    });

    it('refuses unsigned webhooks and unknown calls; a provider error is reported, not swallowed', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/telephony/1/outbound/1/dialed',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'DialCallStatus=completed&DialCallDuration=9',
      });
      expectProblem(res, 403);
      expectProblem(await hook('/telephony/1/outbound/999/bridge', { CallSid: 'CAx' }), 422);
      await setTelephony(store, w.workspaceId, {
        accountSid: 'ACwrong',
        authToken: TOKEN,
        apiBaseUrl: provider.url,
        callerId: CALLER_ID,
      });
      // The server caches settings briefly; a new app sees the change at once.
      const fresh = await buildApp({ store, now: () => now, publicUrl: PUBLIC });
      try {
        const session = await signIn(fresh, 'rex@ex.test', REX_PASSWORD);
        const refused = await fresh.inject({
          method: 'POST',
          url: '/api/v1/calls',
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
          payload: { contactId: w.pat },
        });
        expect(expectProblem(refused, 503).detail).toMatch(/refused the call \(404\)/);
      } finally {
        await fresh.close();
      }
    });
  });
}
