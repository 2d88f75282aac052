/**
 * A contact as read from one row of an import file, already validated and normalized,
 * before it is matched against what the workspace already holds.
 */
import type { ContactKind, NumberKind } from '../contact-fields.js';
import type { CellEnrollment } from './enrollment-cell.js';

export interface DraftNumber {
  /** E.164, exactly as libphonenumber-js formats it. */
  e164: string;
  /** Digits of an extension ("x204"), or '' when there is none. */
  extension: string;
  kind: NumberKind;
  /** ISO 3166 region libphonenumber-js assigned, or null when it could not tell. */
  country: string | null;
  /** The column (or vCard property) it came from, for error messages. */
  field: string;
}

export interface ContactDraft {
  /** 1-based row in the file counting the header as row 1 (as a spreadsheet shows it); vCards: card number. */
  row: number;
  firstName: string;
  lastName: string;
  title: string;
  company: string;
  email: string;
  timeZone: string;
  kind: ContactKind | '';
  interests: string;
  notes: string;
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  /** null when the file does not say. */
  doNotCall: boolean | null;
  numbers: DraftNumber[];
  /** The owner's email, lower-cased; '' when the file does not say. */
  owner: string;
  /** Campaigns to enroll the contact in, with the state to give a new enrollment. */
  enrollments: CellEnrollment[];
  /** Numbers (E.164) the file puts on the workspace's do-not-call list. */
  doNotCallNumbers: string[];
}

export interface RowError {
  row: number;
  field: string;
  message: string;
}

export type DraftResult = { ok: true; draft: ContactDraft } | { ok: false; errors: RowError[] };
