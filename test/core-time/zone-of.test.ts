/**
 * Cadence rule 12: a contact's time zone comes from the contact, else the number's region.
 */
import { getCountries } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { COUNTRY_ZONES } from '../../src/core/time/country-zones.js';
import { isNonGeographicNpa, NANP_AREA_CODES } from '../../src/core/time/nanp-area-codes.js';
import { US_STATES, usStateCode } from '../../src/core/time/us-states.js';
import { stateForNumber, zoneForContact, zoneForNumber } from '../../src/core/time/zone-of.js';
import { isValidZone } from '../../src/core/time/zoned.js';

describe('zoneForNumber: North American numbers by area code', () => {
  it('places single-zone area codes without a guess', () => {
    expect(zoneForNumber('+12125550123')).toEqual({ zone: 'America/New_York', guess: false });
    expect(zoneForNumber('+13125550123')).toEqual({ zone: 'America/Chicago', guess: false });
    expect(zoneForNumber('+16025550123')).toEqual({ zone: 'America/Phoenix', guess: false });
    expect(zoneForNumber('+19155550123')).toEqual({ zone: 'America/Denver', guess: false });
    expect(zoneForNumber('+14165550123')).toEqual({ zone: 'America/Toronto', guess: false });
    expect(zoneForNumber('+13065550123')).toEqual({ zone: 'America/Regina', guess: false });
  });

  it("gives a split area the majority's zone, marked as a guess", () => {
    expect(zoneForNumber('+18505550123')).toEqual({ zone: 'America/Chicago', guess: true });
    expect(zoneForNumber('+12085550123')).toEqual({ zone: 'America/Boise', guess: true });
    expect(zoneForNumber('+16055550123')).toEqual({ zone: 'America/Chicago', guess: true });
  });

  it('places Caribbean members by their own country', () => {
    expect(zoneForNumber('+18765550123')).toEqual({ zone: 'America/Jamaica', guess: false });
    expect(zoneForNumber('+18095550123')).toEqual({ zone: 'America/Santo_Domingo', guess: false });
    expect(zoneForNumber('+12465550123')).toEqual({ zone: 'America/Barbados', guess: false });
  });

  it('says nothing about toll-free and other non-geographic codes', () => {
    expect(zoneForNumber('+18005550123')).toBeNull();
    expect(zoneForNumber('+18885550123')).toBeNull();
  });
});

describe('zoneForNumber: other countries via libphonenumber-js', () => {
  it('uses the country when it keeps one zone', () => {
    expect(zoneForNumber('+442079460958')).toEqual({ zone: 'Europe/London', guess: false });
    expect(zoneForNumber('+4930123456')).toEqual({ zone: 'Europe/Berlin', guess: false });
    expect(zoneForNumber('+919876543210')).toEqual({ zone: 'Asia/Kolkata', guess: false });
  });

  it('gives the most populous zone of a multi-zone country as a guess', () => {
    expect(zoneForNumber('+79161234567')).toEqual({ zone: 'Europe/Moscow', guess: true });
    expect(zoneForNumber('+5511912345678')).toEqual({ zone: 'America/Sao_Paulo', guess: true });
  });

  it('refines Australia by the area digit', () => {
    expect(zoneForNumber('+61255501234')).toEqual({ zone: 'Australia/Sydney', guess: false });
    expect(zoneForNumber('+61370101234')).toEqual({ zone: 'Australia/Melbourne', guess: false });
    expect(zoneForNumber('+61755501234')).toEqual({ zone: 'Australia/Brisbane', guess: false });
    expect(zoneForNumber('+61855501234')).toEqual({ zone: 'Australia/Perth', guess: true });
    expect(zoneForNumber('+61491570156')).toEqual({ zone: 'Australia/Sydney', guess: true });
  });

  it('returns null for text that is not a number', () => {
    expect(zoneForNumber('not a number')).toBeNull();
  });
});

describe('stateForNumber', () => {
  it('gives the US state of an area code, and nothing for Canada or the Caribbean', () => {
    expect(stateForNumber('+13055550123')).toBe('FL');
    expect(stateForNumber('+12025550123')).toBe('DC');
    expect(stateForNumber('+17875550123')).toBe('PR');
    expect(stateForNumber('+14165550123')).toBeNull();
    expect(stateForNumber('+18765550123')).toBeNull();
    expect(stateForNumber('+442079460958')).toBeNull();
  });
});

describe('zoneForContact (rule 12)', () => {
  const WORKSPACE = 'Europe/London';

  it("uses the contact's own zone when Intl knows it", () => {
    expect(zoneForContact({ timeZone: 'America/Denver' }, ['+12125550123'], WORKSPACE)).toEqual({
      zone: 'America/Denver',
      source: 'contact',
      guess: false,
    });
  });

  it('ignores an unknown zone and takes the first number that places the contact, in the order given', () => {
    expect(
      zoneForContact(
        { timeZone: 'Pacific Time' },
        ['+18005550123', '+13125550123', '+12125550123'],
        WORKSPACE,
      ),
    ).toEqual({
      zone: 'America/Chicago',
      source: 'number',
      guess: false,
    });
  });

  it('falls back to the address state, then the country, then the workspace', () => {
    expect(zoneForContact({ region: 'Florida' }, ['+18005550123'], WORKSPACE)).toEqual({
      zone: 'America/New_York',
      source: 'contact',
      guess: true,
    });
    expect(zoneForContact({ country: 'jp' }, [], WORKSPACE)).toEqual({
      zone: 'Asia/Tokyo',
      source: 'contact',
      guess: false,
    });
    expect(zoneForContact({}, [], WORKSPACE)).toEqual({ zone: WORKSPACE, source: 'workspace', guess: true });
  });
});

describe('the zone tables', () => {
  it('name only zones Intl knows', () => {
    for (const [code, area] of NANP_AREA_CODES) expect(isValidZone(area.zone), code).toBe(true);
    for (const [country, zone] of Object.entries(COUNTRY_ZONES))
      expect(isValidZone(zone), country).toBe(true);
    for (const state of US_STATES.values()) expect(isValidZone(state.zone), state.code).toBe(true);
  });

  it('cover every country libphonenumber-js can return', () => {
    const missing = getCountries().filter((c) => !COUNTRY_ZONES[c]);
    expect(missing).toEqual([]);
  });

  it('list only geographic area codes, each a valid NANP code', () => {
    for (const code of NANP_AREA_CODES.keys()) {
      expect(code, code).toMatch(/^[2-9][0-8]\d$/);
      expect(isNonGeographicNpa(code), code).toBe(false);
    }
  });

  it('give every US area code a state that the state table knows', () => {
    for (const [code, area] of NANP_AREA_CODES) {
      if (area.country === 'US') expect(US_STATES.has(area.region ?? ''), code).toBe(true);
    }
  });

  it('cover every state and DC with at least one area code', () => {
    const covered = new Set([...NANP_AREA_CODES.values()].map((a) => a.region));
    for (const code of US_STATES.keys()) expect(covered.has(code), code).toBe(true);
  });
});

describe('usStateCode', () => {
  it('reads codes and names in any case', () => {
    expect(usStateCode('FL')).toBe('FL');
    expect(usStateCode(' florida ')).toBe('FL');
    expect(usStateCode('Washington, D.C.')).toBe('DC');
    expect(usStateCode('Ontario')).toBeNull();
    expect(usStateCode(null)).toBeNull();
  });
});
