/**
 * Campaigns (policy and scripts, validated, lint findings returned) and enrollments.
 * Creating and changing campaigns needs a manager; enrollments are anyone's within scope.
 */
import { z } from 'zod';
import {
  campaignDetail,
  changeCampaign,
  changeEnrollment,
  createCampaign,
  enroll,
  listCampaignsInScope,
  listEnrollments,
} from '../../app/campaigns.js';
import {
  campaignInputSchema,
  campaignSchema,
  campaignUpdateSchema,
  ENROLLMENT_STATES,
  enrollmentInputSchema,
  enrollmentSchema,
  enrollmentUpdateSchema,
} from '../../contracts/campaigns.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';

const idParams = z.strictObject({ id: z.coerce.number().int().positive() });

export function registerCampaignRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'The campaigns shared with you: the whole workspace’s and your team’s',
        response: { 200: z.object({ campaigns: z.array(campaignSchema) }) },
      },
    },
    async (request) => ({ campaigns: await listCampaignsInScope(ctx.store.db, principalOf(request).user) }),
  );

  app.post(
    '/api/v1/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Create a campaign; policy and scripts default to the design’s, scripts are linted',
        body: campaignInputSchema,
        response: { 201: campaignSchema },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const campaign = await createCampaign(ctx.store, user, request.body, ctx.now());
      reply.code(201);
      return campaign;
    },
  );

  app.get(
    '/api/v1/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'A campaign with its policy, scripts and lint findings',
        params: idParams,
        response: { 200: campaignSchema },
      },
    },
    async (request) => campaignDetail(ctx.store.db, principalOf(request).user, request.params.id),
  );

  app.patch(
    '/api/v1/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Change a campaign: name, urgency, topic, team, policy, scripts, archived',
        params: idParams,
        body: campaignUpdateSchema,
        response: { 200: campaignSchema },
      },
    },
    async (request) =>
      changeCampaign(ctx.store, principalOf(request).user, request.params.id, request.body, ctx.now()),
  );

  app.get(
    '/api/v1/enrollments',
    {
      schema: {
        tags: ['enrollments'],
        summary: 'Your enrollments (a manager: the team’s), by campaign, contact or state',
        querystring: z.strictObject({
          campaignId: z.coerce.number().int().positive().optional(),
          contactId: z.coerce.number().int().positive().optional(),
          state: z.enum(ENROLLMENT_STATES).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          after: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ enrollments: z.array(enrollmentSchema) }) },
      },
    },
    async (request) => ({
      enrollments: await listEnrollments(ctx.store.db, principalOf(request).user, request.query),
    }),
  );

  app.post(
    '/api/v1/enrollments',
    {
      schema: {
        tags: ['enrollments'],
        summary: 'Put a contact in a campaign',
        body: enrollmentInputSchema,
        response: { 201: enrollmentSchema },
      },
    },
    async (request, reply) => {
      const enrollment = await enroll(ctx.store, principalOf(request).user, request.body, ctx.now());
      reply.code(201);
      return enrollment;
    },
  );

  app.patch(
    '/api/v1/enrollments/:id',
    {
      schema: {
        tags: ['enrollments'],
        summary: 'Hand an enrollment to someone else, close it as won or lost, or reopen it',
        params: idParams,
        body: enrollmentUpdateSchema,
        response: { 200: enrollmentSchema },
      },
    },
    async (request) =>
      changeEnrollment(ctx.store, principalOf(request).user, request.params.id, request.body, ctx.now()),
  );
}
