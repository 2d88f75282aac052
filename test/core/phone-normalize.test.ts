import { describe, expect, it } from 'vitest';
import { normalizePhone, quoteValue } from '../../src/core/phone/normalize.js';

const us = (raw: string) => normalizePhone(raw, 'US');
const ok = (e164: string, country: string | null, extension = '') => ({ ok: true, e164, extension, country });

describe('normalizePhone accepts what people type and CRMs export', () => {
  it.each([
    ['(415) 555-0123'],
    ['415-555-0123'],
    ['415.555.0123'],
    ['4155550123'],
    ['1-415-555-0123'],
    ['1 (415) 555-0123'],
    ['+1 415 555 0123'],
    ['+1 (415) 555-0123'],
    ['+14155550123'],
    ['  415 555 0123  '],
    ['tel:+1-415-555-0123'],
    ['TEL:+1-415-555-0123'],
  ])('reads %j as +14155550123 in the US', (raw) => {
    expect(us(raw)).toEqual(ok('+14155550123', 'US'));
  });

  it('keeps the extension of "415.555.0123 x204" apart from the number', () => {
    expect(us('415.555.0123 x204')).toEqual(ok('+14155550123', 'US', '204'));
  });

  it.each([
    ['415 555 0123 ext. 12'],
    ['415 555 0123 ext 12'],
    ['415 555 0123;ext=12'],
    ['415 555 0123 #12'],
    ['tel:+1-415-555-0123;ext=12'],
  ])('reads the extension of %j as "12"', (raw) => {
    expect(us(raw)).toEqual(ok('+14155550123', 'US', '12'));
  });

  it('accepts an international number written with +', () => {
    expect(us('+44 20 7946 0958')).toEqual(ok('+442079460958', 'GB'));
    expect(us('+44 (0)20 7946 0958')).toEqual(ok('+442079460958', 'GB'));
  });

  it('reads a leading 00 as the international prefix even where the default region dials 011', () => {
    expect(us('00 49 30 1234567')).toEqual(ok('+49301234567', 'DE'));
    expect(us('0049 30 1234567')).toEqual(ok('+49301234567', 'DE'));
    expect(us('00 1 415 555 0123')).toEqual(ok('+14155550123', 'US'));
  });

  it('reads 00 as libphonenumber-js does where 00 is the international prefix', () => {
    expect(normalizePhone('00 49 30 1234567', 'DE')).toEqual(ok('+49301234567', 'DE'));
    expect(normalizePhone('0044 20 7946 0958', 'FR')).toEqual(ok('+442079460958', 'GB'));
  });

  it("keeps a region's own international prefix: 011 from the US, 0011 from Australia", () => {
    expect(us('011 49 30 1234567')).toEqual(ok('+49301234567', 'DE'));
    expect(normalizePhone('0011 49 30 1234567', 'AU')).toEqual(ok('+49301234567', 'DE'));
  });

  it('reads national numbers of the default region', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual(ok('+442079460958', 'GB'));
    expect(normalizePhone('030 1234567', 'DE')).toEqual(ok('+49301234567', 'DE'));
  });

  it('assigns +1 numbers to the NANP country that owns the area code', () => {
    expect(us('(416) 555-0134')).toEqual(ok('+14165550134', 'CA'));
    expect(us('876 555 0123')).toEqual(ok('+18765550123', 'JM'));
  });

  it('accepts 555 numbers: min metadata has no rule for them, any NXX exchange of an assigned area code is valid', () => {
    // 555-0100…0199 are the fictional range, 555-1212 directory assistance: libphonenumber-js
    // (min metadata) accepts both, so fixtures and tests can use them as real US numbers.
    expect(us('(415) 555-0123').ok).toBe(true);
    expect(us('212-555-0199').ok).toBe(true);
    expect(us('415-555-1212').ok).toBe(true);
    expect(us('800-555-0199')).toEqual(ok('+18005550199', 'US'));
  });

  it('rejects the UK drama range 07700 900xxx: the metadata marks it as not assigned', () => {
    expect(us('+44 7700 900123')).toEqual({
      ok: false,
      reason: '"+44 7700 900123" is not a valid GB number',
    });
  });
});

describe('normalizePhone says what is wrong with a number it rejects', () => {
  it.each([
    ['12345', '"12345" is too short for a US number'],
    ['555-0123', '"555-0123" is too short for a US number'],
    ['+99 123', '"+99 123" has an unknown country code'],
    ['(415) 555-01234', '"(415) 555-01234" is too long for a US number'],
    ['+1 415 155 0123', '"+1 415 155 0123" is not a valid US number'],
    ['+1 999 555 0123', '"+1 999 555 0123" is not a valid US number'],
    ['+44 1', '"+44 1" is too short for a GB number'],
    ['00 49 30', '"00 49 30" is too short for a DE number'],
    ['abc', '"abc" is not a phone number'],
    ['x12', '"x12" is too short for a US number'],
    ['+', '"+" is not a phone number'],
  ])('%j: %s', (raw, reason) => {
    expect(us(raw)).toEqual({ ok: false, reason });
  });

  it('uses "an" before a region spoken with a vowel sound', () => {
    expect(normalizePhone('+33 1 23', 'US')).toEqual({
      ok: false,
      reason: '"+33 1 23" is too short for an FR number',
    });
  });

  it('answers "empty" for an empty or blank cell', () => {
    expect(us('')).toEqual({ ok: false, reason: 'empty' });
    expect(us('  \t ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('rejects text far longer than any number without parsing it, quoting only its start', () => {
    const result = us(`${'1'.repeat(60)} ${'2'.repeat(60)}`);
    expect(result).toEqual({ ok: false, reason: `"${'1'.repeat(40)}…" is too long to be a phone number` });
  });

  it('quotes values on one line and cuts them at 40 characters', () => {
    expect(quoteValue('a\nb')).toBe('"a b"');
    expect(quoteValue('x'.repeat(40))).toBe(`"${'x'.repeat(40)}"`);
    expect(quoteValue('x'.repeat(41))).toBe(`"${'x'.repeat(40)}…"`);
    expect(quoteValue('y'.repeat(10_000_000))).toBe(`"${'y'.repeat(40)}…"`);
  });
});
