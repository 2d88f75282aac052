/**
 * Validity of a number written as "+", a country calling code and the national number, read
 * straight from libphonenumber-js's own metadata without a parse: the fast normalizer's shortcut
 * for the numbers most imports are made of.
 *
 * It mirrors what libphonenumber-js 1.x does with such digits — take the shortest calling code
 * the metadata knows, strip no national prefix (when one could be stripped the shortcut stands
 * aside), give the number to the only country of that code or else to the first whose leading
 * digits match or, lacking leading digits, whose number types match, then validate it against
 * that country's number types (or, without types, its national number pattern), and judge the
 * length of an invalid one as validatePhoneNumberLength() does. Whatever it cannot vouch for
 * goes to libphonenumber-js. test/core/phone-fast.test.ts proves the two agree.
 */
import metadata from 'libphonenumber-js/metadata.min.json';
import type { PhoneProblem, PhoneVerdict } from './normalize.js';

interface NumberTypeRule {
  pattern: RegExp;
  /** undefined: the library skips the length check. */
  lengths: readonly number[] | undefined;
}

interface Plan {
  country: string;
  possibleLengths: readonly number[] | undefined;
  national: RegExp;
  leadingDigits: RegExp | null;
  /** null when the metadata has no number types for the country. */
  types: NumberTypeRule[] | null;
  /** A national prefix (or carrier code) that parsing would try to strip. */
  prefixForParsing: RegExp | null;
}

type RawPlan = readonly unknown[];
const json = metadata as unknown as {
  version: unknown;
  country_calling_codes: Record<string, readonly string[] | undefined>;
  countries: Record<string, RawPlan | undefined>;
  nonGeographic?: Record<string, unknown>;
};

/** Written against metadata v4; any other layout turns the shortcut off. */
const usable = json.version === 4;
const plans = new Map<string, Plan | null>();

/**
 * libphonenumber-js's verdict on "+" followed by `digits`, or null when this shortcut cannot
 * tell. `fallbackRegion` is where libphonenumber-js puts a number no country owns: the default
 * region when the number was written without "+" (as "4155550123"), else null.
 */
export function judgeInternational(digits: string, fallbackRegion: string | null): PhoneVerdict | null {
  if (!usable || digits.charCodeAt(0) === 48) return null;
  for (let len = 1; len <= 3 && len <= digits.length; len++) {
    const callingCode = digits.slice(0, len);
    const countries = json.country_calling_codes[callingCode];
    if (countries) {
      // A non-geographic code (+800, +881…) is listed under the pseudo-region "001".
      if (countries.length === 1 && countries[0]!.length === 3) return null;
      return judgeNational(callingCode, countries, digits.slice(len), fallbackRegion);
    }
    if (json.nonGeographic?.[callingCode]) return null;
  }
  return null;
}

function judgeNational(
  callingCode: string,
  countries: readonly string[],
  national: string,
  fallbackRegion: string | null,
): PhoneVerdict | null {
  if (national.length < 2 || national.length > 17) return null;
  const main = planOf(countries[0]!);
  if (!main || main.prefixForParsing?.test(national)) return null;

  let owner: Plan | null = null;
  if (countries.length === 1) owner = main;
  else {
    for (const country of countries) {
      const plan = planOf(country);
      if (!plan) return null;
      if (plan.leadingDigits) {
        if (national.search(plan.leadingDigits) === 0) {
          owner = plan;
          break;
        }
      } else if (matchesSomeType(national, plan)) {
        owner = plan;
        break;
      }
    }
  }
  const judge = owner ?? (fallbackRegion === null ? main : planOf(fallbackRegion));
  if (!judge) return null;
  const country = owner?.country ?? fallbackRegion;
  const valid = judge.types ? matchesSomeType(national, judge) : judge.national.test(national);
  if (valid) return { ok: true, e164: `+${callingCode}${national}`, extension: '', country };
  // normalizePhone() asks validatePhoneNumberLength(), which re-reads the E.164 form: the
  // owner's possible lengths, or the calling code's main region's.
  const problem = lengthProblem(national.length, (owner ?? main).possibleLengths);
  return { ok: false, problem, region: country ?? main.country };
}

/** As libphonenumber-js's checkNumberLength() without a number type. */
function lengthProblem(length: number, possible: readonly number[] | undefined): PhoneProblem {
  if (!possible || possible.length === 0) return 'invalid';
  const min = possible[0]!;
  if (min === length) return 'invalid';
  if (min > length) return 'too_short';
  if (possible[possible.length - 1]! < length) return 'too_long';
  return possible.indexOf(length, 1) >= 0 ? 'invalid' : 'invalid_length';
}

function matchesSomeType(national: string, plan: Plan): boolean {
  if (!plan.national.test(national) || !plan.types) return false;
  for (const rule of plan.types) {
    if (rule.lengths && !rule.lengths.includes(national.length)) continue;
    if (rule.pattern.test(national)) return true;
  }
  return false;
}

function planOf(country: string): Plan | null {
  let plan = plans.get(country);
  if (plan === undefined) {
    plan = compilePlan(country);
    plans.set(country, plan);
  }
  return plan;
}

function compilePlan(country: string): Plan | null {
  // v4 layout: [callingCode, idd, nationalPattern, possibleLengths, formats, nationalPrefix,
  // formattingRule, prefixForParsing, transformRule, prefixOptional, leadingDigits, types, …]
  const raw = json.countries[country];
  if (!raw || typeof raw[2] !== 'string') return null;
  const possibleLengths = Array.isArray(raw[3]) ? (raw[3] as number[]) : undefined;
  const prefix = raw[7] || raw[5];
  const leading = raw[10];
  const rawTypes = raw[11];
  let types: NumberTypeRule[] | null = null;
  if (Array.isArray(rawTypes) && rawTypes.length > 0) {
    types = [];
    for (const def of rawTypes) {
      if (!Array.isArray(def) || typeof def[0] !== 'string' || def[0] === '') continue;
      // As the library's Type.possibleLengths(): the type's own lengths, else the country's.
      const lengths = Array.isArray(def[1]) ? (def[1] as number[]) : possibleLengths;
      types.push({ pattern: whole(def[0]), lengths });
    }
  } else if (rawTypes) {
    return null;
  }
  return {
    country,
    possibleLengths,
    national: whole(raw[2]),
    leadingDigits: typeof leading === 'string' && leading !== '' ? new RegExp(leading) : null,
    types,
    prefixForParsing: typeof prefix === 'string' && prefix !== '' ? new RegExp(`^(?:${prefix})`) : null,
  };
}

/** As libphonenumber-js's matchesEntirely(). */
function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
