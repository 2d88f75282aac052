/**
 * US states, DC and the inhabited territories: the USPS code, the name a rep types or reads,
 * and the zone most of the state's people keep. Used to read a contact's address region
 * ("FL" or "Florida") and to name the state in a calling-hours reason.
 *
 * States split across zones give the majority's zone with `guess: true` (Tennessee: Nashville
 * and Memphis Central outnumber Knoxville and Chattanooga Eastern).
 */

export interface UsState {
  code: string;
  name: string;
  zone: string;
  guess: boolean;
}

const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const PT = 'America/Los_Angeles';

const ROWS: readonly [string, string, string, boolean?][] = [
  ['AL', 'Alabama', CT],
  ['AK', 'Alaska', 'America/Anchorage'],
  ['AZ', 'Arizona', 'America/Phoenix'],
  ['AR', 'Arkansas', CT],
  ['CA', 'California', PT],
  ['CO', 'Colorado', MT],
  ['CT', 'Connecticut', ET],
  ['DE', 'Delaware', ET],
  ['DC', 'District of Columbia', ET],
  ['FL', 'Florida', ET, true],
  ['GA', 'Georgia', ET],
  ['HI', 'Hawaii', 'Pacific/Honolulu'],
  ['ID', 'Idaho', 'America/Boise', true],
  ['IL', 'Illinois', CT],
  ['IN', 'Indiana', 'America/Indiana/Indianapolis', true],
  ['IA', 'Iowa', CT],
  ['KS', 'Kansas', CT],
  ['KY', 'Kentucky', ET, true],
  ['LA', 'Louisiana', CT],
  ['ME', 'Maine', ET],
  ['MD', 'Maryland', ET],
  ['MA', 'Massachusetts', ET],
  ['MI', 'Michigan', 'America/Detroit'],
  ['MN', 'Minnesota', CT],
  ['MS', 'Mississippi', CT],
  ['MO', 'Missouri', CT],
  ['MT', 'Montana', MT],
  ['NE', 'Nebraska', CT, true],
  ['NV', 'Nevada', PT],
  ['NH', 'New Hampshire', ET],
  ['NJ', 'New Jersey', ET],
  ['NM', 'New Mexico', MT],
  ['NY', 'New York', ET],
  ['NC', 'North Carolina', ET],
  ['ND', 'North Dakota', CT, true],
  ['OH', 'Ohio', ET],
  ['OK', 'Oklahoma', CT],
  ['OR', 'Oregon', PT],
  ['PA', 'Pennsylvania', ET],
  ['RI', 'Rhode Island', ET],
  ['SC', 'South Carolina', ET],
  ['SD', 'South Dakota', CT, true],
  ['TN', 'Tennessee', CT, true],
  ['TX', 'Texas', CT, true],
  ['UT', 'Utah', MT],
  ['VT', 'Vermont', ET],
  ['VA', 'Virginia', ET],
  ['WA', 'Washington', PT],
  ['WV', 'West Virginia', ET],
  ['WI', 'Wisconsin', CT],
  ['WY', 'Wyoming', MT],
  ['PR', 'Puerto Rico', 'America/Puerto_Rico'],
  ['VI', 'U.S. Virgin Islands', 'America/St_Thomas'],
  ['GU', 'Guam', 'Pacific/Guam'],
  ['MP', 'Northern Mariana Islands', 'Pacific/Saipan'],
  ['AS', 'American Samoa', 'Pacific/Pago_Pago'],
];

export const US_STATES: ReadonlyMap<string, UsState> = new Map(
  ROWS.map(([code, name, zone, guess]) => [code, { code, name, zone, guess: guess === true }]),
);

const BY_NAME = new Map([...US_STATES.values()].map((s) => [normalizeName(s.name), s.code]));
// Spellings addresses actually carry that the table's names do not.
BY_NAME.set(normalizeName('Washington DC'), 'DC');
BY_NAME.set(normalizeName('Washington D.C.'), 'DC');
BY_NAME.set(normalizeName('US Virgin Islands'), 'VI');
BY_NAME.set(normalizeName('Virgin Islands'), 'VI');

function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[.']/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

/** "FL", "fl", "Florida", " florida " → "FL"; anything else → null. */
export function usStateCode(region: string | null | undefined): string | null {
  if (!region) return null;
  const trimmed = region.trim();
  const upper = trimmed.toUpperCase().replace(/\./g, '');
  if (upper.length === 2 && US_STATES.has(upper)) return upper;
  return BY_NAME.get(normalizeName(trimmed)) ?? null;
}

export function usStateName(code: string): string {
  return US_STATES.get(code)?.name ?? code;
}
