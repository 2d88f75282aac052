/**
 * Table types for Kysely. Timestamps are UTC epoch milliseconds (`*_at` columns) and
 * flags are 0/1 integers, so both databases return the same values for the same query.
 * JSON documents (policies, scripts, stats) are text validated by zod at the edges.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AppointmentStatus } from '../core/appointments/lifecycle.js';
import type { EnrollmentState, Outcome } from '../core/cadence/types.js';
import type { TokenScope } from '../core/tokens/mint.js';

/** Epoch milliseconds, UTC. */
export type Millis = number;
type Id = Generated<number>;
type Flag = ColumnType<number, number | undefined, number>;
/** A column with a database default: optional on insert. */
type D<T> = ColumnType<T, T | undefined, T>;

export interface WorkspaceTable {
  id: Id;
  name: string;
  default_country: D<string>;
  time_zone: D<string>;
  /** JSON: { stateRules?: overrides, holidays?: ['YYYY-MM-DD'] }. */
  settings: D<string>;
  /** Minutes before an appointment its user is reminded; 0 for never. */
  reminder_minutes: D<number>;
  created_at: Millis;
}

export interface TeamTable {
  id: Id;
  workspace_id: number;
  name: string;
  created_at: Millis;
}

export type Role = 'rep' | 'manager' | 'admin';

export interface UserTable {
  id: Id;
  workspace_id: number;
  team_id: number | null;
  email: string;
  name: D<string>;
  role: Role;
  phone: string | null;
  time_zone: D<string>;
  password_hash: string | null;
  created_at: Millis;
  /** Null while active; a deactivated user cannot sign in and keeps their history. */
  deactivated_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** JSON { start, end, days } in the user's zone; null: the workspace's business window. */
  calling_hours: ColumnType<string | null, string | null | undefined, string | null>;
  /** 0: the block page's single-key shortcuts are off (WCAG 2.1.4). */
  keyboard_shortcuts: Flag;
}

export interface CompanyTable {
  id: Id;
  workspace_id: number;
  name: string;
  /** Lower-cased, trimmed name: how imports find an existing company. */
  name_key: string;
  created_at: Millis;
}

export interface ContactTable {
  id: Id;
  workspace_id: number;
  first_name: D<string>;
  last_name: D<string>;
  title: D<string>;
  company_id: number | null;
  email: D<string>;
  /** Lower-cased email for matching; '' when there is none. */
  email_key: D<string>;
  time_zone: D<string>;
  kind: D<'business' | 'consumer'>;
  interests: D<string>;
  notes: D<string>;
  street: D<string>;
  city: D<string>;
  region: D<string>;
  postal_code: D<string>;
  country: D<string>;
  owner_id: number | null;
  do_not_call: Flag;
  created_at: Millis;
  updated_at: Millis;
  /** The import that created the contact (what undoing it removes); null for any other way. */
  import_run_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface NumberTable {
  id: Id;
  workspace_id: number;
  e164: string;
  country: string | null;
  /** 0 once a call proved it dead (`bad_number`). */
  valid: Flag;
  created_at: Millis;
  /** The import that created the number; null for any other way. */
  import_run_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export type NumberSource = 'import' | 'manual' | 'gatekeeper' | 'demo';

export interface ContactNumberTable {
  contact_id: number;
  number_id: number;
  kind: 'direct' | 'mobile' | 'main' | 'assistant' | 'home' | 'other';
  extension: D<string>;
  source: NumberSource;
  created_at: Millis;
}

export interface CampaignTable {
  id: Id;
  workspace_id: number;
  name: string;
  kind: 'sales' | 'recruiting' | 'direct_sales' | 'agency';
  urgency: 'high' | 'normal' | 'low';
  /** JSON of the cadence policy. */
  policy: string;
  /** JSON of the campaign's scripts. */
  scripts: string;
  topic: D<string>;
  team_id: number | null;
  created_by: number | null;
  created_at: Millis;
  archived_at: Millis | null;
}

export type { EnrollmentState } from '../core/cadence/types.js';

export interface EnrollmentTable {
  id: Id;
  workspace_id: number;
  campaign_id: number;
  contact_id: number;
  owner_id: number | null;
  state: EnrollmentState;
  attempt_count: ColumnType<number, number | undefined, number>;
  connect_count: ColumnType<number, number | undefined, number>;
  next_due_at: Millis | null;
  /** What kind of call is due: places the enrollment in the queue. */
  due_kind: 'appointment' | 'callback' | 'retry' | 'fresh' | null;
  priority: ColumnType<number, number | undefined, number>;
  put_offs: ColumnType<number, number | undefined, number>;
  flagged: Flag;
  experiment_arm: 'leave' | 'skip' | null;
  lease_user_id: number | null;
  lease_expires_at: Millis | null;
  last_attempt_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

export { OUTCOMES, type Outcome } from '../core/cadence/types.js';

export interface AttemptTable {
  id: Id;
  workspace_id: number;
  enrollment_id: number | null;
  campaign_id: number | null;
  contact_id: number;
  user_id: number | null;
  number_id: number | null;
  started_at: Millis;
  ended_at: Millis | null;
  duration_s: number | null;
  outcome: Outcome;
  note: D<string>;
  voicemail_left: Flag;
  /** Which script was offered: 'intro' | 'follow_up' | 'break_up' | … */
  script: string | null;
  /** The time the outcome named (callback, appointment, return date). */
  scheduled_for: Millis | null;
  idempotency_key: string | null;
  /** 1 when the call was recorded after a recording-consent notice. */
  consent_notice: Flag;
  created_at: Millis;
}

/** Counts behind the insights: see migrations/2026-12-07-220-attempt-rollups.ts. */
export interface AttemptRollupTable {
  workspace_id: number;
  hour_at: Millis;
  user_id: number;
  campaign_id: number;
  arm: string;
  local_hour: number;
  weekday: number;
  band: string;
  attempt: number;
  fresh: number;
  outcome: Outcome;
  dials: number;
  timed_dials: number;
  timed_seconds: number;
}

export type { AppointmentStatus } from '../core/appointments/lifecycle.js';

export interface AppointmentTable {
  id: Id;
  workspace_id: number;
  enrollment_id: number | null;
  contact_id: number;
  user_id: number;
  attempt_id: number | null;
  starts_at: Millis;
  duration_min: D<number>;
  title: D<string>;
  notes: D<string>;
  status: AppointmentStatus;
  /** Raised by each change, so a calendar takes the newer invite (RFC 5545 SEQUENCE). */
  sequence: ColumnType<number, number | undefined, number>;
  uid: string;
  /** When the reminder went out (claimed by one server process); null until then. */
  reminded_at: Millis | null;
  created_at: Millis;
}

export interface CallbackEntryTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  contact_id: number;
  reason: 'voicemail_left' | 'callback_requested' | 'appointment' | 'manual';
  attempt_id: number | null;
  since_at: Millis;
  expires_at: Millis;
  cleared_at: Millis | null;
}

export interface CallBlockTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  started_at: Millis;
  planned_end_at: Millis;
  ended_at: Millis | null;
  /** JSON statistics written when the block ends. */
  stats: D<string>;
}

/** A call passed over without dialling (the block page's skip). */
export interface SkipTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  contact_id: number;
  enrollment_id: number;
  block_id: number | null;
  reason: 'bad_moment' | 'need_research' | 'not_now' | null;
  skipped_at: Millis;
}

/** A user's last logged outcome or skip, with what it changed (JSON), for undo. */
export interface UndoableLogTable {
  user_id: number;
  workspace_id: number;
  kind: 'attempt' | 'skip';
  /** The attempt's or the skip's id. */
  target_id: number;
  logged_at: Millis;
  journal: string;
}

export interface ScreeningDecisionTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  block_id: number | null;
  caller_raw: string;
  caller_e164: string | null;
  contact_id: number | null;
  action: 'ring' | 'voicemail';
  reason: string;
  callback_entry_id: number | null;
  attempt_id: number | null;
  decided_at: Millis;
  /** The telephony provider's call id (CallSid); null for lookups without a provider. */
  call_sid: string | null;
  /** 1 when the store was too slow and the call rang through unscreened. */
  fail_open: Flag;
}

/** A message left by an inbound caller sent to voicemail: on the contact's timeline. */
export interface VoicemailTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  contact_id: number | null;
  decision_id: number | null;
  call_sid: string;
  recording_sid: string;
  caller_e164: string | null;
  recording_url: string;
  duration_s: number;
  transcription: string | null;
  received_at: Millis;
}

/** An outbound click-to-call placed through the provider, until its status logs an attempt. */
export interface ProviderCallTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  contact_id: number;
  campaign_id: number | null;
  to_e164: string;
  call_sid: string | null;
  status: D<string>;
  answered_by: string | null;
  attempt_id: number | null;
  /** The number shown to the contact; null on calls placed before it was kept (the workspace caller ID). */
  caller_id: D<string | null>;
  /** 1 when a recording-consent notice was played to the contact. */
  consent_notice: Flag;
  created_at: Millis;
  updated_at: Millis;
}

export interface DncEntryTable {
  id: Id;
  workspace_id: number;
  /** Exactly one of e164 / contact_id is set. */
  e164: string | null;
  contact_id: number | null;
  reason: D<string>;
  source: string;
  created_by: number | null;
  created_at: Millis;
}

/** A workspace's current list from one do-not-call registry. */
export interface DncRegistryListTable {
  id: Id;
  workspace_id: number;
  source: 'us-national' | 'ca-dncl' | 'uk-tps' | 'uk-ctps';
  /** The registry's date for the list, 'YYYY-MM-DD'. */
  as_of: string;
  numbers: number;
  /** JSON array of the E.164 digit prefixes the list covers. */
  coverage: string;
  loaded_at: Millis;
  loaded_by: number | null;
}

/** A number on a registry list: E.164 digits as an integer. */
export interface DncRegistryNumberTable {
  list_id: number;
  number: number;
}

export interface ImportRunTable {
  id: Id;
  workspace_id: number;
  file_name: string;
  format: 'csv' | 'vcard';
  encoding: D<string>;
  options: D<string>;
  status: 'running' | 'done' | 'failed';
  read: ColumnType<number, number | undefined, number>;
  created: ColumnType<number, number | undefined, number>;
  updated: ColumnType<number, number | undefined, number>;
  unchanged: ColumnType<number, number | undefined, number>;
  rejected: ColumnType<number, number | undefined, number>;
  started_at: Millis;
  finished_at: Millis | null;
  message: D<string>;
  /** Last time its process committed a batch; a run long silent while 'running' was killed. */
  heartbeat_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** The uploaded file of an API import, to remove if its process dies. */
  upload_path: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the run was undone; null while it stands. */
  undone_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
}

/** What a batch of an import changed on a stored contact, with the values before (JSON). */
export interface ImportJournalTable {
  id: Id;
  import_run_id: number;
  contact_id: number;
  before: string;
}

export interface ImportErrorTable {
  id: Id;
  import_run_id: number;
  row: number;
  field: string;
  message: D<string>;
}

export interface SessionTable {
  /** sha256 (hex) of the cookie's token. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Millis;
  expires_at: Millis;
  last_seen_at: Millis;
}

export interface ApiTokenTable {
  id: Id;
  user_id: number;
  name: string;
  /** sha256 (hex) of the token. */
  token_hash: string;
  created_at: Millis;
  last_used_at: Millis | null;
  revoked_at: Millis | null;
  /** What the token may do (core/tokens/mint.ts). */
  scope: D<TokenScope>;
  /** Null: never expires. */
  expires_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
}

export interface IdempotencyKeyTable {
  user_id: number;
  key: string;
  workspace_id: number;
  fingerprint: string;
  status: number;
  /** The first response's JSON body. */
  response: string;
  created_at: Millis;
}

export interface SignInAttemptTable {
  /** `account:EMAIL|ADDRESS` or `address:ADDRESS`. */
  key: string;
  window_start: Millis;
  attempts: number;
}

/** See migrations/2026-12-08-300-webhooks.ts. */
export interface WebhookEndpointTable {
  id: Id;
  workspace_id: number;
  url: string;
  /** JSON array of the event types subscribed (webhook_subscriptions holds them for lookups). */
  events: string;
  /** `whsec_…`, the Standard Webhooks signing secret. */
  secret: string;
  allow_private: Flag;
  /** Set when its retries ran out; a replay clears it. */
  disabled_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  disabled_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** A delivery worker's lease on the endpoint, until this time; free from then on. */
  claimed_until: D<Millis>;
  claim_token: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: number | null;
  created_at: Millis;
}

export interface WebhookSubscriptionTable {
  workspace_id: number;
  event_type: string;
  endpoint_id: number;
}

export interface WebhookEventTable {
  id: Id;
  workspace_id: number;
  type: string;
  /** JSON of the event's `data`. */
  payload: string;
  created_at: Millis;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryTable {
  id: Id;
  endpoint_id: number;
  event_id: number;
  state: WebhookDeliveryState;
  attempts: D<number>;
  next_attempt_at: Millis;
  first_attempt_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  last_attempt_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  last_status: ColumnType<number | null, number | null | undefined, number | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  delivered_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  created_at: Millis;
}

export interface Database {
  workspaces: WorkspaceTable;
  teams: TeamTable;
  users: UserTable;
  companies: CompanyTable;
  contacts: ContactTable;
  numbers: NumberTable;
  contact_numbers: ContactNumberTable;
  campaigns: CampaignTable;
  enrollments: EnrollmentTable;
  attempts: AttemptTable;
  attempt_rollups: AttemptRollupTable;
  appointments: AppointmentTable;
  callback_entries: CallbackEntryTable;
  call_blocks: CallBlockTable;
  skips: SkipTable;
  undoable_logs: UndoableLogTable;
  screening_decisions: ScreeningDecisionTable;
  voicemails: VoicemailTable;
  provider_calls: ProviderCallTable;
  dnc_entries: DncEntryTable;
  dnc_registry_lists: DncRegistryListTable;
  dnc_registry_numbers: DncRegistryNumberTable;
  import_runs: ImportRunTable;
  import_errors: ImportErrorTable;
  import_journal: ImportJournalTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  idempotency_keys: IdempotencyKeyTable;
  sign_in_attempts: SignInAttemptTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
}

export type Contact = Selectable<ContactTable>;
export type NewContact = Insertable<ContactTable>;
export type ContactUpdate = Updateable<ContactTable>;
export type User = Selectable<UserTable>;
export type Campaign = Selectable<CampaignTable>;
export type Enrollment = Selectable<EnrollmentTable>;
export type Attempt = Selectable<AttemptTable>;
export type Workspace = Selectable<WorkspaceTable>;
