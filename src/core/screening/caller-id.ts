/**
 * What an inbound caller ID says: a number, a withheld number, or nothing usable. Carriers and
 * providers spell a withheld number many ways — "anonymous", "Restricted", an empty From, and
 * Twilio's keypad spellings ("+266696687" is ANONYMOUS on a phone keypad).
 *
 *   readCallerId('+1 (415) 555-0123', 'US') // → { kind: 'number', e164: '+14155550123' }
 *   readCallerId('+266696687', 'US')        // → { kind: 'withheld' }
 */
import type { CountryCode } from 'libphonenumber-js';
import { createPhoneNormalizer } from '../phone/fast.js';
import type { PhoneResult } from '../phone/normalize.js';

export type CallerId = { kind: 'number'; e164: string } | { kind: 'withheld' } | { kind: 'unreadable' };

const WITHHELD_WORDS = new Set([
  'anonymous',
  'restricted',
  'private',
  'blocked',
  'unknown',
  'unavailable',
  'withheld',
  'no caller id',
]);

/** The same words typed on a keypad, as Twilio sends them. */
const WITHHELD_KEYPAD = new Set([
  '266696687', // ANONYMOUS
  '7378742833', // RESTRICTED
  '7748283', // PRIVATE
  '2562533', // BLOCKED
  '8656696', // UNKNOWN
  '86282452253', // UNAVAILABLE
]);

/** Longer than any caller ID with punctuation; the rest is not worth parsing. */
const MAX_CALLER_ID = 64;

const normalizers = new Map<string, (raw: string) => PhoneResult>();

function normalizerFor(country: string): (raw: string) => PhoneResult {
  let normalize = normalizers.get(country);
  if (!normalize) {
    // The cache is bounded; results are exactly normalizePhone()'s (test/core/phone-fast.test.ts).
    normalize = createPhoneNormalizer(country as CountryCode, { cacheSize: 20_000 });
    normalizers.set(country, normalize);
  }
  return normalize;
}

export function readCallerId(raw: string, defaultCountry: string): CallerId {
  if (typeof raw !== 'string') return { kind: 'unreadable' };
  const text = raw.trim();
  if (text === '') return { kind: 'withheld' };
  if (text.length > MAX_CALLER_ID) return { kind: 'unreadable' };
  if (WITHHELD_WORDS.has(text.toLowerCase())) return { kind: 'withheld' };
  const digits = text.replace(/[^0-9]/g, '');
  if (WITHHELD_KEYPAD.has(digits) && /^\+?[0-9]+$/.test(text)) return { kind: 'withheld' };
  try {
    const result = normalizerFor(/^[A-Z]{2}$/.test(defaultCountry) ? defaultCountry : 'US')(text);
    return result.ok ? { kind: 'number', e164: result.e164 } : { kind: 'unreadable' };
  } catch {
    // libphonenumber-js rejects with exceptions on some inputs; a caller ID is never worth a crash.
    return { kind: 'unreadable' };
  }
}
