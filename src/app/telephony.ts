/**
 * Inbound calls through a TwiML provider (Twilio, and providers that speak TwiML): screen the
 * call and answer with TwiML — `ring` dials the user's own phone with a whisper ("Callback from
 * Dana Lee, Acme — your voicemail of Tuesday"), `voicemail` plays the block greeting and
 * records — then store the recording and its transcription on the contact's timeline.
 *
 * Screening gets `deadlineMs`: past it the call rings through to the user's own phone
 * unscreened (fail open) and the fallback is logged; the decision is still stored, as a
 * fail-open ring, once the store answers.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { greetingFor } from '../core/screening/greeting.js';
import { whisperFor } from '../core/screening/screen.js';
import type { Store } from '../store/db.js';
import { storeErrorKind } from '../store/errors.js';
import type { User } from '../store/schema.js';
import { decisionByCallSid } from '../store/screening-repo.js';
import { contactCard, insertVoicemail, setVoicemailTranscription } from '../store/telephony-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { AppError, isAppError } from './errors.js';
import type { RingbackEvent } from './events.js';
import { type Screened, screenInbound } from './screen.js';
import type { TelephonyEntry } from './telephony-settings.js';
import { twimlTemplate } from './twiml.js';
import { emitWebhookEvent } from './webhook-events.js';

/** Where the provider is sent next; every URL is under the server's public base so signatures match. */
export interface TelephonyUrls {
  whisper(text: string): string;
  recording: string;
  transcription: string;
}

export interface TelephonyLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface InboundCall {
  callSid: string;
  from: string;
  to: string;
  at: number;
}

const RECORDING_URL_MAX = 2000;

/**
 * Why a recording URL is refused, or null: the user's browser opens it from the timeline, so
 * only an https URL (the provider's media host) is stored, never http or javascript:.
 */
function recordingUrlProblem(url: string): string | null {
  if (url.length > RECORDING_URL_MAX) return `longer than ${RECORDING_URL_MAX} characters`;
  if (!URL.canParse(url)) return 'not a URL';
  return new URL(url).protocol === 'https:' ? null : 'not an https URL';
}

export interface Answered {
  twiml: string;
  /** True when the store did not answer in time and the call rang the user's own phone unscreened. */
  failOpen: boolean;
  /** Null when the call was not screened (fail open, or no user for the number). */
  screened: Screened | null;
  /** Whose call it was; null when no user is set up for the number called. */
  user: User | null;
}

const RECORDING_MAX_SECONDS = 120;
/** What the user hears before a call put through unscreened (fail open). */
export const UNSCREENED_WHISPER = 'Unscreened call.';
/** A recording callback later than this after its call is stale. */
const STALE_AFTER_MS = 24 * 60 * 60_000;

type Raced<T> = { ok: true; value: T } | { ok: false };

/** Waits for `work` at most `ms`; a late rejection is not left unhandled. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false }), ms);
  });
  work.catch(() => {});
  try {
    return await Promise.race([work.then((value) => ({ ok: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function answerInbound(
  store: Store,
  entry: TelephonyEntry,
  call: InboundCall,
  urls: TelephonyUrls,
  log: TelephonyLog,
): Promise<Answered> {
  const user = entry.users.get(call.to) ?? null;
  if (!user) {
    log.warn({ to: call.to, callSid: call.callSid }, 'inbound call to a number no user is set up for');
    return { twiml: TWIML.notInService.render({}), failOpen: false, screened: null, user: null };
  }
  let late = false;
  const work = screenInbound(
    store,
    { user, workspace: entry.workspace, callerId: call.from, at: call.at, callSid: call.callSid },
    {
      late: () => late,
      onDeferred: (error) =>
        log.warn(
          { callSid: call.callSid, error: String(error) },
          'screening decision deferred: the store is locked',
        ),
      onLost: (error) =>
        log.warn({ callSid: call.callSid, error: String(error) }, 'screening decision could not be stored'),
    },
  );
  let unavailable: unknown;
  const raced = await withDeadline(work, entry.settings.deadlineMs).catch((error): Raced<Screened> => {
    if (isAppError(error, 'webhook_rejected')) throw error;
    // The database is away: the caller is put through as when it is slow, not hung up on.
    if (storeErrorKind(error) === 'unavailable') {
      unavailable = error;
      return { ok: false };
    }
    throw error;
  });
  if (!raced.ok) {
    late = true;
    log.warn(
      {
        callSid: call.callSid,
        deadlineMs: entry.settings.deadlineMs,
        userId: user.id,
        ...(unavailable === undefined ? {} : { error: String(unavailable) }),
      },
      unavailable === undefined
        ? 'screening fell back: the store did not answer in time, ringing the user unscreened'
        : 'screening fell back: the store is unavailable, ringing the user unscreened',
    );
    return { twiml: dial(user, UNSCREENED_WHISPER, urls), failOpen: true, screened: null, user };
  }
  const screened = raced.value;
  const { decision, zone } = screened;
  if (decision.action === 'ring' && user.phone) {
    return { twiml: dial(user, whisperFor(decision, zone, call.at), urls), failOpen: false, screened, user };
  }
  const twiml = TWIML.greeting.render({
    greeting: greetingFor(decision, entry.greeting, user.name, zone),
    recording: urls.recording,
    transcription: urls.transcription,
  });
  return { twiml, failOpen: false, screened, user };
}

/**
 * Every TwiML answer, built by twilio's VoiceResponse once per shape (see twiml.ts); a call
 * only fills in its values.
 */
export const TWIML = {
  notInService: twimlTemplate<never>(() => {
    const response = new VoiceResponse();
    response.say('Sorry, this number is not in service.');
    response.hangup();
    return response.toString();
  }),
  /** `voicemail`: the block greeting, then the caller's message recorded and transcribed. */
  greeting: twimlTemplate<'greeting' | 'recording' | 'transcription'>((slot) => {
    const response = new VoiceResponse();
    response.say(slot.text('greeting'));
    response.record({
      action: slot.attribute('recording'),
      method: 'POST',
      maxLength: RECORDING_MAX_SECONDS,
      playBeep: true,
      transcribe: true,
      transcribeCallback: slot.attribute('transcription'),
    });
    return response.toString();
  }),
  /** `ring`: the user's own phone, the whisper played to them before the call is bridged. */
  dial: twimlTemplate<'whisperUrl' | 'phone'>((slot) => {
    const response = new VoiceResponse();
    const d = response.dial({ timeout: 25, answerOnBridge: true });
    d.number({ url: slot.attribute('whisperUrl'), method: 'POST' }, slot.text('phone'));
    return response.toString();
  }),
  /** `ring` for a user without a phone of their own: a message is all that can be taken. */
  noPhone: twimlTemplate<'recording'>((slot) => {
    const response = new VoiceResponse();
    response.say('Please leave a message after the tone.');
    response.record({
      action: slot.attribute('recording'),
      method: 'POST',
      maxLength: RECORDING_MAX_SECONDS,
      playBeep: true,
    });
    return response.toString();
  }),
  whisper: twimlTemplate<'text'>((slot) => {
    const response = new VoiceResponse();
    response.say(slot.text('text'));
    return response.toString();
  }),
  goodbye: twimlTemplate<never>(() => {
    const response = new VoiceResponse();
    response.say('Thank you. Goodbye.');
    response.hangup();
    return response.toString();
  }),
};

function dial(user: User, whisper: string, urls: TelephonyUrls): string {
  if (!user.phone) return TWIML.noPhone.render({ recording: urls.recording });
  return TWIML.dial.render({ whisperUrl: urls.whisper(whisper), phone: user.phone });
}

/** The whisper TwiML played to the user before the call is bridged. */
export function whisperTwiml(text: string): string {
  return TWIML.whisper.render({ text: text.slice(0, 500) });
}

export interface RecordingCallback {
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  durationSeconds: number;
  at: number;
}

export interface StoredVoicemail {
  twiml: string;
  /** What the user's event stream is told (`voicemail.received`). */
  event: RingbackEvent;
}

/** Stores the voicemail an inbound caller left, on the contact's timeline; refuses replays and strangers. */
export async function storeRecording(
  store: Store,
  workspaceId: number,
  rec: RecordingCallback,
): Promise<StoredVoicemail> {
  const urlProblem = recordingUrlProblem(rec.recordingUrl);
  if (urlProblem) throw new AppError(urlProblem, { code: 'webhook_field', field: 'RecordingUrl' });
  const decision = await decisionByCallSid(store.db, workspaceId, rec.callSid);
  if (decision?.action !== 'voicemail') {
    throw new AppError(`no call ${rec.callSid} was sent to voicemail`, { code: 'webhook_rejected' });
  }
  if (rec.at - decision.decided_at > STALE_AFTER_MS) {
    throw new AppError(`the call ${rec.callSid} is too old for a recording`, { code: 'webhook_rejected' });
  }
  const stored = await inWriteTransaction(store, async (db) => {
    const id = await insertVoicemail(db, {
      workspace_id: workspaceId,
      user_id: decision.user_id,
      contact_id: decision.contact_id,
      decision_id: decision.id,
      call_sid: rec.callSid,
      recording_sid: rec.recordingSid,
      caller_e164: decision.caller_e164,
      recording_url: rec.recordingUrl,
      duration_s: rec.durationSeconds,
      transcription: null,
      received_at: rec.at,
    });
    if (id === null) {
      throw new AppError(
        `a recording of call ${rec.callSid} (or recording ${rec.recordingSid}) was already received`,
        { code: 'webhook_rejected' },
      );
    }
    const contact = decision.contact_id === null ? undefined : await contactCard(db, decision.contact_id);
    const event: RingbackEvent = {
      workspaceId,
      userId: decision.user_id,
      type: 'voicemail.received',
      data: {
        voicemailId: id,
        decisionId: decision.id,
        blockId: decision.block_id,
        at: new Date(rec.at).toISOString(),
        caller: decision.caller_e164 ?? decision.caller_raw.slice(0, 40),
        contact: contact
          ? {
              id: contact.id,
              name: `${contact.first_name} ${contact.last_name}`.trim(),
              company: contact.company,
            }
          : null,
        durationSeconds: rec.durationSeconds,
        url: rec.recordingUrl.slice(0, 500),
      },
    };
    await emitWebhookEvent(
      db,
      workspaceId,
      'voicemail.received',
      { userId: decision.user_id, ...(event.data as Record<string, unknown>) },
      rec.at,
    );
    return event;
  });
  return { twiml: TWIML.goodbye.render({}), event: stored };
}

/** Stores a message's transcription; the first one stays, so a replay changes nothing. */
export async function storeTranscription(
  store: Store,
  workspaceId: number,
  recordingSid: string,
  text: string,
): Promise<void> {
  const outcome = await setVoicemailTranscription(store.db, workspaceId, recordingSid, text.slice(0, 10_000));
  if (outcome === 'missing')
    throw new AppError(`no voicemail has the recording ${recordingSid}`, { code: 'webhook_rejected' });
}
