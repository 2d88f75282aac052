/**
 * Turns a campaign script into the words a rep reads aloud for one contact: fills the
 * `{{variables}}`, says the rep's number the way people say numbers, and keeps the sentence
 * readable when a value is missing (a contact with no first name, no hook, no next call).
 *
 * Pure: the moment ("now"), the next call and the contact's zone are passed in.
 *
 * @example
 *   const vars = scriptVariables({ contact, user, campaign, now, nextCall, zone: 'America/Chicago' });
 *   renderScript('Hi {{first_name}}, this is {{my_name}}. Call me at {{my_number}}.', vars);
 *   // { text: 'Hi Dana, this is Sam Ortiz. Call me at 415-555-0123.', missing: [] }
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describeSlot, weekdayName } from '../time/bands.js';
import { localParts } from '../time/zoned.js';
import { isScriptVariable, PLACEHOLDER, type ScriptVariable, WHEN_EMPTY } from './schema.js';

export type ScriptVariables = Record<ScriptVariable, string>;

export interface RenderedScript {
  text: string;
  /** Variables the template uses whose value was empty, in order of first appearance. */
  missing: ScriptVariable[];
}

/** Stands in for an empty value until the punctuation around it is tidied; never in a script. */
const HOLE = '\u0000';
/** Left where a closed gap starts a sentence: the next letter is capitalised. */
const CAPITALISE = '\u0001';
/** Whitespace and the punctuation an empty value can leave stranded, around at least one hole. */
const AROUND_HOLE = /[\s,;:.!?—–\u0000]*\u0000[\s,;:.!?—–\u0000]*/g;
const MARK = /[,;:.!?—–]/;
const SENTENCE_END = /[.!?]/;
const DASH = /[—–]/;
/** Slots stand in the template skeleton as private-use characters, one per placeholder. */
const SLOT_BASE = 0xe000;
const SLOTS = /[\ue000-\uf8ff]/g;

/** Words after which a detached value would leave the sentence hanging; a greeting is fine. */
const GREETING = /(^|[\s,;:.!?—–])(hi|hello|hey|dear|thanks|thank you)\s*$/i;
/** A clause that may drop out of its sentence on its own: a coda after ";" or "and/or/otherwise …". */
const CODA = /^(and|or|otherwise|but|so|then)\b/i;

/**
 * Fills `template` with `vars`. Values are inserted as given (trimmed, inner whitespace
 * collapsed), once: a value that itself contains `{{…}}` is not expanded again.
 *
 * An empty value never leaves a gap (see WHEN_EMPTY). A detached value is removed with the
 * punctuation it strands, by one rule: of the marks left around the gap, a sentence end
 * (. ! ?) wins, else the first one; at the start of the text no mark is kept; and a gap that
 * starts a sentence capitalises the next letter. So "Hi {{first_name}}, this is…" reads
 * "Hi, this is…", "about {{topic}} — {{hook}}. You…" reads "about X. You…". A value the
 * grammar needs takes its clause with it when that clause is a coda ("…, or I’ll try you
 * {{next_call}}." reads "….") and else its whole sentence, so nothing reads "calling about at
 * Acme" or "this is, Monday". Text away from an empty value is left exactly as written,
 * except that runs of spaces are collapsed.
 *
 * Unknown placeholders (`{{firstname}}`) are left as written, so the rep sees them; the
 * linter reports them.
 */
export function renderScript(template: string, vars: ScriptVariables): RenderedScript {
  const missing: ScriptVariable[] = [];
  const values: string[] = [];
  const names: ScriptVariable[] = [];
  let skeleton = template.replace(SLOTS, '').replace(PLACEHOLDER, (whole, name: string) => {
    if (!isScriptVariable(name)) return whole;
    const value = vars[name]
      .replace(/[\u0000\u0001\ue000-\uf8ff]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (value === '' && !missing.includes(name)) missing.push(name);
    values.push(value);
    names.push(name);
    return String.fromCharCode(SLOT_BASE + values.length - 1);
  });

  const mustGo = (i: number, at: number) =>
    values[i] === '' &&
    (WHEN_EMPTY[names[i]!] === 'drop' || (WHEN_EMPTY[names[i]!] === 'detach' && !detached(skeleton, at)));
  for (let target = nextToDrop(); target !== -1; target = nextToDrop()) {
    skeleton = dropAround(skeleton, target);
  }
  function nextToDrop(): number {
    for (const m of skeleton.matchAll(SLOTS))
      if (mustGo(m[0].charCodeAt(0) - SLOT_BASE, m.index)) return m.index;
    return -1;
  }

  const filled = skeleton.replace(SLOTS, (c, offset: number) => {
    const i = c.charCodeAt(0) - SLOT_BASE;
    const value = values[i]!;
    if (value !== '') return value;
    if (WHEN_EMPTY[names[i]!] === 'fallback') return fallback(names[i]!, skeleton.slice(0, offset));
    return HOLE;
  });
  const text = filled
    .replace(AROUND_HOLE, closeGap)
    .replace(/\u0001(\p{Ll})?/gu, (_, letter: string | undefined) => letter?.toUpperCase() ?? '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  return { text, missing };
}

/** A slot set apart by punctuation (or after a greeting) on both sides can drop out alone. */
function detached(skeleton: string, at: number): boolean {
  const before = skeleton.slice(0, at).trimEnd();
  const after = skeleton.slice(at + 1).trimStart();
  const beforeOk = before === '' || MARK.test(before.at(-1)!) || GREETING.test(before);
  const afterOk = after === '' || MARK.test(after[0]!);
  return beforeOk && afterOk;
}

/** The phrasing for an empty `name` whose text before it is `before`. */
function fallback(name: ScriptVariable, before: string): string {
  const opensSentence = before.trim() === '' || SENTENCE_END.test(before.trimEnd().at(-1)!);
  switch (name) {
    case 'company':
      if (/\blike\s*$/i.test(before)) return 'yours';
      return opensSentence ? 'Your company' : 'your company';
    default:
      return '';
  }
}

/** Sentences of a skeleton as [start, end) offsets, each ending after its marks and spaces. */
function sentences(skeleton: string): [number, number][] {
  const out: [number, number][] = [];
  const end = /[.!?]+(?=\s|$)\s*/g;
  let start = 0;
  for (const m of skeleton.matchAll(end)) {
    const stop = m.index + m[0].length;
    out.push([start, stop]);
    start = stop;
  }
  if (start < skeleton.length) out.push([start, skeleton.length]);
  return out;
}

/**
 * Removes what the slot at `at` needs: its clause when that clause is a coda of its sentence
 * (the delimiter goes with it, the sentence keeps its end), else the whole sentence.
 */
function dropAround(skeleton: string, at: number): string {
  const [start, stop] = sentences(skeleton).find(([a, b]) => at >= a && at < b)!;
  const sentence = skeleton.slice(start, stop);
  const body = /^(.*?)([.!?]*\s*)$/s.exec(sentence)!;
  const text = body[1]!;
  const ending = body[2]!;
  const local = at - start;
  const delimiters = [...text.matchAll(/\s*(?:[,;]|\s[—–])\s+/g)];
  const before = delimiters.filter((d) => d.index + d[0].length <= local).at(-1);
  const next = delimiters.find((d) => d.index > local);
  if (before) {
    const clause = text.slice(before.index + before[0].length, next ? next.index : text.length);
    if (before[0].includes(';') || CODA.test(clause)) {
      const kept = text.slice(0, before.index) + (next ? text.slice(next.index) : '');
      return skeleton.slice(0, start) + kept + ending + skeleton.slice(stop);
    }
  }
  return skeleton.slice(0, start) + skeleton.slice(stop);
}

/** What a run of whitespace, punctuation and holes becomes (the rule in renderScript). */
function closeGap(run: string, offset: number, all: string): string {
  const marks = [...run].filter((c) => MARK.test(c));
  const mark = marks.find((c) => SENTENCE_END.test(c)) ?? marks[0] ?? '';
  if (all.slice(0, offset).trim() === '') return CAPITALISE;
  if (all.slice(offset + run.length).trim() === '') return DASH.test(mark) ? '' : mark;
  if (mark === '') return /\s/.test(run) ? ' ' : '';
  if (DASH.test(mark)) return ` ${mark} `;
  return SENTENCE_END.test(mark) ? `${mark} ${CAPITALISE}` : `${mark} `;
}

/**
 * The rep's number as it is said on a voicemail: "415-555-0123" for North American numbers,
 * the international format ("+44 20 7946 0958") for the rest, since the listener may be in
 * another country. Anything libphonenumber cannot read is returned trimmed, as typed: a
 * number read aloud badly is still better than none.
 */
export function spokenNumber(e164: string): string {
  let spoken = spokenNumbers.get(e164);
  if (spoken === undefined) {
    spoken = sayNumber(e164);
    if (spokenNumbers.size >= 1024) spokenNumbers.clear();
    spokenNumbers.set(e164, spoken);
  }
  return spoken;
}

/** Reps' numbers said aloud, by number: reading one with libphonenumber costs more than a queue's script. */
const spokenNumbers = new Map<string, string>();

function sayNumber(e164: string): string {
  const typed = e164.trim();
  const parsed = typed === '' ? undefined : parsePhoneNumberFromString(typed);
  if (!parsed) return typed;
  const national = parsed.nationalNumber;
  if (parsed.countryCallingCode === '1' && national.length === 10) {
    return `${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`;
  }
  return parsed.formatInternational();
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "Monday, November 23": the date in `zone`, as said on a voicemail (no year). */
export function spokenDate(instant: number, zone: string): string {
  const p = localParts(instant, zone);
  return `${weekdayName(p.weekday)}, ${MONTHS[p.month - 1]} ${p.day}`;
}

/** Interests longer than this are a description, not a topic one can name in passing. */
const MAX_INTEREST_WORDS = 5;
/** A hook is a clause said in passing; a longer note line is a note, not a hook. */
const MAX_HOOK_WORDS = 16;

/**
 * The personal touch for `{{hook}}`, or '' when nothing usable is known:
 *
 * 1. A line of the notes that starts with "hook:" (any case), e.g. "Hook: you loved the
 *    Cedar & Smoke candle": its first sentence, as typed, trailing punctuation dropped, if it
 *    has at most 16 words. It comes first because a rep wrote it for exactly this purpose.
 *    Unmarked notes are never used: "Husband answers usually" must not end up on a voicemail.
 * 2. Else the first interest (interests are separated by commas, semicolons or new lines),
 *    if it has at most 5 words: "I understand you’re interested in NetSuite".
 *
 * The result is a clause that can follow "—" or start a sentence, which is how templates use it.
 */
export function hookFor(interests: string, notes: string): string {
  for (const line of notes.split(/\r?\n/)) {
    const m = /^\s*hook\s*:\s*(.*)$/i.exec(line);
    if (!m) continue;
    const sentence = firstSentence(m[1]!);
    const words = countWords(sentence);
    if (words > 0 && words <= MAX_HOOK_WORDS) return sentence;
  }
  const first = (interests.split(/[,;\n]/)[0] ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?]+$/, '');
  const words = countWords(first);
  if (words > 0 && words <= MAX_INTEREST_WORDS) return `I understand you’re interested in ${first}`;
  return '';
}

function firstSentence(text: string): string {
  const end = /[.!?](\s|$)/.exec(text);
  return (end ? text.slice(0, end.index) : text)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?;,:]+$/, '');
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export interface ScriptContext {
  contact: { firstName: string; company: string; interests: string; notes: string };
  user: { name: string; phone: string };
  campaign: { topic: string };
  /** The moment the script is read; `{{today}}` is its date in the contact's zone. */
  now: number;
  /** The cadence's next attempt, or null when none is planned (then `{{next_call}}` is empty). */
  nextCall: number | null;
  /** The contact's IANA zone: "today" and "Thursday afternoon" are the contact's. */
  zone: string;
}

export type RepVariables = Pick<ScriptVariables, 'my_name' | 'my_number'>;

/** The rep's own variables: the same for every contact, so a queue works them out once. */
export function repVariables(user: ScriptContext['user']): RepVariables {
  return { my_name: user.name.trim(), my_number: spokenNumber(user.phone) };
}

/**
 * The values of every script variable for one contact, one rep, one moment; `rep` is
 * repVariables(ctx.user), worked out here unless the caller already has it.
 */
export function scriptVariables(
  ctx: ScriptContext,
  rep: RepVariables = repVariables(ctx.user),
): ScriptVariables {
  return {
    first_name: ctx.contact.firstName.trim(),
    company: ctx.contact.company.trim(),
    ...rep,
    topic: ctx.campaign.topic.trim(),
    today: spokenDate(ctx.now, ctx.zone),
    next_call: ctx.nextCall === null ? '' : describeSlot(ctx.nextCall, ctx.zone, ctx.now),
    hook: hookFor(ctx.contact.interests, ctx.contact.notes),
  } satisfies ScriptVariables;
}
