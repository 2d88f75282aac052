/**
 * `ringback appointments` as a user runs it, on SQLite and PostgreSQL: an appointment set by a
 * logged call is listed with its status, printed as an invite a real parser reads, rescheduled
 * and cancelled; a change that cannot be made says why, and exits non-zero.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectRfc5545Lines, parseInvite } from './support/ical.js';
import { DATABASES, type TestDatabase } from './support/stores.js';

const HOST = 'calls.example.test';

for (const { name, create } of DATABASES) {
  describe(`ringback appointments on ${name}`, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let id: number;
    beforeAll(async () => {
      db = await create();
      env = { ...db.env, RINGBACK_PUBLIC_URL: `https://${HOST}` };
      const rep = await runCli(
        ['users', 'add', 'rex@ex.test', '--role', 'rep', '--name', 'Rex', '--phone', '+12125550134'],
        env,
        'a long enough password\n',
      );
      expect(rep.stderr).toBe('');
      const dir = mkdtempSync(join(tmpdir(), 'ringback-appointments-'));
      const file = join(dir, 'people.csv');
      writeFileSync(
        file,
        'First Name,Last Name,Company,Phone,Time Zone\nDana,Ruiz,Acme,212-555-0187,America/New_York\n',
      );
      const imported = await runCli(['import', 'contacts', file, '--campaign', 'Q4', '--json'], env);
      expect(imported.code, imported.stderr).toBe(0);
      const logged = await runCli(
        ['log', '1', 'appointment_set', '--when', 'next Tuesday 3pm', '--user', 'rex@ex.test', '--json'],
        env,
      );
      expect(logged.code, logged.stderr).toBe(0);
      const listed = await runCli(['appointments', '--json'], env);
      expect(listed.code, listed.stderr).toBe(0);
      const list = JSON.parse(listed.stdout) as {
        id: number;
        status: string;
        contact: string;
        sequence: number;
      }[];
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ contact: 'Dana Ruiz', status: 'scheduled', sequence: 0 });
      id = list[0]!.id;
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('prints the invite: a stable UID with the host, the number to dial, RFC 5545 lines', async () => {
      const ics = await runCli(['appointments', 'ics', String(id)], env);
      expect(ics.code, ics.stderr).toBe(0);
      expectRfc5545Lines(ics.stdout);
      expect(parseInvite(ics.stdout)).toMatchObject({
        method: 'REQUEST',
        uid: `appointment-${id}@${HOST}`,
        sequence: 0,
        location: '+12125550187',
      });
    });

    it('reschedules and cancels, each change shown in the list and the invite', async () => {
      const moved = await runCli(
        ['appointments', 'reschedule', String(id), '--when', 'next Wednesday 4pm'],
        env,
      );
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stdout).toMatch(
        new RegExp(`^Appointment ${id} with Dana Ruiz is rescheduled: Wed, .+ 4:00 PM EST\\.\\n$`),
      );
      const table = await runCli(['appointments', '--user', 'rex@ex.test'], env);
      expect(table.stdout).toContain('Dana Ruiz (Acme)');
      expect(table.stdout).toMatch(/Rex\s+rescheduled/);

      const early = await runCli(['appointments', 'held', String(id)], env);
      expect(early.code).not.toBe(0);
      expect(early.stderr).toContain('has not started yet, so it cannot be marked held');

      const cancelled = await runCli(['appointments', 'cancel', String(id), '--json'], env);
      expect(cancelled.code, cancelled.stderr).toBe(0);
      expect(JSON.parse(cancelled.stdout)).toMatchObject({ status: 'cancelled', sequence: 2 });
      const ics = (await runCli(['appointments', 'ics', String(id)], env)).stdout;
      expect(parseInvite(ics)).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', sequence: 2 });

      const missing = await runCli(['appointments', 'cancel', '999999'], env);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('there is no appointment 999999');
      const badWhen = await runCli(['appointments', 'reschedule', String(id), '--when', 'whenever'], env);
      expect(badWhen.code).not.toBe(0);
      expect(badWhen.stderr).toContain('was cancelled, so it cannot be rescheduled');
    });
  });
}
