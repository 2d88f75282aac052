// @vitest-environment happy-dom
/**
 * The outcome form and the contact card as a rep meets them: single keys pick an outcome, an
 * outcome that needs a time cannot be logged without one, Enter logs, typing in a field never
 * triggers a shortcut; the card shows every number by kind with a tel: link and the script's
 * spoken length.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContactDetail, QueueItem } from '../../web/src/api/types.js';
import { ContactCard, spokenSeconds, telHref } from '../../web/src/block/contact-card.js';
import { OutcomeForm, type OutcomeInput } from '../../web/src/block/outcome-form.js';

afterEach(cleanup);

/** An outcome button (not the Log button, which repeats the chosen outcome's label). */
const outcome = (label: string) =>
  within(screen.getByRole('group', { name: /Outcome/ })).getByRole('button', { name: new RegExp(label) });

const press = (key: string, target: EventTarget = document.body) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });

function renderForm() {
  const logged: OutcomeInput[] = [];
  render(<OutcomeForm contactId={7} busy={false} error={null} onLog={(input) => logged.push(input)} />);
  return logged;
}

describe('outcome form', () => {
  it('picks an outcome with its single key and logs it with Enter', async () => {
    const logged = renderForm();
    const submit = screen.getByRole('button', { name: /^Log/ });
    expect(submit).toHaveProperty('disabled', true);
    await press('n');
    expect(outcome('No answer').getAttribute('aria-pressed')).toBe('true');
    expect(submit.textContent).toContain('No answer');
    await press('Enter');
    expect(logged).toEqual([
      { outcome: 'no_answer', when: '', note: '', learnedNumber: '', learnedKind: 'mobile' },
    ]);
  });

  it('shows which outcome is chosen with a mark, not only a colour', async () => {
    renderForm();
    await press('v');
    expect(outcome('Left voicemail').textContent).toContain('✓');
    expect(outcome('No answer').textContent).not.toContain('✓');
  });

  it('does not log a callback without a time, and asks for one', async () => {
    const logged = renderForm();
    await press('r');
    expect(screen.getByLabelText(/When/)).toBeTruthy();
    expect(screen.getByText('A time is needed for this outcome.')).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Log/ })).toHaveProperty('disabled', true);
    await press('Enter');
    expect(logged).toEqual([]);
  });

  it('moves the focus to the "when" field in the same keystroke, so the time typed next is not read as shortcuts', async () => {
    renderForm();
    await press('r');
    expect(document.activeElement).toBe(screen.getByLabelText(/When/));
  });

  it('never takes a letter typed into the note for a shortcut', async () => {
    const logged = renderForm();
    await press('b');
    const note = screen.getByLabelText('Note');
    fireEvent.change(note, { target: { value: 'no' } });
    await press('n', note);
    expect(outcome('Busy').getAttribute('aria-pressed')).toBe('true');
    await act(() => {
      note.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    });
    expect(logged).toEqual([
      { outcome: 'busy', when: '', note: 'no', learnedNumber: '', learnedKind: 'mobile' },
    ]);
  });

  it('labels every control', () => {
    renderForm();
    for (const label of ['Note', 'New number learned', 'Kind'])
      expect(screen.getByLabelText(label)).toBeTruthy();
    for (const button of screen.getAllByRole('button')) expect(button.textContent?.trim()).not.toBe('');
  });
});

const item: QueueItem = {
  position: 1,
  reason: 'retry',
  enrollmentId: 3,
  campaign: 'Ledgerline',
  contact: { id: 7, name: 'Dana Lee', company: 'Acme Logistics', title: 'VP Finance' },
  number: { e164: '+12125550141', kind: 'direct', extension: '204' },
  localTime: { zone: 'America/New_York', time: '10:05', day: 'Mon', guess: false },
  dueAt: null,
  attempts: 2,
  voicemail: { leave: true, script: 'follow_up', why: 'the campaign leaves every voicemail' },
  script: {
    name: 'voicemail_follow_up',
    text: 'Hi Dana, Sam Ortiz again from Ledgerline, about cutting invoice-approval time. I will try you again Thursday morning.',
  },
  leasedUntil: null,
  attemptLimit: 7,
  window: { open: true, text: 'Inside their calling hours until 17:00 (6 h 55 min left)' },
  recent: [
    {
      at: '2026-11-20T15:10:00.000Z',
      outcome: 'gatekeeper',
      words: 'Reached the gatekeeper',
      note: 'Reception says mornings are best',
      by: 'Sam Ortiz',
    },
    { at: '2026-11-18T19:00:00.000Z', outcome: 'no_answer', words: 'No answer', note: '', by: 'Sam Ortiz' },
  ],
  scripts: {
    opener: 'Hi Dana, Sam Ortiz with Ledgerline: we cut invoice approval to a day.',
    gatekeeper: 'Could you put me through to Dana Lee? It is about invoice approvals.',
    voicemail:
      'Hi Dana, Sam Ortiz again from Ledgerline, about cutting invoice-approval time. I will try you again Thursday morning.',
  },
};

const detail: ContactDetail = {
  id: 7,
  name: 'Dana Lee',
  firstName: 'Dana',
  lastName: 'Lee',
  title: 'VP Finance',
  company: 'Acme Logistics',
  email: 'dana@acme.test',
  timeZone: 'America/New_York',
  ownerId: 1,
  doNotCall: false,
  city: 'New York',
  region: 'NY',
  country: 'US',
  notes: 'Moved to NetSuite',
  kind: 'business',
  interests: 'invoice automation',
  enrollments: [],
  numbers: [
    { id: 1, e164: '+12125550100', kind: 'main', extension: '', valid: true, doNotCall: false },
    { id: 2, e164: '+12125550141', kind: 'direct', extension: '204', valid: true, doNotCall: false },
    { id: 3, e164: '+19175550143', kind: 'mobile', extension: '', valid: true, doNotCall: true },
  ],
};

describe('contact card', () => {
  it('lists numbers direct first, links the dialable ones, marks the one to dial and the do-not-call one', () => {
    render(<ContactCard item={item} detail={detail} />);
    const numbers = screen.getByRole('region', { name: 'Numbers' });
    const rows = within(numbers)
      .getAllByRole('listitem')
      .map((li) => li.textContent ?? '');
    expect(rows.map((r) => r.split('(')[0])).toEqual(['direct', 'mobile', 'main']);
    // Read as in their country; dialled as E.164.
    expect(rows[0]).toContain('(212) 555-0141 ext. 204');
    expect(rows[0]).toContain('Dial this one');
    expect(rows[1]).toContain('Do not call');
    const links = screen.getAllByRole('link').map((a) => a.getAttribute('href'));
    expect(links).toEqual(['tel:+12125550141;ext=204', 'tel:+12125550100']);
  });

  it('shows the script with its spoken length and what to do at voicemail', () => {
    render(<ContactCard item={item} detail={detail} />);
    expect(screen.getByText(/Sam Ortiz again/)).toBeTruthy();
    // 19 words at 150 a minute.
    expect(spokenSeconds(item.script.text)).toBe(8);
    expect(screen.getByRole('heading', { name: /Voicemail: follow-up/ }).textContent).toContain(
      'about 8 s spoken',
    );
    expect(screen.getByText('the campaign leaves every voicemail')).toBeTruthy();
    expect(screen.getByText('10:05')).toBeTruthy();
  });

  it('shows the attempt against the limit, the real calling window, the last calls and every script side by side', () => {
    const { rerender } = render(<ContactCard item={item} detail={detail} />);
    expect(screen.getByText(/attempt 3 of 7/)).toBeTruthy();
    expect(screen.queryByText('last attempt')).toBeNull();
    expect(screen.getByText(/Inside their calling hours until 17:00 \(6 h 55 min left\)/)).toBeTruthy();
    const recent = within(screen.getByRole('region', { name: 'Last calls' }));
    expect(recent.getByText('Reached the gatekeeper')).toBeTruthy();
    expect(recent.getByText('Reception says mornings are best')).toBeTruthy();
    expect(recent.getAllByText(/by Sam Ortiz/)).toHaveLength(2);
    for (const heading of [/^Opener/, /^If a gatekeeper answers/, /^Voicemail: follow-up/]) {
      expect(screen.getByRole('heading', { name: heading })).toBeTruthy();
    }
    expect(screen.getByText(/Could you put me through to Dana Lee/)).toBeTruthy();
    rerender(<ContactCard item={{ ...item, attempts: 6 }} detail={detail} />);
    expect(screen.getByText(/attempt 7 of 7/)).toBeTruthy();
    expect(screen.getByText('last attempt')).toBeTruthy();
  });

  it('writes an extension into the tel: link', () => {
    expect(telHref({ e164: '+442079460958', extension: '' })).toBe('tel:+442079460958');
    expect(telHref({ e164: '+14155550123', extension: '204' })).toBe('tel:+14155550123;ext=204');
  });
});
