/**
 * Campaign policies: the break-up message moves from "from attempt N" (breakUpFromAttempt) to
 * the end of the cadence (breakUpOn: 'last' | 'before_last'), so a stored policy's old key is
 * dropped and the new one set to its default. Down restores the old default.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

async function rewrite(
  db: Kysely<unknown>,
  change: (policy: Record<string, unknown>) => void,
): Promise<void> {
  const rows = await sql<{ id: number; policy: string }>`select id, policy from campaigns`.execute(db);
  for (const row of rows.rows) {
    const policy = JSON.parse(row.policy || '{}') as Record<string, unknown>;
    change(policy);
    await sql`update campaigns set policy = ${JSON.stringify(policy)} where id = ${row.id}`.execute(db);
  }
}

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await rewrite(db, (policy) => {
    if (!('breakUpFromAttempt' in policy)) return;
    delete policy.breakUpFromAttempt;
    policy.breakUpOn ??= 'last';
  });
}

export async function down(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await rewrite(db, (policy) => {
    if (!('breakUpOn' in policy)) return;
    delete policy.breakUpOn;
    policy.breakUpFromAttempt = 4;
  });
}
