/**
 * A contact as a vCard 4.0 (RFC 6350), as the contacts export writes it (`--format vcard`, the
 * contact page's download): name, organisation, title, email, every number with a TYPE the
 * importer (core/import/vcard.ts) reads back as its kind, address, time zone and notes. Pure.
 */
import type { NumberKind } from '../contact-fields.js';

export interface VCardContact {
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  email: string;
  timeZone: string;
  notes: string;
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  numbers: readonly { e164: string; kind: string; extension: string }[];
}

/** vCard has no switchboard or assistant type: x-names, which the importer reads without the x-. */
const TEL_TYPES: Record<NumberKind, string> = {
  direct: 'work,voice',
  mobile: 'cell,voice',
  main: 'work,x-main',
  assistant: 'x-assistant',
  home: 'home,voice',
  other: 'voice',
};

/** A text value: backslash, comma and line breaks escaped (RFC 6350 3.4). */
function text(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A component of a compound value (N, ORG, ADR): its semicolons escaped too. */
function part(value: string): string {
  return text(value).replace(/;/g, '\\;');
}

/** Lines longer than 75 octets folded (RFC 6350 3.2), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const cp = ch.codePointAt(0)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    // The first line holds 75 octets; continuations 74 after their leading space.
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function toVCard(c: VCardContact): string {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0'];
  const full = `${c.firstName} ${c.lastName}`.trim() || c.company || c.email || c.numbers[0]?.e164 || '';
  lines.push(`FN:${text(full)}`);
  lines.push(`N:${part(c.lastName)};${part(c.firstName)};;;`);
  if (c.company) lines.push(`ORG:${part(c.company)}`);
  if (c.title) lines.push(`TITLE:${text(c.title)}`);
  if (c.email) lines.push(`EMAIL;TYPE=work:${text(c.email)}`);
  for (const n of c.numbers) {
    const type = TEL_TYPES[n.kind as NumberKind] ?? 'voice';
    const ext = n.extension ? `;ext=${n.extension}` : '';
    lines.push(`TEL;VALUE=uri;TYPE="${type}":tel:${n.e164}${ext}`);
  }
  if (c.street || c.city || c.region || c.postalCode || c.country) {
    const adr = ['', '', c.street, c.city, c.region, c.postalCode, c.country].map(part).join(';');
    lines.push(`ADR;TYPE=work:${adr}`);
  }
  if (c.timeZone) lines.push(`TZ;VALUE=text:${text(c.timeZone)}`);
  if (c.notes) lines.push(`NOTE:${text(c.notes)}`);
  lines.push('END:VCARD');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
