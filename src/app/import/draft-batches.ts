/**
 * Reads an import file as batches of contact drafts and row errors: decoding, CSV records or
 * vCards, header mapping, and the core rules of each row. No database: this part runs in a
 * worker thread (parse-worker.ts) while the main thread writes the previous batches, or in
 * the caller's thread when no worker is at hand (tests run the TypeScript sources).
 */
import type { CountryCode } from 'libphonenumber-js';
import type { ContactDraft, RowError } from '../../core/import/draft.js';
import { type DraftIndex, indexDrafts } from '../../core/import/draft-index.js';
import { mapHeaders } from '../../core/import/header-map.js';
import { rowToDraft } from '../../core/import/row.js';
import { VCardReader, vcardToDraft } from '../../core/import/vcard.js';
import { createPhoneNormalizer } from '../../core/phone/fast.js';
import { invalid, isAppError, unreadableFile } from '../errors.js';
import { readCsvBatches } from './csv-records.js';
import type { EncodingGuess } from './file-encoding.js';
import { readTextChunks } from './text-chunks.js';

export interface DraftSourceOptions {
  file: string;
  format: 'csv' | 'vcard';
  encoding: EncodingGuess;
  /** Region for numbers written without a country code, already checked. */
  country: CountryCode;
  /** Column → field overrides from `--map`. */
  map?: Record<string, string> | undefined;
  /** Rows (records and unreadable rows) per batch. */
  batchSize: number;
}

export interface DraftBatch {
  drafts: ContactDraft[];
  /** indexDrafts(drafts): worked out here, so a worker does it off the thread that writes. */
  index: DraftIndex;
  errors: RowError[];
  /** Rows read into this batch, valid or not. */
  rowsRead: number;
  /** Bytes of the file read so far, for a progress bar. */
  bytesRead: number;
}

export type DraftEvent =
  /** Once, before the first batch of a CSV: the header's columns no field was found for. */
  { kind: 'columns'; ignored: string[] } | ({ kind: 'batch' } & DraftBatch);

export async function* readDraftBatches(options: DraftSourceOptions): AsyncGenerator<DraftEvent> {
  const normalize = createPhoneNormalizer(options.country);
  let bytesRead = 0;
  const chunks = readTextChunks(options.file, options.encoding, (b) => {
    bytesRead = b;
  });

  if (options.format === 'csv') {
    let mapping: ReturnType<typeof mapHeaders> | null = null;
    try {
      for await (const batch of readCsvBatches(chunks, { batchSize: options.batchSize })) {
        if (!mapping) {
          mapping = mapHeaders(batch.header, options.map);
          if (mapping.errors.length > 0) throw invalid(mapping.errors.join('; '));
          yield { kind: 'columns', ignored: mapping.unknown };
        }
        const drafts: ContactDraft[] = [];
        const errors: RowError[] = batch.errors.map((e) => ({ row: e.row, field: '', message: e.message }));
        for (const record of batch.records) {
          const result = rowToDraft(record.cells, mapping, record.row, normalize);
          if (result.ok) drafts.push(result.draft);
          else errors.push(...result.errors);
        }
        yield {
          kind: 'batch',
          drafts,
          index: indexDrafts(drafts),
          errors,
          rowsRead: batch.records.length + batch.errors.length,
          bytesRead,
        };
      }
    } catch (e) {
      if (isAppError(e, 'unreadable_file')) throw unreadableFile(`${options.file}: ${e.message}`);
      throw e;
    }
    return;
  }

  const reader = new VCardReader();
  let index = 0;
  let drafts: ContactDraft[] = [];
  let errors: RowError[] = [];
  let rowsRead = 0;
  const take = (cards: ReturnType<VCardReader['push']>) => {
    for (const card of cards) {
      index++;
      rowsRead++;
      const result = vcardToDraft(card, index, normalize);
      if (result.ok) drafts.push(result.draft);
      else errors.push(...result.errors);
    }
  };
  for await (const text of chunks) {
    take(reader.push(text));
    if (rowsRead >= options.batchSize) {
      yield { kind: 'batch', drafts, index: indexDrafts(drafts), errors, rowsRead, bytesRead };
      drafts = [];
      errors = [];
      rowsRead = 0;
    }
  }
  take(reader.end());
  yield { kind: 'batch', drafts, index: indexDrafts(drafts), errors, rowsRead, bytesRead };
  if (index === 0) throw unreadableFile(`${options.file}: no vCard (BEGIN:VCARD … END:VCARD) in the file`);
}
