/**
 * What an import reports, on the CLI (`--json`) and, later, from the API.
 * `read = created + updated + unchanged + skipped + rejected` always holds.
 */
import { z } from 'zod';

export const importErrorSchema = z.object({
  row: z.number().int(),
  field: z.string(),
  message: z.string(),
});

export const RESOLUTIONS = ['update', 'create', 'skip'] as const;
export const resolutionSchema = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof resolutionSchema>;

const changedFieldSchema = z.enum([
  'firstName',
  'lastName',
  'title',
  'email',
  'timeZone',
  'interests',
  'notes',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'company',
  'kind',
  'doNotCall',
  'owner',
  'number',
]);

/** A row that matched a contact the evidence or the user's scope does not let it merge into. */
export const importConflictSchema = z.object({
  row: z.number().int(),
  /** null when the importing user may not see the contact. */
  contactId: z.number().int().nullable(),
  /** The earlier row of the file it clashes with, when it is one. */
  withRow: z.number().int().nullable(),
  reason: z.enum(['out_of_scope', 'name_differs']),
  differs: z.array(z.object({ field: changedFieldSchema, stored: z.string(), file: z.string() })),
  /** What was done: skip (left untouched), update or create, as the user chose. */
  resolution: resolutionSchema,
  message: z.string(),
});

/** One field an import changes (a dry run lists them); `before` null for a contact it creates. */
export const importChangeSchema = z.object({
  row: z.number().int(),
  contactId: z.number().int().nullable(),
  field: changedFieldSchema,
  before: z.string().nullable(),
  after: z.string(),
});

export const importSummarySchema = z.object({
  read: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** Rows left untouched because of a conflict. */
  skipped: z.number().int(),
  /** The first conflicts (up to a limit). */
  conflicts: z.array(importConflictSchema),
  conflictsOmitted: z.number().int(),
  /** On a dry run, the first changes (up to a limit), field by field; empty otherwise. */
  changes: z.array(importChangeSchema),
  changesOmitted: z.number().int(),
  /** The first errors (up to a limit); every one is stored with the import run. */
  errors: z.array(importErrorSchema),
  errorsOmitted: z.number().int(),
  file: z.string(),
  format: z.enum(['csv', 'vcard']),
  encoding: z.string(),
  dryRun: z.boolean(),
  importRunId: z.number().int().nullable(),
  /** Columns the file has that Ringback did not recognise (ignored). */
  ignoredColumns: z.array(z.string()),
});

export type ImportSummary = z.infer<typeof importSummarySchema>;
export type ImportError = z.infer<typeof importErrorSchema>;
export type ImportConflict = z.infer<typeof importConflictSchema>;
export type ImportChange = z.infer<typeof importChangeSchema>;

/** What undoing an import did. */
export const importUndoSchema = z.object({
  importRunId: z.number().int(),
  file: z.string(),
  undoneAt: z.number().int(),
  /** Stored contacts put back as they were before the import. */
  restored: z.number().int(),
  /** Contacts the import created, removed (with their links, enrollments and do-not-call entries). */
  removed: z.number().int(),
  /** Numbers the import created that no contact has any more, removed. */
  numbersRemoved: z.number().int(),
  /** Enrollments the import made for stored contacts, removed. */
  enrollmentsRemoved: z.number().int(),
});
export type ImportUndo = z.infer<typeof importUndoSchema>;
