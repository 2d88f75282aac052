// @vitest-environment happy-dom
/**
 * The Campaigns page's cadence parts: the policy editor hands every change on (so the words and
 * the preview follow), names what is wrong with a draft before it is sent, and the schedule
 * preview shows what the cadence engine produced for a contact who never answers — each call's
 * day, time and voicemail in words, and the line in the sand.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreviewJson } from '../../src/contracts/settings.js';
import { type CadencePolicy, DEFAULT_POLICY } from '../../src/core/cadence/policy.js';
import { previewSchedule } from '../../src/core/cadence/preview.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { PolicyEditor, policyProblem } from '../../web/src/campaigns/policy-editor.js';
import { SchedulePreview, scheduleLine } from '../../web/src/campaigns/schedule-preview.js';
import { policyInWords } from '../../web/src/pages/campaigns.js';

afterEach(cleanup);

function previewOf(policy: CadencePolicy): PreviewJson {
  const p = previewSchedule({
    policy,
    urgency: 'normal',
    zone: 'America/Chicago',
    kind: 'business',
    stateRules: DEFAULT_STATE_RULES,
    from: Date.parse('2026-11-23T08:00:00-06:00'),
  });
  return {
    zone: 'America/Chicago',
    ...p,
    calls: p.calls.map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
  };
}

describe('schedule preview', () => {
  it('lists every call up to the attempt limit with its day, time and voicemail, then the line in the sand', () => {
    const preview = previewOf({ ...DEFAULT_POLICY, attemptLimit: 5 });
    render(<SchedulePreview preview={preview} />);
    const list = screen.getByRole('list', { name: 'Schedule in America/Chicago' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(5);
    expect(items[0]!.textContent).toBe('Call 1: Mon 23 Nov 09:00✉ intro voicemail');
    expect(items[3]!.textContent).toContain('follow-up voicemail');
    expect(items[4]!.textContent).toContain('break-up voicemail');
    expect(screen.getByText(/After call 5: the line in the sand/)).toBeTruthy();
    const why = within(screen.getByText('Why these times?').closest('details')!).getAllByRole('listitem');
    expect(why[0]!.textContent).toBe(
      'Mon 23 Nov 09:00: the first moment of the calling window after the contact enters the queue',
    );
    expect(why[1]!.textContent).toMatch(/business days after a voicemail \(rule 2\)/);
    expect(scheduleLine(preview).split(' · ')).toHaveLength(5);
    expect(scheduleLine(preview).startsWith('Mon 23 Nov 09:00 voicemail · ')).toBe(true);
  });
});

describe('policy editor', () => {
  function renderEditor(policy: CadencePolicy = DEFAULT_POLICY) {
    const seen: { policy: CadencePolicy; urgency: string }[] = [];
    render(
      <PolicyEditor
        id="p"
        policy={policy}
        urgency="normal"
        onChange={(p, u) => seen.push({ policy: p, urgency: u })}
      />,
    );
    return seen;
  }

  it('hands on the attempt limit, the voicemail policy and the urgency as they change', () => {
    const seen = renderEditor();
    fireEvent.change(screen.getByLabelText('Attempt limit'), { target: { value: '10' } });
    expect(seen.at(-1)!.policy.attemptLimit).toBe(10);
    fireEvent.click(screen.getByRole('radio', { name: /Experiment/ }));
    expect(seen.at(-1)!.policy.voicemail).toBe('experiment');
    fireEvent.change(screen.getByLabelText('Urgency'), { target: { value: 'high' } });
    expect(seen.at(-1)!.urgency).toBe('high');
    expect(screen.getByRole('group', { name: 'Voicemail' })).toBeTruthy();
  });

  it('names what is wrong with a draft before it is sent', () => {
    expect(policyProblem(DEFAULT_POLICY)).toBeNull();
    expect(policyProblem({ ...DEFAULT_POLICY, attemptLimit: Number.NaN })).toMatch(/attempt limit/);
    expect(policyProblem({ ...DEFAULT_POLICY, afterVoicemailBusinessDays: { min: 3, max: 1 } })).toMatch(
      /After a voicemail/,
    );
    expect(
      policyProblem({ ...DEFAULT_POLICY, businessWindow: { start: '17:00', end: '09:00', days: [1] } }),
    ).toMatch(/window must end after it starts/);
  });

  it('puts the edited policy into plain words', () => {
    const words = policyInWords({ ...DEFAULT_POLICY, attemptLimit: 10, voicemail: 'experiment' }, 'normal');
    expect(words).toContain('Stop after 10 tries without a conversation.');
    expect(words.join(' ')).toMatch(/an experiment: each contact is randomly assigned/);
    expect(words.join(' ')).toMatch(/the break-up message on try 10, and no call after it/);
  });

  it('hands on when the break-up comes: the last try or the one before', () => {
    const seen = renderEditor();
    fireEvent.change(screen.getByLabelText('Break-up message'), { target: { value: 'before_last' } });
    expect(seen.at(-1)!.policy.breakUpOn).toBe('before_last');
    expect(policyInWords(seen.at(-1)!.policy, 'normal').join(' ')).toMatch(/the break-up message from try 6/);
  });
});
