/**
 * Phone appointments (rule 9): the ones of the users in your scope, and each as an iCalendar
 * invite (`.ics`, made with ical-generator) to put in any calendar.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { z } from 'zod';
import { isoInstant } from '../../contracts/instant.js';
import type { Store } from '../../store/db.js';
import { type Actor, appointmentInScope } from '../../store/scope.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { Problem } from '../problem.js';

const appointmentSchema = z.object({
  id: z.number().int(),
  contactId: z.number().int(),
  contact: z.string(),
  userId: z.number().int(),
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  title: z.string(),
  notes: z.string(),
  status: z.string(),
  invite: z.string(),
});

function appointmentQuery(db: Store['db'], actor: Actor) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select([
      'a.id',
      'a.contact_id',
      'c.first_name',
      'c.last_name',
      'a.user_id',
      'a.starts_at',
      'a.duration_min',
      'a.title',
      'a.notes',
      'a.status',
      'a.uid',
      'a.created_at',
    ])
    .where(appointmentInScope(actor, 'a'));
}

type AppointmentRow = Awaited<ReturnType<ReturnType<typeof appointmentQuery>['executeTakeFirstOrThrow']>>;

const inviteUrl = (id: number) => `/api/v1/appointments/${id}/invite.ics`;

export function registerAppointmentRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/appointments',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Phone appointments from a time on (default: now), soonest first',
        querystring: z.strictObject({
          from: isoInstant.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ appointments: z.array(appointmentSchema) }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const from = request.query.from === undefined ? ctx.now() : Date.parse(request.query.from);
      const rows = await appointmentQuery(ctx.store.db, user)
        .where('a.starts_at', '>=', from)
        .orderBy('a.starts_at')
        .orderBy('a.id')
        .limit(request.query.limit)
        .execute();
      return {
        appointments: rows.map((r: AppointmentRow) => ({
          id: r.id,
          contactId: r.contact_id,
          contact: `${r.first_name} ${r.last_name}`.trim(),
          userId: r.user_id,
          startsAt: new Date(r.starts_at).toISOString(),
          durationMinutes: r.duration_min,
          title: r.title,
          notes: r.notes,
          status: r.status,
          invite: inviteUrl(r.id),
        })),
      };
    },
  );

  app.get(
    '/api/v1/appointments/:id/invite.ics',
    {
      schema: {
        tags: ['appointments'],
        summary: 'The appointment as an iCalendar invite (text/calendar)',
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
        produces: ['text/calendar'],
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const row = await appointmentQuery(ctx.store.db, user)
        .where('a.id', '=', request.params.id)
        .executeTakeFirst();
      if (!row) throw new Problem('not_found', `there is no appointment ${request.params.id}`);
      const calendar = ical({
        prodId: { company: 'Ringback', product: 'Ringback', language: 'EN' },
        method: ICalCalendarMethod.PUBLISH,
      });
      calendar.createEvent({
        id: row.uid,
        stamp: new Date(row.created_at),
        start: new Date(row.starts_at),
        end: new Date(row.starts_at + row.duration_min * 60_000),
        summary: row.title,
        description: row.notes,
        status: row.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="appointment-${row.id}.ics"`)
        .send(calendar.toString());
    },
  );
}
