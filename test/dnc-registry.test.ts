/**
 * Registry do-not-call lists on both databases: files read as the registries deliver them,
 * loaded in one transaction (a bad file changes nothing), change lists with deletions, and the
 * scrub every outbound path uses — the queue and click-to-call — with the rules on whose
 * numbers a registry protects and a stale list holding back what it covered.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRegistry, registryListViews } from '../src/app/dnc-registry.js';
import { importContacts } from '../src/app/import/import-contacts.js';
import { planOutbound } from '../src/app/outbound-check.js';
import { buildQueue } from '../src/app/queue.js';
import { parseRegistryFile, RegistryFileError } from '../src/core/dnc/registry-file.js';
import { buildApp } from '../src/server/build-app.js';
import type { Store } from '../src/store/db.js';
import {
  ACME_MAIN,
  DANA_DIRECT,
  SAM_MOBILE,
  type ScreeningWorld,
  screeningWorld,
  WEDNESDAY_10,
} from './screening-support.js';
import {
  ADMIN_PASSWORD,
  expectProblem,
  MONDAY_10,
  multipartBody,
  seedWorld,
  signIn,
} from './server/support.js';
import { DATABASES, openTestStore, type TestDatabase } from './support/stores.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('registry files as delivered', () => {
  it('reads US area-code files: ten digits, or area code and number, one a line', () => {
    const file = parseRegistryFile(
      bytes('2125550123\n212,5550124\r\n212-555-0125\n\n4155550100\n2125550123\n'),
      'us-national',
    );
    expect(file.kind).toBe('full');
    expect([...file.add]).toEqual([12125550123, 12125550124, 12125550125, 14155550100]);
    expect(file.coverage).toEqual(['1212', '1415']);
  });

  it("reads Canada's DNCL CSV with a header, and change lists with deletions", () => {
    const full = parseRegistryFile(bytes('AreaCode,PhoneNumber\n416,5550123\n604,5550188\n'), 'ca-dncl');
    expect([...full.add]).toEqual([14165550123, 16045550188]);
    const changes = parseRegistryFile(bytes('416,5550123,D\n416,5550199,A\n'), 'ca-dncl');
    expect(changes.kind).toBe('changes');
    expect([...changes.add]).toEqual([14165550199]);
    expect([...changes.remove]).toEqual([14165550123]);
  });

  it('reads UK TPS numbers written nationally or internationally', () => {
    const file = parseRegistryFile(bytes('020 7946 0958\n+44 7700 900123\n441632960001\n'), 'uk-tps');
    expect([...file.add]).toEqual([441632960001, 442079460958, 447700900123]);
    expect(file.coverage).toEqual(['44']);
  });

  it('names the line of junk, of the wrong layout and of the wrong encoding', () => {
    const errorOf = (text: Uint8Array, source: Parameters<typeof parseRegistryFile>[1]) => {
      try {
        parseRegistryFile(text, source);
      } catch (error) {
        if (error instanceof RegistryFileError) return error.message;
      }
      throw new Error('no error');
    };
    expect(errorOf(bytes('2125550123\n2125550124\nhello world\n'), 'us-national')).toBe(
      'line 3: "hello world" has no phone number',
    );
    expect(errorOf(bytes('2125550123\n02079460958\n'), 'us-national')).toMatch(
      /^line 2: "02079460958" is not a North American number/,
    );
    expect(errorOf(bytes('2125550123\ncaf\xe9\n'.replace('\xe9', 'é')), 'us-national')).toMatch(
      /^line 2: byte 0xc3 is not ASCII/,
    );
    const utf16 = new Uint8Array([0xff, 0xfe, 0x32, 0, 0x31, 0]);
    expect(errorOf(utf16, 'us-national')).toMatch(/^line 1: the file is UTF-16 text/);
    expect(errorOf(bytes('212,5550123,A\n212,5550124\n'), 'us-national')).toMatch(
      /^line 2: some lines are marked A or D/,
    );
  });
});

/** n distinct numbers in the 917 area code, one a line, with `extra` lines first. */
function generated(n: number, extra: string[]): string {
  const lines = [...extra];
  for (let i = 0; i < n; i++) lines.push(`917${String(2_000_000 + i).padStart(7, '0')}`);
  return `${lines.join('\n')}\n`;
}

for (const { name, create } of DATABASES) {
  describe(`registry lists on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let w: ScreeningWorld;
    let lee: number;
    let ray: number;
    const dir = mkdtempSync(join(tmpdir(), 'ringback-dnc-'));

    const load = (text: string, source = 'us-national', asOf = '2026-11-20', now = WEDNESDAY_10) =>
      importRegistry(store, { user: w.rex, source, bytes: bytes(text), fileName: 'list.txt', asOf, now });
    const queueNumbers = async (now = WEDNESDAY_10) =>
      new Map(
        (await buildQueue(store, { user: w.rex, campaignId: null, now, limit: 20, leaseUntil: null })).map(
          (i) => [i.contact.id, i.number?.e164 ?? null],
        ),
      );

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      w = await screeningWorld(store);
      const file = join(dir, 'consumers.csv');
      writeFileSync(
        file,
        [
          'First Name,Last Name,Home Phone,Time Zone,State,Kind',
          'Lee,Park,+14155550177,America/New_York,NY,consumer',
          'Ray,Cho,+14155550178,America/New_York,NY,consumer',
        ].join('\n'),
      );
      const summary = await importContacts(store, {
        file,
        campaign: 'Q4',
        ownerEmail: 'rex@ex.test',
        now: 0,
        worker: false,
      });
      expect(summary.rejected, JSON.stringify(summary.errors)).toBe(0);
      const ids = new Map(
        (await store.db.selectFrom('contacts').select(['id', 'last_name']).execute()).map((r) => [
          r.last_name,
          r.id,
        ]),
      );
      lee = ids.get('Park')!;
      ray = ids.get('Cho')!;
    });
    afterAll(async () => {
      await store.close();
      await database.drop();
    });

    it("bars a consumer's listed number and a business contact's personal mobile, never a business line", async () => {
      const before = await queueNumbers();
      expect(before.get(lee)).toBe('+14155550177');
      const result = await load(generated(200_000, ['4155550177', '415,5550102', '415-555-0101']));
      expect(result).toMatchObject({ kind: 'full', numbers: 200_003, listedNumbers: 3, asOf: '2026-11-20' });
      const after = await queueNumbers();
      expect(after.has(lee), 'the listed consumer is not queued').toBe(false);
      expect(after.get(ray)).toBe('+14155550178');
      // Dana's direct line is a business number: the registry does not cover it.
      expect(after.get(w.dana)).toBe(DANA_DIRECT);
      // Sam's mobile is personal even in a business campaign: the company's main line is dialled instead.
      expect(after.get(w.sam)).toBe(ACME_MAIN);
      const plan = await planOutbound(store, {
        user: w.rex,
        contactId: w.sam,
        number: SAM_MOBILE,
        at: WEDNESDAY_10,
      });
      expect(plan.verdict).toEqual({
        ok: false,
        refusal: 'do_not_call',
        reason: `Sam Roe: ${SAM_MOBILE} is on the US National Do Not Call Registry (list of 2026-11-20), never called (rule 13)`,
        nextAllowedAt: null,
      });
    });

    it('leaves the loaded list whole when a file is bad, and applies change lists with deletions', async () => {
      await expect(load('4155550178\nnot a number\n')).rejects.toThrow(
        /^list\.txt is not a US National Do Not Call Registry file; nothing was loaded: line 2: "not a number"/,
      );
      expect((await registryListViews(store, w.rex, WEDNESDAY_10)).lists).toMatchObject([
        { source: 'us-national', numbers: 200_003, asOf: '2026-11-20' },
      ]);
      const changed = await load('415,5550177,D\n415,5550178,A\n', 'us-national', '2026-11-24');
      expect(changed).toMatchObject({ kind: 'changes', added: 1, removed: 1, numbers: 200_003 });
      const after = await queueNumbers();
      expect(after.get(lee)).toBe('+14155550177');
      expect(after.has(ray)).toBe(false);
      await expect(load('416,5550123,D\n', 'ca-dncl')).rejects.toThrow(
        /no full Canadian National Do Not Call List list is loaded/,
      );
    });

    it('flags a list older than 31 days and holds back the personal numbers in the area codes it covered', async () => {
      // 55 days old on Wednesday 25 November.
      await load(generated(10, ['4155550199']), 'us-national', '2026-10-01');
      const views = await registryListViews(store, w.rex, WEDNESDAY_10);
      expect(views).toMatchObject({
        holdBackStale: true,
        lists: [{ source: 'us-national', ageDays: 55, stale: true }],
      });
      const held = await queueNumbers();
      expect(held.has(lee)).toBe(false);
      expect(held.has(ray)).toBe(false);
      expect(held.get(w.dana)).toBe(DANA_DIRECT);
      const plan = await planOutbound(store, { user: w.rex, contactId: lee, at: WEDNESDAY_10 });
      expect(plan.verdict.ok || plan.verdict.reason).toBe(
        'Lee Park: +14155550177 is held back: the US National Do Not Call Registry list loaded is 55 days old ' +
          '(as of 2026-10-01; at most 31 allowed), so numbers it covers wait for a fresh one, never called (rule 13)',
      );
      // The workspace may turn the hold-back off; a fresh list lifts it anyway.
      await store.db
        .updateTable('workspaces')
        .set({ settings: JSON.stringify({ dnc: { holdBackStale: false } }) })
        .execute();
      expect((await queueNumbers()).get(lee)).toBe('+14155550177');
      await store.db.updateTable('workspaces').set({ settings: '{}' }).execute();
      await load(generated(10, ['4155550199']), 'us-national', '2026-11-25');
      expect((await queueNumbers()).get(lee)).toBe('+14155550177');
    });

    it('adds an internal list to the workspace do-not-call list, which never expires', async () => {
      const result = await load('Number\n(415) 555-0178\n', 'internal', '2020-01-01');
      expect(result).toMatchObject({ kind: 'internal', added: 1, numbers: 1 });
      expect((await queueNumbers(WEDNESDAY_10 + 400 * 86_400_000)).has(ray)).toBe(false);
      await expect(load('415 555 0178\nxyz\n', 'internal')).rejects.toMatchObject({
        failure: { code: 'invalid' },
      });
    });
  });
}

for (const { name, create } of DATABASES) {
  describe(`registry lists over the API on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let headers: Record<string, string>;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      await seedWorld(store, 2);
      app = await buildApp({ store, now: () => MONDAY_10 });
      const session = await signIn(app, 'ada@ex.test', ADMIN_PASSWORD);
      headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    it('lets an admin load a list and shows its date and age; a bad file is refused with its line', async () => {
      const upload = (fields: Record<string, string>, content: string) => {
        const body = multipartBody(fields, { name: 'ca.csv', content, type: 'text/plain' });
        return app.inject({
          method: 'POST',
          url: '/api/v1/dnc/registries',
          headers: { ...headers, ...body.headers },
          payload: body.payload,
        });
      };
      const ok = await upload({ source: 'ca-dncl', asOf: '2026-10-01' }, '416,5550123\n212,5551000\n');
      expect(ok.statusCode, ok.body).toBe(200);
      // Person 0's number, 212-555-1000, is on the list loaded.
      expect(ok.json()).toEqual({
        source: 'ca-dncl',
        kind: 'full',
        asOf: '2026-10-01',
        numbers: 2,
        added: 2,
        removed: 0,
        listedNumbers: 1,
      });
      const bad = expectProblem(await upload({ source: 'ca-dncl' }, '416,5550123\n416;555;0124;x;y\n'), 422);
      expect(bad.detail).toMatch(
        /^ca\.csv is not a Canadian National Do Not Call List file; nothing was loaded: line 2: /,
      );
      expect(bad.errors).toEqual([
        { path: '/file/line/2', message: expect.stringContaining('416;555;0124;x;y') },
      ]);
      const lists = await app.inject({ method: 'GET', url: '/api/v1/dnc/registries', headers });
      expect(lists.json()).toMatchObject({
        holdBackStale: true,
        lists: [
          { source: 'ca-dncl', asOf: '2026-10-01', ageDays: 53, stale: true, numbers: 2, areaCodes: 2 },
        ],
      });
    });
  });
}
