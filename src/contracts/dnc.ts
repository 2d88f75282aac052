/**
 * Registry do-not-call lists as the API, the CLI (--json) and the web app see them.
 */
import { z } from 'zod';

export const registryImportSchema = z.object({
  source: z.enum(['us-national', 'ca-dncl', 'uk-tps', 'uk-ctps', 'internal']),
  kind: z.enum(['full', 'changes', 'internal']),
  asOf: z.string().nullable(),
  numbers: z.number().int(),
  added: z.number().int(),
  removed: z.number().int(),
  listedNumbers: z.number().int(),
});

export const registryListsSchema = z.object({
  /** A stale list holds back the numbers it covered (a workspace setting, on by default). */
  holdBackStale: z.boolean(),
  lists: z.array(
    z.object({
      source: z.enum(['us-national', 'ca-dncl', 'uk-tps', 'uk-ctps']),
      name: z.string(),
      asOf: z.string(),
      ageDays: z.number().int(),
      stale: z.boolean(),
      numbers: z.number().int(),
      areaCodes: z.number().int(),
      loadedAt: z.string(),
    }),
  ),
});
