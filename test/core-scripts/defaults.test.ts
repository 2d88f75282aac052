/**
 * Every script Ringback ships — the defaults for a new campaign of each kind and the demo
 * campaigns' — passes the linter without a finding and reads well for a real contact.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGNS, type CampaignKind as DemoCampaignKind } from '../../src/core/demo/campaigns.js';
import {
  CAMPAIGN_KINDS,
  type CampaignKind,
  DEFAULT_SCRIPTS,
  DEMO_SCRIPTS,
  defaultScriptsFor,
} from '../../src/core/scripts/defaults.js';
import { lintScripts } from '../../src/core/scripts/lint.js';
import { renderScript, scriptVariables } from '../../src/core/scripts/render.js';
import { type CampaignScripts, campaignScriptsSchema } from '../../src/core/scripts/schema.js';
import { instantAt } from '../../src/core/time/zoned.js';

// The two lists of campaign kinds must stay the same; this fails to compile if they drift.
const sameKinds: [CampaignKind, DemoCampaignKind] = ['agency' as DemoCampaignKind, 'agency' as CampaignKind];

const templates = (s: CampaignScripts) => [
  s.elevator,
  s.voicemail.intro,
  s.voicemail.follow_up,
  s.voicemail.break_up,
  s.gatekeeper,
];

describe('DEFAULT_SCRIPTS', () => {
  it('has scripts for every campaign kind', () => {
    expect(Object.keys(DEFAULT_SCRIPTS).sort()).toEqual([...CAMPAIGN_KINDS].sort());
    expect(sameKinds).toHaveLength(2);
  });

  it.each(CAMPAIGN_KINDS)('lints clean for a %s campaign', (kind) => {
    expect(lintScripts(defaultScriptsFor(kind))).toEqual([]);
  });

  it.each(CAMPAIGN_KINDS)('passes the campaign schema unchanged for a %s campaign', (kind) => {
    expect(campaignScriptsSchema.parse(DEFAULT_SCRIPTS[kind])).toEqual(DEFAULT_SCRIPTS[kind]);
  });

  it('hands out a copy, so editing a new campaign’s scripts leaves the defaults alone', () => {
    const copy = defaultScriptsFor('sales');
    copy.voicemail.intro = 'changed';
    expect(defaultScriptsFor('sales').voicemail.intro).toBe(DEFAULT_SCRIPTS.sales.voicemail.intro);
  });
});

describe('DEMO_SCRIPTS', () => {
  it('has scripts for every demo campaign', () => {
    expect(Object.keys(DEMO_SCRIPTS).sort()).toEqual(DEMO_CAMPAIGNS.map((c) => c.key).sort());
  });

  it.each(DEMO_CAMPAIGNS.map((c) => [c.key, c] as const))(
    'lints clean for the %s campaign, counting its real topic',
    (key, spec) => {
      expect(lintScripts(DEMO_SCRIPTS[key])).toEqual([]);
      expect(lintScripts(DEMO_SCRIPTS[key], { known: { topic: spec.topic } })).toEqual([]);
      expect(campaignScriptsSchema.parse(DEMO_SCRIPTS[key])).toEqual(DEMO_SCRIPTS[key]);
    },
  );

  // The demo still ships its first scripts; this flips once campaigns.ts uses DEMO_SCRIPTS.
  it('is what the demo campaigns use, so the demo lints clean', () => {
    for (const spec of DEMO_CAMPAIGNS)
      expect(lintScripts(spec.scripts, { known: { topic: spec.topic } })).toEqual([]);
  });
});

describe('shipped scripts for a real contact', () => {
  const NY = 'America/New_York';
  const now = instantAt('2026-11-23', '10:00', NY);
  const base = {
    contact: { firstName: 'Dana', company: 'Acme Logistics', interests: 'NetSuite', notes: '' },
    user: { name: 'Sam Ortiz', phone: '+14155550123' },
    campaign: { topic: 'cutting invoice-approval time' },
    now,
    nextCall: instantAt('2026-11-26', '14:00', NY),
    zone: NY,
  };
  const all = [...Object.values(DEFAULT_SCRIPTS), ...Object.values(DEMO_SCRIPTS)].flatMap(templates);

  it('leave no placeholder, stray brace or doubled mark when every value is known', () => {
    const vars = scriptVariables(base);
    for (const t of all) {
      const { text, missing } = renderScript(t, vars);
      expect(missing).toEqual([]);
      expect(text).not.toMatch(/[{}]| [,;.]|[,;.] ?[,;.]/);
    }
  });

  it('still read without a hook: no dangling dash or mark', () => {
    const vars = scriptVariables({ ...base, contact: { ...base.contact, interests: '' } });
    expect(vars.hook).toBe('');
    for (const t of all) expect(renderScript(t, vars).text).not.toMatch(/— ?[.,;]| [,;.]|[,;.] ?[,;.]/);
  });
});
