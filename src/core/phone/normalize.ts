/**
 * Phone numbers as people type them and CRMs export them — "(415) 555-0123", "415.555.0123 x204",
 * "+44 20 7946 0958", "00 49 30 1234567", "tel:+1-415-555-0123" — turned into E.164 with the
 * extension kept apart, or a rejection a person can act on. libphonenumber-js (min metadata) is
 * the authority: a number is accepted only when it says `isValid()`.
 *
 * A leading "00" is read as the international prefix even where the default region dials
 * another one (011 in North America): people copy numbers from European signatures, and no
 * national number starts with 00 in those regions. The number is first parsed as written, and
 * only when that is not valid, and the region's own international prefix does not cover the
 * "00", is it parsed again with "+" in place of the "00".
 */
import type { CountryCode, PhoneNumber } from 'libphonenumber-js';
import {
  ParseError,
  parseIncompletePhoneNumber,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js';
import metadata from 'libphonenumber-js/metadata.min.json';
import { assertUnreachable } from '../unreachable.js';

export type PhoneResult =
  | { ok: true; e164: string; extension: string; country: string | null }
  | { ok: false; reason: string };

export type PhoneProblem =
  | 'empty'
  | 'not_a_number'
  | 'unknown_country_code'
  | 'too_short'
  | 'too_long'
  | 'invalid_length'
  | 'invalid'
  | 'too_much_text';

/**
 * What was wrong, without the input text: the fast normalizer caches this once per number and
 * writes the message with whatever spelling of the number it was given.
 */
export interface PhoneRejection {
  ok: false;
  problem: PhoneProblem;
  /** The region (or "+cc") the number was judged against, for the message. */
  region: string;
}

export type PhoneAccepted = Extract<PhoneResult, { ok: true }>;
export type PhoneVerdict = PhoneAccepted | PhoneRejection;

/** Longer than any number with an extension; libphonenumber-js itself gives up at 250. */
const MAX_TEXT = 100;

/** The part of a message that shows the value: quoted, on one line, cut to about 40 characters. */
export function quoteValue(value: string): string {
  // Cut before anything else: the value may be a 10 MB cell.
  const oneLine = value.slice(0, 41).replace(/\s+/g, ' ');
  return `"${oneLine.length > 40 || value.length > 41 ? `${oneLine.slice(0, 40)}…` : oneLine}"`;
}

export function normalizePhone(raw: string, defaultCountry: CountryCode): PhoneResult {
  const verdict = classifyPhone(raw, defaultCountry);
  return verdict.ok ? verdict : { ok: false, reason: describeRejection(raw, verdict) };
}

export function describeRejection(raw: string, rejection: PhoneRejection): string {
  const q = quoteValue(raw.trim());
  const a = withArticle(rejection.region);
  switch (rejection.problem) {
    case 'empty':
      return 'empty';
    case 'not_a_number':
      return `${q} is not a phone number`;
    case 'unknown_country_code':
      return `${q} has an unknown country code`;
    case 'too_short':
      return `${q} is too short for ${a} number`;
    case 'too_long':
      return `${q} is too long for ${a} number`;
    case 'invalid_length':
      return `${q} has the wrong number of digits for ${a} number`;
    case 'invalid':
      return `${q} is not a valid ${rejection.region} number`;
    case 'too_much_text':
      return `${q} is too long to be a phone number`;
    default:
      return assertUnreachable(rejection.problem);
  }
}

export function classifyPhone(raw: string, defaultCountry: CountryCode): PhoneVerdict {
  let text = raw.trim();
  if (text === '') return { ok: false, problem: 'empty', region: defaultCountry };
  if (text.length > MAX_TEXT) return { ok: false, problem: 'too_much_text', region: defaultCountry };
  // validatePhoneNumberLength() does not understand RFC 3966 URIs, parse() does: strip it for both.
  if (/^tel:/i.test(text)) text = text.slice(4);

  const asWritten = parseText(text, defaultCountry);
  if (asWritten.ok) return asWritten;
  const international = doubleZeroAsPlus(text, defaultCountry);
  return international === null ? asWritten : parseText(international, defaultCountry);
}

function parseText(text: string, defaultCountry: CountryCode): PhoneVerdict {
  let phone: PhoneNumber;
  try {
    phone = parsePhoneNumberWithError(text, defaultCountry);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { ok: false, problem: problemOfCode(e.message), region: regionOfText(text, defaultCountry) };
  }
  if (phone.isValid()) {
    return { ok: true, e164: phone.number, extension: phone.ext ?? '', country: phone.country ?? null };
  }
  const region = phone.country ?? mainRegionOf(phone.countryCallingCode) ?? `+${phone.countryCallingCode}`;
  // The parsed number, not the text: on the text this answers NOT_A_NUMBER for "(+91) 2152 6842".
  const length = validatePhoneNumberLength(phone.number);
  return { ok: false, problem: length === undefined ? 'invalid' : problemOfCode(length), region };
}

function problemOfCode(code: string): PhoneProblem {
  switch (code) {
    case 'INVALID_COUNTRY':
      return 'unknown_country_code';
    case 'TOO_SHORT':
      return 'too_short';
    case 'TOO_LONG':
      return 'too_long';
    case 'INVALID_LENGTH':
      return 'invalid_length';
    default:
      return 'not_a_number';
  }
}

/**
 * "00 49 30 1234567" → "+ 49 30 1234567" when the digits start with 00 and a non-zero digit,
 * nothing but punctuation comes before them, and the default region's international prefix
 * does not already match (then libphonenumber-js has read it as international itself).
 */
function doubleZeroAsPlus(text: string, defaultCountry: CountryCode): string | null {
  const m = /^[\s().\-/]*0[\s().\-/]*0(?=[\s().\-/]*[1-9])/.exec(text);
  if (!m) return null;
  const idd = iddPattern(defaultCountry);
  if (idd?.test(parseIncompletePhoneNumber(text))) return null;
  return `+${text.slice(m[0].length)}`;
}

type Plan = readonly unknown[];
const countries = metadata.countries as unknown as Record<string, Plan | undefined>;
const callingCodes = metadata.country_calling_codes as unknown as Record<
  string,
  readonly string[] | undefined
>;

const iddCache = new Map<string, RegExp | null>();
function iddPattern(country: string): RegExp | null {
  let re = iddCache.get(country);
  if (re === undefined) {
    const idd = countries[country]?.[1];
    re = typeof idd === 'string' && idd !== '' ? new RegExp(`^(?:${idd})`) : null;
    iddCache.set(country, re);
  }
  return re;
}

function mainRegionOf(callingCode: string): string | undefined {
  return callingCodes[callingCode]?.[0];
}

/** The region a number that could not even be parsed was meant for, for the message. */
function regionOfText(text: string, defaultCountry: CountryCode): string {
  const digits = parseIncompletePhoneNumber(text);
  if (!digits.startsWith('+')) return defaultCountry;
  for (let len = 1; len <= 3 && len < digits.length; len++) {
    const region = mainRegionOf(digits.slice(1, 1 + len));
    if (region) return region;
  }
  return 'international';
}

/** "a US number", "an FR number": the article follows how the letter is spoken. */
function withArticle(region: string): string {
  return /^[AEFHILMNORSX]/i.test(region) ? `an ${region}` : `a ${region}`;
}
