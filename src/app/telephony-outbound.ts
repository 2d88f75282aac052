/**
 * Outbound click-to-call through the provider's REST API (Twilio's Calls resource, or any
 * provider speaking it at `apiBaseUrl`): the provider rings the user's own phone; when they
 * answer, TwiML bridges them to the contact with the workspace caller ID. Answering-machine
 * detection on the contact's leg decides what happens there — a person is bridged; a machine
 * hears the user's recorded message (voicemail drop) when they have one, else the call hangs
 * up — and the Dial's end logs the attempt with its duration, as a rep would by hand:
 *
 *   human, completed → connected      machine + drop → voicemail_left     machine → voicemail_skipped
 *   busy → busy                       no-answer, canceled → no_answer     failed → bad_number
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { LogResult } from '../contracts/queue.js';
import type { Outcome } from '../core/cadence/types.js';
import { stateForContact } from '../core/calling-hours/calling-hours.js';
import { CONSENT_NOTICE, needsConsentNotice } from '../core/calling-hours/recording-consent.js';
import { stateForNumber } from '../core/time/zone-of.js';
import { contactVisibleTo } from '../store/callback-repo.js';
import type { Store } from '../store/db.js';
import { numbersOf } from '../store/queue-repo.js';
import type { User } from '../store/schema.js';
import { insertProviderCall, providerCallById, updateProviderCall } from '../store/telephony-repo.js';
import { AppError, invalid, isAppError, notFound } from './errors.js';
import { logAttempt } from './log-attempt.js';
import { planOutbound } from './outbound-check.js';
import type { TelephonyEntry, TelephonySettings } from './telephony-settings.js';

export interface OutboundUrls {
  /** TwiML run on the user's leg once they answer. */
  bridge(callId: number): string;
  /** TwiML run on the contact's leg when it answers, with AnsweredBy. */
  answered(callId: number): string;
  /** The Dial's end on the user's leg: DialCallStatus, DialCallDuration. */
  dialed(callId: number): string;
  /** The provider's status callback for the user's leg. */
  status(callId: number): string;
}

export interface ClickToCall {
  user: User;
  /** One of the workspace's configured numbers; else its caller ID. */
  callerId?: string | undefined;
  contactId: number;
  campaign?: string | undefined;
  /** E.164; else the number the cadence would dial (rule 11). */
  number?: string | undefined;
  at: number;
}

export interface StartedCall {
  callId: number;
  providerSid: string;
  to: string;
  userPhone: string;
}

const MACHINE = /^machine/;

export async function startClickToCall(
  store: Store,
  entry: TelephonyEntry | null,
  req: ClickToCall,
  urls: OutboundUrls,
  fetchImpl: typeof fetch = fetch,
): Promise<StartedCall> {
  const contact = await contactVisibleTo(store.db, req.user, req.contactId);
  if (!contact) throw notFound(`there is no contact ${req.contactId}`);
  if (!entry) {
    throw invalid('no telephony provider is set up: dial with the tel: link and log the outcome');
  }
  if (!req.user.phone) throw invalid('your own phone number is not set: the provider rings it first');
  const callerId = req.callerId ?? entry.settings.callerId;
  if (callerId !== entry.settings.callerId && !(callerId in entry.settings.numbers)) {
    throw invalid(
      `${callerId} is not a number this workspace set up with its provider: call from ${[
        entry.settings.callerId,
        ...Object.keys(entry.settings.numbers).filter((n) => n !== entry.settings.callerId),
      ].join(' or ')}`,
    );
  }
  const plan = await planOutbound(store, { ...req, contactId: contact.id, scopedTo: req.user });
  if (!plan.verdict.ok) {
    const { reason, refusal, nextAllowedAt } = plan.verdict;
    throw new AppError(reason, { code: 'call_refused', refusal, nextAllowedAt });
  }
  const { to, enrollment } = plan;
  const callId = await insertProviderCall(store.db, {
    workspace_id: req.user.workspace_id,
    user_id: req.user.id,
    contact_id: contact.id,
    campaign_id: enrollment.campaign_id,
    to_e164: to,
    caller_id: callerId,
    call_sid: null,
    status: 'queued',
    answered_by: null,
    attempt_id: null,
    created_at: req.at,
    updated_at: req.at,
  });
  const s = entry.settings;
  const form = new URLSearchParams({
    To: req.user.phone,
    From: callerId,
    Url: urls.bridge(callId),
    Method: 'POST',
    StatusCallback: urls.status(callId),
    StatusCallbackMethod: 'POST',
  });
  let response: Response;
  try {
    response = await fetchImpl(
      `${s.apiBaseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(s.accountSid)}/Calls.json`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(10_000),
      },
    );
  } catch (error) {
    await updateProviderCall(store.db, callId, { status: 'failed', updated_at: req.at });
    throw new AppError(`the provider could not be reached: ${(error as Error).message}`, {
      code: 'provider_failed',
    });
  }
  const body = (await response.json().catch(() => ({}))) as { sid?: unknown; message?: unknown };
  if (!response.ok || typeof body.sid !== 'string') {
    await updateProviderCall(store.db, callId, { status: 'failed', updated_at: req.at });
    throw new AppError(
      `the provider refused the call (${response.status}): ${String(body.message ?? '')}`.trim(),
      {
        code: 'provider_failed',
      },
    );
  }
  await updateProviderCall(store.db, callId, {
    call_sid: body.sid,
    status: 'ringing_user',
    updated_at: req.at,
  });
  return { callId, providerSid: body.sid, to, userPhone: req.user.phone };
}

async function callOf(store: Store, workspaceId: number, callId: number) {
  const call = await providerCallById(store.db, workspaceId, callId);
  if (!call) throw invalid(`there is no call ${callId}`);
  return call;
}

/** The user answered: bridge them to the contact, detecting an answering machine on the contact's leg. */
export async function bridgeTwiml(
  store: Store,
  settings: TelephonySettings,
  workspaceId: number,
  callId: number,
  urls: OutboundUrls,
): Promise<string> {
  const call = await callOf(store, workspaceId, callId);
  const response = new VoiceResponse();
  // The rep hears the notice here; the contact hears it when their leg answers (answeredTwiml).
  if (await consentNoticeNeeded(store, settings, workspaceId, call)) response.say(CONSENT_NOTICE);
  const dial = response.dial({
    callerId: call.caller_id ?? settings.callerId,
    action: urls.dialed(callId),
    method: 'POST',
    timeout: 30,
    ...(settings.recordCalls ? { record: 'record-from-answer-dual' as const } : {}),
  });
  dial.number(
    { url: urls.answered(callId), method: 'POST', machineDetection: 'DetectMessageEnd' },
    call.to_e164,
  );
  return response.toString();
}

/** The user's recorded message for a campaign, else their general one (settings.voicemailDrops). */
export function dropFor(settings: TelephonySettings, email: string, campaign: string | null): string | null {
  const drops = settings.voicemailDrops;
  return (campaign ? drops[`${email}/${campaign}`] : undefined) ?? drops[email] ?? null;
}

/** The contact's leg answered: a person is bridged; a machine gets the voicemail drop, or a hang-up. */
export async function answeredTwiml(
  store: Store,
  settings: TelephonySettings,
  workspaceId: number,
  callId: number,
  answeredBy: string,
  at: number,
): Promise<string> {
  const call = await callOf(store, workspaceId, callId);
  const response = new VoiceResponse();
  if (!MACHINE.test(answeredBy)) {
    const notice = await consentNoticeNeeded(store, settings, workspaceId, call);
    if (notice) response.say(CONSENT_NOTICE);
    await updateProviderCall(store.db, callId, {
      answered_by: answeredBy || 'human',
      status: 'bridged',
      ...(notice ? { consent_notice: 1 } : {}),
      updated_at: at,
    });
    return response.toString();
  }
  const user = await store.db
    .selectFrom('users')
    .select('email')
    .where('id', '=', call.user_id)
    .executeTakeFirstOrThrow();
  const campaign = call.campaign_id
    ? ((
        await store.db
          .selectFrom('campaigns')
          .select('name')
          .where('id', '=', call.campaign_id)
          .executeTakeFirst()
      )?.name ?? null)
    : null;
  // A message is a call of its own: it plays only if the rules still allow calling now.
  const drop = (await dropAllowed(store, workspaceId, call, at))
    ? dropFor(settings, user.email, campaign)
    : null;
  await updateProviderCall(store.db, callId, {
    answered_by: answeredBy,
    status: drop ? 'voicemail_dropped' : 'machine',
    updated_at: at,
  });
  if (drop) response.play(drop);
  response.hangup();
  return response.toString();
}

/** Recording is on and the contact's state or the rep's (from their phone) requires every party's consent. */
async function consentNoticeNeeded(
  store: Store,
  settings: TelephonySettings,
  workspaceId: number,
  call: { user_id: number; contact_id: number },
): Promise<boolean> {
  if (!settings.recordCalls) return false;
  const contact = await store.db
    .selectFrom('contacts')
    .select(['region', 'country'])
    .where('id', '=', call.contact_id)
    .executeTakeFirstOrThrow();
  const numbers = await numbersOf(store.db, workspaceId, [call.contact_id]);
  const rep = await store.db
    .selectFrom('users')
    .select('phone')
    .where('id', '=', call.user_id)
    .executeTakeFirstOrThrow();
  return needsConsentNotice(true, [
    stateForContact(
      contact,
      numbers.map((n) => n.e164),
    ),
    rep.phone ? stateForNumber(rep.phone) : null,
  ]);
}

async function dropAllowed(
  store: Store,
  workspaceId: number,
  call: { user_id: number; contact_id: number; campaign_id: number | null; to_e164: string },
  at: number,
): Promise<boolean> {
  const plan = await planOutbound(store, {
    user: { id: call.user_id, workspace_id: workspaceId },
    contactId: call.contact_id,
    campaignId: call.campaign_id,
    number: call.to_e164,
    at,
  }).catch((error: unknown) => {
    if (isAppError(error, 'invalid')) return null;
    throw error;
  });
  return plan?.verdict.ok ?? false;
}

/** What the Dial's end means as an attempt outcome. */
export function outcomeOf(dialStatus: string, answeredBy: string | null, dropped: boolean): Outcome {
  if (answeredBy && MACHINE.test(answeredBy)) return dropped ? 'voicemail_left' : 'voicemail_skipped';
  switch (dialStatus) {
    case 'completed':
    case 'answered':
      return 'connected';
    case 'busy':
      return 'busy';
    case 'failed':
      return 'bad_number';
    default:
      return 'no_answer';
  }
}

/** The Dial ended: log the attempt once, with the duration the provider measured. */
export async function dialEnded(
  store: Store,
  workspaceId: number,
  callId: number,
  dialStatus: string,
  durationSeconds: number | null,
  at: number,
): Promise<LogResult | null> {
  const call = await callOf(store, workspaceId, callId);
  if (call.attempt_id !== null) return null;
  const user = await store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', call.user_id)
    .executeTakeFirstOrThrow();
  const campaign = call.campaign_id
    ? (
        await store.db
          .selectFrom('campaigns')
          .select('name')
          .where('id', '=', call.campaign_id)
          .executeTakeFirst()
      )?.name
    : undefined;
  const outcome = outcomeOf(dialStatus, call.answered_by, call.status === 'voicemail_dropped');
  const logged = await logAttempt(store, {
    user,
    contactId: call.contact_id,
    outcome,
    campaign,
    at: at - (durationSeconds ?? 0) * 1000,
    number: call.to_e164,
    durationSeconds: durationSeconds ?? undefined,
    consentNotice: call.consent_notice === 1,
    note: 'dialled through the provider',
  });
  await updateProviderCall(store.db, callId, {
    attempt_id: logged.attemptId,
    status: 'ended',
    updated_at: at,
  });
  return logged;
}

/** The provider's status of the user's own leg; a call the user never answered logs nothing. */
export async function userLegStatus(
  store: Store,
  workspaceId: number,
  callId: number,
  status: string,
  at: number,
) {
  const call = await callOf(store, workspaceId, callId);
  if (call.attempt_id !== null || call.status === 'ended') return;
  if (['busy', 'no-answer', 'failed', 'canceled'].includes(status)) {
    await updateProviderCall(store.db, callId, { status: `user_${status}`, updated_at: at });
  }
}
