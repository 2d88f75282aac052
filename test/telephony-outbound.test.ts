/**
 * Click-to-call against a local fake provider speaking Twilio's Calls API, on both databases:
 * the provider is asked to ring the rep's phone from the workspace caller ID; the signed
 * webhooks that follow bridge to the contact with answering-machine detection, drop the rep's
 * recorded message on a machine, and log the attempt with its duration and outcome.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeHoliday } from '../src/app/holidays.js';
import { importContacts } from '../src/app/import/import-contacts.js';
import { logAttempt } from '../src/app/log-attempt.js';
import { outcomeOf } from '../src/app/telephony-outbound.js';
import { setTelephony } from '../src/app/telephony-settings.js';
import { CONSENT_NOTICE } from '../src/core/calling-hours/recording-consent.js';
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
const VAL_DIRECT = '+13125550199';

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

    const withProvider = async (extra: Record<string, unknown> = {}) => {
      await setTelephony(store, w.workspaceId, {
        accountSid: 'AC1',
        authToken: TOKEN,
        apiBaseUrl: provider.url,
        callerId: CALLER_ID,
        voicemailDrops: { 'rex@ex.test/Q4': DROP },
        ...extra,
      });
      // Settings are cached for a few seconds; a new app reads them at once.
      await app.close();
      app = await buildApp({ store, now: () => now, publicUrl: PUBLIC });
      const session = await signIn(app, 'rex@ex.test', REX_PASSWORD);
      headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    };

    /** One contact from a CSV row (name, company, numbers, zone, state, kind), in the campaign Q4. */
    const importOne = async (row: string): Promise<number> => {
      const dir = mkdtempSync(join(tmpdir(), 'ringback-outbound-'));
      const file = join(dir, 'one.csv');
      writeFileSync(
        file,
        `First Name,Last Name,Company,Direct Phone,Mobile Phone,Company Phone,Time Zone,State,Kind\n${row}\n`,
      );
      const summary = await importContacts(store, {
        file,
        campaign: 'Q4',
        ownerEmail: 'rex@ex.test',
        now: 0,
        worker: false,
      });
      expect(summary.rejected, JSON.stringify(summary.errors)).toBe(0);
      const [first, last] = row.split(',');
      const contact = await store.db
        .selectFrom('contacts')
        .select('id')
        .where('first_name', '=', first!)
        .where('last_name', '=', last!)
        .executeTakeFirstOrThrow();
      return contact.id;
    };

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      // The workspace works Thanksgiving, so Thursday 26 Nov, when the Tokyo calls below are
      // placed, is a business day (holidays.test.ts checks the calendar that otherwise closes it).
      await removeHoliday(store, w.rex, '2026-11-26', 0);
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

    it("refuses click-to-call outside the contact's calling hours, naming the next allowed time (Tokyo at 05:02)", async () => {
      await withProvider();
      const ken = await importOne('Ken,Sato,Nihon KK,+81312345678,,,Asia/Tokyo,,business');
      now = Date.parse('2026-11-25T20:02:00Z'); // Thursday 05:02 in Tokyo
      const asked = provider.requests.length;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: ken },
      });
      const problem = expectProblem(res, 422);
      expect(problem.detail).toBe(
        '5:02 am for Ken Sato: calls are allowed only 8 am–9 pm local time (the US federal limit, kept for every contact); ' +
          'the next allowed time is today 09:00 their time (Asia/Tokyo)',
      );
      expect(problem).toMatchObject({ refusal: 'calling_hours', nextAllowedAt: '2026-11-26T00:00:00.000Z' });
      expect(provider.requests.length, 'nobody was rung').toBe(asked);
      expect(
        await store.db.selectFrom('provider_calls').select('id').where('contact_id', '=', ken).execute(),
      ).toEqual([]);
      // Inside their business hours the same call goes out.
      now = Date.parse('2026-11-26T01:00:00Z'); // Thursday 10:00 in Tokyo
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: ken },
      });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('calls at the time the contact asked for, even outside the campaign window, and not before', async () => {
      await withProvider();
      const mai = await importOne('Mai,Ito,Nihon KK,+81312345679,,,Asia/Tokyo,,business');
      // Asked on Wednesday for 20:00 Thursday in Tokyo: inside the law's 8 am–9 pm, outside 9–5.
      await logAttempt(store, {
        user: w.rex,
        contactId: mai,
        outcome: 'callback_requested',
        when: '2026-11-26T20:00:00+09:00',
        at: Date.parse('2026-11-25T01:00:00Z'),
      });
      now = Date.parse('2026-11-26T10:00:00Z'); // 19:00 in Tokyo, before the time asked for
      const early = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: mai },
      });
      expect(expectProblem(early, 422).detail).toMatch(/outside the campaign's business window, 9 am–5 pm/);
      now = Date.parse('2026-11-26T11:00:00Z'); // 20:00 in Tokyo, the time asked for
      const due = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: mai },
      });
      expect(due.statusCode, due.body).toBe(201);
    });

    it('refuses a number on the do-not-call list and a Florida consumer past the state cap, saying it is the cap', async () => {
      await withProvider();
      now = WEDNESDAY_10;
      const val = await importOne(`Val,Stone,Gamma,${VAL_DIRECT},,,America/Chicago,,business`);
      const dnc = await app.inject({
        method: 'POST',
        url: '/api/v1/dnc',
        headers,
        payload: { target: VAL_DIRECT },
      });
      expect(dnc.statusCode, dnc.body).toBe(200);
      const listed = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: val },
      });
      const refused = expectProblem(listed, 422);
      expect(refused).toMatchObject({ refusal: 'do_not_call', nextAllowedAt: null });
      expect(refused.detail).toBe(
        `Val Stone: ${VAL_DIRECT} is on the do-not-call list, never called (rule 13)`,
      );

      const flo = await importOne('Flo,Reyes,,+13055550188,,,America/New_York,FL,consumer');
      for (const minutes of [0, 20, 40]) {
        await logAttempt(store, {
          user: w.rex,
          contactId: flo,
          outcome: 'no_answer',
          at: WEDNESDAY_10 + minutes * 60_000,
        });
      }
      now = WEDNESDAY_10 + 60 * 60_000;
      const capped = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: flo },
      });
      const problem = expectProblem(capped, 422);
      expect(problem).toMatchObject({ refusal: 'state_cap', nextAllowedAt: '2026-11-26T15:00:00.000Z' });
      expect(problem.detail).toBe(
        'Flo Reyes in Florida has had 3 calls on this subject in the last 24 hours, the most state law allows; next tomorrow 10:00',
      );
    });

    it('calls from a number the workspace configured, and from no other', async () => {
      await withProvider({ numbers: { '+12125550111': 'rex@ex.test' } });
      now = WEDNESDAY_10;
      const spoofed = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: w.dana, callerId: '+13125550000' },
      });
      expect(expectProblem(spoofed, 422).detail).toBe(
        `+13125550000 is not a number this workspace set up with its provider: call from ${CALLER_ID} or +12125550111`,
      );
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: w.dana, callerId: '+12125550111' },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(provider.requests.at(-1)!.form.From).toBe('+12125550111');
      const base = `/telephony/1/outbound/${res.json().callId}`;
      const bridge = await hook(`${base}/bridge`, { CallSid: 'CAcid', CallStatus: 'in-progress' });
      expect(bridge.body).toContain('<Dial callerId="+12125550111"');
    });

    it('refuses click-to-call on a pool contact whose only enrollment another rep works, as a logged call is refused', async () => {
      await withProvider();
      now = WEDNESDAY_10;
      const ann = await store.db
        .insertInto('users')
        .values({ workspace_id: w.workspaceId, email: 'ann@ex.test', role: 'rep', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const pooled = await importOne('Pia,Pool,Gamma,+12125550123,,,America/New_York,NY,business');
      // In the shared pool (everyone sees it), its enrollment Ann's.
      await store.db.updateTable('contacts').set({ owner_id: null }).where('id', '=', pooled).execute();
      await store.db
        .updateTable('enrollments')
        .set({ owner_id: ann.id })
        .where('contact_id', '=', pooled)
        .execute();
      const asked = provider.requests.length;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: pooled },
      });
      expect(expectProblem(res, 422).detail).toBe(
        `contact ${pooled} is enrolled only in campaigns other reps work; you cannot call them there`,
      );
      const named = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: pooled, campaign: 'Q4' },
      });
      expect(expectProblem(named, 422).detail).toBe(
        `contact ${pooled} is worked in "Q4" by another rep; you cannot call them there`,
      );
      // The manual log says the same of the same contact.
      const logged = await app.inject({
        method: 'POST',
        url: '/api/v1/attempts',
        headers,
        payload: { contactId: pooled, outcome: 'no_answer' },
      });
      expect(expectProblem(logged, 422).detail).toBe(
        `contact ${pooled} is enrolled only in campaigns other reps work; you cannot log calls there`,
      );
      expect(provider.requests.length).toBe(asked);
      expect(
        await store.db.selectFrom('provider_calls').select('id').where('contact_id', '=', pooled).execute(),
      ).toEqual([]);
    });

    it("drops no voicemail once the contact's calling hours have ended while the call rang", async () => {
      await withProvider();
      now = Date.parse('2026-11-25T21:59:30Z'); // 16:59:30 in New York
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers,
        payload: { contactId: w.dana },
      });
      expect(res.statusCode, res.body).toBe(201);
      const base = `/telephony/1/outbound/${res.json().callId}`;
      now = Date.parse('2026-11-25T22:00:40Z'); // 17:00:40: the greeting ended after the window closed
      const machine = await hook(`${base}/answered`, { CallSid: 'CAlate', AnsweredBy: 'machine_end_beep' });
      expect(machine.body).not.toContain('<Play>');
      expect(machine.body).toContain('<Hangup/>');
    });

    it('plays a consent notice before a recorded call when a party is in an all-party-consent state, and the attempt records it', async () => {
      await withProvider({ recordCalls: true });
      now = WEDNESDAY_10;
      const nia = await importOne('Nia,Cole,Delta,+12125550166,,,America/New_York,NY,business');
      const run = async (contactId: number, sid: string) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/calls',
          headers,
          payload: { contactId },
        });
        expect(res.statusCode, res.body).toBe(201);
        const base = `/telephony/1/outbound/${res.json().callId}`;
        const bridge = await hook(`${base}/bridge`, { CallSid: sid, CallStatus: 'in-progress' });
        const answered = await hook(`${base}/answered`, { CallSid: `${sid}child`, AnsweredBy: 'human' });
        await hook(`${base}/dialed`, { CallSid: sid, DialCallStatus: 'completed', DialCallDuration: '60' });
        const attempt = await store.db
          .selectFrom('attempts')
          .select(['consent_notice', 'outcome'])
          .where('contact_id', '=', contactId)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        return { bridge: bridge.body, answered: answered.body, attempt };
      };
      const notice = `<Say>${CONSENT_NOTICE}</Say>`;
      // Dana's number is in California; Rex's in New York.
      const dana = await run(w.dana, 'CArec1');
      expect(dana.bridge).toContain(`${notice}<Dial callerId="${CALLER_ID}"`);
      expect(dana.bridge).toContain('record="record-from-answer-dual"');
      expect(dana.answered).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response>${notice}</Response>`);
      expect(dana.attempt).toEqual({ consent_notice: 1, outcome: 'connected' });
      // Both parties in New York, a one-party-consent state: recorded, no notice.
      const ny = await run(nia, 'CArec2');
      expect(ny.bridge).toContain('record="record-from-answer-dual"');
      expect(ny.bridge).not.toContain('<Say>');
      expect(ny.answered).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      expect(ny.attempt).toEqual({ consent_notice: 0, outcome: 'connected' });
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
