/**
 * The Settings and Campaigns pages' routes: calling hours (the workspace's defaults for new
 * campaigns, an admin's; each user's own), the block greeting, the telephony provider as an
 * admin sees it (the auth token only as a hint), users and teams for admins, and a campaign's
 * schedule if nobody ever answers. Who may call each is in routes/index.ts.
 */
import { z } from 'zod';
import { campaignPreview } from '../../app/cadence-preview.js';
import { addHoliday, listHolidays, removeHoliday } from '../../app/holidays.js';
import { parseTelephony } from '../../app/telephony-settings.js';
import { changeUser, createTeam, listTeams } from '../../app/users.js';
import {
  readCallingHours,
  readGreeting,
  setGreeting,
  setKeyboardShortcuts,
  setMyCallingHours,
  setWorkspaceCallingHours,
} from '../../app/workspace-settings.js';
import {
  callingHoursResponseSchema,
  callingHoursSchema,
  greetingInputSchema,
  greetingSchema,
  holidayDaySchema,
  holidayInputSchema,
  holidayListSchema,
  managedUserSchema,
  myCallingHoursInputSchema,
  previewQuerySchema,
  previewSchema,
  teamInputSchema,
  teamSchema,
  telephonyViewSchema,
  userUpdateSchema,
} from '../../contracts/settings.js';
import { DEFAULT_GREETING, GREETING_MAX_CHARS, GREETING_VARIABLES } from '../../core/screening/greeting.js';
import { workspaceSettings } from '../../store/telephony-repo.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { credentialsChanged } from '../publish.js';

const idParams = z.strictObject({ id: z.coerce.number().int().positive() });

/** "••••f00d": the last four characters, so two tokens can be told apart. */
function hint(secret: string): string {
  return `••••${secret.slice(-4)}`;
}

export function registerSettingsRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/holidays',
    {
      schema: {
        tags: ['settings'],
        summary:
          "The workspace's holiday calendar for a year: its country's public holidays and its own days off",
        querystring: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: holidayListSchema },
      },
    },
    async (request) => listHolidays(ctx.store, principalOf(request).user, request.query.year, ctx.now()),
  );

  app.post(
    '/api/v1/holidays',
    {
      schema: {
        tags: ['settings'],
        summary: 'Add a day off to the calendar (or bring back a public holiday removed before)',
        body: holidayInputSchema,
        response: { 200: holidayDaySchema },
      },
    },
    async (request) =>
      addHoliday(ctx.store, principalOf(request).user, request.body.date, request.body.name, ctx.now()),
  );

  app.delete(
    '/api/v1/holidays/:date',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Remove a day from the calendar: a day added, or a public holiday the workspace works anyway',
        params: z.strictObject({ date: z.string() }),
        response: { 200: holidayDaySchema },
      },
    },
    async (request) => removeHoliday(ctx.store, principalOf(request).user, request.params.date, ctx.now()),
  );

  app.get(
    '/api/v1/campaigns/:id/preview',
    {
      schema: {
        tags: ['campaigns'],
        summary:
          'The schedule if nobody ever answers: each call’s local day and time and the voicemail left, up to the attempt limit',
        description:
          'Runs the cadence engine call after call with nobody picking up, for a sample contact in `zone` entering the queue at `from`. Pass `policy` (JSON) to preview a draft before saving it.',
        params: idParams,
        querystring: previewQuerySchema,
        response: { 200: previewSchema },
      },
    },
    async (request) =>
      campaignPreview(ctx.store, principalOf(request).user, request.params.id, request.query, ctx.now()),
  );

  app.get(
    '/api/v1/calling-hours',
    {
      schema: {
        tags: ['settings'],
        summary: 'The workspace’s default calling windows for new campaigns, and your own calling hours',
        response: { 200: callingHoursResponseSchema },
      },
    },
    async (request) => readCallingHours(ctx.store, principalOf(request).user),
  );

  app.put(
    '/api/v1/calling-hours',
    {
      schema: {
        tags: ['settings'],
        summary: 'Set the default calling windows new campaigns start with (contact-local time)',
        body: callingHoursSchema.strict(),
        response: { 200: callingHoursResponseSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      await setWorkspaceCallingHours(ctx.store, user, request.body);
      return readCallingHours(ctx.store, user);
    },
  );

  app.put(
    '/api/v1/me/calling-hours',
    {
      schema: {
        tags: ['settings'],
        summary: 'Set your own calling hours, in your time zone (null: the workspace’s business window)',
        body: myCallingHoursInputSchema,
        response: { 200: callingHoursResponseSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      await setMyCallingHours(ctx.store, user, request.body.hours);
      return readCallingHours(ctx.store, {
        ...user,
        calling_hours: request.body.hours ? JSON.stringify(request.body.hours) : null,
      });
    },
  );

  app.put(
    '/api/v1/me/keyboard-shortcuts',
    {
      schema: {
        tags: ['settings'],
        summary: 'Turn the call block’s single-key shortcuts on or off for you (kept with your account)',
        body: z.strictObject({ enabled: z.boolean() }),
        response: { 200: z.object({ enabled: z.boolean() }) },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      await setKeyboardShortcuts(ctx.store, user, request.body.enabled);
      return { enabled: request.body.enabled };
    },
  );

  const greetingJson = (template: string | null) => ({
    template,
    default: DEFAULT_GREETING,
    variables: { ...GREETING_VARIABLES },
    maxChars: GREETING_MAX_CHARS,
  });

  app.get(
    '/api/v1/greeting',
    {
      schema: {
        tags: ['settings'],
        summary: 'What callers sent to voicemail during a block hear, with the variables it may use',
        response: { 200: greetingSchema },
      },
    },
    async (request) => greetingJson(await readGreeting(ctx.store, principalOf(request).user.workspace_id)),
  );

  app.put(
    '/api/v1/greeting',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Set the block greeting (null or empty: the built-in one); refused when its lint finds errors',
        body: greetingInputSchema,
        response: { 200: greetingSchema },
      },
    },
    async (request) =>
      greetingJson(await setGreeting(ctx.store, principalOf(request).user, request.body.template)),
  );

  app.get(
    '/api/v1/telephony',
    {
      schema: {
        tags: ['telephony'],
        summary: 'The workspace’s telephony provider, the auth token shown only by its last four characters',
        response: { 200: telephonyViewSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      const settings = parseTelephony(await workspaceSettings(ctx.store.db, user.workspace_id));
      // The URL signatures are checked against (routes/telephony.ts): the workspace's own, else the server's.
      const base = settings?.publicUrl ?? ctx.publicUrl ?? `${request.protocol}://${request.host}`;
      return {
        configured: settings !== null,
        provider: settings?.provider ?? null,
        accountSid: settings?.accountSid ?? null,
        authTokenHint: settings ? hint(settings.authToken) : null,
        callerId: settings?.callerId ?? null,
        apiBaseUrl: settings?.apiBaseUrl ?? null,
        numbers: settings?.numbers ?? {},
        deadlineMs: settings?.deadlineMs ?? null,
        voicemailDrops: settings?.voicemailDrops ?? {},
        recordCalls: settings?.recordCalls ?? false,
        webhookUrl: `${base}/telephony/${user.workspace_id}/voice`,
      };
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary:
          'Change a user’s name, role or team; deactivate them (signed out everywhere, tokens revoked), reactivate them with a new password, or set their password (signed out everywhere, tokens revoked; your own needs currentPassword)',
        params: idParams,
        body: userUpdateSchema,
        response: { 200: managedUserSchema },
      },
    },
    async (request) => {
      const actor = principalOf(request).user;
      const changed = await changeUser(ctx.store, actor, request.params.id, request.body, ctx.now());
      // Deactivated, or a new password set for them: their open event streams check their sign-in.
      if (request.body.active === false || request.body.password !== undefined)
        await credentialsChanged(ctx, request, { id: changed.id, workspace_id: actor.workspace_id });
      return changed;
    },
  );

  app.get(
    '/api/v1/teams',
    {
      schema: {
        tags: ['users'],
        summary: 'The teams of your workspace',
        response: { 200: z.object({ teams: z.array(teamSchema) }) },
      },
    },
    async (request) => ({ teams: await listTeams(ctx.store, principalOf(request).user) }),
  );

  app.post(
    '/api/v1/teams',
    {
      schema: {
        tags: ['users'],
        summary: 'Add a team',
        body: teamInputSchema,
        response: { 201: teamSchema },
      },
    },
    async (request, reply) => {
      const team = await createTeam(ctx.store, principalOf(request).user, request.body.name, ctx.now());
      reply.code(201);
      return team;
    },
  );
}
