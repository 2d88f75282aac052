/**
 * Screening as a lookup: any phone system (or a person) asks "would this caller ring through
 * to me now?" and gets the decision, which is stored like every other — so it is a POST (a GET
 * must not write, and a cookie POST needs the CSRF token). It names only contacts the caller
 * may see.
 *
 *   POST /api/v1/screen {"number":"+14155550101"} → {"action":"ring","reason":"…","contact":{…},"callbackFor":{…}}
 */

import { z } from 'zod';
import { screenInbound, screenResult } from '../../app/screen.js';
import { screenResultSchema } from '../../contracts/screening.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';

export function registerScreenRoutes(app: ZodApp, ctx: ServerContext): void {
  app.post(
    '/api/v1/screen',
    {
      schema: {
        tags: ['screening'],
        summary: 'Screen an inbound call for you: ring or voicemail, and why (the decision is logged)',
        body: z.strictObject({
          // Any caller ID a phone system passes, withheld and garbage included: screening never refuses one.
          number: z.string().max(200),
        }),
        response: { 200: screenResultSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const { decision } = await screenInbound(ctx.store, {
        user,
        callerId: request.body.number,
        at: ctx.now(),
        inScopeOnly: true,
      });
      return screenResult(decision);
    },
  );
}
