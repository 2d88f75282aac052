/**
 * Checks a campaign's scripts against "say less, and say it well" before a rep reads them:
 * the elevator speech fits in ten seconds, a voicemail in thirty, every voicemail names the
 * caller, the reason and a number to call back, the intro and follow-up say when the next
 * call comes, the break-up does not promise one, and no placeholder is misspelled.
 *
 * Findings are sentences a rep understands, with the numbers in them; `code` is for programs.
 *
 * @example
 *   lintScript('elevator', 'Hi {{firstname}}, …');
 *   // [{ script: 'elevator', severity: 'error', code: 'unknown_variable',
 *   //    message: 'elevator speech uses {{firstname}}, which Ringback does not fill; did you mean {{first_name}}?' }]
 */
import { assertUnreachable } from '../unreachable.js';
import {
  type CampaignScripts,
  isScriptVariable,
  PLACEHOLDER,
  SCRIPT_VARIABLES,
  type ScriptVariable,
} from './schema.js';

export const SCRIPT_KINDS = [
  'elevator',
  'voicemail_intro',
  'voicemail_follow_up',
  'voicemail_break_up',
  'gatekeeper',
] as const;
export type ScriptKind = (typeof SCRIPT_KINDS)[number];

export const LINT_CODES = [
  'empty',
  'unbalanced_braces',
  'unknown_variable',
  'missing_name',
  'missing_number',
  'missing_reason',
  'missing_next_call',
  'promises_next_call',
  'too_long',
] as const;
export type LintCode = (typeof LINT_CODES)[number];

export type Severity = 'error' | 'warning';

export interface LintFinding {
  script: ScriptKind;
  severity: Severity;
  code: LintCode;
  message: string;
}

export interface LintOptions {
  /**
   * Values known when the scripts are checked — typically the campaign's `topic` — counted
   * as they are instead of at their typical length.
   */
  known?: Partial<Record<ScriptVariable, string>>;
}

/** Speaking pace the estimates assume: an unhurried, clear voicemail. */
export const WORDS_PER_MINUTE = 150;

/** Longest comfortable spoken length, in seconds, per script; the gatekeeper script has none. */
export const MAX_SECONDS: Record<ScriptKind, number | null> = {
  elevator: 10,
  voicemail_intro: 30,
  voicemail_follow_up: 30,
  voicemail_break_up: 30,
  gatekeeper: null,
};

/**
 * How many spoken words a variable usually becomes, for the length estimate:
 *   first_name 1  "Dana"
 *   company    2  "Acme Logistics"
 *   my_name    2  "Sam Ortiz" — a voicemail gives the full name
 *   my_number 10  "four one five, five five five, zero one two three": digits are said one by one
 *   topic      4  "cutting invoice-approval time"
 *   today      3  "Monday, November 23rd"
 *   next_call  3  "late Thursday afternoon"
 *   hook       6  "I saw you moved to NetSuite"
 * A placeholder Ringback does not know counts as one word.
 */
export const TYPICAL_WORDS: Record<ScriptVariable, number> = {
  first_name: 1,
  company: 2,
  my_name: 2,
  my_number: 10,
  topic: 4,
  today: 3,
  next_call: 3,
  hook: 6,
};

/**
 * Estimated spoken length of a template: its words, with each variable counted at its known
 * value or its typical length (TYPICAL_WORDS), at WORDS_PER_MINUTE. A word is anything
 * between spaces or hyphens that has a letter or digit in it, so "two-minute" is two words
 * and "—" none; a numeral ("$60") counts as one word.
 */
export function estimateSpokenLength(
  template: string,
  options: LintOptions = {},
): { words: number; seconds: number } {
  let words = 0;
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = isScriptVariable(name) ? options.known?.[name] : undefined;
    if (value !== undefined) return ` ${value} `;
    words += isScriptVariable(name) ? TYPICAL_WORDS[name] : 1;
    return ' ';
  });
  words += countSpokenWords(text);
  return { words, seconds: (words * 60) / WORDS_PER_MINUTE };
}

export function countSpokenWords(text: string): number {
  return text.split(/[\s\-‐‑/]+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Every finding for a campaign's five scripts, in the order a rep uses them. */
export function lintScripts(scripts: CampaignScripts, options: LintOptions = {}): LintFinding[] {
  const templates: Record<ScriptKind, string> = {
    elevator: scripts.elevator,
    voicemail_intro: scripts.voicemail.intro,
    voicemail_follow_up: scripts.voicemail.follow_up,
    voicemail_break_up: scripts.voicemail.break_up,
    gatekeeper: scripts.gatekeeper,
  };
  return SCRIPT_KINDS.flatMap((kind) => lintScript(kind, templates[kind], options));
}

/** Findings for one script, errors first. */
export function lintScript(kind: ScriptKind, template: string, options: LintOptions = {}): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (code: LintCode, message: string) =>
    findings.push({ script: kind, severity: severityOf(code), code, message: `${LABELS[kind]} ${message}` });

  if (template.trim() === '') {
    add('empty', `is empty; ${PURPOSE[kind]}`);
    return findings;
  }
  if (/\{\{|\}\}/.test(template.replace(PLACEHOLDER, ''))) {
    add('unbalanced_braces', 'has a {{ or }} without its partner; a rep would read the braces aloud.');
  }
  const used = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) used.add(m[1]!);
  for (const name of used) {
    if (isScriptVariable(name)) continue;
    const guess = closestVariable(name);
    add(
      'unknown_variable',
      `uses {{${name}}}, which Ringback does not fill; ` +
        (guess
          ? `did you mean {{${guess}}}?`
          : `use one of ${SCRIPT_VARIABLES.map((v) => `{{${v}}}`).join(', ')}.`),
    );
  }

  if (isVoicemail(kind)) {
    // Only the variable counts: the script is shared by reps with different names and
    // numbers, and a typed "Sam" or "415-555-0123" would be wrong for everyone else.
    if (!used.has('my_name')) {
      add(
        'missing_name',
        'never says who is calling: add {{my_name}} (a name typed into the script would be wrong for the other reps).',
      );
    }
    if (!used.has('my_number')) {
      add(
        'missing_number',
        'leaves no number to call back: add {{my_number}}, and consider saying it twice.',
      );
    }
    // Any message may be the only one they listen to, so even the break-up says what it is about.
    if (!used.has('topic') && !used.has('hook')) {
      add('missing_reason', 'does not say why you are calling: add {{topic}} or {{hook}}.');
    }
    if (kind === 'voicemail_break_up') {
      if (used.has('next_call')) {
        add(
          'promises_next_call',
          'promises another call with {{next_call}}, but the break-up is your last message: drop it and leave the door open ("if it becomes a priority, I’m at {{my_number}}").',
        );
      }
    } else if (!used.has('next_call')) {
      add(
        'missing_next_call',
        'does not say when you will call again: add {{next_call}}, as in "I’ll try you {{next_call}}".',
      );
    }
  }

  const limit = MAX_SECONDS[kind];
  if (limit !== null) {
    const { words, seconds } = estimateSpokenLength(template, options);
    if (seconds > limit) {
      const maxWords = Math.floor((limit * WORDS_PER_MINUTE) / 60);
      add(
        'too_long',
        `runs about ${Math.ceil(seconds)} s (${words} words at ${WORDS_PER_MINUTE} words per minute); ` +
          `keep it under ${limit} s, about ${maxWords} words.`,
      );
    }
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

const LABELS: Record<ScriptKind, string> = {
  elevator: 'elevator speech',
  voicemail_intro: 'voicemail (intro)',
  voicemail_follow_up: 'voicemail (follow-up)',
  voicemail_break_up: 'voicemail (break-up)',
  gatekeeper: 'gatekeeper script',
};

const PURPOSE: Record<ScriptKind, string> = {
  elevator: 'write ten seconds on who you are, why them, and one question.',
  voicemail_intro: 'write who you are, why you call, your number and when you will call again.',
  voicemail_follow_up: 'write a shorter message with a new angle, your number and when you will call again.',
  voicemail_break_up: 'write a last, friendly message that leaves your number and the door open.',
  gatekeeper: 'write what to say to reception or an assistant: who you are, why, and the best time to call.',
};

function isVoicemail(kind: ScriptKind): boolean {
  switch (kind) {
    case 'voicemail_intro':
    case 'voicemail_follow_up':
    case 'voicemail_break_up':
      return true;
    case 'elevator':
    case 'gatekeeper':
      return false;
    default:
      return assertUnreachable(kind);
  }
}

/**
 * Errors stop a script from doing its job (a voicemail nobody can return, a placeholder
 * read aloud); warnings are about style a rep may choose to keep.
 */
export function severityOf(code: LintCode): Severity {
  switch (code) {
    case 'empty':
    case 'unbalanced_braces':
    case 'unknown_variable':
    case 'missing_name':
    case 'missing_number':
    case 'missing_reason':
    case 'missing_next_call':
    case 'promises_next_call':
      return 'error';
    case 'too_long':
      return 'warning';
    default:
      return assertUnreachable(code);
  }
}

/**
 * The known variable an unknown name most likely meant: the same letters once case,
 * spaces, dashes and underscores are ignored ("FirstName", "first-name"), else one at most
 * two edits away ("frist_name", "next_cal"). Null when nothing is that close.
 */
export function closestVariable(name: string): ScriptVariable | null {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const wanted = squash(name);
  if (wanted === '') return null;
  let best: ScriptVariable | null = null;
  let bestDistance = 3;
  for (const v of SCRIPT_VARIABLES) {
    const d = editDistance(wanted, squash(v));
    if (d < bestDistance) {
      best = v;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
