/**
 * The vocabulary of a contact as it crosses Ringback: number kinds, contact kinds and the
 * fields an imported row can fill. Shared by import mapping, export and the store.
 */

export const NUMBER_KINDS = ['direct', 'mobile', 'main', 'assistant', 'home', 'other'] as const;
export type NumberKind = (typeof NUMBER_KINDS)[number];

/** `consumer` contacts get consumer calling hours and state rules; `business` the office window. */
export const CONTACT_KINDS = ['business', 'consumer'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** Scalar contact fields an import column can map to. */
export const TEXT_FIELDS = [
  'first_name',
  'last_name',
  'full_name',
  'title',
  'company',
  'email',
  'time_zone',
  'kind',
  'interests',
  'notes',
  'street',
  'city',
  'region',
  'postal_code',
  'country',
  'do_not_call',
  // What the contacts export writes so an import gives them back: the owner's email, the
  // campaign enrollments (enrollment-cell.ts), the numbers on the do-not-call list.
  'owner',
  'campaigns',
  'do_not_call_numbers',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** Phone columns map to `phone:<kind>`. */
export type PhoneField = `phone:${NumberKind}`;
export type ImportField = TextField | PhoneField | 'ignore';

export const IMPORT_FIELDS: readonly ImportField[] = [
  ...TEXT_FIELDS,
  ...NUMBER_KINDS.map((k) => `phone:${k}` as const),
  'ignore',
];

export function isImportField(value: string): value is ImportField {
  return (IMPORT_FIELDS as readonly string[]).includes(value);
}
