/**
 * One signed webhook request: POST the body to the endpoint's URL, signed to the Standard
 * Webhooks specification, and say what came of it. Never throws: a refused address, a reset
 * connection or a receiver that does not answer in time is an outcome like a 500.
 *
 * The address check runs on the address the connection is made to (the host is resolved here,
 * and that address is the one dialled), so a name that resolves to a private address is
 * refused however its URL reads, and cannot change between the check and the connection.
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { refusedAddress } from '../core/webhooks/addresses.js';

export interface WebhookRequest {
  url: string;
  secret: string;
  allowPrivate: boolean;
  /** The stable `webhook-id`. */
  id: string;
  body: string;
  /** The signing time (`webhook-timestamp`). */
  at: number;
  timeoutMs: number;
}

export type WebhookResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retryAfter: string | undefined };

/** Receivers' answers are read and dropped, up to this much; more ends the connection. */
const MAX_RESPONSE_BYTES = 64 * 1024;

// Keep-alive: a busy endpoint is sent one request after another on the same connection.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/** Resolves like the system does, then refuses private addresses unless they are allowed. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as { address: string; family: number }[];
      if (!allowPrivate) {
        for (const a of list) {
          const why = refusedAddress(a.address);
          if (why)
            return callback(
              Object.assign(new Error(`${hostname} resolves to ${why}`), { code: 'EREFUSED_PRIVATE' }),
              '',
              0,
            );
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      const first = list[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

const signers = new Map<string, Webhook>();

function signerOf(secret: string): Webhook {
  let signer = signers.get(secret);
  if (!signer) {
    signer = new Webhook(secret);
    if (signers.size > 1000) signers.clear();
    signers.set(secret, signer);
  }
  return signer;
}

export function sendWebhook(req: WebhookRequest): Promise<WebhookResult> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve(failure(null, `${req.url} is not a URL`));
  }
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent)
    return Promise.resolve(failure(null, `${url.protocol} URLs are not sent to; use http or https`));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal address is dialled without a lookup, so it is checked here.
  if (!req.allowPrivate && isIP(host)) {
    const why = refusedAddress(host);
    if (why) return Promise.resolve(failure(null, `refused: ${why}`));
  }
  const signedAt = new Date(req.at);
  const signature = signerOf(req.secret).sign(req.id, signedAt, req.body);
  const body = Buffer.from(req.body);
  return new Promise<WebhookResult>((resolve) => {
    let settled = false;
    const settle = (result: WebhookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent,
      lookup: guardedLookup(req.allowPrivate),
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'user-agent': 'Ringback-Webhooks/1',
        'webhook-id': req.id,
        'webhook-timestamp': String(Math.floor(req.at / 1000)),
        'webhook-signature': signature,
      },
    });
    // One deadline for the whole exchange: a receiver that trickles its answer is cut off too.
    const deadline = setTimeout(() => {
      request.destroy(new Error(`no answer within ${req.timeoutMs} ms`));
    }, req.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'EREFUSED_PRIVATE' ? `refused: ${error.message}` : error.message || String(error.code);
      settle(failure(null, message));
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) response.destroy();
      });
      response.on('error', () => {});
      response.on('close', () => {
        if (status >= 200 && status < 300) settle({ ok: true, status });
        else
          settle({
            ok: false,
            status,
            error: `answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
            retryAfter: header(response.headers['retry-after']),
          });
      });
    });
    request.end(body);
  });
}

function failure(status: number | null, error: string): WebhookResult {
  return { ok: false, status, error, retryAfter: undefined };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
