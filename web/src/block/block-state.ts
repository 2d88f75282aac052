/**
 * A call block as the browser keeps it: when it started, when it is planned to end, the
 * campaign it works, and its running statistics. Kept in localStorage so a reload mid-block
 * carries on where it was.
 */
import { LIVE_OUTCOMES, type Outcome } from '../outcomes.js';

export interface BlockStats {
  dials: number;
  conversations: number;
  voicemails: number;
  appointments: number;
}

export interface LoggedCall {
  contactId: number;
  name: string;
  outcome: Outcome;
  at: string;
  /** The cadence's next step in plain words, once the server has answered. */
  next: string | null;
  /** The rules behind it (blocks saved before it was kept have none). */
  why?: string[];
  pending: boolean;
}

export interface BlockSession {
  /** The server's id for the block, when the server keeps blocks. */
  id: number | null;
  startedAt: string;
  endsAt: string;
  campaign: string | null;
  stats: BlockStats;
  log: LoggedCall[];
  /** Calls skipped in the block (absent in blocks saved before skips existed). */
  skips?: number;
}

const KEY = 'ringback.block';

export const EMPTY_STATS: BlockStats = { dials: 0, conversations: 0, voicemails: 0, appointments: 0 };

export function loadBlock(storage: Pick<Storage, 'getItem'> = localStorage): BlockSession | null {
  try {
    return JSON.parse(storage.getItem(KEY) ?? 'null') as BlockSession | null;
  } catch {
    return null;
  }
}

export function saveBlock(
  block: BlockSession | null,
  storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage,
) {
  if (block === null) storage.removeItem(KEY);
  else storage.setItem(KEY, JSON.stringify(block));
}

export function countCall(stats: BlockStats, outcome: Outcome): BlockStats {
  return {
    dials: stats.dials + 1,
    conversations: stats.conversations + (LIVE_OUTCOMES.has(outcome) ? 1 : 0),
    voicemails: stats.voicemails + (outcome === 'voicemail_left' ? 1 : 0),
    appointments: stats.appointments + (outcome === 'appointment_set' ? 1 : 0),
  };
}

/** Dials per hour so far; none in the first minute, where the rate says nothing. */
export function dialsPerHour(stats: BlockStats, startedAt: string, now: number): number | null {
  const minutes = (now - Date.parse(startedAt)) / 60_000;
  if (minutes < 1) return null;
  return Math.round((stats.dials * 60) / minutes);
}

/** "12:04" for a duration in milliseconds; negative durations read as overtime. */
export function formatClock(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
