/**
 * The script linter: spoken length at 150 words per minute, what every voicemail must say,
 * what the break-up must not promise, and misspelled placeholders.
 */
import { describe, expect, it } from 'vitest';
import {
  closestVariable,
  estimateSpokenLength,
  LINT_CODES,
  type LintCode,
  lintScript,
  lintScripts,
  SCRIPT_KINDS,
  type ScriptKind,
  severityOf,
  TYPICAL_WORDS,
} from '../../src/core/scripts/lint.js';
import type { CampaignScripts } from '../../src/core/scripts/schema.js';

/** A voicemail that says everything: name, date, reason, a personal hook, number, next call. */
const GOOD_VOICEMAIL =
  'Hi {{first_name}}, {{my_name}} here, {{today}}, about {{topic}} — {{hook}}. Call me at {{my_number}}. ' +
  'I’ll try you {{next_call}}.';
const GOOD_BREAK_UP =
  'Hi {{first_name}}, {{my_name}} here, {{today}}. Last message about {{topic}} — {{hook}}; I’m at {{my_number}}.';
const GOOD: CampaignScripts = {
  elevator: 'Hi {{first_name}}, {{my_name}} here. Got a minute?',
  voicemail: { intro: GOOD_VOICEMAIL, follow_up: GOOD_VOICEMAIL, break_up: GOOD_BREAK_UP },
  gatekeeper: 'Hi, is {{first_name}} in?',
};

const codes = (kind: ScriptKind, template: string) => lintScript(kind, template).map((f) => f.code);
const words = (n: number) => Array.from({ length: n }, () => 'word').join(' ');

describe('estimateSpokenLength (150 words per minute)', () => {
  it('takes 60 seconds for 150 words and 10 seconds for 25', () => {
    expect(estimateSpokenLength(words(150))).toEqual({ words: 150, seconds: 60 });
    expect(estimateSpokenLength(words(25))).toEqual({ words: 25, seconds: 10 });
  });

  it('counts a known text: hyphenated words twice, dashes and ampersands not at all', () => {
    // Hi, we help (3) finance teams (2) approve invoices in two days, not ten (7) — (0) worth a two-minute look (5) & (0)
    expect(
      estimateSpokenLength(
        'Hi, we help finance teams approve invoices in two days, not ten — worth a two-minute look? &',
      ),
    ).toEqual({
      words: 17,
      seconds: 6.8,
    });
  });

  it('counts each variable at its typical spoken length', () => {
    const all = Object.keys(TYPICAL_WORDS)
      .map((v) => `{{${v}}}`)
      .join(' ');
    expect(estimateSpokenLength(all).words).toBe(1 + 2 + 2 + 10 + 4 + 3 + 3 + 6);
    expect(estimateSpokenLength('Call {{my_number}}').words).toBe(11);
  });

  it('counts a known value as it is, instead of the typical length', () => {
    const known = { topic: 'a senior backend engineer who is open to a move' };
    expect(estimateSpokenLength('About {{topic}}.', { known }).words).toBe(11);
    expect(estimateSpokenLength('About {{topic}}.').words).toBe(5);
  });

  it('counts an unknown placeholder as one word', () => {
    expect(estimateSpokenLength('Hi {{firstname}}').words).toBe(2);
  });
});

describe('too_long', () => {
  it('warns when the elevator speech runs over 10 s (25 words), with the numbers', () => {
    expect(lintScript('elevator', words(25))).toEqual([]);
    expect(lintScript('elevator', words(26))).toEqual([
      {
        script: 'elevator',
        severity: 'warning',
        code: 'too_long',
        message:
          'elevator speech runs about 11 s (26 words at 150 words per minute); keep it under 10 s, about 25 words.',
      },
    ]);
  });

  it('warns when a voicemail runs over 30 s (75 words), variables included', () => {
    // GOOD_VOICEMAIL is 9 words of text + 1 + 2 + 3 + 4 + 6 + 10 + 3 of variables = 38 words.
    expect(estimateSpokenLength(GOOD_VOICEMAIL).words).toBe(38);
    expect(codes('voicemail_follow_up', `${GOOD_VOICEMAIL} ${words(37)}`)).toEqual([]);
    expect(codes('voicemail_follow_up', `${GOOD_VOICEMAIL} ${words(38)}`)).toEqual(['too_long']);
    const long = lintScript('voicemail_follow_up', `${GOOD_VOICEMAIL} ${words(57)}`);
    expect(long.map((f) => f.code)).toEqual(['too_long']);
    expect(long[0]!.message).toBe(
      'voicemail (follow-up) runs about 38 s (95 words at 150 words per minute); keep it under 30 s, about 75 words.',
    );
  });

  it('has no limit for the gatekeeper script', () => {
    expect(codes('gatekeeper', words(200))).toEqual([]);
  });
});

describe('voicemail content', () => {
  const without = (name: string, replacement = '') => GOOD_VOICEMAIL.replace(`{{${name}}}`, replacement);

  it('passes a voicemail with name, reason, number and next call', () => {
    for (const kind of ['voicemail_intro', 'voicemail_follow_up'] as const)
      expect(codes(kind, GOOD_VOICEMAIL)).toEqual([]);
  });

  it('errs when {{my_name}} is missing, even if a name is typed in', () => {
    const findings = lintScript('voicemail_intro', without('my_name', 'Sam Ortiz'));
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['missing_name', 'error']]);
    expect(findings[0]!.message).toContain('{{my_name}}');
  });

  it('errs when {{my_number}} is missing, even if a number is typed in', () => {
    expect(codes('voicemail_intro', without('my_number', '415-555-0123'))).toEqual(['missing_number']);
  });

  it('errs when neither {{topic}} nor {{hook}} gives a reason', () => {
    expect(codes('voicemail_intro', without('topic', 'our product').replace(' — {{hook}}', ''))).toEqual([
      'missing_reason',
      'missing_hook',
    ]);
    expect(codes('voicemail_intro', without('topic', 'our product'))).toEqual([]);
  });

  it('errs when a voicemail lacks the date or a personal hook, saying what to add', () => {
    for (const kind of ['voicemail_intro', 'voicemail_follow_up'] as const) {
      const findings = lintScript(kind, without('today').replace(' — {{hook}}', ''));
      expect(findings.map((f) => [f.code, f.severity])).toEqual([
        ['missing_date', 'error'],
        ['missing_hook', 'error'],
      ]);
      expect(findings[0]!.message).toContain('add {{today}}');
      expect(findings[1]!.message).toContain('add {{hook}}');
    }
    expect(codes('voicemail_break_up', GOOD_BREAK_UP.replace(', {{today}}', ''))).toEqual(['missing_date']);
  });

  it('errs when a script other than the break-up says no call follows, since the cadence calls again', () => {
    for (const line of ['This is my last message.', 'I’ll stop calling now.', 'I won’t call you again.']) {
      expect(codes('voicemail_intro', `${GOOD_VOICEMAIL} ${line}`)).toEqual(['promises_no_more_calls']);
      expect(codes('voicemail_follow_up', `${GOOD_VOICEMAIL} ${line}`)).toEqual(['promises_no_more_calls']);
      expect(codes('elevator', `Hi. ${line}`)).toEqual(['promises_no_more_calls']);
    }
    expect(codes('voicemail_break_up', GOOD_BREAK_UP)).toEqual([]);
  });

  it('errs on a slot that is empty for this contact or rep, unless rendering has a phrasing for it', () => {
    const known = { my_name: '', company: '', first_name: 'Dana', topic: 'invoices' };
    const findings = lintScript('voicemail_intro', `${GOOD_VOICEMAIL} At {{company}}.`, { known });
    expect(findings.map((f) => f.code)).toEqual(['empty_value']);
    expect(findings[0]!.message).toBe(
      'voicemail (intro) uses {{my_name}}, but your name is not set (Settings): the words that need it would be left out.',
    );
    expect(codes('voicemail_intro', GOOD_VOICEMAIL)).toEqual([]);
    expect(lintScript('elevator', 'About {{topic}}.', { known: { topic: ' ' } })[0]!.message).toContain(
      'the campaign has no topic',
    );
  });

  it('errs when the intro or follow-up does not say when you will call again', () => {
    expect(codes('voicemail_intro', without('next_call', 'soon'))).toEqual(['missing_next_call']);
    expect(codes('voicemail_follow_up', without('next_call', 'soon'))).toEqual(['missing_next_call']);
  });

  it('asks the break-up for name, number and reason but not for the next call', () => {
    expect(codes('voicemail_break_up', GOOD_BREAK_UP)).toEqual([]);
    expect(codes('voicemail_break_up', 'Hi, this is my last message.')).toEqual([
      'missing_name',
      'missing_number',
      'missing_reason',
      'missing_date',
      'missing_hook',
    ]);
  });

  it('errs when the break-up promises another call with {{next_call}}', () => {
    const findings = lintScript('voicemail_break_up', `${GOOD_BREAK_UP} I’ll try you {{next_call}}.`);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['promises_next_call', 'error']]);
  });

  it('asks nothing of this kind of the elevator speech or the gatekeeper script', () => {
    expect(codes('elevator', 'Hi there, got a minute?')).toEqual([]);
    expect(codes('gatekeeper', 'Hi, is the boss in?')).toEqual([]);
  });
});

describe('unknown_variable', () => {
  it('errs on a placeholder Ringback does not fill, suggesting the close one', () => {
    const findings = lintScript('gatekeeper', 'Hi, is {{firstname}} in?');
    expect(findings).toEqual([
      {
        script: 'gatekeeper',
        severity: 'error',
        code: 'unknown_variable',
        message:
          'gatekeeper script uses {{firstname}}, which Ringback does not fill; did you mean {{first_name}}?',
      },
    ]);
  });

  it('lists the known variables when nothing is close', () => {
    const [finding] = lintScript('elevator', 'Hi, nice {{weather}} today.');
    expect(finding!.message).toBe(
      'elevator speech uses {{weather}}, which Ringback does not fill; use one of {{first_name}}, {{company}}, ' +
        '{{my_name}}, {{my_number}}, {{topic}}, {{today}}, {{next_call}}, {{hook}}.',
    );
  });

  it('reports each unknown name once', () => {
    expect(codes('elevator', '{{nam}} {{nam}} {{compnay}}')).toEqual([
      'unknown_variable',
      'unknown_variable',
    ]);
  });

  it('guesses through case, separators and up to two typos', () => {
    expect(closestVariable('FirstName')).toBe('first_name');
    expect(closestVariable('first-name')).toBe('first_name');
    expect(closestVariable('frist_name')).toBe('first_name');
    expect(closestVariable('next_cal')).toBe('next_call');
    expect(closestVariable('mynumber')).toBe('my_number');
    expect(closestVariable('weather')).toBeNull();
    expect(closestVariable('')).toBeNull();
  });

  it('accepts every known variable, spaces inside the braces included', () => {
    expect(codes('elevator', '{{ first_name }} {{company}} {{hook}}')).toEqual([]);
  });
});

describe('empty and unbalanced_braces', () => {
  it('errs on an empty script and says nothing else about it', () => {
    expect(lintScript('voicemail_intro', '  \n ')).toEqual([
      {
        script: 'voicemail_intro',
        severity: 'error',
        code: 'empty',
        message:
          'voicemail (intro) is empty; write who you are, why you call, your number and when you will call again.',
      },
    ]);
  });

  it('errs on braces without their partner, which a rep would read aloud', () => {
    expect(codes('elevator', 'Hi {{first_name}, got a minute?')).toEqual(['unbalanced_braces']);
    expect(codes('elevator', 'Hi first_name}}, got a minute?')).toEqual(['unbalanced_braces']);
    expect(codes('elevator', 'Hi {{first_name}}, got a minute?')).toEqual([]);
  });
});

describe('lintScripts', () => {
  it('passes a campaign whose scripts say what they must', () => {
    expect(lintScripts(GOOD)).toEqual([]);
  });

  it('reports each script under its own name, in the order a rep uses them, errors first within one', () => {
    const bad: CampaignScripts = {
      elevator: `{{nope}} ${words(30)}`,
      voicemail: { intro: 'Hi.', follow_up: GOOD_VOICEMAIL, break_up: `${GOOD_BREAK_UP} {{next_call}}` },
      gatekeeper: ' ',
    };
    expect(lintScripts(bad).map((f) => `${f.script}:${f.code}`)).toEqual([
      'elevator:unknown_variable',
      'elevator:too_long',
      'voicemail_intro:missing_name',
      'voicemail_intro:missing_number',
      'voicemail_intro:missing_reason',
      'voicemail_intro:missing_next_call',
      'voicemail_intro:missing_date',
      'voicemail_intro:missing_hook',
      'voicemail_break_up:promises_next_call',
      'gatekeeper:empty',
    ]);
  });

  it('names every script kind in its messages', () => {
    const labels = SCRIPT_KINDS.map((kind) => lintScript(kind, '')[0]!.message.split(' is empty')[0]);
    expect(labels).toEqual([
      'elevator speech',
      'voicemail (intro)',
      'voicemail (follow-up)',
      'voicemail (break-up)',
      'gatekeeper script',
    ]);
  });

  it('makes only the length a warning; everything else stops the script from working', () => {
    const severities = Object.fromEntries(LINT_CODES.map((c: LintCode) => [c, severityOf(c)]));
    expect(severities).toEqual({
      empty: 'error',
      unbalanced_braces: 'error',
      unknown_variable: 'error',
      missing_name: 'error',
      missing_number: 'error',
      missing_reason: 'error',
      missing_next_call: 'error',
      missing_date: 'error',
      missing_hook: 'error',
      promises_next_call: 'error',
      promises_no_more_calls: 'error',
      empty_value: 'error',
      too_long: 'warning',
    });
  });
});
