/**
 * Batches of drafts cross from the parsing worker to the writing thread as one string
 * (draft-packing.ts): they must come back exactly as they left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packDrafts, packIndex, unpackDrafts, unpackIndex } from '../src/app/import/draft-packing.js';
import { ENROLLMENT_STATES } from '../src/core/cadence/types.js';
import type { ContactDraft, DraftNumber } from '../src/core/import/draft.js';
import { indexDrafts } from '../src/core/import/draft-index.js';

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const number: fc.Arbitrary<DraftNumber> = fc.record({
  e164: fc.stringMatching(/^\+[1-9][0-9]{6,14}$/),
  extension: fc.stringMatching(/^[0-9]{0,6}$/),
  kind: fc.constantFrom('direct', 'mobile', 'main', 'assistant', 'home', 'other'),
  country: fc.option(fc.constantFrom('US', 'GB', 'DE', 'CA'), { nil: null }),
  field: text,
});
const draft: fc.Arbitrary<ContactDraft> = fc.record({
  row: fc.integer({ min: 2, max: 10_000_000 }),
  firstName: text,
  lastName: text,
  title: text,
  company: text,
  email: text,
  timeZone: text,
  kind: fc.constantFrom('', 'business', 'consumer'),
  interests: text,
  notes: text,
  street: text,
  city: text,
  region: text,
  postalCode: text,
  country: text,
  doNotCall: fc.constantFrom(null, true, false),
  numbers: fc.array(number, { maxLength: 4 }),
  owner: text,
  enrollments: fc.array(fc.record({ campaign: text, state: fc.constantFrom(...ENROLLMENT_STATES) }), {
    maxLength: 3,
  }),
  doNotCallNumbers: fc.array(fc.stringMatching(/^\+[1-9][0-9]{6,14}$/), { maxLength: 3 }),
});

describe('draft packing', () => {
  it('gives back every draft exactly, key order included', () => {
    fc.assert(
      fc.property(fc.array(draft, { maxLength: 20 }), (drafts) => {
        const packed = packDrafts(drafts);
        const hasNul = JSON.stringify(drafts).includes('\\u0000');
        if (hasNul) expect(packed).toBeNull();
        else {
          expect(packed).not.toBeNull();
          const back = unpackDrafts(packed!);
          expect(back).toEqual(drafts);
          expect(back.map((d) => Object.keys(d))).toEqual(drafts.map((d) => Object.keys(d)));
        }
      }),
    );
  });

  it("gives back the index of every batch it packs, and the index points at each draft's own keys", () => {
    fc.assert(
      fc.property(fc.array(draft, { maxLength: 20 }), (drafts) => {
        const index = indexDrafts(drafts);
        let k = 0;
        drafts.forEach((d, i) => {
          for (const n of d.numbers) expect(index.numbers[index.numberOf[k++]!]).toBe(n.e164);
          const key = d.email.trim().toLowerCase();
          expect(index.emailOf[i]! < 0 ? '' : index.emails[index.emailOf[i]!]).toBe(key);
        });
        expect(index.numbers).toEqual([...new Set(index.numbers)].sort());
        if (packDrafts(drafts) === null) return;
        expect(unpackIndex(packIndex(index), drafts.length)).toEqual(index);
      }),
    );
  });

  it('refuses a batch with a NUL in any value or a number whose country is empty', () => {
    const base: ContactDraft = {
      row: 2,
      firstName: 'Dana',
      lastName: 'Lee',
      title: '',
      company: '',
      email: '',
      timeZone: '',
      kind: '',
      interests: '',
      notes: '',
      street: '',
      city: '',
      region: '',
      postalCode: '',
      country: '',
      doNotCall: null,
      owner: '',
      enrollments: [],
      doNotCallNumbers: [],
      numbers: [{ e164: '+14155550123', extension: '', kind: 'direct', country: 'US', field: 'Phone' }],
    };
    expect(unpackDrafts(packDrafts([base])!)).toEqual([base]);
    expect(packDrafts([{ ...base, notes: 'a\u0000b' }])).toBeNull();
    expect(packDrafts([{ ...base, numbers: [{ ...base.numbers[0]!, country: '' }] }])).toBeNull();
    expect(unpackDrafts(packDrafts([])!)).toEqual([]);
  });
});
