/**
 * vCard files — 4.0, 3.0 (iPhone, macOS, Google) and 2.1 (Android, older phones: quoted-printable
 * with a charset and soft line breaks) — read incrementally, so a file of any size streams
 * through in bounded memory, and turned into contact drafts by the same rules as CSV rows.
 *
 * const reader = new VCardReader();
 * for await (const text of chunks) for (const card of reader.push(text)) handle(card);
 * for (const card of reader.end()) handle(card);
 *
 * A card that breaks the structure (no END:VCARD before the next BEGIN:VCARD or the end of the
 * file, a line that is not a property) is still returned, with its `errors`, so that the caller
 * counts it and reports it; reading goes on with the next card.
 */
import type { NumberKind, TextField } from '../contact-fields.js';
import { quoteValue } from '../phone/normalize.js';
import type { DraftResult } from './draft.js';
import type { PhoneNormalizer } from './draft-builder.js';
import { DraftBuilder, FIELD_LIMITS, kindFromLabels, PHONE_CELL_LIMIT } from './draft-builder.js';

export interface VCardProperty {
  /** Apple's "item1" in "item1.TEL", or ''. */
  group: string;
  /** Upper case: 'TEL', 'EMAIL'. */
  name: string;
  /** Upper-case names; values unquoted and split on commas; TYPE, VALUE and ENCODING values lower case. */
  params: Record<string, string[]>;
  /** Decoded from quoted-printable in its charset, still vCard-escaped (\, \; \n). */
  value: string;
  /** The length as written when the value was too long to keep whole, else null. */
  fullLength: number | null;
}

export interface VCard {
  /** 1-based line of its BEGIN:VCARD in the file. */
  line: number;
  properties: VCardProperty[];
  /** What is wrong with its structure. */
  errors: string[];
}

/** More than any field may hold (notes: 10,000, quoted-printable triples it); the rest is counted, not kept. */
const KEEP = 64 * 1024;
/** Binary properties: their content is never kept. */
const SKIPPED = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
const PROPERTY_START = /^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)(?=[;:])/;

interface Line {
  text: string;
  length: number;
  last: string;
}

interface Logical extends Line {
  startLine: number;
  quotedPrintable: boolean;
  base64: boolean;
  skip: boolean;
}

interface OpenCard {
  line: number;
  properties: VCardProperty[];
  errors: string[];
}

export class VCardReader {
  private partial: Line = { text: '', length: 0, last: '' };
  private afterCR = false;
  private lineNo = 0;
  private logical: Logical | null = null;
  private card: OpenCard | null = null;
  private done: VCard[] = [];

  /** Reads a piece of the text; returns the cards it completed. */
  push(text: string): VCard[] {
    let start = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (text.startsWith('\n')) start = 1;
    }
    const newline = /\r\n?|\n/g;
    newline.lastIndex = start;
    for (let m = newline.exec(text); m !== null; m = newline.exec(text)) {
      this.append(text, start, m.index);
      this.endPhysicalLine();
      start = m.index + m[0].length;
      // A CR that ends the piece may be the first half of a CRLF.
      if (m[0] === '\r' && start === text.length) this.afterCR = true;
    }
    this.append(text, start, text.length);
    return this.drain();
  }

  /** The end of the file: returns the last cards, a card left open among them. */
  end(): VCard[] {
    if (this.partial.length > 0) this.endPhysicalLine();
    this.endLogicalLine();
    if (this.card) {
      this.card.errors.push('has no END:VCARD (the file ends inside the card)');
      this.emit();
    }
    return this.drain();
  }

  private drain(): VCard[] {
    const cards = this.done;
    this.done = [];
    return cards;
  }

  private append(text: string, from: number, to: number): void {
    if (to <= from) return;
    const p = this.partial;
    if (p.text.length < KEEP) p.text += text.slice(from, Math.min(to, from + KEEP - p.text.length));
    p.length += to - from;
    p.last = text[to - 1]!;
  }

  private endPhysicalLine(): void {
    const line = this.partial;
    this.partial = { text: '', length: 0, last: '' };
    this.lineNo++;
    const logical = this.logical;
    if (logical) {
      if (logical.quotedPrintable && logical.last === '=') {
        // Quoted-printable soft line break: the "=" goes, the next line continues the value.
        if (logical.text.length === logical.length) logical.text = logical.text.slice(0, -1);
        logical.length -= 1;
        this.extend(logical, line.text, line.length, line);
        return;
      }
      if (line.text.startsWith(' ') || line.text.startsWith('\t')) {
        this.extend(logical, line.text.slice(1), line.length - 1, line);
        return;
      }
      // vCard 2.1 writers may put base64 data on unindented lines, up to a blank line.
      if (logical.base64 && line.text.trim() !== '' && !/^[\w.-]+[;:]/.test(line.text)) {
        logical.length += line.length;
        return;
      }
      this.endLogicalLine();
    }
    if (line.text.trim() === '') return;
    const header = line.text.slice(0, Math.max(0, line.text.indexOf(':')));
    const name = PROPERTY_START.exec(line.text)?.[2]?.toUpperCase() ?? '';
    this.logical = {
      ...line,
      startLine: this.lineNo,
      quotedPrintable: /(^|;)\s*(ENCODING\s*=\s*)?QUOTED-PRINTABLE\s*(;|$)/i.test(header),
      base64: /(^|;)\s*(ENCODING\s*=\s*)?(BASE64|B)\s*(;|$)/i.test(header),
      skip: SKIPPED.has(name),
    };
    if (this.logical.skip) this.logical.text = this.logical.text.slice(0, this.logical.text.indexOf(':') + 1);
  }

  private extend(logical: Logical, piece: string, pieceLength: number, line: Line): void {
    if (!logical.skip && logical.text.length < KEEP)
      logical.text += piece.slice(0, KEEP - logical.text.length);
    logical.length += pieceLength;
    logical.last = line.last;
  }

  private endLogicalLine(): void {
    const logical = this.logical;
    if (!logical) return;
    this.logical = null;
    const text = logical.text;
    if (/^BEGIN\s*:\s*VCARD\s*$/i.test(text)) {
      if (this.card) {
        this.card.errors.push(`has no END:VCARD (another card begins at line ${logical.startLine})`);
        this.emit();
      }
      this.card = { line: logical.startLine, properties: [], errors: [] };
      return;
    }
    if (/^END\s*:\s*VCARD\s*$/i.test(text)) {
      if (this.card) this.emit();
      return;
    }
    // Text between cards is not ours to judge; properties in a card are.
    if (!this.card || logical.skip) return;
    const property = parseProperty(text);
    if (property === null) {
      this.card.errors.push(`line ${logical.startLine} is not a vCard property: ${quoteValue(text)}`);
      return;
    }
    if (logical.length > text.length) property.fullLength = logical.length;
    this.card.properties.push(property);
  }

  private emit(): void {
    const card = this.card!;
    this.card = null;
    this.done.push({ line: card.line, properties: card.properties, errors: card.errors });
  }
}

function parseProperty(text: string): VCardProperty | null {
  const m = PROPERTY_START.exec(text);
  if (!m) return null;
  let i = m[0].length;
  let quoted = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) break;
  }
  if (i >= text.length) return null;
  const params = parseParams(text.slice(m[0].length, i));
  let value = text.slice(i + 1);
  if (params.ENCODING?.includes('quoted-printable'))
    value = decodeQuotedPrintable(value, params.CHARSET?.[0]);
  return { group: m[1] ?? '', name: m[2]!.toUpperCase(), params, value, fullLength: null };
}

const LOWER_CASED = new Set(['TYPE', 'VALUE', 'ENCODING']);
const ENCODINGS = new Set(['quoted-printable', 'base64', 'b', '8bit', '7bit']);

function parseParams(text: string): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const piece of splitOutsideQuotes(text, ';')) {
    if (piece.trim() === '') continue;
    const eq = piece.indexOf('=');
    let key: string;
    let values: string[];
    if (eq < 0) {
      // vCard 2.1 writes bare values: "TEL;CELL;PREF", "NOTE;QUOTED-PRINTABLE".
      const bare = piece.trim().toLowerCase();
      key = ENCODINGS.has(bare) ? 'ENCODING' : 'TYPE';
      values = [bare];
    } else {
      key = piece.slice(0, eq).trim().toUpperCase();
      values = splitOutsideQuotes(piece.slice(eq + 1), ',').map((v) => v.trim().replace(/^"(.*)"$/s, '$1'));
      if (LOWER_CASED.has(key)) values = values.map((v) => v.toLowerCase());
    }
    // vCard 4 quotes a list in one value: TYPE="cell,voice".
    if (key === 'TYPE') values = values.flatMap((v) => v.split(','));
    params[key] = [...(params[key] ?? []), ...values.filter((v) => v !== '')];
  }
  return params;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function decodeQuotedPrintable(value: string, charset: string | undefined): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else bytes.push(...encoder.encode(ch));
  }
  // Bytes that are not text in the charset become U+FFFD, which the draft rules then reject.
  return textDecoder(charset).decode(Uint8Array.from(bytes));
}

function textDecoder(charset: string | undefined) {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    // A charset the runtime does not know: UTF-8 is what phones write.
    return new TextDecoder('utf-8');
  }
}

/** \n, \, \; and \\ as vCard escapes them. */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** A structured value (N, ORG, ADR) split on unescaped semicolons, each part unescaped. */
export function components(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === ';') {
      parts.push(unescapeText(value.slice(start, i)));
      start = i + 1;
    }
  }
  parts.push(unescapeText(value.slice(start)));
  return parts;
}

/** The text fields filled by simple properties. */
const TEXT_PROPERTIES: Readonly<Record<string, TextField>> = {
  FN: 'full_name',
  TITLE: 'title',
  EMAIL: 'email',
  NOTE: 'notes',
  TZ: 'time_zone',
};

/** `index` is the card's 1-based position in the file; errors name the property ('TEL', 'EMAIL'). */
export function vcardToDraft(card: VCard, index: number, normalize: PhoneNormalizer): DraftResult {
  const builder = new DraftBuilder(index, normalize);
  for (const error of card.errors) builder.fail('', error);
  let addressTaken = false;
  for (const p of card.properties) {
    const textField = TEXT_PROPERTIES[p.name];
    if (p.fullLength !== null) {
      const limit = p.name === 'TEL' ? PHONE_CELL_LIMIT : textField ? FIELD_LIMITS[textField] : null;
      if (limit !== null)
        builder.fail(
          p.name,
          `is ${p.fullLength.toLocaleString('en-US')} characters long; at most ${limit.toLocaleString('en-US')} are allowed`,
        );
      continue;
    }
    if (textField) {
      builder.addText(textField, unescapeText(p.value), p.name);
      continue;
    }
    switch (p.name) {
      case 'N': {
        const [family = '', given = ''] = components(p.value);
        builder.addText('last_name', family, 'N');
        builder.addText('first_name', given, 'N');
        break;
      }
      case 'ORG':
        builder.addText('company', components(p.value)[0] ?? '', 'ORG');
        break;
      case 'TEL': {
        const kind = telKind(p.params.TYPE ?? []);
        // A fax line is not a number anyone can call; it is left out, not an error.
        if (kind !== 'fax') builder.addPhone(unescapeText(p.value), kind, 'TEL');
        break;
      }
      case 'ADR': {
        // One address per contact: the first, as the card lists it.
        if (addressTaken) break;
        addressTaken = true;
        const [, , street = '', city = '', region = '', postalCode = '', country = ''] = components(p.value);
        builder.addText('street', street.replace(/\s*\n\s*/g, ', '), 'ADR');
        builder.addText('city', city, 'ADR');
        builder.addText('region', region, 'ADR');
        builder.addText('postal_code', postalCode, 'ADR');
        builder.addText('country', country, 'ADR');
        break;
      }
      default:
        // VERSION, PHOTO, URL, BDAY, X-ABLabel, X-… carry nothing a contact keeps.
        break;
    }
  }
  return builder.finish();
}

/**
 * cell/mobile/iphone → mobile, work → direct, main → main, home → home, assistant → assistant,
 * fax → not a voice number; a TEL that says none of these (no TYPE, or only voice/pref) → other.
 */
function telKind(types: readonly string[]): NumberKind | 'fax' {
  return kindFromLabels(types) ?? 'other';
}
