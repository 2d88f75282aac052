/**
 * Registry do-not-call files as the registries deliver them, read into E.164 numbers held as
 * integers (the digits after the "+"): sorted, without repeats, ready for a bulk write.
 *
 * - US National Registry area-code files: one number a line, ten digits ("2125550123") or area
 *   code and number ("212,5550123", "212-5550123"). Change lists mark each line A (add) or D
 *   (delete) in a last field ("212,5550123,D").
 * - Canada's National DNCL: CSV of area code and number ("416,1234567"), change lists likewise.
 * - UK TPS and CTPS: one UK number a line, national ("020 7946 0958") or international
 *   ("+44 20 7946 0958", "442079460958").
 *
 * Only ASCII is read: a byte above 127 or a NUL (a UTF-16 file) is the wrong encoding, named
 * with its line. A first line without digits is a header and is skipped.
 */

export const REGISTRY_SOURCES = ['us-national', 'ca-dncl', 'uk-tps', 'uk-ctps'] as const;
export type RegistrySource = (typeof REGISTRY_SOURCES)[number];

export const REGISTRY_NAMES: Record<RegistrySource, string> = {
  'us-national': 'US National Do Not Call Registry',
  'ca-dncl': 'Canadian National Do Not Call List',
  'uk-tps': 'UK Telephone Preference Service (TPS)',
  'uk-ctps': 'UK Corporate Telephone Preference Service (CTPS)',
};

export interface RegistryFile {
  /** A full list replaces the one loaded before; a change list adds and deletes. */
  kind: 'full' | 'changes';
  /** Numbers to list, sorted ascending, no repeats. */
  add: Float64Array;
  /** Numbers to delete (change lists), sorted ascending, no repeats. */
  remove: Float64Array;
  /** E.164 prefixes the file covers: "1212" per North American area code, "44" for the UK. */
  coverage: string[];
}

export interface RegistryLineError {
  line: number;
  message: string;
}

export class RegistryFileError extends Error {
  override name = 'RegistryFileError';
  constructor(readonly errors: RegistryLineError[]) {
    super(errors.map((e) => `line ${e.line}: ${e.message}`).join('; '));
  }
}

const MAX_ERRORS = 10;
const NUL = 0;
const LF = 10;
const CR = 13;

/** Reads a registry file's bytes; throws RegistryFileError naming each bad line (up to ten). */
export function parseRegistryFile(bytes: Uint8Array, source: RegistrySource): RegistryFile {
  const errors: RegistryLineError[] = [];
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new RegistryFileError([
      { line: 1, message: 'the file is UTF-16 text; save it as plain ASCII text, one number a line' },
    ]);
  }
  const nanp = source === 'us-national' || source === 'ca-dncl';
  let add = new Float64Array(1024);
  let addCount = 0;
  const removed: number[] = [];
  let flagged = 0;
  let unflagged = 0;
  const areas = new Set<number>();
  let line = 0;
  let start = 0;
  const end = bytes.length;
  const fail = (message: string) => {
    errors.push({ line, message });
    if (errors.length >= MAX_ERRORS) throw new RegistryFileError(errors);
  };
  while (start < end) {
    line++;
    let stop = bytes.indexOf(LF, start);
    if (stop === -1) stop = end;
    let last = stop;
    if (last > start && bytes[last - 1] === CR) last--;
    // One pass over the line: digits, separators, one trailing flag letter.
    let value = 0;
    let digits = 0;
    let flag = 0;
    let letters = 0;
    let digitAfterLetter = false;
    let bad = -1;
    for (let i = start; i < last; i++) {
      const b = bytes[i]!;
      if (b >= 48 && b <= 57) {
        if (letters > 0) digitAfterLetter = true;
        value = value * 10 + (b - 48);
        digits++;
      } else if (
        b === 44 ||
        b === 45 ||
        b === 32 ||
        b === 9 ||
        b === 34 ||
        b === 40 ||
        b === 41 ||
        b === 46
      ) {
        // , - space tab " ( ) .
      } else if (b === 43 && digits === 0) {
        // a leading +
      } else if ((b | 32) >= 97 && (b | 32) <= 122) {
        letters++;
        flag = b | 32;
      } else {
        bad = i;
        if (b === NUL || b > 127) break;
      }
    }
    const text = () => Buffer.from(bytes.subarray(start, Math.min(last, start + 60))).toString('latin1');
    if (bad >= 0) {
      const b = bytes[bad]!;
      if (b === NUL) fail('a NUL byte: the file looks like UTF-16; save it as plain ASCII text');
      else if (b > 127)
        fail(
          `byte 0x${b.toString(16)} is not ASCII: the file is in another encoding or is not a number list`,
        );
      else fail(`"${text()}" is not a phone number (one number a line, optionally A or D last)`);
    } else if (digits > 0 && (letters > 1 || digitAfterLetter)) {
      fail(`"${text()}" is not a phone number (one number a line, optionally A or D last)`);
    } else if (digits === 0) {
      if (last > start && !(line === 1 && letters > 0)) fail(`"${text()}" has no phone number`);
    } else {
      let number = -1;
      if (nanp) {
        let ten = value;
        if (digits === 11 && Math.floor(value / 1e10) === 1) ten = value - 1e10;
        else if (digits !== 10) ten = -1;
        const area = Math.floor(ten / 1e7);
        const exchange = Math.floor(ten / 1e4) % 1000;
        if (ten >= 0 && area >= 200 && exchange >= 200) {
          number = 1e10 + ten;
          areas.add(area);
        } else {
          fail(
            `"${text()}" is not a North American number: expected ten digits, area code and number (e.g. 416,5550123)`,
          );
        }
      } else {
        // National "0…", international "44…": the UK's significant number has 9 or 10 digits.
        const s = String(value);
        let nsn = '';
        if (digits === s.length + 1 && digits >= 10 && digits <= 11)
          nsn = s; // a leading 0 dropped by the parse
        else if (s.startsWith('44') && (s.length === 11 || s.length === 12)) nsn = s.slice(2);
        if (nsn.length >= 9 && nsn.length <= 10 && nsn[0] !== '0') number = Number(`44${nsn}`);
        else fail(`"${text()}" is not a UK number: expected 01…, 02…, 07… or +44…`);
      }
      if (number >= 0) {
        if (flag === 0) unflagged++;
        else flagged++;
        if (flag === 0 || flag === 97) {
          if (addCount === add.length) {
            const grown = new Float64Array(add.length * 2);
            grown.set(add);
            add = grown;
          }
          add[addCount++] = number;
        } else if (flag === 100) {
          removed.push(number);
        } else {
          fail(
            `"${text()}" ends in "${String.fromCharCode(flag)}": a change list marks lines A (add) or D (delete)`,
          );
        }
        if (flagged > 0 && unflagged > 0) {
          fail('some lines are marked A or D and others not: a change list marks every line');
          flagged = 0;
          unflagged = 0;
        }
      }
    }
    start = stop + 1;
  }
  if (errors.length > 0) throw new RegistryFileError(errors);
  if (addCount === 0 && removed.length === 0) {
    throw new RegistryFileError([{ line: Math.max(1, line), message: 'the file has no numbers' }]);
  }
  const coverage = nanp ? [...areas].sort((a, b) => a - b).map((a) => `1${a}`) : ['44'];
  return {
    kind: flagged > 0 ? 'changes' : 'full',
    add: sortedUnique(add.subarray(0, addCount)),
    remove: sortedUnique(Float64Array.from(removed)),
    coverage,
  };
}

function sortedUnique(numbers: Float64Array): Float64Array {
  numbers.sort();
  let n = 0;
  for (let i = 0; i < numbers.length; i++) {
    if (i === 0 || numbers[i] !== numbers[n - 1]) numbers[n++] = numbers[i]!;
  }
  return numbers.slice(0, n);
}

/** 12125550123 → "+12125550123". */
export function e164Of(number: number): string {
  return `+${number}`;
}
