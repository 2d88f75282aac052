// @vitest-environment happy-dom
/**
 * The Insights report and the contact timeline as a reader meets them: every share shows its
 * count and what it is a share of, the experiment's arms sit side by side with their sample
 * sizes and a verdict in words, and the timeline names each kind of entry.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatsJson, TimelineEntry } from '../../web/src/api/types.js';
import { TimelineList } from '../../web/src/contact/timeline.js';
import { InsightsReport, verdictWords } from '../../web/src/insights/insights-page.js';
import { percent, periodQuery, presetDays } from '../../web/src/insights/period.js';

afterEach(cleanup);

const rate = (count: number, of: number) => ({ count, of, rate: of > 0 ? count / of : null });
const counts = (
  dials: number,
  conversations: number,
  voicemails: number,
  callbacks: number,
  fromVm: number,
  appts: number,
) => ({
  dials,
  conversations,
  voicemailsLeft: voicemails,
  callbacksReceived: callbacks,
  callbacksFromVoicemail: fromVm,
  voicemailsCalledBack: fromVm,
  appointmentsSet: appts,
  conversationRate: rate(conversations, dials),
  callbackRate: rate(fromVm, voicemails),
  appointmentRate: rate(appts, conversations),
});
const arm = (a: 'leave' | 'skip', enrollments: number, calledBack: number, reached: number) => ({
  arm: a,
  enrollments,
  dials: enrollments * 2,
  voicemailsLeft: a === 'leave' ? enrollments : 0,
  callbackRate: rate(calledBack, enrollments),
  conversationRate: rate(reached, enrollments),
});

const UNJUDGED = {
  differenceInterval: null,
  leaveInterval: null,
  skipInterval: null,
  probabilityLeaveBetter: null,
  reason: '',
};

const STATS: StatsJson = {
  period: { from: '2026-11-01T05:00:00.000Z', to: '2026-12-01T05:00:00.000Z' },
  filters: { userId: null, teamId: null, campaignId: null },
  totals: { ...counts(120, 30, 40, 9, 6, 4), blocks: 3, hours: 2.5, dialsInBlocks: 100, dialsPerHour: 40 },
  campaigns: [
    { campaignId: 1, campaign: 'Q4 renewals', ...counts(80, 20, 30, 6, 5, 3) },
    { campaignId: 2, campaign: 'Trial', ...counts(40, 10, 10, 2, 1, 1) },
    { campaignId: null, campaign: 'No campaign', ...counts(0, 0, 0, 1, 0, 0) },
  ],
  users: [
    {
      userId: 7,
      user: 'Rex',
      ...counts(120, 30, 40, 9, 6, 4),
      blocks: 3,
      hours: 2.5,
      dialsInBlocks: 100,
      dialsPerHour: 40,
    },
  ],
  experiments: [
    {
      campaignId: 2,
      campaign: 'Trial',
      leave: arm('leave', 12, 3, 4),
      skip: arm('skip', 9, 1, 3),
      callbacks: { ...UNJUDGED, difference: 0.14, z: 1.1, verdict: 'too_few' },
      conversations: { ...UNJUDGED, difference: 0, z: 0, verdict: 'too_few' },
    },
  ],
  heatmap: [],
  firstConnect: [],
  advisor: [],
  cost: {
    minutes: 0,
    estimatedCalls: 0,
    dials: 0,
    perConversation: null,
    perVoicemail: null,
    perCallback: null,
  },
};

describe('insights report', () => {
  it('shows the period’s totals with the rate behind each', () => {
    render(<InsightsReport stats={STATS} showPeople={false} />);
    const headline = (term: string) =>
      screen.getByText(term, { selector: 'dt' }).nextElementSibling!.textContent;
    expect(headline('Dials')).toBe('120');
    expect(headline('Conversations')).toBe('3025 % of dials');
    expect(headline('Callbacks received')).toContain('6 earned by a voicemail · 15 % of voicemails');
    expect(headline('Dials per hour of block time')).toBe('40100 dials in 2.5 h over 3 blocks');
  });

  it('lists each campaign with its sample sizes, and a person table only for managers', () => {
    render(<InsightsReport stats={STATS} showPeople={false} />);
    const table = screen.getByRole('table', { name: 'Calls by campaign' });
    const row = within(table).getByRole('row', { name: /Q4 renewals/ });
    expect(row.textContent).toContain('25 % (20 of 80)');
    expect(row.textContent).toContain('17 % (5 of 30)');
    expect(within(table).getByRole('row', { name: /No campaign/ }).textContent).toContain('— (0 of 0)');
    expect(screen.queryByRole('table', { name: 'Calls by person' })).toBeNull();
    cleanup();
    render(<InsightsReport stats={STATS} showPeople={true} />);
    expect(screen.getByRole('table', { name: 'Calls by person' }).textContent).toContain('Rex');
  });

  it('puts the experiment’s arms side by side with how many people each dialled', () => {
    render(<InsightsReport stats={STATS} showPeople={false} />);
    const table = screen.getByRole('table', { name: 'Trial' });
    expect(within(table).getByRole('row', { name: /Leaves a voicemail/ }).textContent).toContain(
      '25 % (3 of 12)',
    );
    expect(within(table).getByRole('row', { name: /Hangs up instead/ }).textContent).toContain(
      '11 % (1 of 9)',
    );
    expect(
      screen.getByText(
        /Too few to tell who called back more: each arm needs 30 people dialled \(now 12 and 9\)/,
      ),
    ).toBeTruthy();
  });

  it('says which arm did better in words once there is a verdict', () => {
    const e = {
      ...STATS.experiments[0]!,
      callbacks: { ...UNJUDGED, difference: -0.083, z: -2.4, verdict: 'skip_better' as const },
    };
    expect(verdictWords(e, 'callbacks')).toBe(
      'More people called back when no voicemail was left (8.3 points).',
    );
    const none = {
      ...e,
      conversations: { ...UNJUDGED, difference: 0.01, z: 0.3, verdict: 'no_clear_difference' as const },
    };
    expect(verdictWords(none, 'conversations')).toBe(
      'No clear difference in who were reached live (1 points).',
    );
  });

  it('explains the experiment when no campaign runs it', () => {
    render(<InsightsReport stats={{ ...STATS, experiments: [] }} showPeople={false} />);
    expect(screen.getByText(/No campaign ran the voicemail experiment/)).toBeTruthy();
  });
});

describe('period picker', () => {
  it('turns presets into local days, today included', () => {
    const today = new Date(2026, 10, 24, 15, 30);
    expect(presetDays('7d', today)).toEqual({ first: '2026-11-18', last: '2026-11-24' });
    expect(presetDays('30d', today)).toEqual({ first: '2026-10-26', last: '2026-11-24' });
    expect(presetDays('month', today)).toEqual({ first: '2026-11-01', last: '2026-11-24' });
  });

  it('asks the API for local midnight to the midnight after the last day, and refuses a backwards period', () => {
    const q = periodQuery('2026-11-01', '2026-11-30')!;
    expect(new Date(q.from).getTime()).toBe(new Date(2026, 10, 1).getTime());
    expect(new Date(q.to).getTime()).toBe(new Date(2026, 11, 1).getTime());
    expect(periodQuery('2026-11-30', '2026-11-01')).toBeNull();
    expect(periodQuery('', '2026-11-01')).toBeNull();
  });

  it('writes shares as whole percents, small ones with a decimal, and none as a dash', () => {
    expect(percent(0.375)).toBe('38 %');
    expect(percent(0.034)).toBe('3.4 %');
    expect(percent(0)).toBe('0 %');
    expect(percent(null)).toBe('—');
  });
});

describe('contact timeline', () => {
  const base = { user: 'Rex', at: '2026-11-24T16:00:00.000Z' };
  const ENTRIES: TimelineEntry[] = [
    {
      kind: 'inbound_call',
      id: 1,
      ...base,
      at: '2026-11-25T15:00:00.000Z',
      action: 'ring',
      reason: 'callback_list',
      from: '+14155550101',
      creditedTo: { attemptId: 3, at: base.at, voicemail: true },
    },
    {
      kind: 'voicemail',
      id: 2,
      ...base,
      from: '+14155550101',
      url: 'https://rec.example/1.mp3',
      durationSeconds: 21,
      transcription: 'Call me back about the renewal',
    },
    {
      kind: 'attempt',
      id: 3,
      ...base,
      outcome: 'voicemail_left',
      number: '+14155550101',
      campaign: 'Q4',
      note: 'Asked for Dana',
      voicemailLeft: true,
      script: 'intro',
      durationSeconds: 42,
      scheduledFor: null,
    },
    {
      kind: 'callback_entry',
      id: 4,
      ...base,
      reason: 'voicemail_left',
      expiresAt: '2026-12-01T16:00:00.000Z',
      clearedAt: null,
    },
    { kind: 'appointment', id: 5, ...base, title: 'Demo', status: 'scheduled', durationMinutes: 30 },
    {
      kind: 'do_not_call',
      id: 6,
      ...base,
      user: null,
      number: '+14155550100',
      reason: 'asked',
      source: 'manual',
    },
  ];

  it('names each kind of entry with its details, in the order given', () => {
    render(<TimelineList entries={ENTRIES} />);
    const items = screen.getAllByRole('listitem').map((li) => li.textContent ?? '');
    expect(items).toHaveLength(6);
    expect(items[0]).toMatch(/Call received: put through.*Callback for the voicemail left of/);
    expect(items[1]).toMatch(/Voicemail received \(21 s\).*“Call me back about the renewal”/);
    expect(items[2]).toMatch(
      /Call: Left voicemailvoicemail left.*\+14155550101 · Q4 · 42 s · Rex.*Script: intro voicemail.*Asked for Dana/,
    );
    expect(items[3]).toMatch(/On the callback list.*Because a voicemail was left/);
    expect(items[4]).toMatch(/Appointment: Demo.*scheduled.*30 min/);
    expect(items[5]).toMatch(/Do not call: number \+14155550100.*asked · manual/);
    expect(screen.getByLabelText(/Voicemail of/).getAttribute('src')).toBe('https://rec.example/1.mp3');
  });
});
