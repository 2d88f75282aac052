/**
 * The import use case: read a CSV or vCard file in a stream, turn each row into a contact
 * draft (core), and write batches to the store, one transaction each. Every rejected row is
 * reported with its row, field and reason; every valid row is imported.
 */
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import { isSupportedCountry } from 'libphonenumber-js';
import type { ImportError, ImportSummary } from '../../contracts/import-summary.js';
import { DEFAULT_POLICY } from '../../core/cadence/policy.js';
import { defaultScriptsFor } from '../../core/scripts/defaults.js';
import type { ContactDraft, RowError } from '../../core/import/draft.js';
import { mapHeaders } from '../../core/import/header-map.js';
import { rowToDraft } from '../../core/import/row.js';
import { VCardReader, vcardToDraft } from '../../core/import/vcard.js';
import { createPhoneNormalizer } from '../../core/phone/fast.js';
import { findCampaignByName, insertCampaign } from '../../store/campaign-repo.js';
import { applyContactBatch, type ImportTarget } from '../../store/contact-import-repo.js';
import type { Store } from '../../store/db.js';
import { finishImportRun, recordImportErrors, startImportRun } from '../../store/import-run-repo.js';
import type { Database } from '../../store/schema.js';
import { findUserByEmail } from '../../store/user-repo.js';
import { ensureDefaultWorkspace } from '../../store/workspace-repo.js';
import { inWriteTransaction } from '../../store/write-transaction.js';
import { CsvHeaderError, readCsvBatches } from './csv-records.js';
import { detectEncoding } from './file-encoding.js';
import { readTextChunks } from './text-chunks.js';

export interface ImportContactsOptions {
  file: string;
  /** Enroll every imported contact in this campaign, created with the default policy if new. */
  campaign?: string | undefined;
  /** Assign every imported contact to this user. */
  ownerEmail?: string | undefined;
  /** Region for numbers written without a country code; default: the workspace's. */
  country?: string | undefined;
  /** Column → field overrides from `--map`. */
  map?: Record<string, string> | undefined;
  dryRun?: boolean | undefined;
  onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
  /** The clock, passed in. */
  now: number;
}

/** The command was used wrongly (exit 2). */
export class ImportUsageError extends Error {
  override name = 'ImportUsageError';
}

/** The file could not be read at all (exit 1). */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

const ERRORS_KEPT = 1000;

class DryRunRollback extends Error {}

export async function importContacts(store: Store, options: ImportContactsOptions): Promise<ImportSummary> {
  const { now } = options;
  let size: number;
  try {
    const info = await stat(options.file);
    if (!info.isFile()) throw new ImportFileError(`${options.file} is not a file`);
    size = info.size;
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError(`cannot read ${options.file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }

  const workspace = await ensureDefaultWorkspace(store.db, now);
  const country = (options.country ?? workspace.default_country).toUpperCase();
  if (!isSupportedCountry(country)) {
    throw new ImportUsageError(
      `--country ${options.country}: not a country code libphonenumber knows (try US, GB, DE…)`,
    );
  }
  let ownerId: number | null = null;
  if (options.ownerEmail) {
    const owner = await findUserByEmail(store.db, workspace.id, options.ownerEmail);
    if (!owner)
      throw new ImportUsageError(
        `--owner ${options.ownerEmail}: no such user (add one with "ringback users add")`,
      );
    ownerId = owner.id;
  }

  const format = await detectFormat(options.file);
  const encoding = await detectEncoding(options.file);
  const normalize = createPhoneNormalizer(country as CountryCode);

  const summary: ImportSummary = {
    read: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errors: [],
    errorsOmitted: 0,
    file: options.file,
    format,
    encoding: encoding.mixed ? `${encoding.encoding} (with some invalid bytes)` : encoding.encoding,
    dryRun: Boolean(options.dryRun),
    importRunId: null,
    ignoredColumns: [],
  };
  const report = (errs: RowError[]) => {
    for (const e of errs) {
      if (summary.errors.length < ERRORS_KEPT) summary.errors.push(e);
      else summary.errorsOmitted++;
    }
  };

  const run = async (
    db: Kysely<Database>,
    inBatchTransaction: <T>(work: (trx: Kysely<Database>) => Promise<T>) => Promise<T>,
  ) => {
    const campaignId = options.campaign
      ? await ensureCampaign(db, workspace.id, options.campaign, now)
      : null;
    const target: ImportTarget = { workspaceId: workspace.id, ownerId, campaignId, source: 'import' };
    const runId = await startImportRun(db, {
      workspace_id: workspace.id,
      file_name: options.file,
      format,
      encoding: summary.encoding,
      options: JSON.stringify({
        campaign: options.campaign,
        owner: options.ownerEmail,
        country,
        map: options.map,
      }),
      started_at: now,
    });
    summary.importRunId = options.dryRun ? null : runId;

    const writeBatch = async (drafts: ContactDraft[], rowErrors: RowError[], rowsRead: number) => {
      const rejectedRows = new Set(rowErrors.map((e) => e.row)).size;
      summary.read += rowsRead;
      summary.rejected += rejectedRows;
      report(rowErrors);
      await inBatchTransaction(async (trx) => {
        const counts = await applyContactBatch(trx, store.dialect, drafts, target, now);
        summary.created += counts.created;
        summary.updated += counts.updated;
        summary.unchanged += counts.unchanged;
        await recordImportErrors(trx, runId, rowErrors);
      });
      options.onProgress?.(Math.min(size, bytesSeen), size);
    };

    let bytesSeen = 0;
    const onBytes = (b: number) => {
      bytesSeen = b;
    };
    const chunks = readTextChunks(options.file, encoding, onBytes);

    if (format === 'csv') {
      let mapping: ReturnType<typeof mapHeaders> | null = null;
      try {
        for await (const batch of readCsvBatches(chunks)) {
          if (!mapping) {
            mapping = mapHeaders(batch.header, options.map);
            if (mapping.errors.length > 0) throw new ImportUsageError(mapping.errors.join('; '));
            summary.ignoredColumns = mapping.unknown;
          }
          const drafts: ContactDraft[] = [];
          const rowErrors: RowError[] = batch.errors.map((e) => ({
            row: e.row,
            field: '',
            message: e.message,
          }));
          for (const record of batch.records) {
            const result = rowToDraft(record.cells, mapping, record.row, normalize);
            if (result.ok) drafts.push(result.draft);
            else rowErrors.push(...result.errors);
          }
          await writeBatch(drafts, rowErrors, batch.records.length + batch.errors.length);
        }
      } catch (e) {
        if (e instanceof CsvHeaderError) throw new ImportFileError(`${options.file}: ${e.message}`);
        throw e;
      }
    } else {
      const reader = new VCardReader();
      let index = 0;
      let drafts: ContactDraft[] = [];
      let rowErrors: RowError[] = [];
      let rowsRead = 0;
      const take = (cards: ReturnType<VCardReader['push']>) => {
        for (const card of cards) {
          index++;
          rowsRead++;
          const result = vcardToDraft(card, index, normalize);
          if (result.ok) drafts.push(result.draft);
          else rowErrors.push(...result.errors);
        }
      };
      for await (const text of chunks) {
        take(reader.push(text));
        if (rowsRead >= 1000) {
          await writeBatch(drafts, rowErrors, rowsRead);
          drafts = [];
          rowErrors = [];
          rowsRead = 0;
        }
      }
      take(reader.end());
      await writeBatch(drafts, rowErrors, rowsRead);
      if (index === 0)
        throw new ImportFileError(`${options.file}: no vCard (BEGIN:VCARD … END:VCARD) in the file`);
    }

    await finishImportRun(db, runId, summary, now);
  };

  if (options.dryRun) {
    // One transaction for the whole run, rolled back: the counts are exactly what a real run would do.
    try {
      await inWriteTransaction(store, async (trx) => {
        await run(trx, (work) => work(trx));
        throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
  } else {
    await run(store.db, (work) => inWriteTransaction(store, work));
  }
  return summary;
}

async function detectFormat(file: string): Promise<'csv' | 'vcard'> {
  const ext = extname(file).toLowerCase();
  if (ext === '.vcf' || ext === '.vcard') return 'vcard';
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
    const head = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    return /^BEGIN:VCARD/i.test(head) ? 'vcard' : 'csv';
  } finally {
    await handle.close();
  }
}

async function ensureCampaign(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
  now: number,
): Promise<number> {
  const existing = await findCampaignByName(db, workspaceId, name);
  if (existing) return existing.id;
  const created = await insertCampaign(db, {
    workspace_id: workspaceId,
    name,
    kind: 'sales',
    urgency: 'normal',
    policy: JSON.stringify(DEFAULT_POLICY),
    scripts: JSON.stringify(defaultScriptsFor('sales')),
    created_at: now,
  });
  return created.id;
}

export type { ImportError };
