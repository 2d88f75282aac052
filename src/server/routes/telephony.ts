/**
 * Telephony webhooks (TwiML, as Twilio and compatible providers speak it) and the workspace's
 * provider settings. Every webhook is checked before any work: the X-Twilio-Signature must be
 * the HMAC of the public URL and the sorted form parameters under the workspace's auth token
 * (twilio's validateRequest, compared in constant time); a missing or wrong one gets 403 and
 * changes nothing. The public URL is the server's --public-url (behind a proxy, the URL the
 * provider calls), else this request's own host.
 *
 *   POST /telephony/1/voice        inbound call → <Dial> with a whisper, or greeting + <Record>
 *   POST /telephony/1/whisper      what the user hears before the call is bridged
 *   POST /telephony/1/recording    the caller's message: stored on the contact's timeline
 *   POST /telephony/1/transcription
 */

import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { z } from 'zod';
import { failOpenEvent } from '../../app/screen.js';
import {
  answerInbound,
  storeRecording,
  storeTranscription,
  UNSCREENED_WHISPER,
  whisperTwiml,
  withDeadline,
} from '../../app/telephony.js';
import {
  answeredTwiml,
  bridgeTwiml,
  dialEnded,
  type OutboundUrls,
  startClickToCall,
  userLegStatus,
} from '../../app/telephony-outbound.js';
import {
  setTelephony,
  TelephonyDirectory,
  type TelephonyEntry,
  type TelephonySettings,
} from '../../app/telephony-settings.js';
import { contactVisibleTo } from '../../store/callback-repo.js';
import { storeErrorKind } from '../../store/errors.js';
import { voicemailsOfContact } from '../../store/telephony-repo.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { Problem, storeUnavailable } from '../problem.js';
import { publish, publishDecision } from '../publish.js';

type FormParams = Record<string, string | string[]>;

declare module 'fastify' {
  interface FastifyRequest {
    telephony?: TelephonyEntry;
  }
}

const FORM_LIMIT = 64 * 1024;

function parseForm(body: string): FormParams {
  const params: FormParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const held = params[key];
    if (held === undefined) params[key] = value;
    else params[key] = Array.isArray(held) ? [...held, value] : [held, value];
  }
  return params;
}

const one = (params: FormParams, key: string): string => {
  const v = params[key];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

/**
 * Twilio's check: the URL exactly as called first (one HMAC, the usual case), then twilio's
 * validateRequest, which also tries the URL with and without its port and normalized.
 */
function signedBy(authToken: string, signature: string, url: string, params: FormParams): boolean {
  const expected = Buffer.from(getExpectedTwilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  return validateRequest(authToken, signature, url, params);
}

const workspaceParams = z.strictObject({ workspaceId: z.coerce.number().int().positive() });
const callParams = workspaceParams.extend({ callId: z.coerce.number().int().positive() });

export function registerTelephonyRoutes(app: ZodApp, ctx: ServerContext): void {
  const directory = new TelephonyDirectory(ctx.store, ctx.now);
  /** Where the provider reaches us: the workspace's own public URL, else the server's, else this request's host. */
  const publicBase = (request: FastifyRequest, settings?: { publicUrl?: string | undefined } | null) =>
    settings?.publicUrl ?? ctx.publicUrl ?? `${request.protocol}://${request.host}`;

  const loadEntry = async (workspaceId: number) => {
    const fallbackMs = directory.peek(workspaceId)?.settings.deadlineMs ?? 2000;
    // Slow or unreachable store: the last settings known still verify the call.
    const loaded = await withDeadline(directory.get(workspaceId), fallbackMs).catch((error) => {
      if (storeErrorKind(error) === 'unavailable') return { ok: false as const };
      throw error;
    });
    return loaded.ok ? loaded.value : directory.peek(workspaceId);
  };

  /** Loads the workspace's settings (or the last known ones, if the store is slow) and checks the signature. */
  const verify = async (request: FastifyRequest) => {
    const { workspaceId } = request.params as { workspaceId: number };
    const entry = directory.fresh(workspaceId) ?? (await loadEntry(workspaceId));
    if (entry === undefined) throw storeUnavailable();
    // No provider set up: nothing could have signed this.
    if (entry === null) throw new Problem('forbidden', 'telephony is not set up for this workspace');
    const signature = request.headers['x-twilio-signature'];
    const params = (request.body ?? {}) as FormParams;
    const url = `${publicBase(request, entry.settings)}${request.url}`;
    if (typeof signature !== 'string' || !signedBy(entry.settings.authToken, signature, url, params)) {
      throw new Problem('forbidden', 'missing or invalid X-Twilio-Signature');
    }
    request.telephony = entry;
  };

  const xml = (reply: FastifyReply, twiml: string) => reply.type('text/xml; charset=utf-8').send(twiml);

  const outboundUrls = (
    request: FastifyRequest,
    entry: { workspaceId: number; settings: TelephonySettings | null },
  ): OutboundUrls => {
    const base = `${publicBase(request, entry.settings)}/telephony/${entry.workspaceId}/outbound`;
    return {
      bridge: (id) => `${base}/${id}/bridge`,
      answered: (id) => `${base}/${id}/answered`,
      dialed: (id) => `${base}/${id}/dialed`,
      status: (id) => `${base}/${id}/status`,
    };
  };

  app.register(async (scope) => {
    // The provider posts forms, and the signature covers form parameters: a JSON body would be
    // parsed, and signed, as something no provider sends.
    scope.addHook('onRequest', async (request) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        throw new Problem(
          'unsupported_media_type',
          `telephony webhooks take the provider's form (application/x-www-form-urlencoded), not ${type || 'a body without a Content-Type'}`,
        );
      }
    });
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_request, body, done) => done(null, parseForm(body as string)),
    );
    const webhook = { schema: { hide: true, params: workspaceParams }, preHandler: verify };

    scope.post('/telephony/:workspaceId/voice', webhook, async (request, reply) => {
      const entry = request.telephony!;
      const params = request.body as FormParams;
      const base = `${publicBase(request, entry.settings)}/telephony/${entry.workspaceId}`;
      const at = ctx.now();
      const answered = await answerInbound(
        ctx.store,
        entry,
        {
          callSid: one(params, 'CallSid'),
          from: one(params, 'From'),
          to: one(params, 'To'),
          at,
        },
        {
          whisper: (text) => `${base}/whisper?text=${encodeURIComponent(text)}`,
          recording: `${base}/recording`,
          transcription: `${base}/transcription`,
        },
        request.log,
      );
      // Not awaited: the provider is waiting for its TwiML, and publishing logs its own failures.
      if (answered.screened && answered.user)
        void publishDecision(ctx, request, answered.user, answered.screened, at);
      if (answered.failOpen && answered.user) {
        const call = {
          callerId: one(params, 'From'),
          callSid: one(params, 'CallSid'),
          defaultCountry: entry.workspace.default_country,
        };
        void publish(ctx, request, failOpenEvent(answered.user, call, UNSCREENED_WHISPER, at));
      }
      return xml(reply, answered.twiml);
    });

    const outbound = { schema: { hide: true, params: callParams }, preHandler: verify };
    const callId = (request: FastifyRequest) => (request.params as { callId: number }).callId;

    scope.post('/telephony/:workspaceId/outbound/:callId/bridge', outbound, async (request, reply) => {
      const entry = request.telephony!;
      return xml(
        reply,
        await bridgeTwiml(
          ctx.store,
          entry.settings,
          entry.workspaceId,
          callId(request),
          outboundUrls(request, entry),
        ),
      );
    });

    scope.post('/telephony/:workspaceId/outbound/:callId/answered', outbound, async (request, reply) => {
      const entry = request.telephony!;
      const answeredBy = one(request.body as FormParams, 'AnsweredBy');
      return xml(
        reply,
        await answeredTwiml(
          ctx.store,
          entry.settings,
          entry.workspaceId,
          callId(request),
          answeredBy,
          ctx.now(),
        ),
      );
    });

    scope.post('/telephony/:workspaceId/outbound/:callId/dialed', outbound, async (request, reply) => {
      const entry = request.telephony!;
      const params = request.body as FormParams;
      const duration = Number.parseInt(one(params, 'DialCallDuration'), 10);
      await dialEnded(
        ctx.store,
        entry.workspaceId,
        callId(request),
        one(params, 'DialCallStatus'),
        Number.isFinite(duration) && duration >= 0 ? duration : null,
        ctx.now(),
      );
      const response = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
      return xml(reply, response);
    });

    scope.post('/telephony/:workspaceId/outbound/:callId/status', outbound, async (request, reply) => {
      const entry = request.telephony!;
      await userLegStatus(
        ctx.store,
        entry.workspaceId,
        callId(request),
        one(request.body as FormParams, 'CallStatus'),
        ctx.now(),
      );
      return reply.code(204).send();
    });

    scope.post('/telephony/:workspaceId/whisper', webhook, async (request, reply) => {
      const text = (request.query as { text?: unknown }).text;
      return xml(reply, whisperTwiml(typeof text === 'string' ? text : ''));
    });

    scope.post('/telephony/:workspaceId/recording', webhook, async (request, reply) => {
      const entry = request.telephony!;
      const params = request.body as FormParams;
      const duration = Number.parseInt(one(params, 'RecordingDuration'), 10);
      const stored = await storeRecording(ctx.store, entry.workspaceId, {
        callSid: one(params, 'CallSid'),
        recordingSid: one(params, 'RecordingSid'),
        recordingUrl: one(params, 'RecordingUrl'),
        durationSeconds: Number.isFinite(duration) && duration >= 0 ? duration : 0,
        at: ctx.now(),
      });
      void publish(ctx, request, stored.event);
      return xml(reply, stored.twiml);
    });

    scope.post('/telephony/:workspaceId/transcription', webhook, async (request, reply) => {
      const entry = request.telephony!;
      const params = request.body as FormParams;
      await storeTranscription(
        ctx.store,
        entry.workspaceId,
        one(params, 'RecordingSid'),
        one(params, 'TranscriptionText'),
      );
      return reply.code(204).send();
    });
  });

  app.post(
    '/api/v1/calls',
    {
      schema: {
        tags: ['telephony'],
        summary:
          'Click-to-call: the provider rings your phone, then bridges you to the contact with the workspace caller ID',
        body: z.strictObject({
          contactId: z.number().int().positive(),
          campaign: z.string().min(1).max(200).optional(),
          number: z.string().max(30).optional(),
          callerId: z.string().max(30).optional(),
        }),
        response: {
          201: z.object({
            callId: z.number().int(),
            providerSid: z.string(),
            to: z.string(),
            userPhone: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const entry = await directory.get(user.workspace_id);
      const started = await startClickToCall(
        ctx.store,
        entry,
        {
          user,
          contactId: request.body.contactId,
          campaign: request.body.campaign,
          number: request.body.number,
          callerId: request.body.callerId,
          at: ctx.now(),
        },
        outboundUrls(request, { workspaceId: user.workspace_id, settings: entry?.settings ?? null }),
      );
      reply.code(201);
      return started;
    },
  );

  app.put(
    '/api/v1/telephony',
    {
      schema: {
        tags: ['telephony'],
        summary: "Set the workspace's telephony provider (account, auth token, caller ID, inbound numbers)",
        body: z.record(z.string(), z.unknown()),
        response: { 200: z.object({ webhookUrl: z.string(), numbers: z.record(z.string(), z.string()) }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const settings = await setTelephony(ctx.store, user.workspace_id, request.body);
      directory.invalidate(user.workspace_id);
      return {
        webhookUrl: `${publicBase(request, settings)}/telephony/${user.workspace_id}/voice`,
        numbers: settings.numbers,
      };
    },
  );

  app.get(
    '/api/v1/contacts/:id/voicemails',
    {
      schema: {
        tags: ['telephony'],
        summary: "The messages a contact left when their call went to voicemail (the contact's timeline)",
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
        response: {
          200: z.object({
            voicemails: z.array(
              z.object({
                id: z.number().int(),
                receivedAt: z.string(),
                from: z.string().nullable(),
                url: z.string(),
                durationSeconds: z.number().int(),
                transcription: z.string().nullable(),
                decisionId: z.number().int().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      if (!(await contactVisibleTo(ctx.store.db, user, request.params.id))) {
        throw new Problem('not_found', `there is no contact ${request.params.id}`);
      }
      const rows = await voicemailsOfContact(ctx.store.db, user.workspace_id, request.params.id);
      return {
        voicemails: rows.map((v) => ({
          id: v.id,
          receivedAt: new Date(v.received_at).toISOString(),
          from: v.caller_e164,
          url: v.recording_url,
          durationSeconds: v.duration_s,
          transcription: v.transcription,
          decisionId: v.decision_id,
        })),
      };
    },
  );
}
