import { describe, expect, it } from 'vitest';
import { IMPORT_FIELDS } from '../../src/core/contact-fields.js';
import { headerKey, mapHeaders, parseMapOption } from '../../src/core/import/header-map.js';
import { readCsvFixture } from './fixture-csv.js';

/** The mapped columns as header → field, leaving out the ignored ones. */
function mapped(headers: string[], overrides?: Record<string, string>) {
  const m = mapHeaders(headers, overrides);
  return Object.fromEntries(
    m.headers.flatMap((h, i) => (m.columns[i] === 'ignore' ? [] : [[h, m.columns[i]]])),
  );
}

describe('mapHeaders recognises the usual exports', () => {
  it('maps a HubSpot contacts export', () => {
    const { header } = readCsvFixture('hubspot.csv');
    expect(mapped(header)).toEqual({
      'First Name': 'first_name',
      'Last Name': 'last_name',
      Email: 'email',
      'Phone Number': 'phone:direct',
      'Mobile Phone Number': 'phone:mobile',
      'Company Name': 'company',
      'Job Title': 'title',
      'Street Address': 'street',
      City: 'city',
      'State/Region': 'region',
      'Postal Code': 'postal_code',
      'Country/Region': 'country',
      'Time Zone': 'time_zone',
    });
    expect(mapHeaders(header).unknown).toEqual([
      'Record ID',
      'Contact owner',
      'Lifecycle Stage',
      'Create Date',
    ]);
  });

  it('maps a Salesforce contacts report, Do Not Call included and Fax left out', () => {
    const { header } = readCsvFixture('salesforce.csv');
    expect(mapped(header)).toEqual({
      'First Name': 'first_name',
      'Last Name': 'last_name',
      Title: 'title',
      'Account Name': 'company',
      Phone: 'phone:direct',
      Mobile: 'phone:mobile',
      Email: 'email',
      'Mailing Street': 'street',
      'Mailing City': 'city',
      'Mailing State/Province': 'region',
      'Mailing Zip/Postal Code': 'postal_code',
      'Mailing Country': 'country',
      'Do Not Call': 'do_not_call',
    });
    expect(mapHeaders(header).unknown).toEqual(['Salutation', 'Fax', 'Contact Owner', 'Lead Source']);
  });

  it('maps a Pipedrive people export, its "Phone - Work" style included', () => {
    const { header } = readCsvFixture('pipedrive.csv');
    expect(mapped(header)).toEqual({
      Name: 'full_name',
      'First name': 'first_name',
      'Last name': 'last_name',
      Organization: 'company',
      'Phone - Work': 'phone:direct',
      'Phone - Mobile': 'phone:mobile',
      'Phone - Home': 'phone:home',
      'Phone - Other': 'phone:other',
      'Email - Work': 'email',
      'Email - Home': 'email',
    });
  });

  it('maps the "Person - " columns of a Pipedrive deals export', () => {
    expect(
      mapped(['Person - Name', 'Person - Phone - Mobile', 'Person - Email - Work', 'Deal - Title']),
    ).toEqual({
      'Person - Name': 'full_name',
      'Person - Phone - Mobile': 'phone:mobile',
      'Person - Email - Work': 'email',
    });
  });

  it('maps a Zoho CRM contacts export', () => {
    const { header } = readCsvFixture('zoho.csv');
    expect(mapped(header)).toEqual({
      'First Name': 'first_name',
      'Last Name': 'last_name',
      'Account Name': 'company',
      Title: 'title',
      Email: 'email',
      'Secondary Email': 'email',
      Phone: 'phone:direct',
      Mobile: 'phone:mobile',
      'Home Phone': 'phone:home',
      'Other Phone': 'phone:other',
      'Asst Phone': 'phone:assistant',
      'Mailing Street': 'street',
      'Mailing City': 'city',
      'Mailing State': 'region',
      'Mailing Zip': 'postal_code',
      'Mailing Country': 'country',
      Description: 'notes',
    });
  });

  it("maps a Google Contacts export and links each 'Phone N - Value' to its 'Phone N - Type'", () => {
    const { header } = readCsvFixture('google.csv');
    const m = mapHeaders(header);
    expect(mapped(header)).toEqual({
      Name: 'full_name',
      'Given Name': 'first_name',
      'Family Name': 'last_name',
      Notes: 'notes',
      'E-mail 1 - Value': 'email',
      'E-mail 2 - Value': 'email',
      'Phone 1 - Value': 'phone:other',
      'Phone 2 - Value': 'phone:other',
      'Phone 3 - Value': 'phone:other',
      'Address 1 - Street': 'street',
      'Address 1 - City': 'city',
      'Address 1 - Region': 'region',
      'Address 1 - Postal Code': 'postal_code',
      'Address 1 - Country': 'country',
      'Organization 1 - Name': 'company',
      'Organization 1 - Title': 'title',
    });
    for (const n of [1, 2, 3]) {
      expect(m.kindColumns[header.indexOf(`Phone ${n} - Value`)]).toBe(header.indexOf(`Phone ${n} - Type`));
    }
    // Type columns are read, not reported as ignored.
    expect(m.unknown).toEqual([
      'Additional Name',
      'Nickname',
      'Birthday',
      'Group Membership',
      'Address 1 - Formatted',
    ]);
  });

  it("maps the 2024 Google Contacts format, whose pairs are 'Phone 1 - Label' and 'Phone 1 - Value'", () => {
    const headers = [
      'First Name',
      'Last Name',
      'Organization Name',
      'Organization Title',
      'Phone 1 - Label',
      'Phone 1 - Value',
    ];
    const m = mapHeaders(headers);
    expect(m.columns).toEqual(['first_name', 'last_name', 'company', 'title', 'ignore', 'phone:other']);
    expect(m.kindColumns).toEqual([null, null, null, null, null, 4]);
    expect(m.unknown).toEqual([]);
  });

  it('maps an Outlook export, reading "Title" as Mr./Ms. because "Job Title" is there', () => {
    const { header } = readCsvFixture('outlook.csv', 'windows-1252');
    const m = mapped(header);
    expect(m).toMatchObject({
      'First Name': 'first_name',
      'Last Name': 'last_name',
      Company: 'company',
      'Job Title': 'title',
      'Business Street': 'street',
      'Business Street 2': 'street',
      'Business City': 'city',
      'Business State': 'region',
      'Business Postal Code': 'postal_code',
      'Business Country/Region': 'country',
      "Assistant's Phone": 'phone:assistant',
      'Business Phone': 'phone:direct',
      'Business Phone 2': 'phone:direct',
      'Company Main Phone': 'phone:main',
      'Home Phone': 'phone:home',
      'Mobile Phone': 'phone:mobile',
      'Other Phone': 'phone:other',
      'E-mail Address': 'email',
      'E-mail 2 Address': 'email',
      Notes: 'notes',
    });
    expect(m.Title).toBeUndefined();
    expect(mapHeaders(header).unknown).toEqual(
      expect.arrayContaining(['Title', 'Business Fax', 'Home Street', 'Pager']),
    );
  });

  it('maps a LinkedIn-style list and ignores its URL', () => {
    const { header } = readCsvFixture('linkedin.csv');
    expect(mapped(header)).toEqual({
      'First Name': 'first_name',
      'Last Name': 'last_name',
      'Email Address': 'email',
      Company: 'company',
      Position: 'title',
    });
    expect(mapHeaders(header).unknown).toEqual(['URL', 'Connected On']);
  });

  it.each([['Full Name'], ['Contact Name'], ['name'], ['NAME']])('maps %j to full_name', (h) => {
    expect(mapHeaders([h]).columns).toEqual(['full_name']);
  });
});

describe('mapHeaders matching', () => {
  it('ignores case, spaces, punctuation and accents', () => {
    expect(
      mapHeaders(['FIRST_NAME', 'e-mail address', ' Mobile  Phone ', 'Téléphone', 'job.title']).columns,
    ).toEqual(['first_name', 'email', 'phone:mobile', 'phone:direct', 'title']);
    expect(headerKey('E-mail 1 - Value')).toBe('email1value');
  });

  it('ignores a byte-order mark glued to the first header', () => {
    expect(mapHeaders(['\uFEFFFirst Name']).columns).toEqual(['first_name']);
  });

  it('reports columns it cannot map as unknown and imports nothing from them', () => {
    const m = mapHeaders(['First Name', 'Favourite Colour', 'Shoe Size']);
    expect(m.columns).toEqual(['first_name', 'ignore', 'ignore']);
    expect(m.unknown).toEqual(['Favourite Colour', 'Shoe Size']);
    expect(m.errors).toEqual([]);
  });
});

describe('mapHeaders overrides', () => {
  it('maps a column the guess misses, and overrides a guess', () => {
    const m = mapHeaders(['Name', 'Cell', 'Org', 'Phone'], {
      Cell: 'phone:mobile',
      Org: 'company',
      Phone: 'phone:main',
    });
    expect(m.columns).toEqual(['full_name', 'phone:mobile', 'company', 'phone:main']);
    expect(m.errors).toEqual([]);
  });

  it('drops a column mapped to ignore without reporting it as unknown', () => {
    const m = mapHeaders(['Name', 'Junk'], { Junk: 'ignore' });
    expect(m.columns).toEqual(['full_name', 'ignore']);
    expect(m.unknown).toEqual([]);
  });

  it('matches an override to a column loosely when no column has its exact name', () => {
    expect(mapHeaders(['Cell Number'], { 'cell number': 'phone:mobile' }).columns).toEqual(['phone:mobile']);
  });

  it("stops reading a Google type column once the value column's kind is given", () => {
    const m = mapHeaders(['Phone 1 - Type', 'Phone 1 - Value'], { 'Phone 1 - Value': 'phone:mobile' });
    expect(m.kindColumns).toEqual([null, null]);
    expect(m.unknown).toEqual(['Phone 1 - Type']);
  });

  it('names a column that is not in the file, and lists the columns that are', () => {
    const m = mapHeaders(['Name', 'Phone'], { Celll: 'phone:mobile' });
    expect(m.errors).toEqual([
      'mapping "Celll=phone:mobile": the file has no column "Celll" (its columns: Name, Phone)',
    ]);
  });

  it('names a field that does not exist, and lists the valid ones', () => {
    const m = mapHeaders(['Name', 'Portable'], { Portable: 'phone:cel' });
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0]).toMatch(
      /^mapping "Portable=phone:cel": "phone:cel" is not a field \(fields: first_name, /,
    );
    for (const f of IMPORT_FIELDS) expect(m.errors[0]).toContain(f);
    expect(m.columns).toEqual(['full_name', 'ignore']);
  });
});

describe('parseMapOption', () => {
  it('reads Column=field pairs separated by commas', () => {
    expect(parseMapOption('Cell=phone:mobile, Org=company,Junk=ignore')).toEqual({
      ok: true,
      map: { Cell: 'phone:mobile', Org: 'company', Junk: 'ignore' },
    });
  });

  it('reads a quoted column name holding a comma or an equals sign', () => {
    expect(parseMapOption('"Phone, work"=phone:direct,"a=b"=notes,"say ""hi"""=notes')).toEqual({
      ok: true,
      map: { 'Phone, work': 'phone:direct', 'a=b': 'notes', 'say "hi"': 'notes' },
    });
  });

  it('tolerates a trailing comma', () => {
    expect(parseMapOption('Cell=phone:mobile,')).toEqual({ ok: true, map: { Cell: 'phone:mobile' } });
  });

  it.each([
    ['Cell', '"Cell" has no "=field" (write Column=field, e.g. Cell=phone:mobile)'],
    ['=company', '"=company" names no column'],
    ['Cell=phone:mobile,Cell=phone:home', '"Cell" is mapped twice'],
    ['', 'no Column=field pairs (e.g. Cell=phone:mobile,Org=company)'],
    ['"Cell=phone:mobile', 'unbalanced quotes in ""Cell=phone:mobile"'],
  ])('rejects %j', (text, error) => {
    expect(parseMapOption(text)).toEqual({ ok: false, error });
  });

  it('rejects an unknown field and lists the valid ones', () => {
    const result = parseMapOption('Cell=mobile');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/^"mobile" \(for "Cell"\) is not a field \(fields: first_name, /);
      expect(result.error).toContain('phone:mobile');
    }
  });
});
