/**
 * API tokens get a scope (`full`, `read-only`, `telephony`; core/tokens/mint.ts) and may
 * expire. Tokens made before keep full scope and never expire, as they did.
 */
import { type Kysely, sql } from 'kysely';
import { bigint, type DialectName } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scope', 'text', (c) =>
      c.notNull().defaultTo('full').check(sql`scope in ('full', 'read-only', 'telephony')`),
    )
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', bigint).execute();
}

export async function down(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('api_tokens').dropColumn('scope').execute();
}
