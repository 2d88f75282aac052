/**
 * Where demo contacts live: cities with their time zone, postal code and the dialling ranges
 * the demo draws numbers from, and an allocator that hands out unique numbers, each checked
 * with libphonenumber-js and kept exactly as it formats them (E.164).
 *
 * The ranges are the ones regulators set aside for fiction where there are any — NANP
 * 555-0100…0199 in every area code, Ofcom's drama ranges, ACMA's 5550/7010 blocks and its
 * fictional mobiles — so a demo database never dials a stranger. Germany has no such range;
 * the demo uses a 555 block in each city there.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Rng } from './prng.js';

export interface Area {
  key: string;
  country: CountryCode;
  timeZone: string;
  city: string;
  region: string;
  postalCode: string;
  /** Relative share of contacts. */
  weight: number;
  /** Number ranges for landlines (direct lines, switchboards, homes), each a national prefix. */
  landline: Range[];
  /** Number ranges for mobiles; empty where no fictional mobile range is valid. */
  mobile: Range[];
}

/** `prefix` followed by `digits` free digits, in national format (with the trunk 0 where used). */
export interface Range {
  prefix: string;
  digits: number;
}

/** NANP: 555-01xx first (reserved for fiction), then the rest of the 555 exchange. */
function nanp(areaCodes: string[]): Range[] {
  return [
    ...areaCodes.map((npa) => ({ prefix: `${npa}55501`, digits: 2 })),
    ...areaCodes.map((npa) => ({ prefix: `${npa}555`, digits: 4 })),
  ];
}

function us(
  key: string,
  timeZone: string,
  city: string,
  region: string,
  postalCode: string,
  weight: number,
  areaCodes: string[],
): Area {
  const ranges = nanp(areaCodes);
  return { key, country: 'US', timeZone, city, region, postalCode, weight, landline: ranges, mobile: ranges };
}

const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const AZ = 'America/Phoenix';
const PT = 'America/Los_Angeles';

/** US areas: every area code listed lies wholly in the area's time zone. */
export const US_AREAS: readonly Area[] = [
  us('nyc', ET, 'New York', 'NY', '10016', 14, ['212', '646', '332', '917', '718', '347']),
  us('bos', ET, 'Boston', 'MA', '02110', 5, ['617', '857']),
  us('atl', ET, 'Atlanta', 'GA', '30303', 5, ['404', '470', '678']),
  us('mia', ET, 'Miami', 'FL', '33131', 4, ['305', '786']),
  us('phl', ET, 'Philadelphia', 'PA', '19103', 4, ['215', '267']),
  us('dc', ET, 'Washington', 'DC', '20005', 3, ['202']),
  us('clt', ET, 'Charlotte', 'NC', '28202', 3, ['704', '980']),
  us('chi', CT, 'Chicago', 'IL', '60606', 9, ['312', '773', '872']),
  us('dal', CT, 'Dallas', 'TX', '75201', 5, ['214', '469', '972']),
  us('hou', CT, 'Houston', 'TX', '77002', 5, ['713', '281', '832']),
  us('aus', CT, 'Austin', 'TX', '78701', 4, ['512', '737']),
  us('msp', CT, 'Minneapolis', 'MN', '55402', 3, ['612']),
  us('den', MT, 'Denver', 'CO', '80202', 5, ['303', '720']),
  us('slc', MT, 'Salt Lake City', 'UT', '84101', 2, ['801', '385']),
  us('abq', MT, 'Albuquerque', 'NM', '87102', 1, ['505']),
  us('phx', AZ, 'Phoenix', 'AZ', '85004', 4, ['602', '623', '480']),
  us('tus', AZ, 'Tucson', 'AZ', '85701', 1, ['520']),
  us('la', PT, 'Los Angeles', 'CA', '90012', 7, ['213', '310', '323', '424']),
  us('sf', PT, 'San Francisco', 'CA', '94105', 5, ['415', '628']),
  us('sj', PT, 'San Jose', 'CA', '95113', 3, ['408', '669']),
  us('sea', PT, 'Seattle', 'WA', '98101', 3, ['206']),
  us('pdx', PT, 'Portland', 'OR', '97204', 2, ['503', '971']),
];

// biome-ignore format: ACMA's fictional mobile numbers, in rows
const AU_MOBILES = [
  '570006', '570156', '570157', '570158', '570159', '570110', '570313', '570737', '571266', '571491',
  '571804', '572549', '572665', '572983', '573770', '573087', '574118', '574632', '575254', '575789',
  '576398', '576801', '577426', '577644', '578957', '578148', '578888', '579212', '579760', '579455',
].map((s) => ({ prefix: `0491${s}`, digits: 0 }));

/** A few contacts abroad, for time zones far from the reps'. */
export const INTERNATIONAL_AREAS: readonly Area[] = [
  {
    key: 'tor',
    country: 'CA',
    timeZone: 'America/Toronto',
    city: 'Toronto',
    region: 'ON',
    postalCode: 'M5H 2N2',
    weight: 1.5,
    landline: nanp(['416', '647']),
    mobile: nanp(['416', '647']),
  },
  {
    key: 'van',
    country: 'CA',
    timeZone: 'America/Vancouver',
    city: 'Vancouver',
    region: 'BC',
    postalCode: 'V6C 1T2',
    weight: 1,
    landline: nanp(['604']),
    mobile: nanp(['604']),
  },
  {
    key: 'lon',
    country: 'GB',
    timeZone: 'Europe/London',
    city: 'London',
    region: 'England',
    postalCode: 'EC2A 4NE',
    weight: 1,
    landline: [{ prefix: '02079460', digits: 3 }],
    mobile: [],
  },
  {
    key: 'man',
    country: 'GB',
    timeZone: 'Europe/London',
    city: 'Manchester',
    region: 'England',
    postalCode: 'M1 3BN',
    weight: 0.5,
    landline: [{ prefix: '01614960', digits: 3 }],
    mobile: [],
  },
  {
    key: 'ber',
    country: 'DE',
    timeZone: 'Europe/Berlin',
    city: 'Berlin',
    region: 'Berlin',
    postalCode: '10117',
    weight: 0.5,
    landline: [{ prefix: '030555', digits: 4 }],
    mobile: [{ prefix: '0151555', digits: 5 }],
  },
  {
    key: 'muc',
    country: 'DE',
    timeZone: 'Europe/Berlin',
    city: 'Munich',
    region: 'Bavaria',
    postalCode: '80331',
    weight: 0.5,
    landline: [{ prefix: '089555', digits: 4 }],
    mobile: [{ prefix: '0160555', digits: 5 }],
  },
  {
    key: 'syd',
    country: 'AU',
    timeZone: 'Australia/Sydney',
    city: 'Sydney',
    region: 'NSW',
    postalCode: '2000',
    weight: 0.5,
    landline: [
      { prefix: '025550', digits: 4 },
      { prefix: '027010', digits: 4 },
    ],
    mobile: AU_MOBILES,
  },
  {
    key: 'mel',
    country: 'AU',
    timeZone: 'Australia/Melbourne',
    city: 'Melbourne',
    region: 'VIC',
    postalCode: '3000',
    weight: 0.5,
    landline: [
      { prefix: '035550', digits: 4 },
      { prefix: '037010', digits: 4 },
    ],
    mobile: AU_MOBILES,
  },
];

export const DEMO_AREAS: readonly Area[] = [...US_AREAS, ...INTERNATIONAL_AREAS];

const NANP_ZONES = new Map<string, string>();
for (const area of DEMO_AREAS) {
  if (area.country !== 'US' && area.country !== 'CA') continue;
  for (const range of area.landline) NANP_ZONES.set(range.prefix.slice(0, 3), area.timeZone);
}

/**
 * The time zone of a demo number in North America, from its area code — what "derive the zone
 * from the number" will do for the contacts the demo stores without one (only North American
 * contacts lack one). Undefined for other numbers.
 */
export function demoTimeZoneOfNumber(e164: string): string | undefined {
  return e164.startsWith('+1') ? NANP_ZONES.get(e164.slice(2, 5)) : undefined;
}

/** Hands out unique valid numbers from the areas' ranges. */
export class NumberAllocator {
  private readonly used = new Set<string>();
  private readonly exhausted = new Set<string>();

  constructor(private readonly rng: Rng) {}

  landline(area: Area): string {
    return this.draw(area, area.landline);
  }

  /** A mobile, or undefined where the area has no mobile range left. */
  mobile(area: Area): string | undefined {
    return area.mobile.length === 0 ? undefined : this.tryDraw(area, area.mobile);
  }

  private draw(area: Area, ranges: Range[]): string {
    const n = this.tryDraw(area, ranges);
    if (!n) throw new Error(`demo number ranges of ${area.city} are exhausted`);
    return n;
  }

  private tryDraw(area: Area, ranges: Range[]): string | undefined {
    // Earlier ranges are the truly fictional ones: use them up before the later ones.
    for (const range of ranges) {
      const key = `${area.country}|${range.prefix}|${range.digits}`;
      if (this.exhausted.has(key)) continue;
      const size = 10 ** range.digits;
      // Random tries while the range is sparse, then a scan from a random start.
      for (let attempt = 0; attempt < 8; attempt++) {
        const n = this.check(area.country, range, this.rng.int(0, size - 1));
        if (n) return n;
      }
      const start = this.rng.int(0, size - 1);
      for (let i = 0; i < size; i++) {
        const n = this.check(area.country, range, (start + i) % size);
        if (n) return n;
      }
      this.exhausted.add(key);
    }
    return undefined;
  }

  private check(country: CountryCode, range: Range, suffix: number): string | undefined {
    const national = range.prefix + (range.digits ? String(suffix).padStart(range.digits, '0') : '');
    // 555-1212 is directory assistance, not a subscriber.
    if (country === 'US' && national.endsWith('5551212')) return undefined;
    const parsed = parsePhoneNumberFromString(national, country);
    if (!parsed?.isValid()) return undefined;
    const e164 = parsed.number;
    if (this.used.has(e164)) return undefined;
    this.used.add(e164);
    return e164;
  }
}
