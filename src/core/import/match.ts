/**
 * Which stored contact each imported row is, and what importing it would change: the import's
 * matching and merge rules, pure. The store loads the contacts a batch could be (those sharing
 * an email or a personal number with it) and applies the plan this returns.
 *
 * - A row is an existing contact only when the evidence agrees: the same email, or a shared
 *   personal number (never a main line) whose name does not contradict and whose email does
 *   not differ. Rows of one file are joined by the same rules.
 * - A contact the importing user may not see is never merged into, nor is a contact whose
 *   personal number a differently named row brings: both are conflicts, reported per row and
 *   left untouched unless the user chose to update it (only a contact they may see) or to
 *   create a new contact.
 * - Empty cells never erase; a note is appended with its date, never replacing one; an import
 *   may mark do-not-call but never lifts it; the owner changes only when the user takes over.
 */
import type { ContactDraft } from './draft.js';
import { companyKey, type DraftIndex, isPersonal } from './draft-index.js';

/** The text fields an import writes onto a contact, spelled once; the store maps each to its column. */
export const MERGED_FIELDS = [
  'firstName',
  'lastName',
  'title',
  'email',
  'timeZone',
  'interests',
  'notes',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
] as const satisfies readonly (keyof ContactDraft)[];
export type MergedField = (typeof MERGED_FIELDS)[number];

/** What a change names: a merged field, or one of the contact's other parts. */
export type ChangedField = MergedField | 'company' | 'kind' | 'doNotCall' | 'owner' | 'number';

export interface StoredLink {
  kind: string;
  extension: string;
}

/** A stored contact a row of the batch could be. */
export interface StoredContact {
  id: number;
  /** The importing user may see it (the store's scope rule). */
  inScope: boolean;
  fields: Readonly<Record<MergedField, string>>;
  emailKey: string;
  company: string;
  companyKey: string;
  ownerId: number | null;
  kind: string;
  doNotCall: boolean;
  /** Its links to the batch's numbers, by position in DraftIndex.numbers. */
  links: ReadonlyMap<number, StoredLink>;
}

export interface StoredCandidates {
  /** By position in DraftIndex.emails: the id of the stored contact with that email. */
  byEmail: readonly (number | undefined)[];
  /** By position in DraftIndex.numbers: ids of stored contacts having it as a personal number. */
  byNumber: readonly (readonly number[] | undefined)[];
  contacts: ReadonlyMap<number, StoredContact>;
}

export type Resolution = 'update' | 'create' | 'skip';

export interface PlanOptions {
  /** Owner of the contacts created; of stored ones too when `takeOver`. */
  ownerId: number | null;
  /** A created contact whose row names its owner (by lower-cased email) gets that user instead. */
  rowOwners?: ReadonlyMap<string, number> | undefined;
  takeOver: boolean;
  /** What the user chose for a conflict on this row. */
  resolve: (row: number) => Resolution;
  /** Dates an appended note. */
  now: number;
  /** List every change field by field (a dry run shows them). */
  listChanges: boolean;
}

export type ConflictReason = 'out_of_scope' | 'name_differs';

export interface Conflict {
  row: number;
  /** The contact the row clashes with; null when the user may not see it or this import creates it. */
  contactId: number | null;
  /** The earlier row of the file it clashes with, when it is one. */
  withRow: number | null;
  reason: ConflictReason;
  /** What the row and the contact say differently (empty when the user may not see the contact). */
  differs: { field: ChangedField; stored: string; file: string }[];
  resolution: Resolution;
  message: string;
}

export interface FieldChange {
  row: number;
  /** null for a contact this import creates. */
  contactId: number | null;
  field: ChangedField;
  before: string | null;
  after: string;
}

export interface LinkWrite {
  /** Position in DraftIndex.numbers. */
  at: number;
  kind: string;
  extension: string;
  /** The contact has this number already: its kind or extension changes. */
  update: boolean;
}

/** A contact the batch writes: a new one, or a stored one it changes. */
export interface PlannedContact {
  /** null: a contact this import creates (the store gives it an id). */
  existingId: number | null;
  /** The rows of the file merged into one. */
  draft: ContactDraft;
  rows: number[];
  /** Position in DraftIndex.numbers of each of draft.numbers. */
  numberAt: number[];
  emailKey: string;
  companyKey: string;
  /** Stored contacts: the fields to set (a note already appended to the stored one). */
  set: Partial<Record<MergedField, string>>;
  /** Stored contacts: the company name to set, when it changes. */
  company: string | null;
  kind: string | null;
  markDoNotCall: boolean;
  ownerId: number | null;
  takeOver: boolean;
  links: LinkWrite[];
  /** Rows of this batch merged into it after its first, and how many of them changed it. */
  repeats: number;
  repeatsChanged: number;
}

export interface BatchPlan {
  contacts: PlannedContact[];
  conflicts: Conflict[];
  /** Conflicts whose clash is with a contact this batch creates: the store fills in its id (not on a dry run). */
  conflictsWithNew: { conflict: Conflict; contact: PlannedContact }[];
  changes: FieldChange[];
  created: number;
  updated: number;
  unchanged: number;
  /** Rows left untouched because of a conflict. */
  skipped: number;
}

/** Names compared as people write them: case, accents and punctuation do not matter. */
function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function partsDiffer(a: string, b: string, shortFormOk: boolean): boolean {
  const x = nameKey(a);
  const y = nameKey(b);
  if (x === '' || y === '' || x === y) return false;
  // "Dan" for "Daniel", "D." for "Diego".
  return !(shortFormOk && (x.startsWith(y) || y.startsWith(x)));
}

/**
 * Two records name different people: both give a first name and they differ (a short form
 * such as "Dan" for "Daniel" agrees), or both give a last name and they differ.
 */
export function namesContradict(
  a: { firstName: string; lastName: string },
  b: { firstName: string; lastName: string },
): boolean {
  return partsDiffer(a.firstName, b.firstName, true) || partsDiffer(a.lastName, b.lastName, false);
}

function emailsConflict(a: string, b: string): boolean {
  return a !== '' && b !== '' && a !== b;
}

/** A stored note with a new one appended, dated; the stored note when it holds the new one already. */
export function appendNote(stored: string, note: string, now: number): string {
  if (note === '' || stored.includes(note)) return stored;
  if (stored === '') return note;
  return `${stored}\n\n${new Date(now).toISOString().slice(0, 10)}: ${note}`;
}

function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`.trim();
}

/** A number as a change shows it. */
function numberText(e164: string, kind: string, extension: string): string {
  return `${e164}${extension ? ` x${extension}` : ''} (${kind})`;
}

interface Candidate {
  contact: StoredContact;
  /** The personal number (E.164) it was found by; null when found by email. */
  byNumber: string | null;
}

export function planBatch(
  drafts: readonly ContactDraft[],
  index: DraftIndex,
  stored: StoredCandidates,
  options: PlanOptions,
): BatchPlan {
  const { numberOf, emailOf, emails, numbers } = index;
  const plan: BatchPlan = {
    contacts: [],
    conflicts: [],
    conflictsWithNew: [],
    changes: [],
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
  };
  const byExisting = new Map<number, PlannedContact>();
  const byEmail: (PlannedContact | undefined)[] = new Array(emails.length);
  const byNumber: (PlannedContact | undefined)[] = new Array(numbers.length);

  const conflict = (
    d: ContactDraft,
    reason: ConflictReason,
    against: { stored: StoredContact | null; planned: PlannedContact | null },
    via: string,
  ): Resolution => {
    let resolution = options.resolve(d.row);
    const visible = against.stored ? against.stored.inScope : true;
    // A contact the user may not see is never changed by their import, whatever they chose.
    if (!visible && resolution === 'update') resolution = 'skip';
    const other = against.stored ? against.stored.fields : against.planned!.draft;
    const differs: Conflict['differs'] = [];
    if (visible) {
      for (const f of MERGED_FIELDS) {
        const mine = d[f];
        const theirs = other[f];
        if (f === 'notes' || mine === '' || theirs === '' || mine === theirs) continue;
        differs.push({ field: f, stored: theirs, file: mine });
      }
    }
    const who = against.stored
      ? visible
        ? `${fullName(against.stored.fields) || 'a contact'} (contact ${against.stored.id})`
        : 'a contact you cannot see'
      : `${fullName(against.planned!.draft) || 'a contact'} (row ${against.planned!.rows[0]})`;
    const what =
      reason === 'out_of_scope'
        ? `matches ${who} by ${via}`
        : `shares the personal number ${via} with ${who} but is named ${fullName(d)}`;
    const outcome =
      resolution === 'skip'
        ? 'left untouched'
        : resolution === 'create'
          ? 'imported as a new contact, as asked'
          : 'merged into it, as asked';
    const c: Conflict = {
      row: d.row,
      contactId: against.stored ? (visible ? against.stored.id : null) : against.planned!.existingId,
      withRow: against.planned ? against.planned.rows[0]! : null,
      reason,
      differs,
      resolution,
      message: `${what}: ${outcome}`,
    };
    plan.conflicts.push(c);
    if (against.planned && against.planned.existingId === null) {
      plan.conflictsWithNew.push({ conflict: c, contact: against.planned });
    }
    if (resolution === 'skip') plan.skipped++;
    return resolution;
  };

  let next = 0;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const first = next;
    next += d.numbers.length;
    const numberAt: number[] = [];
    for (let k = first; k < next; k++) numberAt.push(numberOf[k]!);
    const e = emailOf[i]!;
    const ek = e < 0 ? '' : emails[e]!;

    let into: PlannedContact | null = (e >= 0 && byEmail[e]) || null;
    let candidate: Candidate | null = null;
    let clash: {
      reason: ConflictReason;
      stored: StoredContact | null;
      planned: PlannedContact | null;
      via: string;
    } | null = null;
    if (!into && e >= 0 && stored.byEmail[e] !== undefined) {
      const contact = stored.contacts.get(stored.byEmail[e]!);
      if (contact) candidate = { contact, byNumber: null };
    }
    if (!into && !candidate) {
      for (let j = 0; j < d.numbers.length; j++) {
        if (!isPersonal(d.numbers[j]!.kind)) continue;
        const at = numberAt[j]!;
        const p = byNumber[at];
        if (p && !emailsConflict(ek, p.emailKey)) {
          if (namesContradict(d, p.draft)) {
            clash = { reason: 'name_differs', stored: null, planned: p, via: numbers[at]! };
          } else into = p;
          break;
        }
        const owner = stored.byNumber[at]
          ?.map((id) => stored.contacts.get(id))
          .find((c) => c !== undefined && !emailsConflict(ek, c.emailKey));
        if (owner) {
          candidate = { contact: owner, byNumber: numbers[at]! };
          break;
        }
      }
    }
    // A planned contact this row starts (nothing to merge into it), else null.
    let started: PlannedContact | null = null;
    const start = (existingId: number | null) => {
      started = newPlanned(existingId, d, numberAt, ek, index.companyKeys[i]!);
      if (existingId !== null) byExisting.set(existingId, started);
      plan.contacts.push(started);
      return started;
    };
    if (candidate) {
      const { contact } = candidate;
      const planned = byExisting.get(contact.id) ?? null;
      if (!contact.inScope) {
        clash = {
          reason: 'out_of_scope',
          stored: contact,
          planned: null,
          via: candidate.byNumber ? `the number ${candidate.byNumber}` : 'email',
        };
      } else if (
        candidate.byNumber !== null &&
        namesContradict(d, planned ? planned.draft : contact.fields)
      ) {
        clash = { reason: 'name_differs', stored: contact, planned: null, via: candidate.byNumber };
      } else into = planned ?? start(contact.id);
    }
    if (clash) {
      const resolution = conflict(d, clash.reason, clash, clash.via);
      if (resolution === 'skip') continue;
      if (resolution === 'update') {
        into = clash.planned ?? byExisting.get(clash.stored!.id) ?? start(clash.stored!.id);
      } else into = start(null);
    }
    if (!into) into = start(null);
    else if (into !== started) {
      into.repeats++;
      if (mergeInto(into, d, numberAt, ek, index.companyKeys[i]!)) into.repeatsChanged++;
    }
    if (e >= 0) byEmail[e] = into;
    for (let j = 0; j < d.numbers.length; j++) {
      if (isPersonal(d.numbers[j]!.kind)) byNumber[numberAt[j]!] = into;
    }
  }

  for (const p of plan.contacts) {
    const contact = p.existingId === null ? null : stored.contacts.get(p.existingId)!;
    if (contact) {
      if (decideChanges(p, contact, index, options, plan.changes)) plan.updated++;
      else plan.unchanged++;
    } else {
      plan.created++;
      p.ownerId =
        (p.draft.owner === '' ? undefined : options.rowOwners?.get(p.draft.owner)) ?? options.ownerId;
      for (let j = 0; j < p.draft.numbers.length; j++) {
        const n = p.draft.numbers[j]!;
        p.links.push({ at: p.numberAt[j]!, kind: n.kind, extension: n.extension, update: false });
      }
      if (options.listChanges) listCreated(p, plan.changes);
    }
    plan.updated += p.repeatsChanged;
    plan.unchanged += p.repeats - p.repeatsChanged;
  }
  return plan;
}

function newPlanned(
  existingId: number | null,
  draft: ContactDraft,
  numberAt: number[],
  emailKey: string,
  companyKey: string,
): PlannedContact {
  return {
    existingId,
    draft,
    rows: [draft.row],
    numberAt,
    emailKey,
    companyKey,
    set: {},
    company: null,
    kind: null,
    markDoNotCall: false,
    ownerId: null,
    takeOver: false,
    links: [],
    repeats: 0,
    repeatsChanged: 0,
  };
}

/** What a planned stored contact changes; says whether anything does. */
function decideChanges(
  p: PlannedContact,
  contact: StoredContact,
  index: DraftIndex,
  options: PlanOptions,
  changes: FieldChange[],
): boolean {
  const d = p.draft;
  const row = p.rows[0]!;
  const note = (field: ChangedField, before: string | null, after: string) => {
    if (options.listChanges) changes.push({ row, contactId: contact.id, field, before, after });
  };
  let changed = false;
  for (const f of MERGED_FIELDS) {
    const given = d[f];
    if (given === '') continue;
    const value = f === 'notes' ? appendNote(contact.fields.notes, given, options.now) : given;
    if (value === contact.fields[f]) continue;
    p.set[f] = value;
    note(f, contact.fields[f], value);
    changed = true;
  }
  if (p.companyKey !== '' && p.companyKey !== contact.companyKey) {
    p.company = d.company.trim();
    note('company', contact.company, p.company);
    changed = true;
  }
  if (d.kind && d.kind !== contact.kind) {
    p.kind = d.kind;
    note('kind', contact.kind, d.kind);
    changed = true;
  }
  if (d.doNotCall && !contact.doNotCall) {
    p.markDoNotCall = true;
    note('doNotCall', 'no', 'yes');
    changed = true;
  }
  if (options.takeOver && options.ownerId !== null) {
    p.takeOver = true;
    p.ownerId = options.ownerId;
    if (options.ownerId !== contact.ownerId) {
      note('owner', contact.ownerId === null ? null : String(contact.ownerId), String(options.ownerId));
      changed = true;
    }
  }
  for (let j = 0; j < d.numbers.length; j++) {
    const n = d.numbers[j]!;
    const at = p.numberAt[j]!;
    const link = contact.links.get(at);
    const e164 = index.numbers[at]!;
    if (!link) {
      p.links.push({ at, kind: n.kind, extension: n.extension, update: false });
      note('number', null, numberText(e164, n.kind, n.extension));
      changed = true;
    } else if (link.kind !== n.kind || (n.extension !== '' && link.extension !== n.extension)) {
      const extension = n.extension || link.extension;
      p.links.push({ at, kind: n.kind, extension, update: true });
      note('number', numberText(e164, link.kind, link.extension), numberText(e164, n.kind, extension));
      changed = true;
    }
  }
  return changed;
}

function listCreated(p: PlannedContact, changes: FieldChange[]): void {
  const d = p.draft;
  const row = p.rows[0]!;
  for (const f of MERGED_FIELDS) {
    if (d[f] !== '') changes.push({ row, contactId: null, field: f, before: null, after: d[f] });
  }
  if (d.company.trim() !== '')
    changes.push({ row, contactId: null, field: 'company', before: null, after: d.company.trim() });
  if (d.kind) changes.push({ row, contactId: null, field: 'kind', before: null, after: d.kind });
  if (d.doNotCall) changes.push({ row, contactId: null, field: 'doNotCall', before: null, after: 'yes' });
  for (const n of d.numbers) {
    changes.push({
      row,
      contactId: null,
      field: 'number',
      before: null,
      after: numberText(n.e164, n.kind, n.extension),
    });
  }
}

/**
 * A later row of the same contact fills in and overrides what it gives (notes add up). Says
 * whether that changed anything, so a repeated row counts as updated or unchanged.
 */
function mergeInto(
  p: PlannedContact,
  next: ContactDraft,
  numberAt: readonly number[],
  nextEmailKey: string,
  nextCompanyKey: string,
): boolean {
  const base = p.draft;
  const merged: ContactDraft = { ...base, numbers: [...base.numbers] };
  let changed = false;
  for (const key of Object.keys(next) as (keyof ContactDraft)[]) {
    if (key === 'numbers' || key === 'row') continue;
    if (key === 'enrollments') {
      const more = next.enrollments.filter((e) => !merged.enrollments.some((m) => m.campaign === e.campaign));
      if (more.length > 0) {
        merged.enrollments = [...merged.enrollments, ...more];
        changed = true;
      }
      continue;
    }
    if (key === 'doNotCallNumbers') {
      const more = next.doNotCallNumbers.filter((e164) => !merged.doNotCallNumbers.includes(e164));
      if (more.length > 0) {
        merged.doNotCallNumbers = [...merged.doNotCallNumbers, ...more];
        changed = true;
      }
      continue;
    }
    const v = next[key];
    // A later row never lifts a do-not-call an earlier row set.
    if (key === 'doNotCall' && base.doNotCall === true) continue;
    if (v === '' || v === null || v === base[key]) continue;
    changed = true;
    (merged as unknown as Record<string, unknown>)[key] =
      key === 'notes' && base.notes !== '' && !base.notes.includes(v as string) ? `${base.notes}\n${v}` : v;
  }
  for (let j = 0; j < next.numbers.length; j++) {
    if (!p.numberAt.includes(numberAt[j]!)) {
      merged.numbers.push(next.numbers[j]!);
      p.numberAt.push(numberAt[j]!);
      changed = true;
    }
  }
  p.draft = merged;
  p.rows.push(next.row);
  if (next.email !== '') p.emailKey = nextEmailKey;
  if (next.company !== '') p.companyKey = nextCompanyKey;
  return changed;
}

/** The company key of a stored company name ('' for none), as drafts' are made. */
export function storedCompanyKey(name: string | null): string {
  return name ? companyKey(name) : '';
}

/**
 * Per-row choices as a user writes them: "12=update,15=create,40=skip" (rows as the import
 * reports them).
 */
export function parseResolutions(
  text: string,
): { ok: true; resolutions: Record<number, Resolution> } | { ok: false; error: string } {
  const resolutions: Record<number, Resolution> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const m = /^(\d+)\s*=\s*(\w+)$/.exec(item);
    if (!m) return { ok: false, error: `"${item}" is not ROW=update|create|skip` };
    const choice = m[2]!.toLowerCase();
    if (choice !== 'update' && choice !== 'create' && choice !== 'skip') {
      return { ok: false, error: `"${item}": ${m[2]} is not update, create or skip` };
    }
    resolutions[Number(m[1])] = choice;
  }
  return { ok: true, resolutions };
}
