/**
 * Streams a file as decoded text chunks, reporting bytes read for the progress bar.
 */
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import type { EncodingGuess } from './file-encoding.js';

export async function* readTextChunks(
  path: string,
  guess: EncodingGuess,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<string> {
  const decoder =
    guess.encoding === 'windows-1252' ? iconv.getDecoder('win1252') : iconv.getDecoder(guess.encoding);
  let bytes = 0;
  for await (const raw of createReadStream(path, { start: guess.bomLength, highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    bytes += chunk.length;
    const text = decoder.write(chunk);
    if (text) yield text;
    onBytes?.(bytes + guess.bomLength);
  }
  const tail = decoder.end();
  if (tail) yield tail;
}
