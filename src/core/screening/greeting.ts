/**
 * The block greeting a workspace can write: what a caller sent to voicemail during a block
 * hears, with `{{variables}}` like the campaign scripts'. Linted as it is typed (unknown
 * variables, no {{until}}, too long to sit through) and previewed with sample values.
 *
 *   renderGreeting('Hi, {{my_first_name}} here, on calls until {{until}}.', { my_name: 'Rex Ode', until: '11:30' })
 *   // 'Hi, Rex here, on calls until 11:30.'
 */
import { formatHhmm, localParts } from '../time/zoned.js';
import { blockGreeting, type ScreenDecision } from './screen.js';

export const GREETING_VARIABLES = {
  my_name: 'your name, as in your profile',
  my_first_name: 'your first name',
  until: 'when your block ends, your time ("11:30")',
} as const;
export type GreetingVariable = keyof typeof GREETING_VARIABLES;

export const DEFAULT_GREETING =
  "Hello. This is {{my_name}}. I'm on calls until {{until}}. Please leave your name, number and a short message after the tone, and I will call you back after {{until}}.";

/** Longer than this and callers hang up before the tone. */
export const GREETING_MAX_CHARS = 400;

const PLACEHOLDER = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;

export interface GreetingFinding {
  severity: 'error' | 'warning';
  message: string;
}

export function lintGreeting(template: string): GreetingFinding[] {
  const findings: GreetingFinding[] = [];
  if (template.trim() === '') findings.push({ severity: 'error', message: 'the greeting is empty' });
  if (template.length > GREETING_MAX_CHARS)
    findings.push({
      severity: 'error',
      message: `${template.length} characters: keep it under ${GREETING_MAX_CHARS}, callers hang up before the tone`,
    });
  const unknown = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) if (!(m[1]! in GREETING_VARIABLES)) unknown.add(m[1]!);
  for (const name of unknown)
    findings.push({
      severity: 'error',
      message: `unknown variable {{${name}}}: use ${Object.keys(GREETING_VARIABLES)
        .map((v) => `{{${v}}}`)
        .join(', ')}`,
    });
  if (!/\{\{\s*until\s*\}\}/.test(template) && template.trim() !== '')
    findings.push({
      severity: 'warning',
      message: 'callers are not told when you will be free: add {{until}}',
    });
  return findings;
}

/** Fills the variables; an empty value drops its placeholder and the space it leaves. */
export function renderGreeting(template: string, values: { my_name: string; until: string }): string {
  const name = values.my_name.trim().replace(/\s+/g, ' ');
  const filled: Record<GreetingVariable, string> = {
    my_name: name,
    my_first_name: name.split(' ')[0] ?? '',
    until: values.until,
  };
  return template
    .replace(PLACEHOLDER, (whole, key: string) =>
      key in GREETING_VARIABLES ? filled[key as GreetingVariable] : whole,
    )
    .replace(/\s+([,.!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/**
 * What a caller sent to voicemail hears: the workspace's template during a block (it speaks of
 * {{until}}), else the built-in words — also outside a block, where there is no "until".
 */
export function greetingFor(
  decision: ScreenDecision,
  template: string | null,
  userName: string,
  zone: string,
): string {
  if (template === null || decision.blockEndsAt === null) return blockGreeting(decision, userName, zone);
  return renderGreeting(template, {
    my_name: userName,
    until: formatHhmm(localParts(decision.blockEndsAt, zone).minutesOfDay),
  });
}
