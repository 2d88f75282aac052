/**
 * A contact's timeline, a page at a time: attempts, voicemails received, inbound calls,
 * appointments, callback-list entries and do-not-call changes, newest first. Each kind lives in
 * its own table, so the store reads at most `limit + 1` of each past the cursor and this module
 * merges them; the cursor names the last entry shown, so a page never repeats or skips one
 * even when many share a timestamp.
 *
 *   const bounds = cursorBounds(cursor);          // → per kind: the condition the store adds
 *   const { entries, next } = mergePage(lists, limit);
 *
 * Order: time descending, then kind (TIMELINE_KINDS order), then id descending.
 */

export const TIMELINE_KINDS = [
  'attempt',
  'inbound_call',
  'voicemail',
  'appointment',
  'callback_entry',
  'do_not_call',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface Keyed {
  kind: TimelineKind;
  id: number;
  at: number;
}

export interface Cursor {
  at: number;
  kind: TimelineKind;
  id: number;
}

const RANK: Record<TimelineKind, number> = Object.fromEntries(TIMELINE_KINDS.map((k, i) => [k, i])) as Record<
  TimelineKind,
  number
>;

/** True when a comes before b on the timeline (newer first). */
export function before(a: Keyed, b: Keyed): boolean {
  if (a.at !== b.at) return a.at > b.at;
  if (a.kind !== b.kind) return RANK[a.kind] < RANK[b.kind];
  return a.id > b.id;
}

/**
 * What one kind's query must add to start after the cursor: entries at `at < atBelow`, or at
 * exactly `atBelow` when `sameAtIdBelow` allows it (null: none at that time; Infinity: all).
 */
export interface Bound {
  atBelow: number;
  sameAtIdBelow: number | null;
}

export function boundFor(kind: TimelineKind, cursor: Cursor | null): Bound | null {
  if (cursor === null) return null;
  if (RANK[kind] < RANK[cursor.kind]) return { atBelow: cursor.at, sameAtIdBelow: null };
  if (RANK[kind] > RANK[cursor.kind]) return { atBelow: cursor.at, sameAtIdBelow: Number.POSITIVE_INFINITY };
  return { atBelow: cursor.at, sameAtIdBelow: cursor.id };
}

/** Merges per-kind lists (each already newest first) into one page and the cursor after it. */
export function mergePage<T extends Keyed>(
  lists: readonly (readonly T[])[],
  limit: number,
): { entries: T[]; next: Cursor | null } {
  const all = lists.flat().sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const entries = all.slice(0, limit);
  const last = entries.at(-1);
  const next = all.length > limit && last ? { at: last.at, kind: last.kind, id: last.id } : null;
  return { entries, next };
}

export function encodeCursor(c: Cursor): string {
  return `${c.at}.${c.kind}.${c.id}`;
}

/** The cursor a client sent back, or a message saying what is wrong with it. */
export function decodeCursor(text: string): Cursor | { error: string } {
  const m = /^(-?\d{1,16})\.([a-z_]+)\.(\d{1,16})$/.exec(text);
  if (!m || !(TIMELINE_KINDS as readonly string[]).includes(m[2]!)) {
    return {
      error: `"${text.slice(0, 60)}" is not a timeline cursor (pass back the "next" of the previous page)`,
    };
  }
  return { at: Number(m[1]), kind: m[2] as TimelineKind, id: Number(m[3]) };
}
