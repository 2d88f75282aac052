/**
 * A phone normalizer for imports of millions of rows, giving exactly normalizePhone()'s results
 * (test/core/phone-fast.test.ts proves it on generated numbers of every shape).
 *
 * libphonenumber-js parses some 65,000 numbers a second per core; three shortcuts avoid it:
 * 1. Numbers of a simple shape written with "+" and a country code — and, with the US or
 *    Canada as default region, ten- and eleven-digit North American numbers — are checked
 *    against libphonenumber-js's own metadata (direct.ts): that is where most distinct numbers
 *    of an import are.
 * 2. Anything else of a simple shape — digits with spaces, ( ) - . and an optional leading + —
 *    is cached by its digits: libphonenumber-js ignores that punctuation, so "(415) 555-0123"
 *    and "415.555.0123" are one parse.
 * 3. A simple shape followed by " x204" or " ext. 204" is the number plus that extension.
 * The rest goes to normalizePhone(), cached by its text. Caches are bounded.
 */
import type { CountryCode } from 'libphonenumber-js';
import { judgeInternational } from './direct.js';
import { classifyPhone, describeRejection, type PhoneResult, type PhoneVerdict } from './normalize.js';

export interface PhoneNormalizerOptions {
  /** Entries per cache generation; two generations are kept, so at most twice this many. */
  cacheSize?: number;
}

/** Past this the text is handed to normalizePhone(), which has its own limit on length. */
const MAX_SIMPLE_LENGTH = 64;
const SIMPLE_EXTENSION = /^(.*?[0-9])[ ]*(?:x|ext\.?)[ ]*([0-9]{1,6})$/i;

export function createPhoneNormalizer(
  defaultCountry: CountryCode,
  options: PhoneNormalizerOptions = {},
): (raw: string) => PhoneResult {
  const cache = new TwoGenerationCache<PhoneVerdict>(options.cacheSize ?? 100_000);
  const nanpDefault = defaultCountry === 'US' || defaultCountry === 'CA';

  const verdictOf = (key: string, text: string): PhoneVerdict => {
    let verdict = cache.get(key);
    if (verdict === undefined) {
      verdict = classifyPhone(text, defaultCountry);
      if (verdict.ok) Object.freeze(verdict);
      cache.set(key, verdict);
    }
    return verdict;
  };

  /** The verdict for a simple shape, or undefined when `text` is not one. */
  const simpleVerdict = (text: string): PhoneVerdict | undefined => {
    if (text.length > MAX_SIMPLE_LENGTH) return undefined;
    let digits = '';
    let plus = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) digits += text[i];
      else if (c === 43) {
        // One "+", before the first digit, as libphonenumber-js reads it.
        if (plus || digits !== '') return undefined;
        plus = true;
      } else if (c !== 32 && c !== 40 && c !== 41 && c !== 45 && c !== 46) return undefined;
    }
    if (digits.length < 3) return undefined;

    const international = plus ? digits : nanpDefault ? nanpAsInternational(digits) : null;
    if (international !== null) {
      const verdict = judgeInternational(international, plus ? null : defaultCountry);
      if (verdict !== null) return verdict;
    }
    const key = plus ? `+${digits}` : digits;
    return verdictOf(key, key);
  };

  return (raw: string): PhoneResult => {
    // normalizePhone() reads "tel:+1-415-555-0123" as "+1-415-555-0123" too.
    const simple = simpleVerdict(/^tel:/i.test(raw) ? raw.slice(4) : raw);
    if (simple !== undefined) return simple.ok ? simple : rejected(raw, simple);

    const ext = raw.length <= MAX_SIMPLE_LENGTH ? SIMPLE_EXTENSION.exec(raw.trim()) : null;
    if (ext) {
      const number = simpleVerdict(ext[1]!);
      if (number?.ok) return { ok: true, e164: number.e164, extension: ext[2]!, country: number.country };
    }

    const text = raw.trim();
    const verdict = verdictOf(`\u0000${text}`, text);
    return verdict.ok ? verdict : rejected(raw, verdict);
  };
}

function rejected(raw: string, verdict: Extract<PhoneVerdict, { ok: false }>): PhoneResult {
  return { ok: false, reason: describeRejection(raw, verdict) };
}

/**
 * With the US or Canada as default region, "NXXNXXXXXX" and "1NXXNXXXXXX" are read by
 * libphonenumber-js exactly as "+1NXXNXXXXXX": the national prefix is 1, the international
 * prefix 011, and no national number starts with 0 or 1.
 */
function nanpAsInternational(digits: string): string | null {
  const first = digits.charCodeAt(0);
  if (digits.length === 10 && first >= 50) return `1${digits}`;
  if (digits.length === 11 && first === 49 && digits.charCodeAt(1) >= 50) return digits;
  return null;
}

/**
 * A cache bounded without bookkeeping per hit: when the current generation is full it becomes
 * the previous one and the old previous is dropped; a hit in the previous one is promoted.
 */
export class TwoGenerationCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly generationSize: number) {}

  /** Entries held, at most twice the generation size. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  get(key: string): V | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}
