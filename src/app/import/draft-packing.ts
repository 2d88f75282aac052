/**
 * Contact drafts as one string, to pass a batch from the parsing worker to the thread that
 * writes it. Structured cloning of a few thousand small objects costs the receiving thread
 * more than parsing them did; one string is copied whole and split again in a fraction of it.
 *
 * Fields are joined with NUL. A batch in which any value holds a NUL itself is not packed
 * (`packDrafts` returns null) and goes by structured clone instead.
 */
import type { ContactDraft, DraftNumber } from '../../core/import/draft.js';
import type { DraftIndex } from '../../core/import/draft-index.js';

const SEP = '\u0000';

/** Fields per draft before its numbers, and per number. */
const DRAFT_FIELDS = 20;
const NUMBER_FIELDS = 5;

export function packDrafts(drafts: readonly ContactDraft[]): string | null {
  const parts: string[] = [];
  for (const d of drafts) {
    // JSON would escape a NUL, which the count of separators below could then not see.
    if (d.enrollments.some((e) => e.campaign.includes(SEP))) return null;
    parts.push(
      String(d.row),
      d.firstName,
      d.lastName,
      d.title,
      d.company,
      d.email,
      d.timeZone,
      d.kind,
      d.interests,
      d.notes,
      d.street,
      d.city,
      d.region,
      d.postalCode,
      d.country,
      d.doNotCall === null ? '' : d.doNotCall ? '1' : '0',
      d.owner,
      d.enrollments.length === 0 ? '' : JSON.stringify(d.enrollments),
      d.doNotCallNumbers.join(','),
      String(d.numbers.length),
    );
    for (const n of d.numbers) {
      // null is sent as '', so a country of '' could not come back as itself.
      if (n.country === '') return null;
      parts.push(n.e164, n.extension, n.kind, n.country ?? '', n.field);
    }
  }
  const text = parts.join(SEP);
  let separators = 0;
  for (let i = text.indexOf(SEP); i !== -1; i = text.indexOf(SEP, i + 1)) separators++;
  return separators === Math.max(0, parts.length - 1) ? text : null;
}

export function unpackDrafts(text: string): ContactDraft[] {
  if (text === '') return [];
  const f = text.split(SEP);
  const drafts: ContactDraft[] = [];
  let i = 0;
  while (i < f.length) {
    const dnc = f[i + 15]!;
    const enrollments = f[i + 17]!;
    const doNotCallNumbers = f[i + 18]!;
    const count = Number(f[i + 19]);
    const draft: ContactDraft = {
      row: Number(f[i]),
      firstName: f[i + 1]!,
      lastName: f[i + 2]!,
      title: f[i + 3]!,
      company: f[i + 4]!,
      email: f[i + 5]!,
      timeZone: f[i + 6]!,
      kind: f[i + 7] as ContactDraft['kind'],
      interests: f[i + 8]!,
      notes: f[i + 9]!,
      street: f[i + 10]!,
      city: f[i + 11]!,
      region: f[i + 12]!,
      postalCode: f[i + 13]!,
      country: f[i + 14]!,
      doNotCall: dnc === '' ? null : dnc === '1',
      numbers: [],
      owner: f[i + 16]!,
      enrollments: enrollments === '' ? [] : JSON.parse(enrollments),
      doNotCallNumbers: doNotCallNumbers === '' ? [] : doNotCallNumbers.split(','),
    };
    i += DRAFT_FIELDS;
    for (let k = 0; k < count; k++) {
      const number: DraftNumber = {
        e164: f[i]!,
        extension: f[i + 1]!,
        kind: f[i + 2] as DraftNumber['kind'],
        country: f[i + 3] || null,
        field: f[i + 4]!,
      };
      draft.numbers.push(number);
      i += NUMBER_FIELDS;
    }
    drafts.push(draft);
  }
  return drafts;
}

/**
 * A batch's DraftIndex for the trip with its packed drafts: its lists of strings joined the
 * same way (their values come from the drafts' values, which packDrafts found free of NUL, and
 * a country is never '' there), its positions as typed arrays the message transfers.
 */
export interface PackedIndex {
  numbers: string;
  numberCountries: string;
  emails: string;
  companyKeys: string;
  personal: Uint8Array;
  numberOf: Int32Array;
  emailOf: Int32Array;
}

export function packIndex(index: DraftIndex): PackedIndex {
  return {
    numbers: index.numbers.join(SEP),
    numberCountries: index.numberCountries.map((c) => c ?? '').join(SEP),
    emails: index.emails.join(SEP),
    companyKeys: index.companyKeys.join(SEP),
    personal: index.personal,
    numberOf: index.numberOf,
    emailOf: index.emailOf,
  };
}

/** The buffers a message carrying `packed` can transfer rather than copy. */
export function indexBuffers(packed: PackedIndex): ArrayBuffer[] {
  return [packed.personal.buffer, packed.numberOf.buffer, packed.emailOf.buffer] as ArrayBuffer[];
}

export function unpackIndex(packed: PackedIndex, drafts: number): DraftIndex {
  const numbers = packed.numbers === '' ? [] : packed.numbers.split(SEP);
  return {
    numbers,
    numberCountries: numbers.length === 0 ? [] : packed.numberCountries.split(SEP).map((c) => c || null),
    personal: packed.personal,
    numberOf: packed.numberOf,
    emails: packed.emails === '' ? [] : packed.emails.split(SEP),
    emailOf: packed.emailOf,
    companyKeys: drafts === 0 ? [] : packed.companyKeys.split(SEP),
  };
}
