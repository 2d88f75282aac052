/**
 * The rules a contact must meet to be imported, whatever file it came from: a CSV row
 * (row.ts) and a vCard (vcard.ts) both feed their cells to a DraftBuilder, which checks,
 * trims and normalizes them and says what is wrong, naming the column or property.
 *
 * A contact is rejected when any cell is too long or not valid UTF-8, when any phone cell
 * holds a number that is not valid (we never import a contact without a number the file gave
 * it), when an email is malformed, when a yes/no or kind cell says something else, and when
 * it has neither a name nor a number.
 */
import type { NumberKind, TextField } from '../contact-fields.js';
import type { PhoneResult } from '../phone/normalize.js';
import { quoteValue } from '../phone/normalize.js';
import type { ContactDraft, DraftNumber, DraftResult, RowError } from './draft.js';
import { type CellEnrollment, parseEnrollments } from './enrollment-cell.js';

export type PhoneNormalizer = (raw: string) => PhoneResult;

/** A phone cell may list several numbers, so it gets more room than one number needs. */
export const PHONE_CELL_LIMIT = 1000;
const PHONE_CELL_LIMIT_FOR_LIST = PHONE_CELL_LIMIT;

/** Longest cell accepted per field, in UTF-16 code units (what String.length counts). */
export const FIELD_LIMITS: Readonly<Record<TextField, number>> = {
  first_name: 200,
  last_name: 200,
  full_name: 200,
  title: 200,
  company: 200,
  email: 200,
  time_zone: 200,
  kind: 200,
  interests: 10_000,
  notes: 10_000,
  street: 200,
  city: 200,
  region: 200,
  postal_code: 200,
  country: 200,
  do_not_call: 200,
  owner: 200,
  campaigns: 10_000,
  do_not_call_numbers: PHONE_CELL_LIMIT_FOR_LIST,
};

/**
 * Most numbers one contact keeps. A person has a handful; a card with thousands (one vCard
 * attached 10,000) is a broken export, and each number costs every screening and queue read.
 */
export const MAX_NUMBERS_PER_CONTACT = 20;

/** Several values in one cell: "a ; b", and Google Contacts' "a ::: b". ";ext=" is an extension. */
const MULTI_VALUE = /\s+:::\s+|;(?!\s*ext\s*=)/i;

/** Fields where every cell counts: later cells are appended, not ignored. */
const JOINED: Partial<Record<TextField, string>> = { street: ', ', notes: '\n', interests: '\n' };

const NAME_FIELDS = new Set<TextField>(['first_name', 'last_name', 'full_name']);

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'mba', 'cpa', 'dds', 'rn']);

export class DraftBuilder {
  private readonly errors: RowError[] = [];
  private readonly text = new Map<TextField, string>();
  private readonly numbers: DraftNumber[] = [];
  /** A name or number was given but rejected: "neither a name nor a number" would mislead. */
  private nameOrNumberRejected = false;
  private doNotCall: boolean | null = null;
  private owner = '';
  private enrollments: CellEnrollment[] = [];
  private readonly doNotCallNumbers: string[] = [];
  private tooManyNumbers = false;

  constructor(
    private readonly row: number,
    private readonly normalize: PhoneNormalizer,
  ) {}

  /** A cell for a text field, from the column (or vCard property) `source`. */
  addText(field: TextField, value: string, source: string): void {
    if (!this.checkCell(value, FIELD_LIMITS[field], source)) {
      if (NAME_FIELDS.has(field)) this.nameOrNumberRejected = true;
      return;
    }
    const trimmed = oneStyleOfLines(value.trim(), field);
    if (trimmed === '') return;
    switch (field) {
      case 'email':
        this.addEmail(trimmed, source);
        return;
      case 'do_not_call': {
        const flag = parseYesNo(trimmed);
        if (flag === undefined) {
          this.fail(
            source,
            `${quoteValue(trimmed)} is not a yes/no value (use yes/no, true/false, 1/0 or x)`,
          );
        } else if (this.doNotCall === null || flag) {
          this.doNotCall = flag;
        }
        return;
      }
      case 'owner':
        if (!isEmail(trimmed)) this.fail(source, `${quoteValue(trimmed)} is not the email address of a user`);
        else if (this.owner === '') this.owner = trimmed.toLowerCase();
        return;
      case 'campaigns':
        for (const e of parseEnrollments(trimmed))
          if (!this.enrollments.some((k) => k.campaign === e.campaign)) this.enrollments.push(e);
        return;
      case 'do_not_call_numbers':
        for (const part of trimmed.split(MULTI_VALUE)) {
          if (part.trim() === '') continue;
          const result = this.normalize(part);
          if (!result.ok) this.fail(source, result.reason);
          else if (!this.doNotCallNumbers.includes(result.e164)) this.doNotCallNumbers.push(result.e164);
        }
        return;
      case 'kind': {
        const kind = parseContactKind(trimmed);
        if (kind === undefined)
          this.fail(source, `${quoteValue(trimmed)} is not a contact kind (business or consumer)`);
        else if (!this.text.has('kind')) this.text.set('kind', kind);
        return;
      }
      default: {
        const previous = this.text.get(field);
        const separator = JOINED[field];
        if (previous === undefined) this.text.set(field, trimmed);
        else if (separator !== undefined) this.text.set(field, previous + separator + trimmed);
      }
    }
  }

  /** A cell that may hold several numbers of one kind; 'fax' cells are not voice numbers and are skipped. */
  addPhones(cell: string, kind: NumberKind | 'fax', source: string): void {
    if (kind === 'fax') return;
    if (!this.checkCell(cell, PHONE_CELL_LIMIT, source)) {
      this.nameOrNumberRejected = true;
      return;
    }
    if (cell.trim() === '') return;
    for (const part of cell.split(MULTI_VALUE)) this.addPhone(part, kind, source);
  }

  /** Exactly one number (a vCard TEL). */
  addPhone(value: string, kind: NumberKind, source: string): void {
    if (!this.checkCell(value, PHONE_CELL_LIMIT, source)) {
      this.nameOrNumberRejected = true;
      return;
    }
    if (value.trim() === '' || this.tooManyNumbers) return;
    const result = this.normalize(value);
    if (!result.ok) {
      this.nameOrNumberRejected = true;
      this.fail(source, result.reason);
      return;
    }
    // The same number twice in one contact is one number; the first kind given wins.
    if (this.numbers.some((n) => n.e164 === result.e164)) return;
    if (this.numbers.length === MAX_NUMBERS_PER_CONTACT) {
      this.tooManyNumbers = true;
      this.nameOrNumberRejected = true;
      this.fail(
        source,
        `has more than ${MAX_NUMBERS_PER_CONTACT} phone numbers; a contact keeps at most ${MAX_NUMBERS_PER_CONTACT} (split it, or drop the old ones)`,
      );
      return;
    }
    this.numbers.push({
      e164: result.e164,
      extension: result.extension,
      kind,
      country: result.country,
      field: source,
    });
  }

  /** A value that was cut short while reading (a vCard property of megabytes): always too long. */
  tooLong(field: TextField, length: number, source: string): void {
    this.fail(source, tooLongMessage(length, FIELD_LIMITS[field]));
  }

  /** A problem with the record itself (a vCard without END:VCARD). */
  fail(field: string, message: string): void {
    this.errors.push({ row: this.row, field, message });
  }

  finish(): DraftResult {
    let firstName = this.text.get('first_name') ?? '';
    let lastName = this.text.get('last_name') ?? '';
    if (firstName === '' && lastName === '')
      [firstName, lastName] = splitFullName(this.text.get('full_name') ?? '');
    if (firstName === '' && lastName === '' && this.numbers.length === 0 && !this.nameOrNumberRejected) {
      this.fail('', 'has neither a name nor a phone number');
    }
    if (this.errors.length > 0) return { ok: false, errors: this.errors };
    const t = (f: TextField) => this.text.get(f) ?? '';
    const draft: ContactDraft = {
      row: this.row,
      firstName,
      lastName,
      title: t('title'),
      company: t('company'),
      email: t('email'),
      timeZone: t('time_zone'),
      kind: (this.text.get('kind') as ContactDraft['kind'] | undefined) ?? '',
      interests: t('interests'),
      notes: t('notes'),
      street: t('street'),
      city: t('city'),
      region: t('region'),
      postalCode: t('postal_code'),
      country: t('country'),
      doNotCall: this.doNotCall,
      numbers: this.numbers,
      owner: this.owner,
      enrollments: this.enrollments,
      doNotCallNumbers: this.doNotCallNumbers,
    };
    return { ok: true, draft };
  }

  /** Length first, so a 10 MB cell costs one comparison. */
  private checkCell(value: string, limit: number, source: string): boolean {
    if (value.length > limit) {
      this.fail(source, tooLongMessage(value.length, limit));
      return false;
    }
    // PostgreSQL cannot store a NUL in text; a file full of them is UTF-16 read as bytes.
    if (value.includes('\u0000')) {
      this.fail(source, 'contains NUL characters, which no text field may hold (is the file UTF-16?)');
      return false;
    }
    if (value.includes('\uFFFD')) {
      this.fail(source, `${quoteValue(value.trim())} is not valid UTF-8 text (the file mixes encodings?)`);
      return false;
    }
    return true;
  }

  private addEmail(cell: string, source: string): void {
    // Every address is checked, the first one is kept: ContactDraft holds one.
    for (const part of cell.split(MULTI_VALUE)) {
      const address = part.trim().replace(/^mailto:/i, '');
      if (address === '') continue;
      if (!isEmail(address)) this.fail(source, `${quoteValue(address)} is not an email address`);
      else if (!this.text.has('email')) this.text.set('email', address);
    }
  }
}

/** Notes keep their lines (as \n); a street's lines become ", "; any other field is one line. */
function oneStyleOfLines(value: string, field: TextField): string {
  if (!/[\r\n]/.test(value)) return value;
  if (field === 'notes' || field === 'interests') return value.replace(/\r\n?/g, '\n');
  return value.replace(/\s*[\r\n]+\s*/g, field === 'street' ? ', ' : ' ');
}

function tooLongMessage(length: number, limit: number): string {
  return `is ${length.toLocaleString('en-US')} characters long; at most ${limit.toLocaleString('en-US')} are allowed`;
}

/**
 * A sane address, not RFC 5322: something@domain.tld without spaces, quotes or angle brackets.
 * Stored as typed; matching lower-cases it.
 */
export function isEmail(value: string): boolean {
  return /^[^\s@"<>(),;:\\[\]]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,}$/u.test(
    value,
  );
}

export function parseYesNo(value: string): boolean | null | undefined {
  switch (value.trim().toLowerCase()) {
    case '':
      return null;
    case 'true':
    case 'yes':
    case 'y':
    case '1':
    case 'x':
      return true;
    case 'false':
    case 'no':
    case 'n':
    case '0':
      return false;
    default:
      return undefined;
  }
}

function parseContactKind(value: string): 'business' | 'consumer' | undefined {
  switch (value.toLowerCase()) {
    case 'business':
    case 'b2b':
      return 'business';
    case 'consumer':
    case 'b2c':
      return 'consumer';
    default:
      return undefined;
  }
}

/**
 * "Mary Ann van der Berg" → first "Mary", last "Ann van der Berg": the first word is the first
 * name and the rest the last name. Guessing particles and double first names goes wrong as often
 * as right; files that care have first/last columns. "Berg, Mary" (one comma, not before a
 * suffix such as "Jr.") is read as last, first.
 */
export function splitFullName(full: string): [first: string, last: string] {
  const name = full.trim().replace(/\s+/g, ' ');
  if (name === '') return ['', ''];
  const comma = name.split(',');
  if (comma.length === 2) {
    const before = comma[0]!.trim();
    const after = comma[1]!.trim();
    if (before !== '' && after !== '' && !SUFFIXES.has(after.toLowerCase().replace(/\./g, '')))
      return [after, before];
  }
  const words = name.replace(/,/g, ' ').replace(/\s+/g, ' ').trim().split(' ');
  return [words[0]!, words.slice(1).join(' ')];
}

/**
 * The kind a phone label names: Google Contacts' "Mobile", "Work Fax", a vCard's TYPE=cell,voice.
 * 'fax' means it is not a voice number; null means the labels do not say.
 */
export function kindFromLabels(labels: readonly string[]): NumberKind | 'fax' | null {
  const words = new Set<string>();
  for (const label of labels) {
    for (const w of label.toLowerCase().split(/[\s,;/*]+/)) if (w !== '') words.add(w.replace(/^x-/, ''));
  }
  const has = (...ws: string[]) => ws.some((w) => words.has(w));
  if (has('fax') && !has('voice')) return 'fax';
  if (has('cell', 'mobile', 'iphone', 'cellular')) return 'mobile';
  if (has('assistant', 'asst')) return 'assistant';
  if (has('main', 'switchboard')) return 'main';
  if (has('home')) return 'home';
  if (has('work', 'business', 'office', 'direct')) return 'direct';
  if (has('other', 'pager')) return 'other';
  return null;
}
