/**
 * The three demo campaigns: B2B software sales, a recruiter marketing a candidate to hiring
 * managers, and a direct-sales consultant booking candle parties. Each has its own cadence
 * settings, scripts, and the titles, interests and hooks of the people on its list.
 */
import { type CadencePolicy, cadencePolicySchema } from '../cadence/policy.js';
import { DEMO_SCRIPTS } from '../scripts/defaults.js';
import { type CampaignScripts, campaignScriptsSchema } from '../scripts/schema.js';

export type CampaignKind = 'sales' | 'recruiting' | 'direct_sales' | 'agency';
export type Urgency = 'high' | 'normal' | 'low';
export type DemoCampaignKey = 'software' | 'candidate' | 'parties';

/** Relative weights of what a live conversation turns into. */
export interface ConversationMix {
  connected: number;
  callback_requested: number;
  appointment_set: number;
  not_interested: number;
  do_not_call: number;
  won: number;
}

export interface DemoCampaignSpec {
  key: DemoCampaignKey;
  name: string;
  kind: CampaignKind;
  urgency: Urgency;
  topic: string;
  policy: CadencePolicy;
  scripts: CampaignScripts;
  /** What a first live conversation with a cold contact turns into. */
  conversation: ConversationMix;
  appointmentTitle: string;
  appointmentMinutes: number;
  titles: readonly string[];
  interests: readonly string[];
  /** Phrases for the voicemail's {{hook}}; the contact's notes carry one. */
  hooks: readonly string[];
  /** Notes a rep types after a conversation. */
  callNotes: readonly string[];
}

export const DEMO_CAMPAIGNS: readonly DemoCampaignSpec[] = [
  {
    key: 'software',
    name: 'Ledgerline — finance teams',
    kind: 'sales',
    urgency: 'normal',
    topic: 'cutting invoice-approval time',
    policy: cadencePolicySchema.parse({ attemptLimit: 7, voicemail: 'always' }),
    scripts: campaignScriptsSchema.parse(DEMO_SCRIPTS.software),
    conversation: {
      connected: 52,
      callback_requested: 12,
      appointment_set: 11,
      not_interested: 20,
      do_not_call: 3,
      won: 2,
    },
    appointmentTitle: 'Ledgerline demo',
    appointmentMinutes: 30,
    titles: [
      'CFO',
      'Controller',
      'VP Finance',
      'Director of Finance',
      'AP Manager',
      'Finance Operations Lead',
      'Head of Accounting',
      'Assistant Controller',
    ],
    interests: [
      'AP automation',
      'NetSuite',
      'month-end close',
      'spend controls',
      'QuickBooks',
      'audit readiness',
      'vendor payments',
    ],
    hooks: [
      'I saw you moved to NetSuite last spring',
      'congratulations on the Series B',
      'I noticed you’re hiring two AP specialists',
      'I read your post on a faster month-end close',
      'your team has doubled since last year',
      'a colleague of yours at a sister company uses us',
    ],
    callNotes: [
      'Uses spreadsheets and email for approvals; send the one-pager.',
      'Budget cycle starts in Q3; call back then.',
      'Interested in the NetSuite integration.',
      'Happy with their current tool, contract ends next year.',
      'Wants to see pricing for 3 entities.',
      'Forwarded to the controller; follow up next week.',
    ],
  },
  {
    key: 'candidate',
    name: 'Brightpath — senior backend engineer',
    kind: 'recruiting',
    urgency: 'high',
    topic: 'a senior backend engineer who is open to a move',
    policy: cadencePolicySchema.parse({
      attemptLimit: 5,
      voicemail: 'first_and_last',
      breakUpOn: 'before_last',
      afterVoicemailBusinessDays: { min: 1, max: 1 },
      spacingDays: { high: { min: 2, max: 3 }, normal: { min: 4, max: 7 }, low: { min: 7, max: 10 } },
    }),
    scripts: campaignScriptsSchema.parse(DEMO_SCRIPTS.candidate),
    conversation: {
      connected: 48,
      callback_requested: 12,
      appointment_set: 15,
      not_interested: 19,
      do_not_call: 3,
      won: 3,
    },
    appointmentTitle: 'Candidate intro call',
    appointmentMinutes: 15,
    titles: [
      'VP Engineering',
      'Engineering Manager',
      'CTO',
      'Director of Platform',
      'Head of Infrastructure',
      'Head of Talent',
      'Principal Engineer',
    ],
    interests: [
      'Go',
      'PostgreSQL',
      'Kubernetes',
      'payments',
      'platform team',
      'remote hiring',
      'on-call culture',
    ],
    hooks: [
      'I saw you’re hiring for your platform team',
      'your backend role has been open for a while',
      'you just raised a round to grow engineering',
      'you’re bringing payments in-house',
      'your team is moving services to Go',
    ],
    callNotes: [
      'Role is on hold until the next board meeting.',
      'Wants the résumé today; sent.',
      'Only hiring in Austin, no remote.',
      'Has an agency already but open to one strong profile.',
      'Asked for salary expectations before a call.',
    ],
  },
  {
    key: 'parties',
    name: 'Hearth & Wick — spring parties',
    kind: 'direct_sales',
    urgency: 'low',
    topic: 'hosting a candle party this spring',
    policy: cadencePolicySchema.parse({
      attemptLimit: 10,
      voicemail: 'experiment',
      // Weekday evenings are when people are home; no calls on weekends.
      consumerWindow: { start: '10:00', end: '20:00', days: [1, 2, 3, 4, 5] },
    }),
    scripts: campaignScriptsSchema.parse(DEMO_SCRIPTS.parties),
    conversation: {
      connected: 46,
      callback_requested: 12,
      appointment_set: 12,
      not_interested: 22,
      do_not_call: 5,
      won: 3,
    },
    appointmentTitle: 'Party planning call',
    appointmentMinutes: 15,
    titles: [''],
    interests: ['candles', 'home fragrance', 'book club', 'gifting', 'wellness', 'hosting', 'seasonal decor'],
    hooks: [
      'you loved the Cedar & Smoke candle at Dana’s party',
      'you asked about the fall collection',
      'your party last year was such fun',
      'a friend of yours just hosted with me',
      'you signed up at the holiday craft fair',
    ],
    callNotes: [
      'Might host in May, after the kids’ recitals.',
      'Wants the catalogue by email first.',
      'Prefers a virtual party.',
      'Ordered two candles, not ready to host.',
      'Husband answers usually; she is home after 6.',
    ],
  },
];

/** What a live conversation at a booked appointment or requested callback turns into. */
export const FOLLOW_UP_MIX: Record<'appointment' | 'callback', ConversationMix> = {
  appointment: {
    connected: 30,
    callback_requested: 12,
    appointment_set: 3,
    not_interested: 20,
    do_not_call: 0,
    won: 35,
  },
  callback: {
    connected: 35,
    callback_requested: 8,
    appointment_set: 25,
    not_interested: 25,
    do_not_call: 2,
    won: 5,
  },
};
