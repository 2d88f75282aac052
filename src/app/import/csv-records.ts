/**
 * Turns a stream of CSV text into records, in batches, recovering from broken rows.
 *
 * csv-parse splits fields; this module finds where records start and end first, because
 * csv-parse cannot resume after an unterminated quote: it would swallow every following
 * row. Here a record whose quotes never balance (or that grows past a size limit) is
 * reported against its first row, and reading restarts on the line after it.
 */
import { parse } from 'csv-parse/sync';
import { unreadableFile } from '../errors.js';

export interface CsvRecord {
  /** 1-based record number counting the header as 1, as a spreadsheet numbers rows. */
  row: number;
  cells: string[];
}

export interface CsvRowError {
  row: number;
  message: string;
}

export interface CsvBatch {
  header: string[];
  records: CsvRecord[];
  errors: CsvRowError[];
}

export interface CsvReadOptions {
  /** A quoted field may span at most this many lines. */
  maxRecordLines?: number;
  /** And at most this many characters, which bounds memory on a file with a stray quote. */
  maxRecordChars?: number;
  batchSize?: number;
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** Picks the delimiter that splits the header line into the most fields outside quotes. */
export function sniffDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const ch of headerLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function countQuotes(line: string): number {
  let n = 0;
  let i = line.indexOf('"');
  while (i !== -1) {
    n++;
    i = line.indexOf('"', i + 1);
  }
  return n;
}

export async function* readCsvBatches(
  chunks: AsyncIterable<string>,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvBatch> {
  const maxLines = options.maxRecordLines ?? 500;
  const maxChars = options.maxRecordChars ?? 32 * 1024 * 1024;
  const batchSize = options.batchSize ?? 1000;

  let delimiter = ',';
  let header: string[] | null = null;
  let row = 0;
  let records: CsvRecord[] = [];
  let errors: CsvRowError[] = [];
  // Single-line records waiting to be parsed together (the fast path).
  let simpleLines: string[] = [];
  let simpleRows: number[] = [];

  // The record being assembled.
  let recLines: string[] = [];
  let recQuotes = 0;
  let recChars = 0;
  let recRow = 0;

  const parseOpts = () =>
    ({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as const;

  const tooManyCells = (cells: string[]): string | null => {
    if (!header || cells.length <= header.length) return null;
    for (let i = header.length; i < cells.length; i++) {
      if (cells[i]!.trim() !== '') {
        return `has ${cells.length} cells but the header has ${header.length} (a stray delimiter or broken quoting?)`;
      }
    }
    return null;
  };

  const accept = (r: number, cells: string[]) => {
    if (!header) {
      // A NUL cannot be stored in an error's field name on PostgreSQL, and names no column.
      header = cells.map((c) => c.replaceAll('\0', '').trim());
      return;
    }
    const problem = tooManyCells(cells);
    if (problem) errors.push({ row: r, message: `row ${problem}` });
    else records.push({ row: r, cells });
  };

  const parseOne = (text: string): string[] | Error => {
    try {
      const out = parse(text, parseOpts()) as string[][];
      if (out.length !== 1) return new Error(`holds ${out.length} records`);
      return out[0]!;
    } catch (e) {
      return e as Error;
    }
  };

  const flushSimple = () => {
    if (simpleLines.length === 0) return;
    // A line without quotes is split at the delimiter, which is all csv-parse does with it; the
    // quoted ones go to csv-parse together. A carriage return inside a line may make csv-parse
    // take it for the record delimiter, which depends on the lines around it, so a batch holding
    // one is parsed whole as before.
    const whole = simpleLines.some((l) => l.includes('\r'));
    const quoted: number[] = [];
    for (let i = 0; i < simpleLines.length; i++) if (whole || simpleLines[i]!.includes('"')) quoted.push(i);
    const cellsOf = new Map<number, string[] | Error>();
    if (quoted.length > 0) {
      let parsed: string[][] | null = null;
      try {
        parsed = parse(quoted.map((i) => simpleLines[i]!).join('\n'), parseOpts()) as string[][];
        if (parsed.length !== quoted.length) parsed = null;
      } catch {
        parsed = null;
      }
      // Something in the batch is malformed: parse line by line to blame the right rows.
      for (let k = 0; k < quoted.length; k++) {
        const i = quoted[k]!;
        cellsOf.set(i, parsed ? parsed[k]! : parseOne(simpleLines[i]!));
      }
    }
    for (let i = 0; i < simpleLines.length; i++) {
      const cells = cellsOf.get(i) ?? simpleLines[i]!.split(delimiter);
      if (cells instanceof Error) errors.push({ row: simpleRows[i]!, message: brokenQuoting(cells) });
      else accept(simpleRows[i]!, cells);
    }
    simpleLines = [];
    simpleRows = [];
  };

  // Lines are processed from this stack (last = next), so a broken record's tail can be pushed back.
  const pushBack: string[] = [];

  const processLine = (line: string): void => {
    if (recLines.length === 0) {
      row++;
      if (line.trim() === '') return;
      if (!header) delimiter = sniffDelimiter(line);
      const q = countQuotes(line);
      if (q % 2 === 0) {
        if (!header) {
          flushSimple();
          const cells = parseOne(line);
          if (cells instanceof Error) throw unreadableFile(brokenQuoting(cells));
          accept(row, cells);
        } else {
          simpleLines.push(line);
          simpleRows.push(row);
        }
        return;
      }
      recRow = row;
      recLines = [line];
      recQuotes = q;
      recChars = line.length;
      return;
    }
    recLines.push(line);
    recQuotes += countQuotes(line);
    recChars += line.length + 1;
    if (recQuotes % 2 === 0) {
      const cells = parseOne(recLines.join('\n'));
      if (!(cells instanceof Error) && !(header && tooManyCells(cells))) {
        flushSimple();
        accept(recRow, cells);
        resetRecord();
        return;
      }
      failRecord('broken quoting: a quoted field on this row does not close where it should');
    } else if (recLines.length > maxLines || recChars > maxChars) {
      failRecord(
        `broken quoting: a quoted field opened on this row is not closed within ${recLines.length > maxLines ? `${maxLines} lines` : `${maxChars} characters`}`,
      );
    }
  };

  const resetRecord = () => {
    recLines = [];
    recQuotes = 0;
    recChars = 0;
  };

  // The record's first line may still stand alone (a literal quote such as 5'11"); otherwise it is
  // reported, and the lines after it are read again as records of their own.
  const failRecord = (message: string) => {
    const [first, ...rest] = recLines;
    resetRecord();
    flushSimple();
    const alone = parseOne(first!);
    if (!header) throw unreadableFile(message);
    if (!(alone instanceof Error) && !tooManyCells(alone)) accept(recRow, alone);
    else errors.push({ row: recRow, message });
    row = recRow;
    for (let i = rest.length - 1; i >= 0; i--) pushBack.push(rest[i]!);
  };

  const drain = () => {
    while (pushBack.length > 0) processLine(pushBack.pop()!);
  };

  const takeBatch = (): CsvBatch | null => {
    if (records.length + errors.length < batchSize) return null;
    flushSimple();
    const batch = { header: header ?? [], records, errors };
    records = [];
    errors = [];
    return batch;
  };

  let pending = '';
  for await (const chunk of crOnlyAsLf(chunks)) {
    pending += chunk;
    let start = 0;
    let nl = pending.indexOf('\n', start);
    while (nl !== -1) {
      const end = nl > start && pending.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      processLine(pending.slice(start, end));
      drain();
      if (simpleLines.length >= batchSize) flushSimple();
      const batch = takeBatch();
      if (batch) yield batch;
      start = nl + 1;
      nl = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  if (pending !== '') {
    processLine(pending.endsWith('\r') ? pending.slice(0, -1) : pending);
    drain();
  }
  while (recLines.length > 0) {
    failRecord('broken quoting: a quoted field opened on this row is never closed');
    drain();
  }
  flushSimple();
  if (!header) throw unreadableFile('the file is empty: no header row');
  if (records.length > 0 || errors.length > 0) yield { header, records, errors };
}

function brokenQuoting(e: Error): string {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('CSV_')
    ? `broken quoting: ${e.message.split(':')[0]!.toLowerCase()}`
    : `row could not be read: ${e.message}`;
}

/**
 * Files from classic Mac OS (and some exporters still) end lines with a carriage return alone.
 * When the first line break of the text is such a lone CR, every CR is read as a line break;
 * otherwise the text passes unchanged (a lone CR inside a quoted field stays text).
 */
async function* crOnlyAsLf(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let mode: 'undecided' | 'cr' | 'as-is' = 'undecided';
  let held = '';
  for await (const chunk of chunks) {
    if (mode === 'cr') yield chunk.replaceAll('\r', '\n');
    else if (mode === 'as-is') yield chunk;
    else {
      held += chunk;
      const at = held.search(/[\r\n]/);
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (at === -1 || (held[at] === '\r' && at === held.length - 1)) continue;
      mode = held[at] === '\r' && held[at + 1] !== '\n' ? 'cr' : 'as-is';
      yield mode === 'cr' ? held.replaceAll('\r', '\n') : held;
      held = '';
    }
  }
  if (held !== '') yield held;
}
