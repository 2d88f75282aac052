/**
 * Which contact field each column of a CSV fills, from its header: the exports of HubSpot,
 * Salesforce, Pipedrive, Zoho, Google Contacts, Outlook and LinkedIn are recognised without
 * help, matching headers regardless of case, spaces and punctuation ("E-mail Address" is
 * "email address"). `--map "Cell=phone:mobile,Junk=ignore"` overrides or completes the guess.
 *
 * Google Contacts writes each number as a pair of columns, "Phone 1 - Type" ("Mobile",
 * "Work", …) and "Phone 1 - Value": the value column maps to `phone:other` and `kindColumns`
 * points at its type column, whose cell gives the kind row by row.
 */
import type { ImportField } from '../contact-fields.js';
import { IMPORT_FIELDS, isImportField } from '../contact-fields.js';

export interface HeaderMapping {
  /** The headers as written in the file. */
  headers: string[];
  /** The field each column fills, in file order; 'ignore' for the rest. */
  columns: ImportField[];
  /**
   * For a phone column whose kind is written per row in another column, that column's index;
   * the phone column's own kind applies when that cell is blank or names no kind.
   */
  kindColumns: (number | null)[];
  /** Headers of columns that are not imported. */
  unknown: string[];
  /** Overrides that name no column of the file or no field. */
  errors: string[];
}

/** Header spellings, reduced by headerKey(), of the usual CRM and address-book exports. */
const ALIASES: Readonly<Record<string, ImportField>> = {
  // Names
  firstname: 'first_name',
  givenname: 'first_name',
  first: 'first_name',
  fname: 'first_name',
  forename: 'first_name',
  lastname: 'last_name',
  familyname: 'last_name',
  surname: 'last_name',
  last: 'last_name',
  lname: 'last_name',
  name: 'full_name',
  fullname: 'full_name',
  contactname: 'full_name',
  displayname: 'full_name',
  contact: 'full_name',
  contactperson: 'full_name',
  // Work
  title: 'title',
  jobtitle: 'title',
  position: 'title',
  role: 'title',
  designation: 'title',
  organizationtitle: 'title',
  company: 'company',
  companyname: 'company',
  organization: 'company',
  organisation: 'company',
  organizationname: 'company',
  account: 'company',
  accountname: 'company',
  employer: 'company',
  currentcompany: 'company',
  // Email
  email: 'email',
  emailaddress: 'email',
  email1: 'email',
  email2: 'email',
  email3: 'email',
  email2address: 'email',
  email3address: 'email',
  workemail: 'email',
  businessemail: 'email',
  primaryemail: 'email',
  secondaryemail: 'email',
  emailwork: 'email',
  emailhome: 'email',
  emailother: 'email',
  // Phones
  phone: 'phone:direct',
  phonenumber: 'phone:direct',
  telephone: 'phone:direct',
  telephonenumber: 'phone:direct',
  tel: 'phone:direct',
  phone1: 'phone:direct',
  workphone: 'phone:direct',
  businessphone: 'phone:direct',
  businessphone2: 'phone:direct',
  officephone: 'phone:direct',
  directphone: 'phone:direct',
  directdial: 'phone:direct',
  directline: 'phone:direct',
  primaryphone: 'phone:direct',
  phonework: 'phone:direct',
  phonedirect: 'phone:direct',
  mobile: 'phone:mobile',
  mobilephone: 'phone:mobile',
  mobilephonenumber: 'phone:mobile',
  mobilenumber: 'phone:mobile',
  cell: 'phone:mobile',
  cellphone: 'phone:mobile',
  cellnumber: 'phone:mobile',
  cellular: 'phone:mobile',
  phonemobile: 'phone:mobile',
  mainphone: 'phone:main',
  companymainphone: 'phone:main',
  companyphone: 'phone:main',
  companyphonenumber: 'phone:main',
  switchboard: 'phone:main',
  mainline: 'phone:main',
  phonemain: 'phone:main',
  assistantsphone: 'phone:assistant',
  assistantphone: 'phone:assistant',
  asstphone: 'phone:assistant',
  phoneassistant: 'phone:assistant',
  homephone: 'phone:home',
  homephone2: 'phone:home',
  phonehome: 'phone:home',
  otherphone: 'phone:other',
  phoneother: 'phone:other',
  phone2: 'phone:other',
  phone3: 'phone:other',
  alternatephone: 'phone:other',
  altphone: 'phone:other',
  additionalphone: 'phone:other',
  // Address: the work or mailing one; home and other addresses are not imported.
  street: 'street',
  streetaddress: 'street',
  address: 'street',
  address1: 'street',
  addressline1: 'street',
  addressline2: 'street',
  mailingstreet: 'street',
  businessstreet: 'street',
  businessstreet2: 'street',
  businessstreet3: 'street',
  city: 'city',
  town: 'city',
  mailingcity: 'city',
  businesscity: 'city',
  state: 'region',
  region: 'region',
  province: 'region',
  stateprovince: 'region',
  stateregion: 'region',
  mailingstate: 'region',
  mailingstateprovince: 'region',
  businessstate: 'region',
  zip: 'postal_code',
  zipcode: 'postal_code',
  postcode: 'postal_code',
  postalcode: 'postal_code',
  zippostalcode: 'postal_code',
  mailingzip: 'postal_code',
  mailingzipcode: 'postal_code',
  mailingpostalcode: 'postal_code',
  mailingzippostalcode: 'postal_code',
  businesspostalcode: 'postal_code',
  country: 'country',
  countryregion: 'country',
  mailingcountry: 'country',
  businesscountry: 'country',
  businesscountryregion: 'country',
  // The rest
  timezone: 'time_zone',
  tz: 'time_zone',
  kind: 'kind',
  contactkind: 'kind',
  interests: 'interests',
  interest: 'interests',
  areasofinterest: 'interests',
  productsofinterest: 'interests',
  notes: 'notes',
  note: 'notes',
  description: 'notes',
  comments: 'notes',
  comment: 'notes',
  donotcall: 'do_not_call',
  // As the contacts export names them (only these spellings: a CRM's "Owner" is often a name).
  owneremail: 'owner',
  campaigns: 'campaigns',
  donotcallnumbers: 'do_not_call_numbers',
  dnc: 'do_not_call',
  donotphone: 'do_not_call',
};

/** Google Contacts' numbered groups: "Phone 1 - Value", "E-mail 2 - Type", "Address 1 - City". */
const NUMBERED = /^(phone|email|organization|address)(\d+)(\w+)$/;
const NUMBERED_FIELDS: Readonly<Record<string, Readonly<Record<string, ImportField>>>> = {
  phone: { value: 'phone:other' },
  email: { value: 'email' },
  organization: { name: 'company', title: 'title' },
  address: {
    street: 'street',
    city: 'city',
    region: 'region',
    postalcode: 'postal_code',
    country: 'country',
  },
};
/** Only the first organization and address are imported; every phone and email is. */
const ALL_NUMBERS = new Set(['phone', 'email']);

/** Outlook's "Title" is Mr./Ms. when the file also has "Job Title". */
const JOB_TITLE_KEYS = new Set(['jobtitle', 'position', 'organizationtitle', 'organization1title']);

/** "E-mail 1 - Value" → "email1value": case, spaces, punctuation and accents do not matter. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function mapHeaders(headers: string[], overrides: Record<string, string> = {}): HeaderMapping {
  const keys = headers.map((h) => headerKey(h.replace(/^\uFEFF/, '')));
  const columns: ImportField[] = keys.map(() => 'ignore');
  const kindColumns: (number | null)[] = keys.map(() => null);
  /** Columns not imported that are nonetheless understood, so not reported as unknown. */
  const understood = new Set<number>();
  const hasJobTitle = keys.some((k) => JOB_TITLE_KEYS.has(k));

  keys.forEach((key, i) => {
    const guess = guessField(key, hasJobTitle);
    if (guess !== undefined) {
      columns[i] = guess;
      return;
    }
    const m = NUMBERED.exec(key);
    if (!m) return;
    const [, group, n, part] = m as unknown as [string, string, string, string];
    if (part === 'type' || part === 'label') {
      // A phone's type column is read through kindColumns; the others say nothing we keep.
      if (group !== 'phone') understood.add(i);
      return;
    }
    const field = NUMBERED_FIELDS[group]?.[part];
    if (field === undefined || (n !== '1' && !ALL_NUMBERS.has(group))) return;
    columns[i] = field;
    if (group === 'phone') {
      const typeColumn = keys.findIndex((k) => k === `phone${n}type` || k === `phone${n}label`);
      if (typeColumn >= 0) kindColumns[i] = typeColumn;
    }
  });

  const errors: string[] = [];
  for (const [column, field] of Object.entries(overrides)) {
    const pair = `mapping "${column}=${field}"`;
    const targets = findColumns(headers, keys, column);
    if (targets.length === 0) {
      errors.push(`${pair}: the file has no column "${column}" (its columns: ${headers.join(', ')})`);
    }
    if (!isImportField(field)) {
      errors.push(`${pair}: "${field}" is not a field (fields: ${IMPORT_FIELDS.join(', ')})`);
      continue;
    }
    for (const i of targets) {
      columns[i] = field;
      // The user named the kind: a type column no longer decides it.
      kindColumns[i] = null;
      understood.add(i);
    }
  }
  for (const k of kindColumns) if (k !== null) understood.add(k);

  const unknown = headers.filter((_, i) => columns[i] === 'ignore' && !understood.has(i));
  return { headers, columns, kindColumns, unknown, errors };
}

function guessField(key: string, hasJobTitle: boolean): ImportField | undefined {
  if (key === 'title' && hasJobTitle) return undefined;
  const direct = ALIASES[key];
  if (direct !== undefined) return direct;
  // Pipedrive's deal exports prefix person fields: "Person - Name", "Person - Phone - Work".
  if (key.startsWith('person') && key.length > 'person'.length) return ALIASES[key.slice('person'.length)];
  return undefined;
}

/** A column named exactly, or else the columns whose header matches it loosely. */
function findColumns(headers: string[], keys: string[], column: string): number[] {
  const exact = headers.flatMap((h, i) => (h === column ? [i] : []));
  if (exact.length > 0) return exact;
  const key = headerKey(column);
  return key === '' ? [] : keys.flatMap((k, i) => (k === key ? [i] : []));
}

export type MapOption = { ok: true; map: Record<string, string> } | { ok: false; error: string };

/**
 * Parses `--map "Column=field,Other column=field"`. A column name holding a comma or "=" is
 * written in double quotes: `"Phone, work"=phone:direct`.
 */
export function parseMapOption(text: string): MapOption {
  const map: Record<string, string> = {};
  const pairs = splitPairs(text);
  if (pairs === null) return { ok: false, error: `unbalanced quotes in "${text}"` };
  for (const { column, field } of pairs) {
    if (column === '' && field === null) continue;
    if (field === null)
      return { ok: false, error: `"${column}" has no "=field" (write Column=field, e.g. Cell=phone:mobile)` };
    if (column === '') return { ok: false, error: `"=${field}" names no column` };
    if (!isImportField(field)) {
      return {
        ok: false,
        error: `"${field}" (for "${column}") is not a field (fields: ${IMPORT_FIELDS.join(', ')})`,
      };
    }
    if (Object.hasOwn(map, column)) return { ok: false, error: `"${column}" is mapped twice` };
    map[column] = field;
  }
  if (Object.keys(map).length === 0)
    return { ok: false, error: 'no Column=field pairs (e.g. Cell=phone:mobile,Org=company)' };
  return { ok: true, map };
}

function splitPairs(text: string): { column: string; field: string | null }[] | null {
  const pairs: { column: string; field: string | null }[] = [];
  let column = '';
  let field: string | null = null;
  let quoted = false;
  let wasQuoted = false;
  const push = () => {
    pairs.push({ column: wasQuoted ? column : column.trim(), field: field === null ? null : field.trim() });
    column = '';
    field = null;
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (field === null && ch === '"') {
      if (quoted && text[i + 1] === '"') {
        column += '"';
        i++;
      } else {
        quoted = !quoted;
        if (quoted) {
          column = '';
          wasQuoted = true;
        }
      }
    } else if (quoted) column += ch;
    else if (ch === ',') push();
    else if (ch === '=' && field === null) field = '';
    else if (field === null) column += ch;
    else field += ch;
  }
  if (quoted) return null;
  push();
  return pairs;
}
