/**
 * The block greeting a workspace writes: its variables filled with the user's name and the
 * block's end in their zone, its lint, and the built-in words outside a block.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GREETING,
  GREETING_MAX_CHARS,
  greetingFor,
  lintGreeting,
  renderGreeting,
} from '../../src/core/screening/greeting.js';
import { blockGreeting, type ScreenDecision } from '../../src/core/screening/screen.js';

const NY = 'America/New_York';
// Thursday 26 Nov 2026, 11:30 in New York.
const ENDS = Date.parse('2026-11-26T16:30:00Z');
const decision = (blockEndsAt: number | null) =>
  ({ action: 'voicemail', blockEndsAt }) as unknown as ScreenDecision;

describe('block greeting', () => {
  it('fills the user’s name, first name and the block’s end in their zone', () => {
    const template = 'You reached {{my_first_name}} ({{my_name}}), on calls until {{until}}.';
    expect(greetingFor(decision(ENDS), template, 'Rex Ode', NY)).toBe(
      'You reached Rex (Rex Ode), on calls until 11:30.',
    );
    expect(greetingFor(decision(ENDS), template, 'Rex Ode', 'America/Los_Angeles')).toContain('until 08:30');
  });

  it('says the built-in words with no template, and outside a block where there is no "until"', () => {
    expect(greetingFor(decision(ENDS), null, 'Rex', NY)).toBe(blockGreeting(decision(ENDS), 'Rex', NY));
    expect(greetingFor(decision(null), 'Busy until {{until}}.', 'Rex', NY)).toBe(
      blockGreeting(decision(null), 'Rex', NY),
    );
  });

  it('renders the default template as the built-in greeting reads', () => {
    expect(renderGreeting(DEFAULT_GREETING, { my_name: 'Rex', until: '11:30' })).toBe(
      blockGreeting(decision(ENDS), 'Rex', NY),
    );
  });

  it('drops an empty name without leaving a stray space before the punctuation', () => {
    expect(
      renderGreeting('Hi {{my_first_name}}, busy until {{until}}.', { my_name: '', until: '11:30' }),
    ).toBe('Hi, busy until 11:30.');
  });

  it('reports unknown variables as errors, naming the ones it knows', () => {
    const findings = lintGreeting('Hi, {{first_name}} here until {{until}}.');
    expect(findings).toEqual([
      {
        severity: 'error',
        message: 'unknown variable {{first_name}}: use {{my_name}}, {{my_first_name}}, {{until}}',
      },
    ]);
  });

  it('warns when callers are not told when the user is free, and refuses empty or overlong text', () => {
    expect(lintGreeting('Please leave a message.')).toEqual([
      { severity: 'warning', message: 'callers are not told when you will be free: add {{until}}' },
    ]);
    expect(lintGreeting('  ')[0]).toMatchObject({ severity: 'error', message: 'the greeting is empty' });
    expect(lintGreeting(`${'a'.repeat(GREETING_MAX_CHARS)} {{until}}`)[0]?.severity).toBe('error');
    expect(lintGreeting(DEFAULT_GREETING)).toEqual([]);
  });
});
