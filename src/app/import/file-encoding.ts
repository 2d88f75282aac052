/**
 * Works out how an import file is encoded before it is parsed: UTF-8 (with or without a
 * BOM), UTF-16 (with or without a BOM), or Windows-1252 — what Excel and Outlook on Windows
 * still write.
 * One streaming pass over the bytes, so memory stays flat whatever the size.
 */
import { createReadStream } from 'node:fs';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes to skip at the start (a byte-order mark). */
  bomLength: number;
  /**
   * The file is mostly UTF-8 but has bytes that are not: such rows are rejected one by one
   * rather than the whole file being read as Windows-1252.
   */
  mixed: boolean;
}

export async function detectEncoding(path: string): Promise<EncodingGuess> {
  let first = true;
  let bomLength = 0;
  let validMultibyte = 0;
  let invalid = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let chunk: Buffer = raw as Buffer;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) bomLength = 3;
      else if (chunk[0] === 0xff && chunk[1] === 0xfe)
        return { encoding: 'utf-16le', bomLength: 2, mixed: false };
      else if (chunk[0] === 0xfe && chunk[1] === 0xff)
        return { encoding: 'utf-16be', bomLength: 2, mixed: false };
      const utf16 = utf16WithoutBom(chunk);
      if (utf16) return { encoding: utf16, bomLength: 0, mixed: false };
    }
    if (carry.length > 0) chunk = Buffer.concat([carry, chunk]);
    const counts = scanUtf8(chunk);
    validMultibyte += counts.validMultibyte;
    invalid += counts.invalid;
    carry = chunk.subarray(counts.consumed);
  }
  if (carry.length > 0) invalid += 1;
  if (invalid === 0 || bomLength === 3) return { encoding: 'utf-8', bomLength, mixed: invalid > 0 };
  // Windows-1252 text almost never forms valid multi-byte UTF-8 sequences by accident.
  if (validMultibyte === 0) return { encoding: 'windows-1252', bomLength: 0, mixed: false };
  return { encoding: 'utf-8', bomLength, mixed: true };
}

/** Counts valid multi-byte sequences and invalid bytes; stops before an incomplete tail. */
function scanUtf8(b: Buffer): { validMultibyte: number; invalid: number; consumed: number } {
  let validMultibyte = 0;
  let invalid = 0;
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0) {
      invalid++;
      i++;
      continue;
    }
    if (i + len > n) break;
    let ok = true;
    for (let k = 1; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) ok = false;
    if (ok) {
      validMultibyte++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return { validMultibyte, invalid, consumed: i };
}

/**
 * UTF-16 without a byte-order mark, as some exporters write it: text in the Latin range has a
 * zero byte in every pair, on the same side. UTF-8 and Windows-1252 text has no zero bytes.
 */
function utf16WithoutBom(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs / 2 && evenZeros <= oddZeros / 20) return 'utf-16le';
  if (evenZeros >= pairs / 2 && oddZeros <= evenZeros / 20) return 'utf-16be';
  return null;
}
