/**
 * Export of contacts and attempts as CSV or JSON, and of contacts as vCards, streamed page by
 * page to a sink.
 * The contacts CSV uses column names the importer maps back, so export → import into an
 * empty workspace gives back the same contacts, owners, numbers (with their kinds and
 * do-not-call flags) and campaign enrollments.
 */
import { stringify } from 'csv-stringify/sync';
import type { NumberKind } from '../core/contact-fields.js';
import { NUMBER_KINDS } from '../core/contact-fields.js';
import { toVCard } from '../core/export/vcard.js';
import { formatEnrollments } from '../core/import/enrollment-cell.js';
import { neutralizeCell, neutralizePhoneCell } from '../core/import/spreadsheet-cells.js';
import { zoneForContact } from '../core/time/zone-of.js';
import { localParts, offsetMinutesAt } from '../core/time/zoned.js';
import { findContactInScope } from '../store/contact-repo.js';
import type { Store } from '../store/db.js';
import {
  type AttemptForExport,
  attemptsPage,
  type ContactForExport,
  contactsPage,
} from '../store/export-repo.js';
import type { User } from '../store/schema.js';
import { workspaceOfActor } from '../store/workspace-repo.js';

export type ExportFormat = 'csv' | 'json' | 'vcard';
export type ExportKind = 'contacts' | 'attempts';

/** Where export output goes: a file or stdout, behind the narrowest interface. */
export interface TextSink {
  write(text: string): Promise<void>;
}

const PAGE = 1000;

const PHONE_HEADER: Record<NumberKind, string> = {
  direct: 'Direct Phone',
  mobile: 'Mobile Phone',
  main: 'Main Phone',
  assistant: 'Assistant Phone',
  home: 'Home Phone',
  other: 'Other Phone',
};

/**
 * A CSV column: its header, its value, and how the value is written as a cell. Cells are
 * neutralized against formula injection (spreadsheet-cells.ts); phone columns keep E.164
 * numbers as they are, so they read back exactly.
 */
type Column<T> = [string, (row: T) => string, ((value: string) => string)?];

const CONTACT_COLUMNS: Column<ContactForExport>[] = [
  ['Id', (c) => String(c.id)],
  ['First Name', (c) => c.first_name],
  ['Last Name', (c) => c.last_name],
  ['Title', (c) => c.title],
  ['Company', (c) => c.company ?? ''],
  ['Email', (c) => c.email],
  ['Kind', (c) => c.kind],
  ['Time Zone', (c) => c.time_zone],
  ['Interests', (c) => c.interests],
  ['Notes', (c) => c.notes],
  ['Street', (c) => c.street],
  ['City', (c) => c.city],
  ['State', (c) => c.region],
  ['Postal Code', (c) => c.postal_code],
  ['Country', (c) => c.country],
  ['Owner Email', (c) => c.owner_email ?? ''],
  ['Do Not Call', (c) => (c.do_not_call ? 'yes' : 'no')],
  ['Campaigns', (c) => formatEnrollments(c.enrollments)],
  [
    'Do Not Call Numbers',
    (c) =>
      c.numbers
        .filter((n) => n.doNotCall)
        .map((n) => n.e164)
        .join('; '),
    neutralizePhoneCell,
  ],
  ...NUMBER_KINDS.map(
    (kind) =>
      [
        PHONE_HEADER[kind],
        (c: ContactForExport) =>
          c.numbers
            .filter((n) => n.kind === kind)
            .map((n) => (n.extension ? `${n.e164} x${n.extension}` : n.e164))
            .join('; '),
        neutralizePhoneCell,
      ] as Column<ContactForExport>,
  ),
];

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** An attempt with the contact's zone and the time the call started there. */
type PlacedAttempt = AttemptForExport & { zone: string; localStart: string };

/** An instant as the clock in `zone` showed it, with its offset: 2026-11-24T01:00:00-08:00. */
function localIso(instant: number, zone: string): string {
  const p = localParts(instant, zone);
  const offset = offsetMinutesAt(instant, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${p.dateKey}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

function placed(a: AttemptForExport, workspaceZone: string): PlacedAttempt {
  const { zone } = zoneForContact(
    { timeZone: a.contact_time_zone, region: a.contact_region, country: a.contact_country },
    a.number ? [a.number] : [],
    workspaceZone,
  );
  return { ...a, zone, localStart: localIso(a.started_at, zone) };
}

const ATTEMPT_COLUMNS: Column<PlacedAttempt>[] = [
  ['Id', (a) => String(a.id)],
  ['Started At', (a) => iso(a.started_at)],
  ['Contact Local Time', (a) => a.localStart],
  ['Contact Time Zone', (a) => a.zone],
  ['Ended At', (a) => iso(a.ended_at)],
  ['Duration (s)', (a) => (a.duration_s === null ? '' : String(a.duration_s))],
  ['Outcome', (a) => a.outcome],
  ['Voicemail Left', (a) => (a.voicemail_left ? 'yes' : 'no')],
  ['Contact Id', (a) => String(a.contact_id)],
  ['Contact', (a) => a.contact_name],
  ['Number', (a) => a.number ?? '', neutralizePhoneCell],
  ['Campaign', (a) => a.campaign ?? ''],
  ['User', (a) => a.user_email ?? ''],
  ['Note', (a) => a.note],
  ['Script', (a) => a.script ?? ''],
  ['Scheduled For', (a) => iso(a.scheduled_for)],
];

function contactJson(c: ContactForExport) {
  return {
    id: c.id,
    firstName: c.first_name,
    lastName: c.last_name,
    title: c.title,
    company: c.company,
    email: c.email,
    kind: c.kind,
    timeZone: c.time_zone,
    interests: c.interests,
    notes: c.notes,
    address: {
      street: c.street,
      city: c.city,
      region: c.region,
      postalCode: c.postal_code,
      country: c.country,
    },
    owner: c.owner_email,
    doNotCall: c.do_not_call === 1,
    numbers: c.numbers,
    enrollments: c.enrollments,
  };
}

function attemptJson(a: PlacedAttempt) {
  return {
    id: a.id,
    startedAt: iso(a.started_at),
    contactLocalTime: a.localStart,
    contactTimeZone: a.zone,
    endedAt: a.ended_at === null ? null : iso(a.ended_at),
    durationSeconds: a.duration_s,
    outcome: a.outcome,
    voicemailLeft: a.voicemail_left === 1,
    contactId: a.contact_id,
    contact: a.contact_name,
    number: a.number,
    campaign: a.campaign,
    user: a.user_email,
    note: a.note,
    script: a.script,
    scheduledFor: a.scheduled_for === null ? null : iso(a.scheduled_for),
  };
}

export interface ExportRequest {
  kind: ExportKind;
  /** vcard: contacts only. */
  format: ExportFormat;
  sink: TextSink;
  /** Only this contact (contacts only). */
  contactId?: number | undefined;
  /** Whose workspace is exported; null for the default one (a local command naming nobody). */
  user: User | null;
  now: number;
}

export async function exportData(store: Store, req: ExportRequest): Promise<number> {
  const { kind, format, sink } = req;
  const workspace = await workspaceOfActor(store.db, req.user, req.now);
  if (kind === 'contacts') {
    const { contactId } = req;
    const page =
      contactId === undefined
        ? (after: number) => contactsPage(store.db, workspace.id, after, PAGE)
        : async (after: number) =>
            after >= contactId
              ? []
              : (await contactsPage(store.db, workspace.id, contactId - 1, 1)).filter(
                  (c) => c.id === contactId,
                );
    if (format === 'vcard') return writeVCards(sink, page);
    return writeAll(sink, format, CONTACT_COLUMNS, contactJson, page);
  }
  if (format === 'vcard') throw new Error('only contacts are exported as vCards');
  const zone = workspace.time_zone || 'UTC';
  return writeAll(sink, format, ATTEMPT_COLUMNS, attemptJson, async (after) =>
    (await attemptsPage(store.db, workspace.id, after, PAGE)).map((a) => placed(a, zone)),
  );
}

/**
 * One contact as a vCard, when the user may see it (scope.ts); gives 0 when there is no such
 * contact for them.
 */
export async function exportContactInScope(
  store: Store,
  user: User,
  contactId: number,
  sink: TextSink,
  now: number,
): Promise<number> {
  if (!(await findContactInScope(store.db, user, contactId))) return 0;
  return exportData(store, { kind: 'contacts', format: 'vcard', sink, user, contactId, now });
}

function contactVCard(c: ContactForExport): string {
  return toVCard({
    firstName: c.first_name,
    lastName: c.last_name,
    company: c.company ?? '',
    title: c.title,
    email: c.email,
    timeZone: c.time_zone,
    notes: c.notes,
    street: c.street,
    city: c.city,
    region: c.region,
    postalCode: c.postal_code,
    country: c.country,
    numbers: c.numbers,
  });
}

async function writeVCards(
  sink: TextSink,
  page: (afterId: number) => Promise<ContactForExport[]>,
): Promise<number> {
  let count = 0;
  let after = 0;
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) return count;
    await sink.write(rows.map(contactVCard).join(''));
    count += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}

async function writeAll<T extends { id: number }>(
  sink: TextSink,
  format: 'csv' | 'json',
  columns: Column<T>[],
  toJson: (row: T) => unknown,
  page: (afterId: number) => Promise<T[]>,
): Promise<number> {
  let count = 0;
  let after = 0;
  if (format === 'csv') await sink.write(stringify([columns.map(([h]) => h)]));
  else await sink.write('[');
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) break;
    if (format === 'csv') {
      await sink.write(
        stringify(rows.map((r) => columns.map(([, get, cell = neutralizeCell]) => cell(get(r))))),
      );
    } else {
      const parts = rows.map((r, i) => `${count + i === 0 ? '\n' : ',\n'}  ${JSON.stringify(toJson(r))}`);
      await sink.write(parts.join(''));
    }
    count += rows.length;
    after = rows[rows.length - 1]!.id;
  }
  if (format === 'json') await sink.write(count === 0 ? ']\n' : '\n]\n');
  return count;
}
