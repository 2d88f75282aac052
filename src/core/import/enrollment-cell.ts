/**
 * A contact's campaign enrollments in one spreadsheet cell, as the contacts export writes them
 * and an import reads them back: `Harbor Q4 (active); Spring push (won)`. A `;` or `\` in a
 * campaign name is written with a backslash before it, so any name survives the round trip.
 */
import { ENROLLMENT_STATES, type EnrollmentState } from '../cadence/types.js';

export interface CellEnrollment {
  campaign: string;
  state: EnrollmentState;
}

const escapeName = (name: string) => name.replace(/[\\;]/g, (c) => `\\${c}`);

export function formatEnrollments(list: readonly CellEnrollment[]): string {
  return list.map((e) => `${escapeName(e.campaign)} (${e.state})`).join('; ');
}

const WITH_STATE = new RegExp(`^(.*\\S)\\s+\\((${ENROLLMENT_STATES.join('|')})\\)$`);

/** The enrollments a cell names; an entry without a known state in brackets is `new`. */
export function parseEnrollments(cell: string): CellEnrollment[] {
  const entries: string[] = [];
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i]!;
    if (c === '\\' && i + 1 < cell.length) current += cell[++i];
    else if (c === ';') {
      entries.push(current);
      current = '';
    } else current += c;
  }
  entries.push(current);
  const out: CellEnrollment[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const m = WITH_STATE.exec(entry);
    const enrollment: CellEnrollment = m
      ? { campaign: m[1]!, state: m[2] as EnrollmentState }
      : { campaign: entry, state: 'new' };
    if (!out.some((e) => e.campaign === enrollment.campaign)) out.push(enrollment);
  }
  return out;
}

/**
 * The state an imported enrollment starts in: an ended one (won, lost, unreachable,
 * do-not-call) stays ended; any other starts afresh, since its calls and times are not in the file.
 */
export function stateOnImport(state: EnrollmentState): EnrollmentState {
  return state === 'won' || state === 'lost' || state === 'unreachable' || state === 'dnc' ? state : 'new';
}
