import fc from 'fast-check';
import type { CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { createPhoneNormalizer, TwoGenerationCache } from '../../src/core/phone/fast.js';
import { normalizePhone, type PhoneResult } from '../../src/core/phone/normalize.js';
import { generatePhoneSamples } from '../../src/core/phone/samples.js';

/** Inputs on which the fast normalizer and normalizePhone() differ, with both results. */
function disagreements(
  samples: readonly string[],
  country: CountryCode,
  slow = samples.map((raw) => normalizePhone(raw, country)),
) {
  const fast = createPhoneNormalizer(country);
  const found: { raw: string; fast: PhoneResult; slow: PhoneResult }[] = [];
  samples.forEach((raw, i) => {
    const a = fast(raw);
    const b = slow[i]!;
    const same =
      a.ok && b.ok
        ? a.e164 === b.e164 && a.extension === b.extension && a.country === b.country
        : !a.ok && !b.ok && a.reason === b.reason;
    if (!same && found.length < 20) found.push({ raw, fast: a, slow: b });
  });
  return found;
}

describe('createPhoneNormalizer gives exactly normalizePhone()’s results', () => {
  const samples = generatePhoneSamples(20251123, 200_000);
  let slowResults: PhoneResult[] | undefined;
  const slow = () => {
    slowResults ??= samples.map((raw) => normalizePhone(raw, 'US'));
    return slowResults;
  };

  it('agrees on 200,000 generated numbers with the US as default region', () => {
    expect(disagreements(samples, 'US', slow())).toEqual([]);
  });

  it.each([
    ['CA', 40_000],
    ['GB', 20_000],
    ['DE', 20_000],
    ['FR', 20_000],
    ['AU', 20_000],
    ['MX', 20_000],
    ['IN', 20_000],
  ] as const)('agrees on generated numbers with %s as default region', (country, n) => {
    expect(disagreements(generatePhoneSamples(n, n), country)).toEqual([]);
  });

  it('is proven on a set that holds every shape and every outcome', () => {
    const results = slow();
    const accepted = results.filter((r) => r.ok);
    const reasons = results.flatMap((r) => (r.ok ? [] : [r.reason.replace(/^".*" /s, '')]));
    const countries = new Set(accepted.map((r) => r.country));
    expect(accepted.length).toBeGreaterThan(samples.length / 2);
    expect(accepted.filter((r) => r.extension !== '').length).toBeGreaterThan(1000);
    for (const c of [
      'US',
      'CA',
      'JM',
      'GB',
      'DE',
      'FR',
      'AU',
      'MX',
      'IN',
      'ES',
      'IT',
      'JP',
      'IE',
      'NL',
      'BR',
    ]) {
      expect(countries).toContain(c);
    }
    for (const r of [
      'is not a valid US number',
      'is too long for a US number',
      'is too short for a US number',
    ]) {
      expect(reasons).toContain(r);
    }
    for (const r of ['empty', 'is not a phone number', 'has an unknown country code'])
      expect(reasons).toContain(r);
    expect(new Set(samples).size).toBeLessThan(samples.length);
  });

  it('agrees on any string of digits, separators, plus signs and extension marks (property)', () => {
    const fast = createPhoneNormalizer('US');
    const unit = fc.constantFrom(
      '0',
      '1',
      '2',
      '4',
      '5',
      '9',
      ' ',
      '-',
      '.',
      '(',
      ')',
      '+',
      'x',
      '#',
      ';ext=',
      'tel:',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (raw) => {
        expect(fast(raw)).toEqual(normalizePhone(raw, 'US'));
      }),
      { seed: 7, numRuns: 20_000 },
    );
  });

  it('agrees on arbitrary text (property)', () => {
    const fast = createPhoneNormalizer('GB');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (raw) => {
        expect(fast(raw)).toEqual(normalizePhone(raw, 'GB'));
      }),
      { seed: 11, numRuns: 5_000 },
    );
  });

  it('gives one answer for every spelling of a North American number (property)', () => {
    const fast = createPhoneNormalizer('US');
    const digit = fc.integer({ min: 0, max: 9 }).map(String);
    const spellings = (a: string, e: string, l: string) => [
      `(${a}) ${e}-${l}`,
      `${a}.${e}.${l}`,
      `1-${a}-${e}-${l}`,
      `+1 ${a} ${e} ${l}`,
      `${a}${e}${l}`,
    ];
    fc.assert(
      // Area codes start with 2-9: "(009) …" would read as the international prefix 00.
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.array(digit, { minLength: 9, maxLength: 9 }),
        (first, rest) => {
          const [a, e, l] = [
            first + rest.slice(0, 2).join(''),
            rest.slice(2, 5).join(''),
            rest.slice(5).join(''),
          ];
          const expected = normalizePhone(`+1${a}${e}${l}`, 'US');
          for (const s of spellings(a, e, l)) {
            const got = fast(s);
            expect(got.ok).toBe(expected.ok);
            if (got.ok && expected.ok) expect(got.e164).toBe(expected.e164);
          }
        },
      ),
      { seed: 3, numRuns: 5_000 },
    );
  });

  it('quotes the spelling it was given in a rejection, not the cached one', () => {
    const fast = createPhoneNormalizer('US');
    expect(fast('(415) 155-0123')).toEqual({
      ok: false,
      reason: '"(415) 155-0123" is not a valid US number',
    });
    expect(fast('415.155.0123')).toEqual({ ok: false, reason: '"415.155.0123" is not a valid US number' });
  });

  it('hands out cached results that cannot be changed', () => {
    const fast = createPhoneNormalizer('GB');
    const first = fast('020 7946 0958');
    expect(Object.isFrozen(first)).toBe(true);
    expect(fast('020-7946-0958')).toBe(first);
  });
});

describe('TwoGenerationCache', () => {
  it('holds at most two generations, however many keys pass through', () => {
    const cache = new TwoGenerationCache<number>(1000);
    for (let i = 0; i < 50_000; i++) {
      cache.set(String(i), i);
      expect(cache.size).toBeLessThanOrEqual(2000);
    }
    expect(cache.get('49999')).toBe(49999);
    expect(cache.get('48500')).toBe(48500);
    expect(cache.get('10')).toBeUndefined();
  });

  it('keeps a key used again when its generation is dropped', () => {
    const cache = new TwoGenerationCache<string>(2);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C'); // a, b become the previous generation
    expect(cache.get('a')).toBe('A'); // promoted
    cache.set('d', 'D'); // c, a become the previous generation; b is dropped
    expect(cache.get('a')).toBe('A');
    expect(cache.get('b')).toBeUndefined();
  });
});
