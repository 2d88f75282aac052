import { describe, expect, it } from 'vitest';
import type { DraftResult } from '../../src/core/import/draft.js';
import { splitFullName } from '../../src/core/import/draft-builder.js';
import { mapHeaders } from '../../src/core/import/header-map.js';
import { rowToDraft } from '../../src/core/import/row.js';
import { normalizePhone } from '../../src/core/phone/normalize.js';

const normalize = (raw: string) => normalizePhone(raw, 'US');

/** One row under the given headers, numbered 2 as the first row after a header. */
function convert(row: Record<string, string>, overrides?: Record<string, string>): DraftResult {
  const headers = Object.keys(row);
  return rowToDraft(Object.values(row), mapHeaders(headers, overrides), 2, normalize);
}

function draft(row: Record<string, string>) {
  const result = convert(row);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.draft;
}

function errors(row: Record<string, string>) {
  const result = convert(row);
  if (result.ok) throw new Error('accepted');
  return result.errors;
}

describe('rowToDraft', () => {
  it('trims every cell', () => {
    const d = draft({
      'First Name': '  Dana ',
      'Last Name': '\tWhitfield',
      Company: ' Northwind ',
      Phone: ' 415 555 0123 ',
    });
    expect([d.firstName, d.lastName, d.company]).toEqual(['Dana', 'Whitfield', 'Northwind']);
  });

  it('carries the row number into the draft and its errors', () => {
    const mapping = mapHeaders(['Name', 'Phone']);
    expect(rowToDraft(['Dana', '415 555 0123'], mapping, 41, normalize)).toMatchObject({
      ok: true,
      draft: { row: 41 },
    });
    expect(rowToDraft(['Dana', '12345'], mapping, 42, normalize)).toMatchObject({
      ok: false,
      errors: [{ row: 42 }],
    });
  });

  it('counts missing trailing cells as empty and ignores extra ones', () => {
    const mapping = mapHeaders(['Name', 'Phone', 'Email']);
    const result = rowToDraft(['Dana Whitfield'], mapping, 2, normalize);
    expect(result).toMatchObject({ ok: true, draft: { firstName: 'Dana', email: '', numbers: [] } });
    expect(rowToDraft(['Dana', '415 555 0123', '', 'extra'], mapping, 2, normalize).ok).toBe(true);
  });

  describe('names', () => {
    it('splits a full name into the first word and the rest when first and last names are absent', () => {
      expect(draft({ Name: 'Mary Ann van der Berg' })).toMatchObject({
        firstName: 'Mary',
        lastName: 'Ann van der Berg',
      });
      expect(draft({ Name: 'Cher' })).toMatchObject({ firstName: 'Cher', lastName: '' });
    });

    it('prefers first and last name columns to the full name', () => {
      expect(
        draft({ Name: 'Mary Ann van der Berg', 'First Name': 'Mary Ann', 'Last Name': 'van der Berg' }),
      ).toMatchObject({
        firstName: 'Mary Ann',
        lastName: 'van der Berg',
      });
    });

    it.each([
      ['Berg, Mary', ['Mary', 'Berg']],
      ['John Smith, Jr.', ['John', 'Smith Jr.']],
      ['  Dana   Whitfield ', ['Dana', 'Whitfield']],
      ['', ['', '']],
    ])('splitFullName(%j) is %j', (full, expected) => {
      expect(splitFullName(full)).toEqual(expected);
    });

    it('joins the lines of a multi-line name cell', () => {
      expect(draft({ Name: 'Dana\nWhitfield' })).toMatchObject({ firstName: 'Dana', lastName: 'Whitfield' });
    });
  });

  describe('numbers', () => {
    it('reads several numbers from one cell separated by ";" or Google\'s " ::: ", each with the column\'s kind', () => {
      const d = draft({ Name: 'Dana', Mobile: '415 555 0187; 415 555 0188 ::: 415 555 0189' });
      expect(d.numbers.map((n) => [n.kind, n.e164])).toEqual([
        ['mobile', '+14155550187'],
        ['mobile', '+14155550188'],
        ['mobile', '+14155550189'],
      ]);
    });

    it('does not split on the ";ext=" of an extension', () => {
      expect(draft({ Name: 'Dana', Phone: '415 555 0123;ext=12' }).numbers).toEqual([
        { e164: '+14155550123', extension: '12', kind: 'direct', country: 'US', field: 'Phone' },
      ]);
    });

    it('collapses the same number given twice into one, the first kind winning', () => {
      const d = draft({
        Name: 'Dana',
        'Mobile Phone': '(415) 555-0187',
        'Business Phone': '415.555.0187',
        'Home Phone': '+1 415 555 0123',
      });
      expect(d.numbers.map((n) => [n.kind, n.e164, n.field])).toEqual([
        ['mobile', '+14155550187', 'Mobile Phone'],
        ['home', '+14155550123', 'Home Phone'],
      ]);
    });

    it('rejects the whole row when any phone cell holds an invalid number, even beside valid ones', () => {
      expect(errors({ Name: 'Dana', Phone: '415 555 0123', Mobile: '415 555 01877' })).toEqual([
        { row: 2, field: 'Mobile', message: '"415 555 01877" is too long for a US number' },
      ]);
    });

    it('names each bad number of a multi-number cell', () => {
      expect(errors({ Name: 'Dana', Phone: '12345 ; 415 555 0123 ; n/a' }).map((e) => e.message)).toEqual([
        '"12345" is too short for a US number',
        '"n/a" is not a phone number',
      ]);
    });

    it('resolves the kind of a Google "Phone N - Value" from its type cell, row by row', () => {
      const headers = ['Name', 'Phone 1 - Type', 'Phone 1 - Value'];
      const mapping = mapHeaders(headers);
      const kindOf = (type: string) => {
        const r = rowToDraft(['Dana', type, '415 555 0123'], mapping, 2, normalize);
        return r.ok ? r.draft.numbers.map((n) => n.kind) : r.errors;
      };
      expect(kindOf('Mobile')).toEqual(['mobile']);
      expect(kindOf('* Work')).toEqual(['direct']);
      expect(kindOf('Home')).toEqual(['home']);
      expect(kindOf('Main')).toEqual(['main']);
      expect(kindOf('Other')).toEqual(['other']);
      expect(kindOf('Assistant')).toEqual(['assistant']);
      expect(kindOf('Google Voice')).toEqual(['other']);
      expect(kindOf('')).toEqual(['other']);
      // Not a voice number: left out, not an error.
      expect(kindOf('Work Fax')).toEqual([]);
    });
  });

  describe('what a row needs', () => {
    it('rejects a row with neither a name nor a number', () => {
      expect(errors({ Name: '', Phone: '', Company: 'Acme', Email: 'x@acme.com' })).toEqual([
        { row: 2, field: '', message: 'has neither a name nor a phone number' },
      ]);
    });

    it('accepts a name without a number, and a number without a name', () => {
      expect(draft({ Name: 'Dana', Phone: '' }).numbers).toEqual([]);
      expect(draft({ Name: '', Phone: '415 555 0123' }).firstName).toBe('');
    });

    it('reports every problem of a row, one error each', () => {
      expect(
        errors({ Name: 'x'.repeat(201), Phone: '12345', Email: 'nope', Kind: 'wholesale' }).map(
          (e) => e.field,
        ),
      ).toEqual(['Name', 'Phone', 'Email', 'Kind']);
    });
  });

  describe('emails', () => {
    it('keeps an email as typed', () => {
      expect(draft({ Name: 'Dana', Email: ' Dana.Whitfield@Northwind.COM ' }).email).toBe(
        'Dana.Whitfield@Northwind.COM',
      );
    });

    it.each([
      ['dana@'],
      ['@northwind.com'],
      ['dana northwind.com'],
      ['dana@northwind'],
      ['dana@@northwind.com'],
      ['<dana@northwind.com>'],
    ])('rejects %j', (email) => {
      expect(errors({ Name: 'Dana', Email: email })).toEqual([
        { row: 2, field: 'Email', message: `"${email}" is not an email address` },
      ]);
    });

    it('accepts addresses with plus tags, subdomains and international domains', () => {
      for (const email of ['dana+crm@mail.northwind.co.uk', 'jose@muñoz.es', "o'neill@brightpath.io"]) {
        expect(draft({ Name: 'Dana', Email: email }).email).toBe(email);
      }
    });

    it('keeps the first of several email columns and checks them all', () => {
      expect(
        draft({
          Name: 'Dana',
          'E-mail 1 - Value': '',
          'E-mail 2 - Value': 'b@x.com',
          'E-mail 3 - Value': 'c@x.com',
        }).email,
      ).toBe('b@x.com');
      expect(
        errors({ Name: 'Dana', 'E-mail 1 - Value': 'a@x.com', 'E-mail 2 - Value': 'broken' })[0]!.field,
      ).toBe('E-mail 2 - Value');
    });
  });

  describe('yes/no and kind cells', () => {
    it.each([
      ['true', true],
      ['yes', true],
      ['Y', true],
      ['1', true],
      ['x', true],
      ['X', true],
      ['false', false],
      ['No', false],
      ['0', false],
      ['', null],
    ] as const)('reads Do Not Call %j as %s', (cell, expected) => {
      expect(draft({ Name: 'Dana', 'Do Not Call': cell }).doNotCall).toBe(expected);
    });

    it('rejects a Do Not Call cell that is not yes or no', () => {
      expect(errors({ Name: 'Dana', 'Do Not Call': 'maybe' })).toEqual([
        {
          row: 2,
          field: 'Do Not Call',
          message: '"maybe" is not a yes/no value (use yes/no, true/false, 1/0 or x)',
        },
      ]);
    });

    it.each([
      ['business', 'business'],
      ['Consumer', 'consumer'],
      ['B2B', 'business'],
      ['b2c', 'consumer'],
      ['', ''],
    ])('reads kind %j as %j', (cell, expected) => {
      expect(draft({ Name: 'Dana', Kind: cell }).kind).toBe(expected);
    });

    it('rejects a kind that is neither business nor consumer', () => {
      expect(errors({ Name: 'Dana', Kind: 'wholesale' })[0]!.message).toBe(
        '"wholesale" is not a contact kind (business or consumer)',
      );
    });
  });

  describe('lengths and encodings', () => {
    it('accepts 200 characters in a name and rejects 201, naming the length', () => {
      expect(draft({ 'First Name': 'a'.repeat(200) }).firstName).toHaveLength(200);
      expect(errors({ 'First Name': 'a'.repeat(201) })).toEqual([
        { row: 2, field: 'First Name', message: 'is 201 characters long; at most 200 are allowed' },
      ]);
    });

    it('allows 10,000 characters of notes and no more', () => {
      expect(draft({ Name: 'Dana', Notes: 'n'.repeat(10_000) }).notes).toHaveLength(10_000);
      expect(errors({ Name: 'Dana', Notes: 'n'.repeat(10_001) })[0]!.message).toBe(
        'is 10,001 characters long; at most 10,000 are allowed',
      );
    });

    it('rejects a 10 MB cell by its length alone', () => {
      const huge = `${'\uFFFD'}${' '.repeat(10 * 1024 * 1024)}`;
      expect(errors({ Name: 'Dana', Company: huge })).toEqual([
        { row: 2, field: 'Company', message: 'is 10,485,761 characters long; at most 200 are allowed' },
      ]);
    });

    it('does not look at a 10 MB cell in a column it ignores', () => {
      expect(draft({ Name: 'Dana', Junk: 'j'.repeat(10 * 1024 * 1024) }).firstName).toBe('Dana');
    });

    it('rejects text with U+FFFD, the mark of bytes that were not UTF-8', () => {
      expect(errors({ Name: 'Jos\uFFFD Mu\uFFFDoz', Phone: '415 555 0123' })).toEqual([
        {
          row: 2,
          field: 'Name',
          message: '"Jos\uFFFD Mu\uFFFDoz" is not valid UTF-8 text (the file mixes encodings?)',
        },
      ]);
    });

    it('quotes at most about 40 characters of a bad value', () => {
      const [error] = errors({ Name: 'Dana', Email: `${'a'.repeat(60)}@` });
      expect(error!.message).toBe(`"${'a'.repeat(40)}…" is not an email address`);
    });
  });

  describe('text fields', () => {
    it('joins the lines of a street into one, and several street columns too', () => {
      expect(draft({ Name: 'Dana', 'Mailing Street': '200 Clarendon St\r\nFloor 12' }).street).toBe(
        '200 Clarendon St, Floor 12',
      );
      expect(
        draft({ Name: 'Dana', 'Business Street': '410 Main St', 'Business Street 2': 'Suite 5' }).street,
      ).toBe('410 Main St, Suite 5');
    });

    it('keeps the lines of notes and joins notes from several columns', () => {
      expect(draft({ Name: 'Dana', Notes: 'one\r\ntwo', Description: 'three' }).notes).toBe(
        'one\ntwo\nthree',
      );
    });

    it('takes the first non-empty cell when several columns fill a one-value field', () => {
      expect(
        draft({ Name: 'Dana', Company: '', Organization: 'Northwind', 'Account Name': 'Other' }).company,
      ).toBe('Northwind');
    });

    it('fills a field from a column mapped by override', () => {
      const result = convert(
        { Name: 'Dana', Org: 'Northwind', Cell: '415 555 0187' },
        { Org: 'company', Cell: 'phone:mobile' },
      );
      expect(result).toMatchObject({
        ok: true,
        draft: { company: 'Northwind', numbers: [{ kind: 'mobile' }] },
      });
    });
  });
});
