/**
 * `GET /api/v1/when?text=…&contactId=…` — a time in words read exactly as logging an attempt
 * reads it (core/when, the user's zone, relative to now), for the web app to preview while the
 * rep types: "tomorrow 3pm" → "Tuesday 24 Nov 15:00", and the same instant in the contact's
 * zone. A phrase it cannot read is an answer too (`ok: false` with why), not an error.
 */
import { z } from 'zod';
import { describeAbsolute } from '../../core/time/bands.js';
import { isValidZone } from '../../core/time/zoned.js';
import { parseWhen } from '../../core/when/parse-when.js';
import { contactInScope } from '../../store/scope.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';

const whenSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    at: z.string(),
    understood: z.string(),
    /** In the user's zone, as logging will read it. */
    yours: z.object({ zone: z.string(), text: z.string() }),
    /** In the contact's zone, when a contact was named. */
    theirs: z.object({ zone: z.string(), text: z.string() }).nullable(),
  }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

export function registerWhenRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/when',
    {
      schema: {
        tags: ['attempts'],
        summary: 'Read a time in words as logging an attempt would ("tomorrow 3pm"), to preview it',
        querystring: z.strictObject({
          text: z.string().max(200),
          contactId: z.coerce.number().int().positive().optional(),
        }),
        response: { 200: whenSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const now = ctx.now();
      // The zone logAttempt reads `when` in.
      const zone = user.time_zone;
      const parsed = parseWhen(request.query.text, { now, zone });
      if (!parsed.ok) return { ok: false as const, message: parsed.message };
      let theirs: { zone: string; text: string } | null = null;
      if (request.query.contactId !== undefined) {
        const contact = await ctx.store.db
          .selectFrom('contacts as c')
          .select('c.time_zone')
          .where('c.id', '=', request.query.contactId)
          .where(contactInScope(user, 'c'))
          .executeTakeFirst();
        if (contact?.time_zone && isValidZone(contact.time_zone)) {
          theirs = { zone: contact.time_zone, text: describeAbsolute(parsed.at, contact.time_zone, now) };
        }
      }
      return {
        ok: true as const,
        at: new Date(parsed.at).toISOString(),
        understood: parsed.understood,
        yours: { zone, text: describeAbsolute(parsed.at, zone, now) },
        theirs,
      };
    },
  );
}
