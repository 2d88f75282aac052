/**
 * The demo world as plain objects, one array per table. Ids are local (1, 2, 3… per table)
 * and references use them; whoever writes the world maps them to the ids the store hands out.
 */
import type { CadencePolicy } from '../cadence/policy.js';
import type { ContactKind, NumberKind } from '../contact-fields.js';
import type { CampaignScripts, VoicemailScript } from '../scripts/schema.js';
import type { CampaignKind, DemoCampaignKey, Urgency } from './campaigns.js';

export type DemoRole = 'rep' | 'manager' | 'admin';

export type DemoOutcome =
  | 'connected'
  | 'gatekeeper'
  | 'voicemail_left'
  | 'voicemail_skipped'
  | 'no_answer'
  | 'busy'
  | 'bad_number'
  | 'wrong_person'
  | 'callback_requested'
  | 'appointment_set'
  | 'away'
  | 'not_interested'
  | 'do_not_call'
  | 'won';

/** Outcomes where the contact was on the line. */
export const LIVE_OUTCOMES: ReadonlySet<DemoOutcome> = new Set([
  'connected',
  'callback_requested',
  'appointment_set',
  'not_interested',
  'do_not_call',
  'won',
]);

export type DemoEnrollmentState =
  | 'new'
  | 'active'
  | 'snoozed'
  | 'appointment'
  | 'won'
  | 'lost'
  | 'unreachable'
  | 'dnc';

export interface DemoTeam {
  id: number;
  name: string;
  createdAt: number;
}

export interface DemoUser {
  id: number;
  teamId: number;
  email: string;
  name: string;
  role: DemoRole;
  phone: string;
  timeZone: string;
  createdAt: number;
}

export interface DemoCompany {
  id: number;
  name: string;
  nameKey: string;
  createdAt: number;
}

export interface DemoContact {
  id: number;
  firstName: string;
  lastName: string;
  title: string;
  companyId: number | null;
  email: string;
  emailKey: string;
  /** As stored: '' for some North American contacts, to be derived from the number. */
  timeZone: string;
  kind: ContactKind;
  interests: string;
  notes: string;
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  ownerId: number;
  doNotCall: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface DemoNumber {
  id: number;
  e164: string;
  country: string;
  valid: boolean;
  createdAt: number;
}

export interface DemoContactNumber {
  contactId: number;
  numberId: number;
  kind: NumberKind;
  extension: string;
  createdAt: number;
}

export interface DemoCampaign {
  id: number;
  key: DemoCampaignKey;
  name: string;
  kind: CampaignKind;
  urgency: Urgency;
  policy: CadencePolicy;
  scripts: CampaignScripts;
  topic: string;
  teamId: number;
  createdBy: number;
  createdAt: number;
}

export interface DemoEnrollment {
  id: number;
  campaignId: number;
  contactId: number;
  ownerId: number;
  state: DemoEnrollmentState;
  attemptCount: number;
  connectCount: number;
  nextDueAt: number | null;
  dueKind: 'appointment' | 'callback' | 'retry' | 'fresh' | null;
  priority: number;
  putOffs: number;
  flagged: boolean;
  experimentArm: 'leave' | 'skip' | null;
  lastAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface DemoAttempt {
  id: number;
  enrollmentId: number;
  campaignId: number;
  contactId: number;
  userId: number;
  numberId: number;
  startedAt: number;
  endedAt: number;
  durationS: number;
  outcome: DemoOutcome;
  note: string;
  voicemailLeft: boolean;
  script: VoicemailScript | null;
  scheduledFor: number | null;
  createdAt: number;
}

export interface DemoAppointment {
  id: number;
  enrollmentId: number;
  contactId: number;
  userId: number;
  attemptId: number;
  startsAt: number;
  durationMin: number;
  title: string;
  notes: string;
  status: 'scheduled' | 'held' | 'no_show';
  uid: string;
  createdAt: number;
}

export interface DemoCallbackEntry {
  id: number;
  userId: number;
  contactId: number;
  reason: 'voicemail_left' | 'callback_requested' | 'appointment';
  attemptId: number;
  sinceAt: number;
  expiresAt: number;
  clearedAt: number | null;
}

/**
 * An inbound call from a demo contact, screened as the product screens it: a call while the
 * contact is on the rep's callback list for a voicemail is credited to that voicemail's attempt
 * (and its callback-list entry); a returned missed call is not credited to anything.
 */
export interface DemoInboundCall {
  id: number;
  userId: number;
  contactId: number;
  e164: string;
  at: number;
  reason: 'callback_list' | 'not_in_block';
  attemptId: number | null;
  callbackEntryId: number | null;
}

export interface CallBlockStats {
  attempts: number;
  connects: number;
  voicemails: number;
  talkSeconds: number;
  outcomes: Partial<Record<DemoOutcome, number>>;
}

export interface DemoCallBlock {
  id: number;
  userId: number;
  startedAt: number;
  plannedEndAt: number;
  endedAt: number;
  stats: CallBlockStats;
}

export interface DemoDncEntry {
  id: number;
  contactId: number;
  reason: string;
  source: string;
  createdBy: number;
  createdAt: number;
}

export interface DemoWorld {
  seed: number;
  now: number;
  /** The demo password every demo user gets; the writer hashes it. */
  password: string;
  teams: DemoTeam[];
  users: DemoUser[];
  companies: DemoCompany[];
  contacts: DemoContact[];
  numbers: DemoNumber[];
  contactNumbers: DemoContactNumber[];
  campaigns: DemoCampaign[];
  enrollments: DemoEnrollment[];
  attempts: DemoAttempt[];
  appointments: DemoAppointment[];
  callbackEntries: DemoCallbackEntry[];
  inboundCalls: DemoInboundCall[];
  callBlocks: DemoCallBlock[];
  dncEntries: DemoDncEntry[];
}
