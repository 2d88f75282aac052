/**
 * What an import reports, on the CLI (`--json`) and, later, from the API.
 * `read = created + updated + unchanged + rejected` always holds.
 */
import { z } from 'zod';

export const importErrorSchema = z.object({
  row: z.number().int(),
  field: z.string(),
  message: z.string(),
});

export const importSummarySchema = z.object({
  read: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
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
