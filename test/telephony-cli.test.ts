/**
 * `ringback telephony show|set` on both databases: settings set from the command line, only
 * what is given changes, the auth token is never printed in full, bad values are refused
 * naming the option; and what is set takes effect — a webhook signed for the public URL set
 * here is accepted and the caller hears the greeting set here.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlock } from '../src/app/blocks.js';
import { getTelephony } from '../src/app/telephony-settings.js';
import { readGreeting } from '../src/app/workspace-settings.js';
import { buildApp } from '../src/server/build-app.js';
import type { Store } from '../src/store/db.js';
import { type ScreeningWorld, screeningWorld, UNKNOWN, WEDNESDAY_10 } from './screening-support.js';
import { runCli } from './support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const TOKEN = 'a-long-secret-auth-token-5678';
const INBOUND = '+12125550111';

function sign(url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', TOKEN).update(data, 'utf8').digest('base64');
}

for (const { name, create } of DATABASES) {
  describe(`ringback telephony on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let w: ScreeningWorld;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
    });
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it('says when no provider is set up, and refuses settings that lack what a provider needs', async () => {
      const none = await runCli(['telephony', 'show', '--json'], database.env);
      expect(none.code, none.stderr).toBe(0);
      expect(JSON.parse(none.stdout)).toBeNull();
      const partial = await runCli(['telephony', 'set', '--account-sid', 'AC1'], database.env);
      expect(partial.code).toBe(2);
      expect(partial.stderr).toMatch(/--auth-token: required/);
      expect(partial.stderr).toMatch(/--caller-id: required/);
      expect(await getTelephony(store, w.workspaceId)).toBeNull();
    });

    it('sets the provider, reading the token from standard input, and never prints the token in full', async () => {
      const set = await runCli(
        [
          'telephony',
          'set',
          '--user',
          'rex@ex.test',
          '--account-sid',
          'AC123',
          '--auth-token',
          '-',
          '--caller-id',
          '+12125550100',
          '--api-base-url',
          'http://127.0.0.1:9/fake',
          '--public-url',
          'https://rb.example.com/',
          '--greeting',
          'You reached {{my_name}}. Back at {{until}}.',
          '--number',
          `${INBOUND}=rex@ex.test`,
          '--number',
          '+12125550112=rex@ex.test',
          '--deadline-ms',
          '400',
        ],
        database.env,
        `${TOKEN}\n`,
      );
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain('auth token    ••••5678');
      const shown = await runCli(['telephony', 'show', '--json'], database.env);
      expect(JSON.parse(shown.stdout)).toEqual({
        provider: 'twilio',
        accountSid: 'AC123',
        authToken: '••••5678',
        apiBaseUrl: 'http://127.0.0.1:9/fake',
        callerId: '+12125550100',
        publicUrl: 'https://rb.example.com',
        numbers: { [INBOUND]: 'rex@ex.test', '+12125550112': 'rex@ex.test' },
        voicemailDrops: {},
        deadlineMs: 400,
        greeting: 'You reached {{my_name}}. Back at {{until}}.',
      });
      const text = await runCli(['telephony', 'show'], database.env);
      for (const out of [set.stdout, shown.stdout, text.stdout, set.stderr, text.stderr]) {
        expect(out).not.toContain(TOKEN);
        expect(out).not.toContain(TOKEN.slice(0, 12));
      }
      expect((await getTelephony(store, w.workspaceId))?.authToken).toBe(TOKEN);
    });

    it('changes only what it is given, and names the option it refuses', async () => {
      // The greeting is the workspace's (the Settings page's), checked by the same lint.
      const changed = await runCli(
        ['telephony', 'set', '--caller-id', '+12125550199', '--remove-number', '+12125550112'],
        database.env,
      );
      expect(changed.code, changed.stderr).toBe(0);
      const now = await getTelephony(store, w.workspaceId);
      expect(now).toMatchObject({
        accountSid: 'AC123',
        authToken: TOKEN,
        callerId: '+12125550199',
        numbers: { [INBOUND]: 'rex@ex.test' },
      });
      expect(await readGreeting(store, w.workspaceId)).toBe('You reached {{my_name}}. Back at {{until}}.');
      const unlinted = await runCli(['telephony', 'set', '--greeting', 'Hi {{nobody}}'], database.env);
      expect(unlinted.code).toBe(2);
      expect(unlinted.stderr).toMatch(/--greeting: .*nobody/);
      const bad = await runCli(['telephony', 'set', '--caller-id', '212-555'], database.env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--caller-id: an E\.164 number/);
      const badNumber = await runCli(['telephony', 'set', '--number', '+12125550113'], database.env);
      expect(badNumber.stderr).toMatch(/--number \+12125550113: expected NUMBER=EMAIL/);
      const badUrl = await runCli(['telephony', 'set', '--public-url', 'ftp://x?y'], database.env);
      expect(badUrl.stderr).toMatch(/--public-url/);
      expect(await getTelephony(store, w.workspaceId)).toEqual(now);
    });

    it('takes effect: a webhook signed for the public URL set here is answered with the greeting set here', async () => {
      await startBlock(store, w.rex, 90, WEDNESDAY_10);
      // No --public-url on the server: the workspace's own is what the provider signed.
      const app = await buildApp({ store, now: () => WEDNESDAY_10 + 60_000 });
      try {
        const params = { AccountSid: 'AC123', CallSid: 'CA-cli', From: UNKNOWN, To: INBOUND };
        const post = (url: string) =>
          app.inject({
            method: 'POST',
            url: '/telephony/1/voice',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-twilio-signature': sign(url, params),
            },
            payload: new URLSearchParams(params).toString(),
          });
        expect((await post('http://localhost:80/telephony/1/voice')).statusCode).toBe(403);
        const res = await post('https://rb.example.com/telephony/1/voice');
        expect(res.statusCode, res.body).toBe(200);
        expect(res.body).toContain('<Say>You reached Rex. Back at 11:30.</Say>');
        expect(res.body).toContain('action="https://rb.example.com/telephony/1/recording"');
      } finally {
        await app.close();
      }
    });
  });
}
