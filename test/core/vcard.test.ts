import { describe, expect, it } from 'vitest';
import type { ContactDraft, DraftResult } from '../../src/core/import/draft.js';
import {
  components,
  unescapeText,
  type VCard,
  VCardReader,
  vcardToDraft,
} from '../../src/core/import/vcard.js';
import { normalizePhone } from '../../src/core/phone/normalize.js';
import { fixtureText } from './fixture-csv.js';

const normalize = (raw: string) => normalizePhone(raw, 'US');

function readAll(text: string, pieceSize = text.length): VCard[] {
  const reader = new VCardReader();
  const cards: VCard[] = [];
  for (let i = 0; i < text.length; i += pieceSize) cards.push(...reader.push(text.slice(i, i + pieceSize)));
  cards.push(...reader.end());
  return cards;
}

function drafts(text: string): DraftResult[] {
  return readAll(text).map((card, i) => vcardToDraft(card, i + 1, normalize));
}

function okDrafts(text: string): ContactDraft[] {
  return drafts(text).map((r) => {
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.draft;
  });
}

const card = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');
const one = (...lines: string[]) => drafts(card(...lines))[0]!;
const numbersOf = (d: ContactDraft) =>
  d.numbers.map((n) => `${n.kind} ${n.e164}${n.extension ? ` x${n.extension}` : ''}`);

describe('VCardReader on phone exports', () => {
  it('reads an iPhone export (vCard 3.0)', () => {
    const [dana, marcus, priya, rachel] = okDrafts(fixtureText('iphone.vcf'));
    expect(dana).toMatchObject({
      row: 1,
      firstName: 'Dana',
      lastName: 'Whitfield',
      company: 'Northwind Logistics',
      title: 'VP Operations',
      email: 'dana.whitfield@northwind-logistics.com',
      street: '500 Howard St, Suite 400',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'United States',
      notes: 'Prefers calls after 2pm PT, not Fridays.\nAsked about Q3 pricing; send the deck.',
    });
    // item1.TEL has no TYPE (its X-ABLabel is not read): other.
    expect(numbersOf(dana!)).toEqual(['mobile +14155550187', 'direct +14155550123', 'other +14155550100']);
    // The fax line is left out.
    expect(numbersOf(marcus!)).toEqual(['mobile +12125550147', 'main +12125550100', 'home +12125550166']);
    expect(marcus!.email).toBe('marcus@brightpath.io');
    expect(priya!.notes).toBe(
      'Met at the London fintech meetup. Interested in the annual plan; wants a call with the team lead before renewal.',
    );
    expect(numbersOf(priya!)).toEqual(['direct +442079460123', 'assistant +442079460124']);
    // FN only; the second TEL repeats the first number.
    expect(rachel).toMatchObject({ firstName: 'Rachel', lastName: 'Kim' });
    expect(numbersOf(rachel!)).toEqual(['direct +16465550188 x12']);
  });

  it('reads an Android export (vCard 2.1 with quoted-printable UTF-8 and soft line breaks)', () => {
    const [rachel, ana, tom, nameless] = okDrafts(fixtureText('android.vcf'));
    expect(numbersOf(rachel!)).toEqual(['mobile +16465550121', 'direct +16465550188']);
    expect(rachel).toMatchObject({
      email: 'rachel.kim@orbitmedia.com',
      company: 'Orbit Media Group',
      title: 'Marketing Director',
    });
    expect(ana).toMatchObject({
      firstName: 'Ana Lucía',
      lastName: 'Fernández',
      notes: 'Prefiere llamadas por la mañana.\nLlamar antes de las 11, hora de la Ciudad de México.',
      street: 'Av. Insurgentes Sur 1602',
      city: 'Ciudad de México',
      country: 'México',
    });
    expect(numbersOf(ana!)).toEqual(['mobile +525512345678', 'home +525587654321']);
    // The unindented base64 photo lines are skipped; the fax line is left out.
    expect(numbersOf(tom!)).toEqual(['direct +493012345678', 'assistant +493012345670']);
    expect(numbersOf(nameless!)).toEqual(['mobile +447400123456']);
  });

  it('reads a vCard 4.0 file: quoted TYPE lists, tel: URIs with extensions, TZ', () => {
    const [helen, kevin] = okDrafts(fixtureText('contacts-v4.vcf'));
    expect(helen).toMatchObject({
      firstName: 'Helen',
      lastName: 'Okafor',
      timeZone: 'America/Toronto',
      postalCode: 'M5V 3K2',
    });
    expect(numbersOf(helen!)).toEqual(['direct +14165550134 x102', 'mobile +14165550135']);
    expect(kevin).toMatchObject({
      company: 'Lakeside Credit Union',
      notes: 'Board meets on the first Tuesday, avoid that week.',
    });
    expect(numbersOf(kevin!)).toEqual(['main +13125550100', 'direct +13125550133']);
  });

  it('reports broken cards and goes on with the next one', () => {
    expect(drafts(fixtureText('broken.vcf'))).toEqual([
      {
        ok: false,
        errors: [{ row: 1, field: '', message: 'has no END:VCARD (another card begins at line 5)' }],
      },
      expect.objectContaining({ ok: true, draft: expect.objectContaining({ row: 2, firstName: 'Grace' }) }),
      {
        ok: false,
        errors: [
          { row: 3, field: '', message: 'line 13 is not a vCard property: "this line is not a property"' },
        ],
      },
      {
        ok: false,
        errors: [
          { row: 4, field: 'TEL', message: '"(415) 555-01234" is too long for a US number' },
          { row: 4, field: 'EMAIL', message: '"not-an-email" is not an email address' },
        ],
      },
      { ok: false, errors: [{ row: 5, field: '', message: 'has neither a name nor a phone number' }] },
      {
        ok: false,
        errors: [{ row: 6, field: '', message: 'has no END:VCARD (the file ends inside the card)' }],
      },
    ]);
  });
});

describe('VCardReader streaming', () => {
  it.each([1, 2, 3, 7, 64])('gives the same cards when the text comes %i characters at a time', (size) => {
    for (const name of ['iphone.vcf', 'android.vcf', 'contacts-v4.vcf', 'broken.vcf']) {
      const text = fixtureText(name);
      expect(readAll(text, size)).toEqual(readAll(text));
    }
  });

  it('returns each card as soon as the line after its END:VCARD arrives', () => {
    const reader = new VCardReader();
    expect(reader.push('BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n')).toEqual([]);
    expect(reader.push('BEGIN:VCARD\r\n')).toHaveLength(1);
    expect(reader.end()).toHaveLength(1);
  });

  it('keeps at most 64 KiB of a huge value, and says how long it was', () => {
    const note = 'n'.repeat(10 * 1024 * 1024);
    const [c] = readAll(card('FN:Dana', `NOTE:${note}`, 'TEL:415 555 0123'), 1024 * 1024);
    const noteProperty = c!.properties.find((p) => p.name === 'NOTE')!;
    expect(noteProperty.value.length).toBeLessThanOrEqual(64 * 1024);
    expect(noteProperty.fullLength).toBe(note.length + 'NOTE:'.length);
    expect(vcardToDraft(c!, 1, normalize)).toEqual({
      ok: false,
      errors: [
        { row: 1, field: 'NOTE', message: 'is 10,485,765 characters long; at most 10,000 are allowed' },
      ],
    });
  });

  it('does not keep photos', () => {
    const photo = `PHOTO;ENCODING=b;TYPE=JPEG:${'A'.repeat(100_000)}\r\n ${'B'.repeat(100_000)}`;
    const [c] = readAll(card('FN:Dana', photo));
    expect(c!.properties.map((p) => p.name)).toEqual(['VERSION', 'FN']);
  });

  it('ignores text outside cards and reads lower-case BEGIN/END', () => {
    const text = `junk before\r\nbegin:vcard\r\nfn:Dana\r\ntel:415 555 0123\r\nend:vcard\r\nmore junk\r\n`;
    expect(okDrafts(text)).toMatchObject([{ firstName: 'Dana', numbers: [{ e164: '+14155550123' }] }]);
  });

  it('reads LF, CRLF and CR line ends', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['BEGIN:VCARD', 'FN:Dana', 'TEL:415 555 0123', 'END:VCARD', ''].join(eol);
      expect(okDrafts(text)).toMatchObject([{ firstName: 'Dana' }]);
    }
  });
});

describe('vCard lines and values', () => {
  it('unfolds a line continued with a space or a tab', () => {
    expect(one('FN:Da', ' na', '\t Whitfield')).toMatchObject({
      draft: { firstName: 'Dana', lastName: 'Whitfield' },
    });
  });

  it('unescapes \\, \\; \\n and \\\\ in text', () => {
    expect(unescapeText('a\\, b\\; c\\nd\\Ne\\\\f')).toBe('a, b; c\nd\ne\\f');
  });

  it('splits structured values on unescaped semicolons only', () => {
    expect(components('Berg\\;Smith;Mary;;Dr.;')).toEqual(['Berg;Smith', 'Mary', '', 'Dr.', '']);
  });

  it('takes the family and given names from N, and the first component of ORG', () => {
    expect(
      one('N:van der Berg;Mary Ann;;;', 'ORG:Acme\\, Inc.;Sales;West', 'TEL:415 555 0123'),
    ).toMatchObject({
      ok: true,
      draft: { firstName: 'Mary Ann', lastName: 'van der Berg', company: 'Acme, Inc.' },
    });
  });

  it('splits FN when N is missing or empty', () => {
    expect(one('N:;;;;', 'FN:Mary Ann van der Berg')).toMatchObject({
      draft: { firstName: 'Mary', lastName: 'Ann van der Berg' },
    });
  });

  it('decodes quoted-printable text in the charset it names', () => {
    expect(one('FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Jos=E9 Mu=F1oz')).toMatchObject({
      draft: { firstName: 'José', lastName: 'Muñoz' },
    });
  });

  it('rejects quoted-printable bytes that are not valid in their charset', () => {
    expect(one('FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=E9')).toEqual({
      ok: false,
      errors: [
        { row: 1, field: 'FN', message: '"Jos\uFFFD" is not valid UTF-8 text (the file mixes encodings?)' },
      ],
    });
  });

  it('reads the first ADR and only that one', () => {
    const d = one(
      'FN:Dana',
      'ADR;TYPE=work:;;1 Main St;Boston;MA;02116;USA',
      'ADR;TYPE=home:;;9 Elm St;Salem;MA;01970;USA',
    );
    expect(d).toMatchObject({ draft: { street: '1 Main St', city: 'Boston', postalCode: '02116' } });
  });

  it('names the property in errors', () => {
    expect(one('FN:Dana', 'TEL:12345', 'EMAIL:dana@')).toEqual({
      ok: false,
      errors: [
        { row: 1, field: 'TEL', message: '"12345" is too short for a US number' },
        { row: 1, field: 'EMAIL', message: '"dana@" is not an email address' },
      ],
    });
  });

  it('reads params written every way vCard versions write them', () => {
    const [c] = readAll(
      card(
        'TEL;TYPE=cell,work:1',
        'TEL;TYPE=CELL;TYPE=WORK:2',
        'TEL;CELL;WORK:3',
        'TEL;TYPE="cell,work";PREF=1:4',
        'item1.TEL;type=pref:5',
        'NOTE;LABEL="a:b;c":6',
      ),
    );
    const tels = c!.properties.filter((p) => p.name === 'TEL');
    expect(tels.slice(0, 4).map((p) => p.params.TYPE)).toEqual(Array(4).fill(['cell', 'work']));
    expect(tels[3]!.params.PREF).toEqual(['1']);
    expect(tels[4]).toMatchObject({ group: 'item1', params: { TYPE: ['pref'] }, value: '5' });
    expect(c!.properties.find((p) => p.name === 'NOTE')).toMatchObject({
      params: { LABEL: ['a:b;c'] },
      value: '6',
    });
  });
});

describe('TEL types to number kinds', () => {
  it.each([
    ['TYPE=cell', 'mobile'],
    ['TYPE=CELL', 'mobile'],
    ['type=IPHONE', 'mobile'],
    ['TYPE=mobile', 'mobile'],
    ['TYPE=work,voice', 'direct'],
    ['TYPE=work', 'direct'],
    ['TYPE=work,cell', 'mobile'],
    ['TYPE=main', 'main'],
    ['TYPE=MAIN;TYPE=pref', 'main'],
    ['TYPE=home', 'home'],
    ['HOME;VOICE', 'home'],
    ['TYPE=other', 'other'],
    ['TYPE=x-assistant', 'assistant'],
    ['TYPE=assistant', 'assistant'],
    ['TYPE=voice', 'other'],
    ['TYPE=pref', 'other'],
    ['TYPE=pager', 'other'],
  ])('TEL;%s → %s', (params, kind) => {
    expect(one('FN:Dana', `TEL;${params}:415 555 0123`)).toMatchObject({
      ok: true,
      draft: { numbers: [{ kind }] },
    });
  });

  it('reads a TEL without TYPE as other', () => {
    expect(one('FN:Dana', 'TEL:415 555 0123')).toMatchObject({ draft: { numbers: [{ kind: 'other' }] } });
  });

  it.each([['TYPE=fax'], ['TYPE=work,fax'], ['HOME;FAX']])(
    'leaves out a fax line (TEL;%s): no one can call it',
    (params) => {
      expect(one('FN:Dana', `TEL;${params}:415 555 0199`)).toMatchObject({
        ok: true,
        draft: { numbers: [] },
      });
    },
  );
});
