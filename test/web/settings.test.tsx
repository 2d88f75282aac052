// @vitest-environment happy-dom
/**
 * The Settings page's parts as people meet them: a calling window with labelled times and
 * days that says what is wrong with it; the block greeting linted and previewed as it is typed;
 * users and roles with controls only for an admin and never on their own row; the telephony
 * numbers read from plain lines.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManagedUser } from '../../src/contracts/settings.js';
import {
  DEFAULT_GREETING,
  GREETING_MAX_CHARS,
  GREETING_VARIABLES,
} from '../../src/core/screening/greeting.js';
import { GreetingEditor } from '../../web/src/settings/greeting.js';
import { numbersToText, textToNumbers } from '../../web/src/settings/telephony.js';
import { startingPassword, UsersTable } from '../../web/src/settings/users.js';
import { describeWindow, WindowFields } from '../../web/src/settings/window-fields.js';

afterEach(cleanup);

describe('calling window fields', () => {
  it('labels every control and reports an end before the start', () => {
    let value = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };
    const { rerender } = render(
      <WindowFields id="w" legend="Business contacts" value={value} onChange={(v) => (value = v)} />,
    );
    fireEvent.change(screen.getByLabelText('Ends at'), { target: { value: '08:00' } });
    expect(value.end).toBe('08:00');
    rerender(<WindowFields id="w" legend="Business contacts" value={value} onChange={(v) => (value = v)} />);
    expect(screen.getByRole('alert').textContent).toContain('The end must be after the start.');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Saturday' }));
    expect(value.days).toEqual([1, 2, 3, 4, 5, 6]);
    expect(screen.getByRole('group', { name: 'Business contacts: days' })).toBeTruthy();
  });

  it('describes a window in words', () => {
    expect(describeWindow({ start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] })).toBe(
      '09:00–17:00, Mon–Fri',
    );
    expect(describeWindow({ start: '10:00', end: '14:00', days: [5, 1, 3] })).toBe(
      '10:00–14:00, Mon, Wed, Fri',
    );
  });
});

const greeting = {
  template: null,
  default: DEFAULT_GREETING,
  variables: { ...GREETING_VARIABLES },
  maxChars: GREETING_MAX_CHARS,
};

describe('block greeting editor', () => {
  it('previews the greeting with the user’s name as it is typed, and lints it', () => {
    render(<GreetingEditor greeting={greeting} userName="Rex Ode" canEdit onSaved={() => {}} />);
    const preview = screen.getByLabelText('Greeting preview');
    expect(preview.textContent).toContain('This is Rex Ode.');
    expect(preview.textContent).toContain('until 11:30');
    fireEvent.change(screen.getByRole('textbox', { name: /^Greeting \(/ }), {
      target: { value: 'Hi, {{my_first_name}} here. Call back at {{when}}.' },
    });
    expect(screen.getByLabelText('Greeting preview').textContent).toBe(
      'Hi, Rex here. Call back at {{when}}.',
    );
    const lint = screen.getByText(/unknown variable \{\{when\}\}/);
    expect(lint.textContent).toContain('Error:');
    expect(screen.getByText(/add \{\{until\}\}/).textContent).toContain('Warning:');
    expect(screen.getByRole('button', { name: 'Save greeting' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Back to the built-in greeting' }));
    expect(screen.getByText('✓ No problems found')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save greeting' })).toHaveProperty('disabled', false);
  });

  it('is read-only without a save button for someone who is not an admin', () => {
    render(<GreetingEditor greeting={greeting} userName="Rex" canEdit={false} onSaved={() => {}} />);
    expect(screen.getByRole('textbox', { name: /^Greeting \(/ })).toHaveProperty('readOnly', true);
    expect(screen.queryByRole('button', { name: 'Save greeting' })).toBeNull();
    expect(screen.getByText('Admins can change the greeting.')).toBeTruthy();
  });
});

const users: ManagedUser[] = [
  { id: 1, email: 'ada@ex.test', name: 'Ada', role: 'admin', teamId: null, active: true },
  { id: 2, email: 'rex@ex.test', name: 'Rex', role: 'rep', teamId: 5, active: true },
  { id: 3, email: 'old@ex.test', name: 'Olga', role: 'rep', teamId: null, active: false },
];
const teams = [{ id: 5, name: 'East' }];

describe('users and roles', () => {
  it('gives an admin a role, team and deactivate control for others, never for their own row', () => {
    const changes: [number, Record<string, unknown>][] = [];
    render(
      <UsersTable users={users} teams={teams} meId={1} canEdit onChange={(id, u) => changes.push([id, u])} />,
    );
    expect(screen.queryByLabelText('Role of Ada')).toBeNull();
    expect(screen.queryByRole('button', { name: /Deactivate Ada/ })).toBeNull();
    fireEvent.change(screen.getByLabelText('Role of Rex'), { target: { value: 'manager' } });
    fireEvent.change(screen.getByLabelText('Team of Rex'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Deactivate Rex' }));
    expect(changes).toEqual([
      [2, { role: 'manager' }],
      [2, { teamId: null }],
      [2, { active: false }],
    ]);
  });

  it('says "Deactivated" in words and reactivates with a new starting password', () => {
    const changes: Record<string, unknown>[] = [];
    render(
      <UsersTable users={users} teams={teams} meId={1} canEdit onChange={(_id, u) => changes.push(u)} />,
    );
    const row = screen.getByText('old@ex.test').closest('tr')!;
    expect(within(row).getByText('Deactivated')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Reactivate Olga' }));
    expect(changes[0]).toMatchObject({ active: true });
    expect(String(changes[0]!.password)).toHaveLength(16);
  });

  it('shows a manager the people without any control', () => {
    render(<UsersTable users={users} teams={teams} meId={9} canEdit={false} onChange={() => {}} />);
    expect(screen.queryAllByRole('combobox')).toEqual([]);
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.getByText('East')).toBeTruthy();
  });

  it('makes starting passwords from an alphabet without look-alike characters', () => {
    const password = startingPassword((n) => Uint8Array.from({ length: n }, (_, i) => i * 7));
    expect(password).toHaveLength(16);
    expect(password).not.toMatch(/[01lIO]/);
  });
});

describe('telephony numbers', () => {
  it('reads one "number email" pair a line and says which line is wrong', () => {
    expect(textToNumbers('+12125550111 rex@ex.test\n\n+12125550112   ada@ex.test\n')).toEqual({
      numbers: { '+12125550111': 'rex@ex.test', '+12125550112': 'ada@ex.test' },
      problems: [],
    });
    expect(textToNumbers('212-555-0111 rex@ex.test').problems).toEqual([
      'line 1: write “+12125550111 name@example.com”',
    ]);
    expect(numbersToText({ '+12125550111': 'rex@ex.test' })).toBe('+12125550111 rex@ex.test');
  });
});
