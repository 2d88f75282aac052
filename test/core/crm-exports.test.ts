import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ContactDraft, DraftResult } from '../../src/core/import/draft.js';
import { mapHeaders } from '../../src/core/import/header-map.js';
import { rowToDraft } from '../../src/core/import/row.js';
import { createPhoneNormalizer } from '../../src/core/phone/fast.js';
import { fixtureBytes, fixtureText, readCsvFixture } from './fixture-csv.js';

const normalize = createPhoneNormalizer('US');

function importFixture(name: string, encoding: 'utf-8' | 'windows-1252' = 'utf-8'): DraftResult[] {
  const { header, rows } = readCsvFixture(name, encoding);
  const mapping = mapHeaders(header);
  expect(mapping.errors).toEqual([]);
  return rows.map(({ row, cells }) => rowToDraft(cells, mapping, row, normalize));
}

function drafts(results: DraftResult[]): ContactDraft[] {
  return results.map((r) => {
    if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.errors)}`);
    return r.draft;
  });
}

const numbersOf = (d: ContactDraft) =>
  d.numbers.map((n) => `${n.kind} ${n.e164}${n.extension ? ` x${n.extension}` : ''}`);

describe('the CRM export fixtures import whole', () => {
  it('imports every HubSpot row, with extension, UK numbers and accents', () => {
    const [dana, marcus, priya, luis] = drafts(importFixture('hubspot.csv'));
    expect(dana).toMatchObject({
      row: 2,
      firstName: 'Dana',
      lastName: 'Whitfield',
      company: 'Northwind Logistics',
      timeZone: 'America/Los_Angeles',
    });
    expect(numbersOf(dana!)).toEqual(['direct +14155550123', 'mobile +14155550187']);
    expect(numbersOf(marcus!)).toEqual(['direct +12125550147 x204']);
    expect(marcus!.street).toBe('1 Main St, Suite 300');
    expect(numbersOf(priya!)).toEqual(['direct +442079460123', 'mobile +447400123456']);
    expect(luis!.lastName).toBe('García');
  });

  it('imports every Salesforce row: a multi-line street, Do Not Call, a Canadian number', () => {
    const [angela, kevin, helen] = drafts(importFixture('salesforce.csv'));
    expect(angela).toMatchObject({
      street: '200 Clarendon St, Floor 12',
      postalCode: '02116',
      doNotCall: false,
    });
    expect(numbersOf(angela!)).toEqual(['direct +16175550110', 'mobile +16175550175']);
    expect(kevin!.doNotCall).toBe(true);
    expect(helen!.numbers.map((n) => n.country)).toEqual(['CA', 'CA']);
  });

  it('imports every Pipedrive row, splitting "Name" only where first and last names are missing', () => {
    const [rachel, tom, ana] = drafts(importFixture('pipedrive.csv'));
    expect([rachel!.firstName, rachel!.lastName]).toEqual(['Rachel', 'Kim']);
    expect(numbersOf(tom!)).toEqual(['direct +493012345678', 'mobile +4915123456789']);
    expect([ana!.firstName, ana!.lastName]).toEqual(['Ana', 'Lucía Fernández']);
    expect(ana!.email).toBe('ana.fernandez@altavista.mx');
    expect(numbersOf(ana!)).toEqual(['direct +525512345678', 'home +525587654321']);
  });

  it('imports every Zoho row, the assistant line included', () => {
    const [ethan, sophie, james] = drafts(importFixture('zoho.csv'));
    expect(numbersOf(ethan!)).toEqual([
      'direct +17205550112',
      'mobile +17205550113',
      'assistant +17205550119',
    ]);
    expect(ethan!.notes).toBe('Evaluating the team plan; call back in Q3');
    expect(sophie!.email).toBe('sophie@mapleleafoutfitters.ca');
    expect(james!.country).toBe('United Kingdom');
  });

  it('imports every Google Contacts row, kinds read from the type column row by row', () => {
    const [jenny, omar, mei] = drafts(importFixture('google.csv'));
    // "Mobile" with two numbers joined by " ::: "; "Work Fax" is not a voice number.
    expect(numbersOf(jenny!)).toEqual(['mobile +13035550142', 'mobile +13035550190', 'direct +13035550100']);
    expect(jenny).toMatchObject({
      company: 'Tall Pine Co',
      title: 'Founder',
      email: 'jenny@tallpine.co',
      city: 'Denver',
    });
    expect(numbersOf(omar!)).toEqual(['main +15125550119', 'assistant +15125550120']);
    // No given/family name: "Name" is split. "Google Voice" names no kind: phone:other.
    expect([mei!.firstName, mei!.lastName]).toEqual(['Mei', 'Lin Chen']);
    expect(numbersOf(mei!)).toEqual(['home +61298765432', 'other +14155550162']);
  });

  it('imports every Outlook row from its Windows-1252 bytes', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(fixtureBytes('outlook.csv'))).toThrow();
    const [zoe, francois, jose] = drafts(importFixture('outlook.csv', 'windows-1252'));
    expect(zoe).toMatchObject({
      firstName: 'Zoë',
      lastName: 'Müller',
      company: 'Café Olé Ltd',
      title: 'Head of Purchasing',
    });
    expect(zoe!.notes).toBe('Budget approved: €12,000 for Q2 — call before the 15th.');
    expect(numbersOf(zoe!)).toEqual(['direct +442079460958', 'main +442079460000', 'mobile +447400123458']);
    expect(francois!.company).toBe('Société Générale d’Équipement');
    expect(numbersOf(francois!)).toEqual([
      'assistant +33123456780',
      'direct +33123456789',
      'mobile +33612345678',
    ]);
    expect(jose!.street).toBe('410 Main St, Suite 5');
    expect(numbersOf(jose!)).toEqual([
      'direct +15125550150',
      'direct +15125550151',
      'home +15125550152',
      'other +15125550153',
    ]);
  });

  it('imports a LinkedIn-style list: names and companies without numbers', () => {
    const people = drafts(importFixture('linkedin.csv'));
    expect(people.map((p) => `${p.firstName} ${p.lastName}, ${p.title}, ${p.company}`)).toEqual([
      'Grace Liu, Head of Partnerships, Pinnacle Robotics',
      'Daniel Novak, Senior Associate, Evergreen Capital',
      'Fatima Zahra, Chief of Staff, Brightlane',
    ]);
    expect(people.every((p) => p.numbers.length === 0)).toBe(true);
  });
});

describe('bad-rows.csv holds one of each problem', () => {
  // Line by line: the row with a stray quote would swallow the rest of a whole-file parse.
  const lines = fixtureText('bad-rows.csv').trimEnd().split('\n');
  const header = parse(lines[0]!)[0] as string[];
  const mapping = mapHeaders(header);
  const result = (row: number) =>
    rowToDraft((parse(lines[row - 1]!) as string[][])[0]!, mapping, row, normalize);

  it('has good rows 2 and 5', () => {
    expect(result(2).ok).toBe(true);
    expect(result(5).ok).toBe(true);
  });

  it('rejects row 3 for its invalid number', () => {
    expect(result(3)).toEqual({
      ok: false,
      errors: [{ row: 3, field: 'Phone Number', message: '"(415) 555-01234" is too long for a US number' }],
    });
  });

  it('rejects row 4 for having neither a name nor a number', () => {
    expect(result(4)).toEqual({
      ok: false,
      errors: [{ row: 4, field: '', message: 'has neither a name nor a phone number' }],
    });
  });

  it('has broken quoting on row 6', () => {
    expect(() => parse(lines[5]!)).toThrow(/Quote Not Closed/);
  });

  it('repeats row 2 as row 7', () => {
    const again = result(7);
    const first = result(2);
    expect(again.ok && first.ok && { ...again.draft, row: 2 }).toEqual(first.ok && first.draft);
  });
});
