/**
 * The import's matching and merge rules (core/import/match.ts), pure: who a row is, what it
 * changes, and what is a conflict.
 */
import { describe, expect, it } from 'vitest';
import type { ContactDraft } from '../../src/core/import/draft.js';
import { indexDrafts } from '../../src/core/import/draft-index.js';
import {
  appendNote,
  MERGED_FIELDS,
  type MergedField,
  namesContradict,
  type PlanOptions,
  parseResolutions,
  planBatch,
  type StoredCandidates,
  type StoredContact,
} from '../../src/core/import/match.js';

const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);

function draft(row: number, over: Partial<ContactDraft>): ContactDraft {
  return {
    row,
    firstName: '',
    lastName: '',
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
    numbers: [],
    owner: '',
    enrollments: [],
    doNotCallNumbers: [],
    ...over,
  };
}

const mobile = (e164: string) => ({
  e164,
  extension: '',
  kind: 'mobile' as const,
  country: 'US',
  field: 'Mobile',
});

function stored(
  id: number,
  over: Partial<Record<MergedField, string>>,
  extra: Partial<StoredContact> = {},
): StoredContact {
  const fields = Object.fromEntries(MERGED_FIELDS.map((f) => [f, over[f] ?? ''])) as Record<
    MergedField,
    string
  >;
  return {
    id,
    inScope: true,
    fields,
    emailKey: fields.email.toLowerCase(),
    company: '',
    companyKey: '',
    ownerId: 7,
    kind: 'business',
    doNotCall: false,
    links: new Map(),
    ...extra,
  };
}

const OPTIONS: PlanOptions = {
  ownerId: 9,
  takeOver: false,
  resolve: () => 'skip',
  now: NOW,
  listChanges: true,
};

describe('import matching rules', () => {
  it('names contradict when both give a first or a last name and they differ, short forms agreeing', () => {
    const diego = { firstName: 'Diego', lastName: 'Watson' };
    expect(namesContradict(diego, { firstName: 'Grace', lastName: 'Holloway' })).toBe(true);
    expect(namesContradict(diego, { firstName: 'Grace', lastName: 'Watson' })).toBe(true);
    expect(namesContradict(diego, { firstName: 'Diego', lastName: 'Walton' })).toBe(true);
    expect(namesContradict(diego, { firstName: 'D.', lastName: 'WATSON' })).toBe(false);
    expect(
      namesContradict({ firstName: 'José', lastName: 'Núñez' }, { firstName: 'Jose', lastName: 'Nunez' }),
    ).toBe(false);
    expect(namesContradict(diego, { firstName: '', lastName: '' })).toBe(false);
  });

  it('appends a note with its date and never repeats one already there', () => {
    expect(appendNote('', 'Met at expo', NOW)).toBe('Met at expo');
    expect(appendNote('Prefers mornings', 'Met at expo', NOW)).toBe(
      'Prefers mornings\n\n2026-11-23: Met at expo',
    );
    expect(appendNote('Prefers mornings\n\n2026-11-23: Met at expo', 'Met at expo', NOW)).toBe(
      'Prefers mornings\n\n2026-11-23: Met at expo',
    );
  });

  it('reads per-row choices and names what is wrong in them', () => {
    expect(parseResolutions('12=update, 15=create,40=SKIP')).toEqual({
      ok: true,
      resolutions: { 12: 'update', 15: 'create', 40: 'skip' },
    });
    expect(parseResolutions('12=merge')).toEqual({
      ok: false,
      error: '"12=merge": merge is not update, create or skip',
    });
    expect(parseResolutions('twelve')).toEqual({
      ok: false,
      error: '"twelve" is not ROW=update|create|skip',
    });
  });

  it('matches by email over a differing name, and by a personal number only when the name agrees', () => {
    const drafts = [
      draft(2, { firstName: 'Dana', lastName: 'Smith', email: 'DANA@x.test' }),
      draft(3, { firstName: 'Grace', lastName: 'Holloway', numbers: [mobile('+14155550142')] }),
      draft(4, { firstName: 'Sam', lastName: 'Ortiz', numbers: [mobile('+12125550100')], notes: 'new' }),
    ];
    const index = indexDrafts(drafts);
    const candidates: StoredCandidates = {
      byEmail: index.emails.map((e) => (e === 'dana@x.test' ? 1 : undefined)),
      byNumber: index.numbers.map((n) =>
        n === '+14155550142' ? [2] : n === '+12125550100' ? [3] : undefined,
      ),
      contacts: new Map([
        [1, stored(1, { firstName: 'Dana', lastName: 'Lee', email: 'dana@x.test' })],
        [2, stored(2, { firstName: 'Diego', lastName: 'Watson' })],
        [3, stored(3, { firstName: 'Sam', lastName: 'Ortiz', notes: 'old' })],
      ]),
    };
    const plan = planBatch(drafts, index, candidates, OPTIONS);
    expect(plan.contacts.map((p) => p.existingId)).toEqual([1, 3]);
    expect(plan.contacts[0]!.set).toEqual({ lastName: 'Smith', email: 'DANA@x.test' });
    expect(plan.contacts[1]!.set).toEqual({ notes: 'old\n\n2026-11-23: new' });
    expect(plan.conflicts.map((c) => [c.row, c.contactId, c.reason, c.resolution])).toEqual([
      [3, 2, 'name_differs', 'skip'],
    ]);
    expect({ created: plan.created, updated: plan.updated, skipped: plan.skipped }).toEqual({
      created: 0,
      updated: 2,
      skipped: 1,
    });
    // Owners never change without a take-over; numbers are linked as the file gives them.
    expect(plan.contacts.every((p) => p.takeOver === false)).toBe(true);
    expect(plan.changes.filter((c) => c.field === 'number')).toEqual([
      { row: 4, contactId: 3, field: 'number', before: null, after: '+12125550100 (mobile)' },
    ]);
  });

  it('never merges into a contact out of scope, even when asked to update it, and tells nothing of it', () => {
    const drafts = [draft(2, { firstName: 'Diego', lastName: 'Watson', email: 'd@x.test', doNotCall: true })];
    const index = indexDrafts(drafts);
    const candidates: StoredCandidates = {
      byEmail: [5],
      byNumber: [],
      contacts: new Map([
        [5, stored(5, { firstName: 'Diego', lastName: 'Watson', email: 'd@x.test' }, { inScope: false })],
      ]),
    };
    const plan = planBatch(drafts, index, candidates, {
      ...OPTIONS,
      takeOver: true,
      resolve: () => 'update',
    });
    expect(plan.contacts).toEqual([]);
    expect(plan.conflicts).toEqual([
      {
        row: 2,
        contactId: null,
        withRow: null,
        reason: 'out_of_scope',
        differs: [],
        resolution: 'skip',
        message: 'matches a contact you cannot see by email: left untouched',
      },
    ]);
    const created = planBatch(drafts, index, candidates, { ...OPTIONS, resolve: () => 'create' });
    expect(created.contacts.map((p) => [p.existingId, p.ownerId])).toEqual([[null, 9]]);
  });

  it('holds two differently named rows of one file sharing a mobile apart as a conflict with the earlier row', () => {
    const drafts = [
      draft(2, { firstName: 'Diego', lastName: 'Watson', numbers: [mobile('+14155550142')] }),
      draft(3, { firstName: 'Grace', lastName: 'Holloway', numbers: [mobile('+14155550142')] }),
      draft(4, { firstName: 'Diego', lastName: 'Watson', title: 'Buyer', numbers: [mobile('+14155550142')] }),
    ];
    const index = indexDrafts(drafts);
    const plan = planBatch(drafts, index, { byEmail: [], byNumber: [], contacts: new Map() }, OPTIONS);
    expect(plan.contacts.map((p) => p.rows)).toEqual([[2, 4]]);
    expect(plan.conflicts.map((c) => [c.row, c.withRow, c.reason])).toEqual([[3, 2, 'name_differs']]);
    expect({ created: plan.created, updated: plan.updated, skipped: plan.skipped }).toEqual({
      created: 1,
      updated: 1,
      skipped: 1,
    });
  });
});
