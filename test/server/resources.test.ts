/**
 * The API's resources over real HTTP on both databases: contacts and numbers, attempts with
 * Idempotency-Key (sequential and concurrent retries), snooze and do-not-call.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';
import { appOver, MONDAY_10, seedWorld, tokenFor, type World } from './support.js';

const count = async (store: Store, table: 'attempts' | 'contacts' | 'numbers' | 'idempotency_keys') =>
  Number(
    (
      await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

for (const { name, create } of DATABASES) {
  describe(`API resources over HTTP on ${name}`, () => {
    let database: TestDatabase;
    let store: Store;
    let app: FastifyInstance;
    let world: World;
    let url: string;
    let token: string;

    beforeAll(async () => {
      database = await create();
      store = await openTestStore(database);
      world = await seedWorld(store, 12);
      app = await appOver(store);
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      token = await tokenFor(store, world.rep);
    });
    afterAll(async () => {
      await app.close();
      await store.close();
      await database.drop();
    });

    const call = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    };

    it('creates a contact with numbers typed in any format, finds it by a number typed another way, changes and deletes it', async () => {
      const created = await call('POST', '/api/v1/contacts', {
        firstName: 'Grace',
        lastName: 'Hopper',
        company: 'Navy Labs',
        email: 'grace@navy.test',
        timeZone: 'America/New_York',
        numbers: [
          { number: '(415) 555-0123', kind: 'direct' },
          { number: '415.555.0124 x204', kind: 'main' },
        ],
      });
      expect(created.status).toBe(201);
      expect(created.body.ownerId).toBe(world.rep.id);
      expect(
        created.body.numbers.map((n: { e164: string; extension: string }) => [n.e164, n.extension]),
      ).toEqual([
        ['+14155550123', ''],
        ['+14155550124', '204'],
      ]);
      const id = created.body.id as number;

      for (const q of ['+1 415 555 0123', '4155550123', 'hopper', 'navy']) {
        const found = await call('GET', `/api/v1/contacts?q=${encodeURIComponent(q)}`);
        expect(
          found.body.contacts.map((c: { id: number }) => c.id),
          q,
        ).toContain(id);
      }

      const changed = await call('PATCH', `/api/v1/contacts/${id}`, {
        title: 'Rear Admiral',
        company: 'Harvard',
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ title: 'Rear Admiral', company: 'Harvard', firstName: 'Grace' });

      const added = await call('POST', `/api/v1/contacts/${id}/numbers`, {
        number: '+44 20 7946 0958',
        kind: 'mobile',
      });
      expect(added.status).toBe(201);
      const uk = added.body.numbers.find((n: { e164: string }) => n.e164 === '+442079460958');
      expect(uk.kind).toBe('mobile');
      expect((await call('DELETE', `/api/v1/contacts/${id}/numbers/${uk.id}`)).status).toBe(204);
      expect((await call('GET', `/api/v1/contacts/${id}`)).body.numbers).toHaveLength(2);

      expect((await call('DELETE', `/api/v1/contacts/${id}`)).status).toBe(204);
      expect((await call('GET', `/api/v1/contacts/${id}`)).status).toBe(404);
    });

    it('refuses a contact with a bad number, naming the field, and writes nothing', async () => {
      const before = [await count(store, 'contacts'), await count(store, 'numbers')];
      const res = await call('POST', '/api/v1/contacts', {
        lastName: 'Nobody',
        numbers: [{ number: '212-555-0100' }, { number: '12' }],
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('/numbers/1/number');
      const notAPhone = await call('POST', '/api/v1/contacts', {
        lastName: 'Nobody',
        numbers: [{ number: '212-555-0100' }, { number: 'call me maybe' }],
      });
      expect(notAPhone.status).toBe(422);
      expect(notAPhone.body.errors).toEqual([{ path: '/numbers/1/number', message: expect.any(String) }]);
      expect([await count(store, 'contacts'), await count(store, 'numbers')]).toEqual(before);
    });

    it('returns the first result for a repeated Idempotency-Key and records nothing new', async () => {
      const contactId = world.contacts.get('2')!;
      const body = { contactId, outcome: 'voicemail_left', note: 'left a message' };
      const headers = { 'idempotency-key': 'log-2-first' };
      const before = await count(store, 'attempts');
      const first = await call('POST', '/api/v1/attempts', body, headers);
      expect(first.status).toBe(201);
      const again = await call('POST', '/api/v1/attempts', body, headers);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await count(store, 'attempts')).toBe(before + 1);

      const other = await call('POST', '/api/v1/attempts', { ...body, outcome: 'busy' }, headers);
      expect(other.status).toBe(422);
      expect(await count(store, 'attempts')).toBe(before + 1);
    });

    it('records exactly one attempt when 20 retries with the same key arrive at once', async () => {
      const contactId = world.contacts.get('3')!;
      const before = await count(store, 'attempts');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          call(
            'POST',
            '/api/v1/attempts',
            { contactId, outcome: 'no_answer' },
            { 'idempotency-key': 'storm-3' },
          ),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(responses.map((r) => r.body.attemptId)).size).toBe(1);
      expect(await count(store, 'attempts')).toBe(before + 1);
      const rows = await store.db
        .selectFrom('attempts')
        .select('id')
        .where('contact_id', '=', contactId)
        .execute();
      expect(rows).toHaveLength(1);
    });

    it('snoozes a contact and puts numbers typed in any format on the do-not-call list', async () => {
      const contactId = world.contacts.get('4')!;
      const ids = async () =>
        (await call('GET', '/api/v1/queue?limit=50')).body.items.map(
          (i: { contact: { id: number } }) => i.contact.id,
        );
      // Looked at first, so the answer is cached: the snooze must drop it.
      expect(await ids()).toContain(contactId);
      const snoozed = await call('POST', `/api/v1/contacts/${contactId}/snooze`, { until: 'in two weeks' });
      expect(snoozed.status).toBe(200);
      expect(snoozed.body).toMatchObject({ contactId, enrollments: 1 });
      const dnc = await call('POST', '/api/v1/dnc', { target: '(212) 555-1005' });
      expect(dnc.body).toEqual({ kind: 'number', target: '+12125551005', added: true });
      const queue = await call('GET', '/api/v1/queue?limit=50');
      const queued = queue.body.items.map((i: { contact: { id: number } }) => i.contact.id);
      expect(queued).not.toContain(contactId);
      expect(queued).not.toContain(world.contacts.get('5'));
      expect(queued.length).toBeGreaterThan(0);
    });

    it('creates a campaign with the default scripts and their lint findings, refuses scripts with lint errors and unknown policy fields', async () => {
      const admin = await tokenFor(store, world.admin);
      const as = { authorization: `Bearer ${admin}` };
      const created = await call(
        'POST',
        '/api/v1/campaigns',
        { name: 'Spring', kind: 'recruiting', topic: 'the Go role' },
        as,
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Spring', kind: 'recruiting', policy: { attemptLimit: 7 } });
      expect(Array.isArray(created.body.lint)).toBe(true);

      const scripts = created.body.scripts;
      const broken = await call(
        'PATCH',
        `/api/v1/campaigns/${created.body.id}`,
        { scripts: { ...scripts, elevator: 'Hi {{frist_name}}, quick one.' } },
        as,
      );
      expect(broken.status).toBe(400);
      expect(broken.body.errors[0].path).toBe('/scripts/elevator');
      const vague = await call(
        'PATCH',
        `/api/v1/campaigns/${created.body.id}`,
        { scripts: { ...scripts, voicemail: { ...scripts.voicemail, intro: 'Hi there, call me back.' } } },
        as,
      );
      expect(vague.status).toBe(422);
      expect(vague.body.errors.map((e: { path: string }) => e.path)).toContain('/scripts/voicemail/intro');
      expect((await call('GET', `/api/v1/campaigns/${created.body.id}`, undefined, as)).body.scripts).toEqual(
        scripts,
      );

      const unknown = await call(
        'PATCH',
        `/api/v1/campaigns/${created.body.id}`,
        { policy: { attemptLimt: 5 } },
        as,
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toContainEqual({ path: '/policy/attemptLimt', message: 'unknown field' });

      const changed = await call(
        'PATCH',
        `/api/v1/campaigns/${created.body.id}`,
        { policy: { attemptLimit: 10, voicemail: 'first_and_last' } },
        as,
      );
      expect(changed.body.policy).toMatchObject({
        attemptLimit: 10,
        voicemail: 'first_and_last',
        maxPutOffs: 2,
      });

      const repTries = await call('POST', '/api/v1/campaigns', { name: 'Mine', topic: 'my own list' });
      expect(repTries.status).toBe(403);

      const contactId = world.contacts.get('6')!;
      const enrolled = await call(
        'POST',
        '/api/v1/enrollments',
        { contactId, campaignId: created.body.id },
        as,
      );
      expect(enrolled.status).toBe(201);
      expect(enrolled.body).toMatchObject({ contactId, campaign: 'Spring', state: 'new' });
      const twice = await call('POST', '/api/v1/enrollments', { contactId, campaignId: created.body.id }, as);
      expect(twice.status).toBe(422);
      const listed = await call('GET', `/api/v1/enrollments?contactId=${contactId}`, undefined, as);
      expect(listed.body.enrollments.map((e: { campaign: string }) => e.campaign).sort()).toEqual([
        'Q4',
        'Spring',
      ]);
    });

    it('books an appointment from a logged call and serves it as an iCalendar invite', async () => {
      const contactId = world.contacts.get('7')!;
      const logged = await call('POST', '/api/v1/attempts', {
        contactId,
        campaign: 'Q4',
        outcome: 'appointment_set',
        when: 'tomorrow 3pm',
      });
      expect(logged.status).toBe(201);
      const list = await call('GET', '/api/v1/appointments');
      const appointment = list.body.appointments.find(
        (a: { contactId: number }) => a.contactId === contactId,
      );
      expect(appointment.startsAt).toBe(logged.body.scheduledFor);
      const res = await fetch(`${url}${appointment.invite}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
      const ics = await res.text();
      expect(ics).toContain('BEGIN:VEVENT');
      expect(ics).toContain(`UID:appointment-${appointment.id}@`);
      expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    });

    it('imports an uploaded CSV with the CLI’s summary (bad rows by row number) and exports the workspace for an admin', async () => {
      const csv =
        'First Name,Last Name,Company,Phone\nAda,Upload,Analytical,(415) 555-0190\nNo,Number,,not a phone\n';
      const form = new FormData();
      form.append('campaign', 'Q4');
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
      const res = await fetch(`${url}/api/v1/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      expect(res.status).toBe(200);
      const summary = (await res.json()) as { errors: unknown[] };
      expect(summary).toMatchObject({
        read: 2,
        created: 1,
        rejected: 1,
        file: 'leads.csv',
        format: 'csv',
        dryRun: false,
      });
      expect(summary.errors).toEqual([
        { row: 3, field: expect.stringMatching(/phone/i), message: expect.any(String) },
      ]);
      const found = await call('GET', '/api/v1/contacts?q=4155550190');
      expect(found.body.contacts).toEqual([
        expect.objectContaining({ name: 'Ada Upload', ownerId: world.rep.id }),
      ]);

      const noFile = await fetch(`${url}/api/v1/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(noFile.status).toBe(415);

      expect((await call('GET', '/api/v1/exports/contacts')).status).toBe(403);
      const admin = await tokenFor(store, world.admin);
      const exported = await fetch(`${url}/api/v1/exports/contacts?format=csv`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
      const text = await exported.text();
      expect(text.split('\n')[0]).toMatch(/First Name/);
      expect(text).toContain('Upload');
      const json = await fetch(`${url}/api/v1/exports/attempts?format=json`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      const attempts = (await json.json()) as unknown[];
      expect(attempts.length).toBe(await count(store, 'attempts'));
    });

    it('lets an admin add users and change the workspace, and nobody else', async () => {
      const admin = { authorization: `Bearer ${await tokenFor(store, world.admin)}` };
      const added = await call(
        'POST',
        '/api/v1/users',
        {
          email: 'New.Rep@ex.test',
          role: 'rep',
          password: 'a-long-enough-password',
          phone: '(212) 555-0111',
        },
        admin,
      );
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ email: 'new.rep@ex.test', role: 'rep', phone: '+12125550111' });
      expect(JSON.stringify(added.body)).not.toContain('a-long-enough-password');
      const twice = await call(
        'POST',
        '/api/v1/users',
        { email: 'new.rep@ex.test', role: 'rep', password: 'a-long-enough-password' },
        admin,
      );
      expect(twice.status).toBe(422);
      const short = await call(
        'POST',
        '/api/v1/users',
        { email: 'x@ex.test', role: 'rep', password: 'short' },
        admin,
      );
      expect(short.body.errors.map((e: { path: string }) => e.path)).toEqual(['/password']);
      expect(
        (
          await call('POST', '/api/v1/users', {
            email: 'y@ex.test',
            role: 'admin',
            password: 'a-long-enough-password',
          })
        ).status,
      ).toBe(403);
      expect((await call('GET', '/api/v1/users')).status).toBe(403);
      const users = await call('GET', '/api/v1/users', undefined, admin);
      expect(users.body.users.map((u: { email: string }) => u.email)).toContain('new.rep@ex.test');

      const changed = await call(
        'PATCH',
        '/api/v1/workspace',
        { defaultCountry: 'gb', timeZone: 'Europe/London' },
        admin,
      );
      expect(changed.body).toMatchObject({ defaultCountry: 'GB', timeZone: 'Europe/London' });
      expect((await call('GET', '/api/v1/workspace')).body.defaultCountry).toBe('GB');
      expect((await call('PATCH', '/api/v1/workspace', { timeZone: 'Mars/Olympus' }, admin)).status).toBe(
        400,
      );
      await call('PATCH', '/api/v1/workspace', { defaultCountry: 'US', timeZone: 'America/New_York' }, admin);
    });

    it('forgets an Idempotency-Key after a day: the same key then records a new attempt', async () => {
      let clock = MONDAY_10;
      const later = await appOver(store, { now: () => clock });
      try {
        const contactId = world.contacts.get('8')!;
        const send = (outcome: string) =>
          later.inject({
            method: 'POST',
            url: '/api/v1/attempts',
            headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'daily' },
            payload: { contactId, outcome },
          });
        const first = await send('busy');
        expect(first.statusCode).toBe(201);
        clock += 60 * 60_000;
        expect((await send('busy')).json().attemptId).toBe(first.json().attemptId);
        clock += 24 * 60 * 60_000;
        const next = await send('no_answer');
        expect(next.statusCode).toBe(201);
        expect(next.json().attemptId).not.toBe(first.json().attemptId);
      } finally {
        await later.close();
      }
    });
  });
}
