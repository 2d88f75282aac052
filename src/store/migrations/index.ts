/**
 * Every migration, in order. Kysely's Migrator runs them by name; names sort by date.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';
import * as initial from './2026-11-23-001-initial.js';
import * as queueIndexes from './2026-11-23-002-queue-indexes.js';
import * as sessions from './2026-11-23-020-sessions.js';
import * as importIndexes from './2026-11-24-030-import-indexes.js';
import * as queueLists from './2026-11-24-040-queue-lists.js';
import * as idempotencyKeys from './2026-11-24-050-idempotency-keys.js';
import * as screening from './2026-11-24-060-screening.js';
import * as userSettings from './2026-11-24-075-user-settings.js';
import * as dropAttemptsIdempotencyIndex from './2026-11-24-090-drop-attempts-idempotency-index.js';
import * as appointmentReminders from './2026-11-24-100-appointment-reminders.js';
import * as insights from './2026-11-24-110-insights.js';
import * as outboundCompliance from './2026-12-07-200-outbound-compliance.js';
import * as dncRegistries from './2026-12-07-210-dnc-registries.js';
import * as attemptRollups from './2026-12-07-220-attempt-rollups.js';
import * as importRunHeartbeat from './2026-12-07-230-import-run-heartbeat.js';
import * as signInAttempts from './2026-12-07-240-sign-in-attempts.js';
import * as breakUpOn from './2026-12-07-250-break-up-on.js';
import * as idsNeverReused from './2026-12-08-300-ids-never-reused.js';
import * as oneVoicemailPerCall from './2026-12-08-310-one-voicemail-per-call.js';
import * as importUndo from './2026-12-08-320-import-undo.js';
import * as skipsAndUndo from './2026-12-08-330-skips-and-undo.js';
import * as webhooks from './2026-12-08-340-webhooks.js';
import * as tokenScopes from './2026-12-08-350-token-scopes.js';
import * as webhookFanOut from './2026-12-08-360-webhook-fan-out.js';
import * as appointmentLifecycle from './2026-12-08-370-appointment-lifecycle.js';

interface DialectMigration {
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
  down(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

const MIGRATIONS: Record<string, DialectMigration> = {
  '2026-11-23-001-initial': initial,
  '2026-11-23-002-queue-indexes': queueIndexes,
  '2026-11-23-020-sessions': sessions,
  '2026-11-24-030-import-indexes': importIndexes,
  '2026-11-24-040-queue-lists': queueLists,
  '2026-11-24-050-idempotency-keys': idempotencyKeys,
  '2026-11-24-060-screening': screening,
  '2026-11-24-075-user-settings': userSettings,
  '2026-11-24-090-drop-attempts-idempotency-index': dropAttemptsIdempotencyIndex,
  '2026-11-24-100-appointment-reminders': appointmentReminders,
  '2026-11-24-110-insights': insights,
  '2026-12-07-200-outbound-compliance': outboundCompliance,
  '2026-12-07-210-dnc-registries': dncRegistries,
  '2026-12-07-220-attempt-rollups': attemptRollups,
  '2026-12-07-230-import-run-heartbeat': importRunHeartbeat,
  '2026-12-07-240-sign-in-attempts': signInAttempts,
  '2026-12-07-250-break-up-on': breakUpOn,
  '2026-12-08-300-ids-never-reused': idsNeverReused,
  '2026-12-08-310-one-voicemail-per-call': oneVoicemailPerCall,
  '2026-12-08-320-import-undo': importUndo,
  '2026-12-08-330-skips-and-undo': skipsAndUndo,
  '2026-12-08-340-webhooks': webhooks,
  '2026-12-08-350-token-scopes': tokenScopes,
  '2026-12-08-360-webhook-fan-out': webhookFanOut,
  '2026-12-08-370-appointment-lifecycle': appointmentLifecycle,
};

export function migrationsFor(dialect: DialectName): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(MIGRATIONS).map(([name, m]) => [
      name,
      { up: (db: Kysely<unknown>) => m.up(db, dialect), down: (db: Kysely<unknown>) => m.down(db, dialect) },
    ]),
  );
}
