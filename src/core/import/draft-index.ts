/**
 * The keys of a batch of drafts, worked out before the batch reaches the database: its
 * distinct numbers and email keys, sorted, and which of them each draft has. Importing runs
 * this in the parsing worker, so the thread that writes matches drafts by position instead of
 * normalizing, hashing and sorting strings (which cost it about as much as some of the inserts).
 *
 * Also the one definition of the keys contacts and companies are found by.
 */
import type { NumberKind } from '../contact-fields.js';
import type { ContactDraft } from './draft.js';

/** How contacts are found by email: case and surrounding spaces do not matter. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** How companies are found by name: case and runs of spaces do not matter. */
export function companyKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Numbers that belong to one person. A main line, an assistant's line or an "other" number is
 * often shared (reception, an assistant for several executives), so it never makes two rows
 * the same contact.
 */
export const PERSONAL_KINDS = ['direct', 'mobile', 'home'] as const satisfies readonly NumberKind[];

export function isPersonal(kind: string): boolean {
  return kind === 'direct' || kind === 'mobile' || kind === 'home';
}

export interface DraftIndex {
  /** The batch's distinct E.164 numbers, sorted. */
  numbers: string[];
  /** Region of each of `numbers` as its first occurrence gives it. */
  numberCountries: (string | null)[];
  /** 1 where some draft has that number as a personal one (PERSONAL_KINDS). */
  personal: Uint8Array;
  /** Position in `numbers` of each draft's numbers, drafts one after the other. */
  numberOf: Int32Array;
  /** The batch's distinct non-empty email keys, sorted. */
  emails: string[];
  /** Position in `emails` of each draft's email key, -1 when it has none. */
  emailOf: Int32Array;
  /** Each draft's company key, '' when it names no company. */
  companyKeys: string[];
}

export function indexDrafts(drafts: readonly ContactDraft[]): DraftIndex {
  const numberPos = new Map<string, number>();
  const emailPos = new Map<string, number>();
  let links = 0;
  for (const d of drafts) {
    links += d.numbers.length;
    for (const n of d.numbers) if (!numberPos.has(n.e164)) numberPos.set(n.e164, -1);
    const key = emailKey(d.email);
    if (key !== '') emailPos.set(key, -1);
  }
  // The default order of sort() is by UTF-16 code units, as `<` compares strings, and it is
  // several times faster than the same order given as a function.
  const numbers = [...numberPos.keys()].sort();
  for (let i = 0; i < numbers.length; i++) numberPos.set(numbers[i]!, i);
  const emails = [...emailPos.keys()].sort();
  for (let i = 0; i < emails.length; i++) emailPos.set(emails[i]!, i);

  const numberCountries: (string | null)[] = new Array(numbers.length).fill(undefined);
  const personal = new Uint8Array(numbers.length);
  const numberOf = new Int32Array(links);
  const emailOf = new Int32Array(drafts.length);
  const companyKeys: string[] = [];
  let k = 0;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    for (const n of d.numbers) {
      const at = numberPos.get(n.e164)!;
      numberOf[k++] = at;
      if (numberCountries[at] === undefined) numberCountries[at] = n.country;
      if (isPersonal(n.kind)) personal[at] = 1;
    }
    const key = emailKey(d.email);
    emailOf[i] = key === '' ? -1 : emailPos.get(key)!;
    companyKeys.push(d.company ? companyKey(d.company) : '');
  }
  return { numbers, numberCountries, personal, numberOf, emails, emailOf, companyKeys };
}
