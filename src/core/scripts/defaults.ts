/**
 * Scripts a campaign starts with, so a rep never faces an empty editor: one set per campaign
 * kind (DEFAULT_SCRIPTS), and the demo campaigns' own (DEMO_SCRIPTS). All of them pass
 * `lintScripts` with no finding.
 *
 * The defaults name no company of the caller's, because no variable carries it: the
 * campaign's `{{topic}}` says what the call is about, and the rep adds the firm's name when
 * editing. Every `{{hook}}` follows a dash or starts a sentence, so a contact with no hook
 * still gets a message that reads (see renderScript).
 *
 * @example
 *   const scripts = defaultScriptsFor('recruiting'); // a fresh copy, safe to edit
 */
import type { CampaignScripts } from './schema.js';

/** The kinds of campaign in DESIGN.md; the same list as the store's `campaigns.kind`. */
export const CAMPAIGN_KINDS = ['sales', 'recruiting', 'direct_sales', 'agency'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const DEFAULT_SCRIPTS = {
  sales: {
    elevator:
      'Hi {{first_name}}, it’s {{my_name}}. I help teams like {{company}} with {{topic}}. ' +
      'Is that worth two minutes of your time?',
    voicemail: {
      intro:
        'Hi {{first_name}}, this is {{my_name}}, {{today}}. I’m calling about {{topic}} at {{company}} — ' +
        '{{hook}}. You can reach me at {{my_number}}; again, {{my_number}}. I’ll try you {{next_call}}.',
      follow_up:
        'Hi {{first_name}}, {{my_name}} again, {{today}}. I’d still like to compare notes on {{topic}} — ' +
        '{{hook}}. It takes ten minutes. I’m at {{my_number}}, and I’ll try you {{next_call}}.',
      break_up:
        'Hi {{first_name}}, {{my_name}} here, {{today}}. I’ve tried you a few times about {{topic}} — {{hook}}. ' +
        'This is my last message; I don’t want to be a pest. If it becomes a priority at {{company}}, I’m at ' +
        '{{my_number}}. All the best.',
    },
    gatekeeper:
      'Hi, this is {{my_name}}. I’m following up with {{first_name}} about {{topic}}. Could you put me ' +
      'through, or tell me the best time to catch them?',
  },
  recruiting: {
    elevator:
      'Hi {{first_name}}, {{my_name}}, a recruiter. I’m calling about {{topic}} for {{company}}. ' +
      'Do you have thirty seconds?',
    voicemail: {
      intro:
        'Hi {{first_name}}, this is {{my_name}}, a recruiter, {{today}}. I’m calling about {{topic}} — ' +
        '{{hook}}. Call me at {{my_number}}; that’s {{my_number}}. I’ll try you again {{next_call}}.',
      follow_up:
        'Hi {{first_name}}, {{my_name}} the recruiter again, {{today}}. Timing matters on {{topic}} — ' +
        '{{hook}}. I wanted you to hear it first. Call me at {{my_number}}, or I’ll try you {{next_call}}.',
      break_up:
        'Hi {{first_name}}, {{my_name}} the recruiter, {{today}}. I’ve called about {{topic}} — {{hook}}. ' +
        'I’ll stop calling now; I don’t want to crowd your voicemail. If hiring picks up at {{company}}, ' +
        'I’m at {{my_number}}. Good luck with the search.',
    },
    gatekeeper:
      'Hi, {{my_name}} here, a recruiter. I’m calling {{first_name}} about {{topic}}. Could you put me ' +
      'through, or tell me when is best to reach them?',
  },
  direct_sales: {
    elevator:
      'Hi {{first_name}}, it’s {{my_name}}. I’m calling about {{topic}} — hosts earn free product. ' +
      'Can I tell you how it works?',
    voicemail: {
      intro:
        'Hi {{first_name}}, it’s {{my_name}}, {{today}}. I’m calling about {{topic}} — {{hook}}. Hosts earn ' +
        'free product, and it’s a fun night. Call or text me at {{my_number}}; that’s {{my_number}}. ' +
        'I’ll try you again {{next_call}}.',
      follow_up:
        'Hi {{first_name}}, {{my_name}} again, {{today}}. I still have a few dates open for {{topic}} — ' +
        '{{hook}}. Call or text {{my_number}} to pick one, or I’ll try you {{next_call}}.',
      break_up:
        'Hi {{first_name}}, it’s {{my_name}}, {{today}}. I’ve called about {{topic}} — {{hook}}. I’ll stop ' +
        'calling now, no pressure at all. If you ever fancy it, or want to reorder, call or text ' +
        '{{my_number}}. Have a lovely week!',
    },
    gatekeeper:
      'Hi, this is {{my_name}}, calling about {{topic}}. Is {{first_name}} around? When would be a good ' +
      'time to call back?',
  },
  agency: {
    elevator:
      'Hi {{first_name}}, {{my_name}} here. I’m reaching out about {{topic}}, which may fit {{company}}. ' +
      'Is now a bad time?',
    voicemail: {
      intro:
        'Hi {{first_name}}, this is {{my_name}}, {{today}}. I’m reaching out about {{topic}} — {{hook}}. ' +
        'You can reach me at {{my_number}}; again, {{my_number}}. I’ll try you {{next_call}}.',
      follow_up:
        'Hi {{first_name}}, {{my_name}} again, {{today}}, following up on {{topic}} — {{hook}}. If a short ' +
        'call makes sense for {{company}}, ring me at {{my_number}}; otherwise I’ll try you {{next_call}}.',
      break_up:
        'Hi {{first_name}}, {{my_name}} here, {{today}}. I’ve tried you a few times about {{topic}} — ' +
        '{{hook}}. This is my last message. If the timing changes at {{company}}, I’m at {{my_number}}. ' +
        'Thanks, and all the best.',
    },
    gatekeeper:
      'Hi, this is {{my_name}}. I’m calling {{first_name}} about {{topic}}. Could you put me through, or ' +
      'tell me when is best to reach them?',
  },
} as const satisfies Record<CampaignKind, CampaignScripts>;

/** A fresh copy of the default scripts for a new campaign of `kind`. */
export function defaultScriptsFor(kind: CampaignKind): CampaignScripts {
  return structuredClone(DEFAULT_SCRIPTS[kind]) as CampaignScripts;
}

/**
 * The demo campaigns' scripts (keys are DemoCampaignKey), rewritten from the first version
 * to pass the linter: elevator speeches cut to ten seconds, every follow-up and break-up
 * saying what it is about ({{topic}}), and hooks placed where an empty one drops out cleanly.
 */
export const DEMO_SCRIPTS = {
  software: {
    elevator:
      'Hi {{first_name}}, {{my_name}} with Ledgerline. We help finance teams like yours approve invoices ' +
      'in two days, not ten. Worth a two-minute look?',
    voicemail: {
      intro:
        'Hi {{first_name}}, this is {{my_name}} from Ledgerline, {{today}}. I’m calling about {{topic}} at ' +
        '{{company}} — {{hook}}. You can reach me at {{my_number}}; again, {{my_number}}. ' +
        'I’ll try you {{next_call}}.',
      follow_up:
        'Hi {{first_name}}, {{my_name}} from Ledgerline again, {{today}}, about {{topic}} — {{hook}}. Our ' +
        'customers close the month four days sooner. I’m at {{my_number}}, and I’ll try you {{next_call}}.',
      break_up:
        'Hi {{first_name}}, {{my_name}} from Ledgerline, {{today}}. I’ve tried you a few times about ' +
        '{{topic}} — {{hook}}. This is my last message; I don’t want to be a pest. If it becomes a priority ' +
        'at {{company}}, I’m at {{my_number}}. All the best.',
    },
    gatekeeper:
      'Hi, this is {{my_name}} from Ledgerline. I’m following up with {{first_name}} about {{topic}}. ' +
      'Could you put me through, or tell me the best time to catch them?',
  },
  candidate: {
    elevator:
      'Hi {{first_name}}, {{my_name}} at Brightpath Talent. I represent a senior Go engineer who led a ' +
      'payments rebuild. Could {{company}} use her?',
    voicemail: {
      intro:
        'Hi {{first_name}}, {{my_name}} with Brightpath Talent, {{today}}. I’m calling about {{topic}}; ' +
        'she’d fit {{company}} well — {{hook}}. Call me at {{my_number}} — that’s {{my_number}}. ' +
        'I’ll try you {{next_call}}.',
      follow_up:
        'Hi {{first_name}}, {{my_name}} from Brightpath, {{today}}, about {{topic}} — {{hook}}. She has two ' +
        'other interviews this week, so timing matters. If {{company}} is still hiring, call me at ' +
        '{{my_number}}; otherwise I’ll try you {{next_call}}.',
      break_up:
        'Hi {{first_name}}, {{my_name}} from Brightpath Talent, {{today}}. I’ve called about {{topic}} — ' +
        '{{hook}}. I’ll stop calling now; she’ll likely be off the market soon. If a backend role opens at ' +
        '{{company}} later, I’m at {{my_number}}. Thanks, and good luck with the hiring.',
    },
    gatekeeper:
      'Hi, {{my_name}} from Brightpath Talent, with a strong engineering candidate for {{company}}. Is ' +
      '{{first_name}} free? When is the best time to call?',
  },
  parties: {
    elevator:
      'Hi {{first_name}}, it’s {{my_name}} from Hearth & Wick. Hosts this month get $60 in free candles ' +
      'and half-price picks. Fancy hosting a party?',
    voicemail: {
      intro:
        'Hi {{first_name}}, it’s {{my_name}} from Hearth & Wick, {{today}}. I’d love to tell you about ' +
        '{{topic}} — {{hook}}. Hosts get free candles. Call or text me at {{my_number}}. ' +
        'I’ll try you again {{next_call}}.',
      follow_up:
        'Hi {{first_name}}, {{my_name}} from Hearth & Wick again, {{today}}, about {{topic}} — {{hook}}. ' +
        'The spring collection just arrived, and hosts still get free candles. Call or text {{my_number}} ' +
        'to pick a date, or I’ll try you {{next_call}}.',
      break_up:
        'Hi {{first_name}}, {{my_name}} from Hearth & Wick, {{today}}. I’ve called about {{topic}} — ' +
        '{{hook}}. I’ll stop calling now, no pressure at all. If you ever fancy a party or a reorder, call ' +
        'or text {{my_number}}. Have a lovely week!',
    },
    gatekeeper:
      'Hi, this is {{my_name}} from Hearth & Wick. Is {{first_name}} around? When would be a good time ' +
      'to call back?',
  },
} as const satisfies Record<'software' | 'candidate' | 'parties', CampaignScripts>;
