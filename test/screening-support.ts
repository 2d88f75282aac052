/**
 * A small world for screening tests: a workspace in New York, Rex the rep (his own phone is
 * +12125550134) and Acme's people — Dana Lee (direct line) and Sam Roe (mobile) sharing
 * Acme's main line — plus Pat Poe elsewhere, all in campaign "Q4" owned by Rex.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importContacts } from '../src/app/import/import-contacts.js';
import { hashPassword } from '../src/app/passwords.js';
import type { Store } from '../src/store/db.js';
import type { User } from '../src/store/schema.js';

export const REX_PASSWORD = 'correct horse battery staple';
export const REX_PHONE = '+12125550134';
export const DANA_DIRECT = '+14155550101';
export const ACME_MAIN = '+14155550100';
export const SAM_MOBILE = '+14155550102';
export const PAT_DIRECT = '+13125550177';
export const UNKNOWN = '+16175550199';

// Tuesday 24 Nov 2026, 11:00 in New York: Rex leaves Dana a voicemail.
export const TUESDAY_11 = Date.parse('2026-11-24T16:00:00Z');
// Wednesday 25 Nov 2026, 10:00 in New York: Rex works a call block.
export const WEDNESDAY_10 = Date.parse('2026-11-25T15:00:00Z');
export const MINUTE = 60_000;

export interface ScreeningWorld {
  workspaceId: number;
  rex: User;
  dana: number;
  sam: number;
  pat: number;
}

export async function screeningWorld(store: Store): Promise<ScreeningWorld> {
  await store.db
    .insertInto('workspaces')
    .values({ id: 1, name: 'Test', default_country: 'US', time_zone: 'America/New_York', created_at: 0 })
    .execute();
  const rex = await store.db
    .insertInto('users')
    .values({
      workspace_id: 1,
      email: 'rex@ex.test',
      name: 'Rex',
      role: 'rep',
      phone: REX_PHONE,
      time_zone: 'America/New_York',
      password_hash: await hashPassword(REX_PASSWORD),
      created_at: 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const dir = mkdtempSync(join(tmpdir(), 'ringback-screening-'));
  const file = join(dir, 'contacts.csv');
  writeFileSync(
    file,
    [
      'First Name,Last Name,Company,Direct Phone,Mobile Phone,Company Phone,Time Zone',
      `Dana,Lee,Acme,${DANA_DIRECT},,${ACME_MAIN},America/New_York`,
      `Sam,Roe,Acme,,${SAM_MOBILE},${ACME_MAIN},America/New_York`,
      `Pat,Poe,Beta,${PAT_DIRECT},,,America/Chicago`,
    ].join('\n'),
  );
  const summary = await importContacts(store, {
    file,
    campaign: 'Q4',
    ownerEmail: 'rex@ex.test',
    now: 0,
    worker: false,
  });
  if (summary.rejected > 0) throw new Error(`fixture rows rejected: ${JSON.stringify(summary.errors)}`);
  const ids = new Map(
    (await store.db.selectFrom('contacts').select(['id', 'last_name']).execute()).map((r) => [
      r.last_name,
      r.id,
    ]),
  );
  return { workspaceId: 1, rex, dana: ids.get('Lee')!, sam: ids.get('Roe')!, pat: ids.get('Poe')! };
}
