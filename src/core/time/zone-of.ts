/**
 * Where a contact's clock comes from (cadence rule 12): the contact's own time zone when it
 * has one, else what its numbers say, else its address, else the workspace's zone. Every
 * answer says how it was found and whether it is a guess, so the queue can show "local time
 * guessed from the area code" rather than present a guess as fact.
 *
 * North American numbers are placed by area code (nanp-area-codes.ts); others by country
 * (libphonenumber-js), refined for Australia by the area digit.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { COUNTRY_ZONES, MULTI_ZONE_COUNTRIES } from './country-zones.js';
import { isNonGeographicNpa, NANP_AREA_CODES } from './nanp-area-codes.js';
import { US_STATES, usStateCode } from './us-states.js';
import { isValidZone } from './zoned.js';

export interface ZoneGuess {
  zone: string;
  /** True when the number's area or country spans zones and `zone` is the likeliest. */
  guess: boolean;
}

/** The zone a number's area or country keeps, or null when the number says nothing of place. */
export function zoneForNumber(e164: string): ZoneGuess | null {
  const nanp = /^\+1(\d{3})\d{7}$/.exec(e164.trim());
  if (nanp) {
    const npa = nanp[1]!;
    const area = NANP_AREA_CODES.get(npa);
    if (area) return { zone: area.zone, guess: area.guess };
    if (isNonGeographicNpa(npa)) return null;
  }
  const parsed = parsePhoneNumberFromString(e164.trim());
  const country = parsed?.country;
  if (!parsed || !country) return null;
  if (country === 'AU') {
    const au = australianZone(parsed.nationalNumber);
    if (au) return au;
  }
  // A NANP code newer than the table still lands in its country, as a guess.
  if (nanp) return zoneForCountry(country, true);
  return zoneForCountry(country);
}

/**
 * Australian geographic numbers carry their region in the first digit: 2 New South Wales and
 * the ACT, 3 Victoria and Tasmania, 7 Queensland (no daylight saving), 8 Western Australia,
 * South Australia and the Northern Territory (three clocks; Perth has the most people).
 * Mobiles (4) and service numbers say nothing; those fall back to the country's guess.
 */
function australianZone(nationalNumber: string): ZoneGuess | null {
  switch (nationalNumber[0]) {
    case '2':
      return { zone: 'Australia/Sydney', guess: false };
    case '3':
      return { zone: 'Australia/Melbourne', guess: false };
    case '7':
      return { zone: 'Australia/Brisbane', guess: false };
    case '8':
      return { zone: 'Australia/Perth', guess: true };
    default:
      return null;
  }
}

/** The most populous zone of an ISO country, marked a guess when the country keeps several. */
export function zoneForCountry(country: string, forceGuess = false): ZoneGuess | null {
  const code = country.trim().toUpperCase();
  const zone = COUNTRY_ZONES[code];
  if (!zone) return null;
  return { zone, guess: forceGuess || MULTI_ZONE_COUNTRIES.has(code) };
}

/** The US state (or DC, or territory) a North American number's area code is in, e.g. "FL". */
export function stateForNumber(e164: string): string | null {
  const nanp = /^\+1(\d{3})\d{7}$/.exec(e164.trim());
  if (!nanp) return null;
  const area = NANP_AREA_CODES.get(nanp[1]!);
  return area?.country === 'US' ? area.region : null;
}

export interface ContactPlace {
  timeZone?: string | null;
  /** State or province as the address gives it: "FL" or "Florida". */
  region?: string | null;
  /** ISO country code of the address. */
  country?: string | null;
}

export interface ContactZone {
  zone: string;
  /** Where the zone came from: the contact record (its zone or address), a number, or the workspace. */
  source: 'contact' | 'number' | 'workspace';
  guess: boolean;
}

/**
 * The contact's zone: its own `timeZone` if Intl knows it; else the first number (in the order
 * given — callers pass direct and mobile first) that places it; else its address (a US state,
 * then a country); else `fallbackZone`, the workspace's.
 *
 * Numbers come before the address because a business contact's address is often the head
 * office while the direct line rings where the person sits. A mobile can have moved with its
 * owner; that is why an area code is only a guess when the area spans zones, and why a
 * contact's own zone, once a rep sets it, wins over everything.
 */
export function zoneForContact(
  place: ContactPlace,
  numbers: readonly string[],
  fallbackZone: string,
): ContactZone {
  const own = place.timeZone?.trim();
  if (own && isValidZone(own)) return { zone: own, source: 'contact', guess: false };
  for (const n of numbers) {
    const z = zoneForNumber(n);
    if (z) return { zone: z.zone, source: 'number', guess: z.guess };
  }
  const country = place.country?.trim().toUpperCase() || null;
  if (!country || country === 'US') {
    const state = usStateCode(place.region);
    const row = state ? US_STATES.get(state) : undefined;
    if (row) return { zone: row.zone, source: 'contact', guess: row.guess };
  }
  if (country) {
    const z = zoneForCountry(country);
    if (z) return { zone: z.zone, source: 'contact', guess: z.guess };
  }
  return { zone: fallbackZone, source: 'workspace', guess: true };
}
