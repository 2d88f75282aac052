/**
 * Phone appointments (rule 9): the ones of the users in your scope, each as an iCalendar invite
 * (`.ics`), and their lifecycle: reschedule, cancel, held, no-show (app/appointments.ts).
 */
import { z } from 'zod';
import {
  appointmentInvite,
  changeAppointment,
  inviteHost,
  listAppointments,
} from '../../app/appointments.js';
import { appointmentSchema } from '../../contracts/appointments.js';
import { isoInstant } from '../../contracts/instant.js';
import type { AppointmentChangeKind } from '../../core/appointments/lifecycle.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { queueChanged } from '../publish.js';

const idParams = z.strictObject({ id: z.coerce.number().int().positive() });

/** The path word of each change. */
const CHANGE_PATHS: Record<string, AppointmentChangeKind> = {
  reschedule: 'reschedule',
  cancel: 'cancel',
  held: 'held',
  'no-show': 'no_show',
};

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
      const now = ctx.now();
      const from = request.query.from === undefined ? now : Date.parse(request.query.from);
      return {
        appointments: await listAppointments(ctx.store, { user, from, limit: request.query.limit, now }),
      };
    },
  );

  app.get(
    '/api/v1/appointments/:id/invite.ics',
    {
      schema: {
        tags: ['appointments'],
        summary: 'The appointment as an iCalendar invite (text/calendar): REQUEST, or CANCEL once cancelled',
        params: idParams,
        produces: ['text/calendar'],
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const ics = await appointmentInvite(ctx.store, {
        user,
        id: request.params.id,
        host: inviteHost(ctx.publicUrl),
        now: ctx.now(),
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="appointment-${request.params.id}.ics"`)
        .send(ics);
    },
  );

  for (const [path, change] of Object.entries(CHANGE_PATHS)) {
    app.post(
      `/api/v1/appointments/:id/${path}`,
      {
        schema: {
          tags: ['appointments'],
          summary:
            change === 'reschedule'
              ? 'Move the appointment to a new time, in words ("Friday 3pm"); its reminder moves too'
              : change === 'cancel'
                ? 'Cancel the appointment: its reminder stops and the contact is due a call again'
                : change === 'held'
                  ? 'Mark the appointment held (the call took place)'
                  : 'Mark the appointment a no-show: a put-off (rule 8), and the contact is due a call again',
          params: idParams,
          ...(change === 'reschedule' ? { body: z.strictObject({ when: z.string().min(1).max(200) }) } : {}),
          response: { 200: appointmentSchema },
        },
      },
      async (request) => {
        const { user } = principalOf(request);
        const body = request.body as { when?: string } | undefined;
        const changed = await changeAppointment(ctx.store, {
          user,
          id: request.params.id,
          change,
          ...(body?.when !== undefined ? { when: body.when } : {}),
          now: ctx.now(),
        });
        // The enrollment waiting for it moved: cached queue looks are stale.
        await queueChanged(ctx, request, user, `appointment ${changed.id} ${change}`);
        return changed;
      },
    );
  }
}
