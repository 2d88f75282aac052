/**
 * Screening an inbound call for user U at time t (DESIGN.md): normalize the caller ID, find the
 * contacts owning that number (any kind, a company's main line included), then
 *
 * - U not in a block: ring;
 * - U in a block: ring when a matched contact is on U's callback list or has an appointment
 *   within 30 minutes; otherwise voicemail. Unknown and withheld numbers go to voicemail.
 *
 * A callback is credited whether or not U is in a block: `callbackFor` names the entry and the
 * attempt (the voicemail left, the call that asked for it) that earned it. Pure: the caller
 * loads the candidates, passes the time, and stores the decision. Never throws on a caller ID.
 *
 *   screenCall({ callerId: '+14155550123', defaultCountry: 'US', zone: 'America/New_York',
 *                block, contacts, callbacks, appointments, at })
 */
import {
  type CallbackEntry,
  callbackList,
  type ListAppointment,
  type ListedCallback,
} from '../callbacks/list.js';
import type { NumberKind } from '../contact-fields.js';
import { absoluteDate, weekdayName } from '../time/bands.js';
import { daysBetween, formatHhmm, localParts } from '../time/zoned.js';
import { assertUnreachable } from '../unreachable.js';
import { type CallerId, readCallerId } from './caller-id.js';

export type ScreenAction = 'ring' | 'voicemail';

/** Stored with each decision; the insights count by these. */
export type ScreenReason =
  | 'not_in_block'
  | 'callback_list'
  | 'appointment_soon'
  | 'not_expected'
  | 'unknown_number'
  | 'withheld_number'
  | 'fail_open';

export interface ScreenContact {
  id: number;
  name: string;
  company: string | null;
  ownerId: number | null;
  /** The contact's numbers; only those equal to the caller's count. */
  numbers: readonly { e164: string; kind: NumberKind }[];
}

export interface ScreenBlock {
  id: number;
  startedAt: number;
  plannedEndAt: number;
  endedAt: number | null;
}

export interface ScreenInput {
  callerId: string;
  defaultCountry: string;
  /** The user's zone: the greeting's "until 11:30" and the whisper's "of Tuesday" are theirs. */
  zone: string;
  userId: number;
  /** The user's latest block, or null. */
  block: ScreenBlock | null;
  contacts: readonly ScreenContact[];
  /** The user's callback entries for those contacts. */
  callbacks: readonly CallbackEntry[];
  /** The user's appointments with those contacts. */
  appointments: readonly ListAppointment[];
  at: number;
}

export interface MatchedContact {
  id: number;
  name: string;
  company: string | null;
  /** The kind of the matching number: `main` when it is a shared switchboard. */
  numberKind: NumberKind;
}

export interface CallbackFor {
  reason: ListedCallback['reason'];
  entryId: number | null;
  appointmentId: number | null;
  attemptId: number | null;
  sinceAt: number;
}

export interface ScreenDecision {
  action: ScreenAction;
  reason: ScreenReason;
  /** One sentence for the user: why it rang or went to voicemail. */
  explanation: string;
  caller: { raw: string; e164: string | null; withheld: boolean };
  /** Every contact owning the number, the one shown first. */
  contacts: MatchedContact[];
  contact: MatchedContact | null;
  callbackFor: CallbackFor | null;
  /** The block in force, or null. */
  blockId: number | null;
  blockEndsAt: number | null;
}

export function isInBlock(block: ScreenBlock | null, at: number): block is ScreenBlock {
  return block !== null && block.startedAt <= at && at < (block.endedAt ?? block.plannedEndAt);
}

export function screenCall(input: ScreenInput): ScreenDecision {
  const raw = typeof input.callerId === 'string' ? input.callerId : '';
  const caller: CallerId = readCallerId(raw, input.defaultCountry);
  const e164 = caller.kind === 'number' ? caller.e164 : null;
  const block = isInBlock(input.block, input.at) ? input.block : null;

  const matched = new Map<number, MatchedContact>();
  if (e164 !== null) {
    for (const c of input.contacts) {
      const hit = c.numbers.find((n) => n.e164 === e164);
      if (hit && !matched.has(c.id)) {
        matched.set(c.id, { id: c.id, name: c.name, company: c.company, numberKind: hit.kind });
      }
    }
  }
  const ids = new Set(matched.keys());
  const expected = callbackList(
    input.callbacks.filter((e) => ids.has(e.contactId)),
    input.appointments.filter((a) => ids.has(a.contactId)),
    input.at,
  );
  const owners = new Map(input.contacts.map((c) => [c.id, c.ownerId]));
  const rank = (m: MatchedContact): number => {
    const i = expected.findIndex((x) => x.contactId === m.id);
    if (i >= 0) return i;
    // Not expected: the user's own contact on a personal number is the likelier caller.
    return expected.length + (owners.get(m.id) === input.userId ? 0 : 2) + (m.numberKind === 'main' ? 1 : 0);
  };
  const contacts = [...matched.values()].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  const contact = contacts[0] ?? null;
  const first = expected[0] ?? null;
  const callbackFor: CallbackFor | null = first
    ? {
        reason: first.reason,
        entryId: first.entryId,
        appointmentId: first.appointmentId,
        attemptId: first.attemptId,
        sinceAt: first.sinceAt,
      }
    : null;

  const decide = (action: ScreenAction, reason: ScreenReason): ScreenDecision => ({
    action,
    reason,
    explanation: explain(reason, contact, callbackFor, block, input),
    caller: { raw, e164, withheld: caller.kind === 'withheld' },
    contacts,
    contact,
    callbackFor,
    blockId: block?.id ?? null,
    blockEndsAt: block ? (block.endedAt ?? block.plannedEndAt) : null,
  });

  if (!block) return decide('ring', 'not_in_block');
  if (first) return decide('ring', first.reason === 'appointment' ? 'appointment_soon' : 'callback_list');
  if (caller.kind !== 'number') return decide('voicemail', 'withheld_number');
  if (!contact) return decide('voicemail', 'unknown_number');
  return decide('voicemail', 'not_expected');
}

/** The decision when the store did not answer in time: the user's own phone rings (fail open). */
export function failOpenDecision(callerId: string, defaultCountry: string): ScreenDecision {
  const raw = typeof callerId === 'string' ? callerId : '';
  const caller = readCallerId(raw, defaultCountry);
  return {
    action: 'ring',
    reason: 'fail_open',
    explanation: 'put through unscreened: the database did not answer in time',
    caller: {
      raw,
      e164: caller.kind === 'number' ? caller.e164 : null,
      withheld: caller.kind === 'withheld',
    },
    contacts: [],
    contact: null,
    callbackFor: null,
    blockId: null,
    blockEndsAt: null,
  };
}

function who(contact: MatchedContact | null): string {
  if (!contact) return 'unknown caller';
  return contact.company ? `${contact.name}, ${contact.company}` : contact.name;
}

function explain(
  reason: ScreenReason,
  contact: MatchedContact | null,
  callbackFor: CallbackFor | null,
  block: ScreenBlock | null,
  input: ScreenInput,
): string {
  const until = block
    ? ` (block until ${formatHhmm(localParts(block.endedAt ?? block.plannedEndAt, input.zone).minutesOfDay)})`
    : '';
  switch (reason) {
    case 'not_in_block':
      return `${who(contact)}: not in a call block`;
    case 'callback_list':
      return `${who(contact)}: on your callback list — ${callbackWords(callbackFor!, input.zone, input.at)}`;
    case 'appointment_soon':
      return `${who(contact)}: phone appointment at ${formatHhmm(localParts(callbackFor!.sinceAt, input.zone).minutesOfDay)}`;
    case 'not_expected':
      return `${who(contact)}: not on your callback list${until}`;
    case 'unknown_number':
      return `unknown number${until}`;
    case 'withheld_number':
      return `number withheld or unreadable${until}`;
    case 'fail_open':
      return 'put through unscreened: the database did not answer in time';
    default:
      return assertUnreachable(reason);
  }
}

/** Why a call rang or went to voicemail, in words a rep reads: "not on your callback list". */
export function screenReasonWords(reason: ScreenReason): string {
  switch (reason) {
    case 'not_in_block':
      return 'not in a call block';
    case 'callback_list':
      return 'on your callback list';
    case 'appointment_soon':
      return 'a phone appointment was due';
    case 'not_expected':
      return 'not on your callback list';
    case 'unknown_number':
      return 'an unknown number';
    case 'withheld_number':
      return 'the number was withheld';
    case 'fail_open':
      return 'put through unscreened: the database did not answer in time';
    default:
      return assertUnreachable(reason);
  }
}

/** "your voicemail of Tuesday", "your voicemail of yesterday", "you circled them on Monday 2 Nov". */
export function callbackWords(callbackFor: CallbackFor, zone: string, now: number): string {
  const day = dayWords(callbackFor.sinceAt, zone, now);
  switch (callbackFor.reason) {
    case 'voicemail_left':
      return `your voicemail of ${day}`;
    case 'callback_requested':
      return `asked you to call back (${day})`;
    case 'appointment':
      return `phone appointment at ${formatHhmm(localParts(callbackFor.sinceAt, zone).minutesOfDay)}`;
    case 'manual':
      return `you circled them ${day === 'today' || day === 'yesterday' ? day : `on ${day}`}`;
    default:
      return assertUnreachable(callbackFor.reason);
  }
}

function dayWords(instant: number, zone: string, now: number): string {
  const days = daysBetween(localParts(instant, zone).dateKey, localParts(now, zone).dateKey);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days > 1 && days < 7) return weekdayName(localParts(instant, zone).weekday);
  return absoluteDate(instant, zone, now);
}

/** What the user hears before a call is put through: "Callback from Dana Lee, Acme — your voicemail of Tuesday". */
export function whisperFor(decision: ScreenDecision, zone: string, now: number): string {
  if (decision.reason === 'fail_open') return 'Unscreened call.';
  if (decision.callbackFor && decision.contact) {
    const kind = decision.callbackFor.reason === 'appointment' ? 'Appointment call' : 'Callback';
    return `${kind} from ${who(decision.contact)} — ${callbackWords(decision.callbackFor, zone, now)}`;
  }
  return decision.contact ? `Call from ${who(decision.contact)}` : 'Call from an unknown number';
}

/** What a caller sent to voicemail during a block hears: "I'm on calls until 11:30 …". */
export function blockGreeting(decision: ScreenDecision, userName: string, zone: string): string {
  const name = userName.trim() === '' ? '' : ` This is ${userName.trim()}.`;
  if (decision.blockEndsAt === null) {
    return `Hello.${name} I can't take your call right now. Please leave a message after the tone and I will call you back.`;
  }
  const until = formatHhmm(localParts(decision.blockEndsAt, zone).minutesOfDay);
  return `Hello.${name} I'm on calls until ${until}. Please leave your name, number and a short message after the tone, and I will call you back after ${until}.`;
}
