/**
 * The initial data model. Never edit once shipped: add a new migration instead.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { bigint, type DialectName, refersTo, withId } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await withId(db.schema.createTable('workspaces'), dialect)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('default_country', 'text', (c) => c.notNull().defaultTo('US'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('America/New_York'))
    // JSON: workspace overrides such as state calling rules and days off.
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('teams'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('teams_workspace_name', ['workspace_id', 'name'])
    .execute();

  await withId(db.schema.createTable('users'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('team_id', bigint, refersTo('teams', 'set null'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('rep', 'manager', 'admin')`))
    .addColumn('phone', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('America/New_York'))
    .addColumn('password_hash', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('users_workspace_email', ['workspace_id', 'email'])
    .execute();

  await withId(db.schema.createTable('companies'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('companies_workspace_name_key', ['workspace_id', 'name_key'])
    .execute();

  let contacts = withId(db.schema.createTable('contacts'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('company_id', bigint, refersTo('companies', 'set null'))
    .addColumn('owner_id', bigint, refersTo('users', 'set null'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().defaultTo('business').check(sql`kind in ('business', 'consumer')`),
    )
    .addColumn('do_not_call', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull());
  for (const column of [
    'first_name',
    'last_name',
    'title',
    'email',
    'email_key',
    'time_zone',
    'interests',
    'notes',
    'street',
    'city',
    'region',
    'postal_code',
    'country',
  ]) {
    contacts = contacts.addColumn(column, 'text', (c) => c.notNull().defaultTo(''));
  }
  await contacts.execute();
  await db.schema
    .createIndex('contacts_email_key')
    .on('contacts')
    .columns(['workspace_id', 'email_key'])
    .execute();
  await db.schema.createIndex('contacts_owner').on('contacts').columns(['owner_id']).execute();
  await db.schema.createIndex('contacts_company').on('contacts').columns(['company_id']).execute();
  await db.schema
    .createIndex('contacts_name')
    .on('contacts')
    .columns(['workspace_id', 'last_name', 'first_name'])
    .execute();

  await withId(db.schema.createTable('numbers'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('e164', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('valid', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('numbers_workspace_e164', ['workspace_id', 'e164'])
    .execute();

  await db.schema
    .createTable('contact_numbers')
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('number_id', bigint, (c) => refersTo('numbers', 'cascade')(c.notNull()))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('direct', 'mobile', 'main', 'assistant', 'home', 'other')`),
    )
    .addColumn('extension', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_numbers_pk', ['contact_id', 'number_id'])
    .execute();
  // Inbound screening and import dedupe go from a number to its contacts.
  await db.schema
    .createIndex('contact_numbers_number')
    .on('contact_numbers')
    .columns(['number_id'])
    .execute();

  await withId(db.schema.createTable('campaigns'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('sales', 'recruiting', 'direct_sales', 'agency')`),
    )
    .addColumn('urgency', 'text', (c) => c.notNull().check(sql`urgency in ('high', 'normal', 'low')`))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('scripts', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('team_id', bigint, refersTo('teams', 'set null'))
    .addColumn('created_by', bigint, refersTo('users', 'set null'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('archived_at', bigint)
    .addUniqueConstraint('campaigns_workspace_name', ['workspace_id', 'name'])
    .execute();

  await withId(db.schema.createTable('enrollments'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('campaign_id', bigint, (c) => refersTo('campaigns', 'cascade')(c.notNull()))
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('owner_id', bigint, refersTo('users', 'set null'))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`state in ('new', 'active', 'snoozed', 'appointment', 'won', 'lost', 'unreachable', 'dnc')`,
        ),
    )
    .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('connect_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_due_at', bigint)
    .addColumn('due_kind', 'text', (c) =>
      c.check(sql`due_kind in ('appointment', 'callback', 'retry', 'fresh')`),
    )
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('put_offs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('experiment_arm', 'text', (c) => c.check(sql`experiment_arm in ('leave', 'skip')`))
    .addColumn('lease_user_id', bigint, refersTo('users', 'set null'))
    .addColumn('lease_expires_at', bigint)
    .addColumn('last_attempt_at', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('enrollments_campaign_contact', ['campaign_id', 'contact_id'])
    .execute();
  // The queue: what is due next, per campaign and per rep.
  await db.schema
    .createIndex('enrollments_campaign_due')
    .on('enrollments')
    .columns(['campaign_id', 'state', 'next_due_at'])
    .execute();
  await db.schema
    .createIndex('enrollments_owner_due')
    .on('enrollments')
    .columns(['owner_id', 'state', 'next_due_at'])
    .execute();
  await db.schema.createIndex('enrollments_contact').on('enrollments').columns(['contact_id']).execute();
  await db.schema
    .createIndex('enrollments_lease')
    .on('enrollments')
    .columns(['lease_user_id', 'lease_expires_at'])
    .execute();

  await withId(db.schema.createTable('attempts'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('enrollment_id', bigint, refersTo('enrollments', 'set null'))
    .addColumn('campaign_id', bigint, refersTo('campaigns', 'set null'))
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('user_id', bigint, refersTo('users', 'set null'))
    .addColumn('number_id', bigint, refersTo('numbers', 'set null'))
    .addColumn('started_at', bigint, (c) => c.notNull())
    .addColumn('ended_at', bigint)
    .addColumn('duration_s', 'integer')
    .addColumn('outcome', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`outcome in ('connected', 'gatekeeper', 'voicemail_left', 'voicemail_skipped', 'no_answer', 'busy', 'bad_number', 'wrong_person', 'callback_requested', 'appointment_set', 'away', 'not_interested', 'do_not_call', 'won')`,
        ),
    )
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('voicemail_left', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('script', 'text')
    .addColumn('scheduled_for', bigint)
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('attempts_contact_time')
    .on('attempts')
    .columns(['contact_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('attempts_user_time')
    .on('attempts')
    .columns(['user_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('attempts_campaign_time')
    .on('attempts')
    .columns(['campaign_id', 'started_at'])
    .execute();
  await db.schema.createIndex('attempts_enrollment').on('attempts').columns(['enrollment_id']).execute();
  await db.schema
    .createIndex('attempts_idempotency')
    .on('attempts')
    .columns(['workspace_id', 'user_id', 'idempotency_key'])
    .unique()
    .execute();

  await withId(db.schema.createTable('appointments'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('enrollment_id', bigint, refersTo('enrollments', 'set null'))
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('attempt_id', bigint, refersTo('attempts', 'set null'))
    .addColumn('starts_at', bigint, (c) => c.notNull())
    .addColumn('duration_min', 'integer', (c) => c.notNull().defaultTo(15))
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('scheduled', 'done', 'cancelled', 'missed')`),
    )
    .addColumn('uid', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('appointments_user_time')
    .on('appointments')
    .columns(['user_id', 'starts_at'])
    .execute();
  await db.schema.createIndex('appointments_contact').on('appointments').columns(['contact_id']).execute();

  await withId(db.schema.createTable('callback_entries'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('contact_id', bigint, (c) => refersTo('contacts', 'cascade')(c.notNull()))
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('voicemail_left', 'callback_requested', 'appointment', 'manual')`),
    )
    .addColumn('attempt_id', bigint, refersTo('attempts', 'set null'))
    .addColumn('since_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .addColumn('cleared_at', bigint)
    .execute();
  await db.schema
    .createIndex('callback_entries_user_expiry')
    .on('callback_entries')
    .columns(['user_id', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('callback_entries_contact')
    .on('callback_entries')
    .columns(['contact_id'])
    .execute();

  await withId(db.schema.createTable('call_blocks'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('started_at', bigint, (c) => c.notNull())
    .addColumn('planned_end_at', bigint, (c) => c.notNull())
    .addColumn('ended_at', bigint)
    .addColumn('stats', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('call_blocks_user_time')
    .on('call_blocks')
    .columns(['user_id', 'started_at'])
    .execute();

  await withId(db.schema.createTable('screening_decisions'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('user_id', bigint, (c) => refersTo('users', 'cascade')(c.notNull()))
    .addColumn('block_id', bigint, refersTo('call_blocks', 'set null'))
    .addColumn('caller_raw', 'text', (c) => c.notNull())
    .addColumn('caller_e164', 'text')
    .addColumn('contact_id', bigint, refersTo('contacts', 'set null'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('ring', 'voicemail')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('callback_entry_id', bigint, refersTo('callback_entries', 'set null'))
    .addColumn('attempt_id', bigint, refersTo('attempts', 'set null'))
    .addColumn('decided_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('screening_decisions_user_time')
    .on('screening_decisions')
    .columns(['user_id', 'decided_at'])
    .execute();

  await withId(db.schema.createTable('dnc_entries'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('e164', 'text')
    .addColumn('contact_id', bigint, refersTo('contacts', 'cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', bigint, refersTo('users', 'set null'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addCheckConstraint('dnc_entries_target', sql`(e164 is null) <> (contact_id is null)`)
    .execute();
  await db.schema
    .createIndex('dnc_entries_e164')
    .on('dnc_entries')
    .columns(['workspace_id', 'e164'])
    .execute();
  await db.schema
    .createIndex('dnc_entries_contact')
    .on('dnc_entries')
    .columns(['workspace_id', 'contact_id'])
    .execute();

  await withId(db.schema.createTable('import_runs'), dialect)
    .addColumn('workspace_id', bigint, (c) => refersTo('workspaces', 'cascade')(c.notNull()))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('csv', 'vcard')`))
    .addColumn('encoding', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'done', 'failed')`))
    .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', bigint, (c) => c.notNull())
    .addColumn('finished_at', bigint)
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await withId(db.schema.createTable('import_errors'), dialect)
    .addColumn('import_run_id', bigint, (c) => refersTo('import_runs', 'cascade')(c.notNull()))
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('import_errors_run_row')
    .on('import_errors')
    .columns(['import_run_id', 'row'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'import_errors',
    'import_runs',
    'dnc_entries',
    'screening_decisions',
    'call_blocks',
    'callback_entries',
    'appointments',
    'attempts',
    'enrollments',
    'campaigns',
    'contact_numbers',
    'numbers',
    'contacts',
    'companies',
    'users',
    'teams',
    'workspaces',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
