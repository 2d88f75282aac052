/**
 * Seeded phone numbers in the shapes imports bring — North American numbers in every common
 * format, numbers from other countries written internationally and nationally, extensions,
 * RFC 3966 URIs, and the broken entries real files hold. Used to prove that the fast
 * normalizer agrees with normalizePhone(), in the tests (200,000) and the benchmark (1,000,000).
 */
import { mulberry32 } from '../random.js';

// Real area codes (US, Canada, the Caribbean), toll-free and premium codes, and unassigned ones.
const AREA_CODES = (
  '201 202 206 212 213 214 305 310 312 347 404 415 503 512 617 646 702 713 718 805 818 917 929 972 ' +
  '204 416 514 604 613 647 780 902 876 268 242 787 809 340 671 800 888 877 900 500 533 211 311 411 ' +
  '999 370 960 555 100 023'
).split(' ');

type Rand = () => number;

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const digitsOf = (rand: Rand, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
};
const between = (rand: Rand, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

/** Ten NANP digits: mostly plausible (NXX exchange), sometimes not. */
function nanpNumber(rand: Rand): [string, string, string] {
  const area = rand() < 0.9 ? pick(rand, AREA_CODES) : digitsOf(rand, 3);
  const r = rand();
  const exchange =
    r < 0.1 ? '555' : r < 0.95 ? String(between(rand, 2, 9)) + digitsOf(rand, 2) : digitsOf(rand, 3);
  const line = rand() < 0.1 ? `01${digitsOf(rand, 2)}` : digitsOf(rand, 4);
  return [area, exchange, line];
}

function formatNanp(rand: Rand, [a, e, l]: [string, string, string]): string {
  switch (between(rand, 0, 15)) {
    case 0:
      return `(${a}) ${e}-${l}`;
    case 1:
      return `${a}-${e}-${l}`;
    case 2:
      return `${a}.${e}.${l}`;
    case 3:
      return `${a}${e}${l}`;
    case 4:
      return `1-${a}-${e}-${l}`;
    case 5:
      return `+1 ${a} ${e} ${l}`;
    case 6:
      return `+1 (${a}) ${e}-${l}`;
    case 7:
      return `+1${a}${e}${l}`;
    case 8:
      return `1 (${a}) ${e}-${l}`;
    case 9:
      return `1${a}${e}${l}`;
    case 10:
      return ` ${a} ${e} ${l} `;
    case 11:
      return `(${a})${e}-${l}`;
    case 12:
      return `tel:+1-${a}-${e}-${l}`;
    case 13:
      return `001 ${a} ${e} ${l}`;
    case 14:
      return `+1.${a}.${e}.${l}`;
    default:
      return `${a} ${e} ${l}`;
  }
}

interface Country {
  cc: string;
  trunk: string;
  /** National significant numbers: a fixed prefix, then one random digit per "#". */
  shapes: string[];
}

const COUNTRIES: readonly Country[] = [
  ['44', '0', '20######## 7######### 161####### 1######### 7700900### 3#########'],
  ['49', '0', '30####### 30######## 151######## 89####### 1###### 40########'],
  ['33', '0', '1######## 6######## 7######## 9######## 8#######'],
  ['61', '0', '2######## 4######## 3######## 1#######'],
  ['52', '', '55######## 1########## 33######## 81########'],
  ['91', '0', '9######### 8######### 11######## 2#######'],
  ['34', '', '6######## 9######## 5#######'],
  ['39', '', '06######## 3######### 02#######'],
  ['81', '0', '3######## 90######## 5######'],
  ['353', '0', '1####### 8########'],
  ['31', '0', '20####### 6########'],
  ['55', '0', '11######### 21########'],
].map(([cc, trunk, shapes]) => ({ cc: cc!, trunk: trunk!, shapes: shapes!.split(' ') }));

function formatIntl(rand: Rand, country: Country): string {
  const shape = pick(rand, country.shapes);
  const prefix = shape.replace(/#+$/, '');
  const n = shape.length - prefix.length;
  const rest = digitsOf(rand, n + (rand() < 0.1 ? between(rand, -3, 3) : 0));
  const nsn = prefix + rest;
  const spaced = `${prefix} ${rest.slice(0, 4)} ${rest.slice(4)}`.trim();
  switch (between(rand, 0, 8)) {
    case 0:
      return `+${country.cc} ${spaced}`;
    case 1:
      return `+${country.cc}${nsn}`;
    case 2:
      return `00${country.cc} ${spaced}`;
    case 3:
      return `00 ${country.cc} ${nsn}`;
    case 4:
      return `011 ${country.cc} ${spaced}`;
    case 5:
      return `${country.trunk}${spaced}`;
    case 6:
      return `+${country.cc} (${country.trunk}) ${spaced}`;
    case 7:
      return `(+${country.cc}) ${nsn}`;
    default:
      return `${country.cc}${nsn}`;
  }
}

const EXTENSIONS = [
  ' x',
  ' x ',
  'x',
  ' ext. ',
  ' ext ',
  ' Ext.',
  ';ext=',
  ' #',
  '#',
  ' extension ',
  ',,',
  ' X',
];

const JUNK = [
  '',
  ' ',
  'n/a',
  'N/A',
  '-',
  'none',
  'abc',
  '?',
  '+',
  '++1 415 555 0123',
  '555-0123',
  '12345',
  '0',
  '1-2',
  '12',
  '+99 123',
  '+0 415 555 0123',
  '+800 1234 5678',
  '(415) 555-01234',
  '415 555 012',
  '4155550123456789',
  '+1 (415) 555-0123 / 555-0199',
  'call 415 555 0123',
  '415/555/0123',
  '４１５５５５０１２３',
  '+44 (0)20 7946 0958',
  '00',
  '0000000000',
  '1111111111',
  'x204',
  '+1 415 555 0123 ext',
  '415-555-CALL',
  '\t415\t555\t0123',
  '+49 (0) 30 1234567',
  '+1-800-FLOWERS',
];

/** `n` strings, the same for the same seed. About one in six repeats an earlier one, as in real files. */
export function generatePhoneSamples(seed: number, n: number): string[] {
  const rand = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && rand() < 0.15) {
      out.push(out[Math.floor(rand() * i)]!);
      continue;
    }
    const r = rand();
    let s: string;
    if (r < 0.55) s = formatNanp(rand, nanpNumber(rand));
    else if (r < 0.85) s = formatIntl(rand, pick(rand, COUNTRIES));
    else if (r < 0.9) s = digitsOf(rand, between(rand, 3, 17));
    else if (r < 0.95) s = (rand() < 0.5 ? '+' : '') + digitsOf(rand, between(rand, 1, 16));
    else s = pick(rand, JUNK);
    if (rand() < 0.08) s += pick(rand, EXTENSIONS) + digitsOf(rand, between(rand, 1, 7));
    out.push(s);
  }
  return out;
}
