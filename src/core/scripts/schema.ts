/**
 * A campaign's scripts: the ten-second elevator speech, the three voicemails (intro, follow-up,
 * break-up) and what to say to a gatekeeper. Stored as JSON on the campaign and validated here.
 *
 * Templates use `{{variable}}` placeholders; only the variables below are allowed, so a typo
 * ("{{firstname}}") is caught when the campaign is saved, not when a rep reads it aloud.
 *
 * @example
 *   campaignScriptsSchema.parse({
 *     elevator: 'Hi {{first_name}}, {{my_name}} with Acme. We help teams like {{company}}…',
 *     voicemail: { intro: '…', follow_up: '…', break_up: '…' },
 *     gatekeeper: '…',
 *   });
 */
import { z } from 'zod';

export const SCRIPT_VARIABLES = [
  'first_name',
  'company',
  'my_name',
  'my_number',
  'topic',
  'today',
  'next_call',
  'hook',
] as const;
export type ScriptVariable = (typeof SCRIPT_VARIABLES)[number];

/**
 * What an empty value becomes, by variable:
 * - `detach`: the value alone drops out, with the punctuation it strands — only where it is
 *   set apart ("Hi {{first_name}}, …", "… — {{hook}}."); anywhere else its sentence goes.
 * - `fallback`: a phrasing that is true of anyone ("your company").
 * - `drop`: the clause or sentence that needs it goes ("I’ll try you {{next_call}}." when no
 *   call is planned, "Call me at {{my_number}}." when the rep has no number).
 */
export const WHEN_EMPTY: Record<ScriptVariable, 'detach' | 'fallback' | 'drop'> = {
  first_name: 'detach',
  hook: 'detach',
  company: 'fallback',
  my_name: 'drop',
  my_number: 'drop',
  topic: 'drop',
  today: 'drop',
  next_call: 'drop',
};

/**
 * Variables a script may meet empty without losing what it must say: a first name or hook
 * drops out where it is set apart, a company has a phrasing, and an empty next call means none
 * is planned, so not promising one is right. The others (who calls, their number, the topic,
 * the date) are what a message is for: empty, they are a lint error.
 */
export const MAY_BE_EMPTY: ReadonlySet<ScriptVariable> = new Set([
  'first_name',
  'hook',
  'company',
  'next_call',
]);

/** A `{{name}}` placeholder; spaces inside the braces are allowed, so `{{ first_name }}` works. */
export const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function isScriptVariable(name: string): name is ScriptVariable {
  return (SCRIPT_VARIABLES as readonly string[]).includes(name);
}

/** The variables a template uses, in order of first appearance. */
export function templateVariables(template: string): string[] {
  const seen: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
  return seen;
}

const template = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000, 'a script longer than 2000 characters will not be read aloud')
  .superRefine((text, ctx) => {
    for (const name of templateVariables(text)) {
      if (!(SCRIPT_VARIABLES as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown variable {{${name}}}; use one of ${SCRIPT_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`,
        });
      }
    }
    if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER, ''))) {
      ctx.addIssue({ code: 'custom', message: 'unbalanced {{ }} braces' });
    }
  });

export const VOICEMAIL_SCRIPTS = ['intro', 'follow_up', 'break_up'] as const;
export type VoicemailScript = (typeof VOICEMAIL_SCRIPTS)[number];

export const campaignScriptsSchema = z
  .object({
    /** About ten seconds spoken: who you are, why them, one question. */
    elevator: template,
    voicemail: z
      .object({
        /** First message: names the caller, the reason, the date, the number and when you will call again. */
        intro: template,
        /** Later messages, shorter, with a new angle. */
        follow_up: template,
        /** The last message after about four tries: polite, no pressure, the door left open. */
        break_up: template,
      })
      .strict(),
    /** For reception or an assistant: who you are, the reason, a request for the best time. */
    gatekeeper: template,
  })
  .strict();

export type CampaignScripts = z.infer<typeof campaignScriptsSchema>;
