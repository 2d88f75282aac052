/**
 * The workspace's people and settings, as `ringback users` and `ringback workspace` manage
 * them: admins add users and change settings; managers and admins list users.
 */

import type { CountryCode } from 'libphonenumber-js';
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { hashPassword } from '../../app/passwords.js';
import { MAX_REMINDER_MINUTES } from '../../contracts/workspace.js';
import { normalizePhone } from '../../core/phone/normalize.js';
import type { User, Workspace } from '../../store/schema.js';
import { findUserByEmail, insertUser, listUsers, setUserPassword } from '../../store/user-repo.js';
import { updateWorkspace, workspaceOfUser } from '../../store/workspace-repo.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { Problem } from '../problem.js';

const MIN_PASSWORD = 10;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().refine(isTimeZone, { message: 'not an IANA time zone (e.g. America/Chicago)' });

const accountSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['rep', 'manager', 'admin']),
  teamId: z.number().int().nullable(),
  phone: z.string().nullable(),
  timeZone: z.string(),
  /** False once an admin deactivated them (PATCH /api/v1/users/:id). */
  active: z.boolean(),
});

const workspaceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  defaultCountry: z.string(),
  timeZone: z.string(),
  /** Minutes before an appointment its user gets an `appointment.reminder` event; 0 for none. */
  reminderMinutes: z.number().int(),
});

const accountJson = (u: User): z.infer<typeof accountSchema> => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  teamId: u.team_id,
  phone: u.phone,
  timeZone: u.time_zone,
  active: u.deactivated_at === null,
});

const workspaceJson = (w: Workspace): z.infer<typeof workspaceSchema> => ({
  id: w.id,
  name: w.name,
  defaultCountry: w.default_country,
  timeZone: w.time_zone,
  reminderMinutes: w.reminder_minutes,
});

export function registerAccountRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'The people of your workspace',
        response: { 200: z.object({ users: z.array(accountSchema) }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      return { users: (await listUsers(ctx.store.db, user.workspace_id)).map(accountJson) };
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Add a user to your workspace',
        body: z.strictObject({
          email: z.email().max(320),
          role: z.enum(['rep', 'manager', 'admin']),
          password: z.string().min(MIN_PASSWORD).max(1024),
          name: z.string().trim().max(200).default(''),
          phone: z.string().trim().max(100).optional(),
          timeZone: timeZone.optional(),
          teamId: z.number().int().positive().nullable().optional(),
        }),
        response: { 201: accountSchema },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const body = request.body;
      const workspace = await workspaceOfUser(ctx.store.db, user);
      let phone: string | null = null;
      if (body.phone) {
        const parsed = normalizePhone(body.phone, workspace.default_country as CountryCode);
        if (!parsed.ok)
          throw new Problem('unprocessable', parsed.reason, [{ path: '/phone', message: parsed.reason }]);
        phone = parsed.e164;
      }
      if (body.teamId) {
        const team = await ctx.store.db
          .selectFrom('teams')
          .select('id')
          .where('id', '=', body.teamId)
          .where('workspace_id', '=', workspace.id)
          .executeTakeFirst();
        if (!team)
          throw new Problem('unprocessable', `there is no team ${body.teamId}`, [
            { path: '/teamId', message: 'no such team' },
          ]);
      }
      if (await findUserByEmail(ctx.store.db, workspace.id, body.email)) {
        throw new Problem('unprocessable', `${body.email} already has an account`, [
          { path: '/email', message: 'taken' },
        ]);
      }
      const passwordHash = await hashPassword(body.password);
      const created = await insertUser(ctx.store.db, {
        workspace_id: workspace.id,
        team_id: body.teamId ?? null,
        email: body.email,
        name: body.name,
        role: body.role,
        phone,
        time_zone: body.timeZone ?? workspace.time_zone,
        created_at: ctx.now(),
      });
      await setUserPassword(ctx.store.db, created.id, passwordHash);
      reply.code(201);
      return accountJson(created);
    },
  );

  app.get(
    '/api/v1/workspace',
    {
      schema: {
        tags: ['workspace'],
        summary: 'Your workspace’s settings',
        response: { 200: workspaceSchema },
      },
    },
    async (request) => workspaceJson(await workspaceOfUser(ctx.store.db, principalOf(request).user)),
  );

  app.patch(
    '/api/v1/workspace',
    {
      schema: {
        tags: ['workspace'],
        summary:
          'Change the workspace name, default region for numbers, default time zone, or how many minutes before an appointment its reminder comes (0: none)',
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          defaultCountry: z
            .string()
            .trim()
            .toUpperCase()
            .refine((c) => isSupportedCountry(c), { message: 'not a country code (e.g. US, GB, DE)' })
            .optional(),
          timeZone: timeZone.optional(),
          reminderMinutes: z.number().int().min(0).max(MAX_REMINDER_MINUTES).optional(),
        }),
        response: { 200: workspaceSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const body = request.body;
      const changes = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.defaultCountry !== undefined ? { default_country: body.defaultCountry } : {}),
        ...(body.timeZone !== undefined ? { time_zone: body.timeZone } : {}),
        ...(body.reminderMinutes !== undefined ? { reminder_minutes: body.reminderMinutes } : {}),
      };
      const workspace =
        Object.keys(changes).length > 0
          ? await updateWorkspace(ctx.store.db, user.workspace_id, changes)
          : await workspaceOfUser(ctx.store.db, user);
      return workspaceJson(workspace);
    },
  );
}
