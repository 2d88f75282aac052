/**
 * Contacts and their numbers: search (name, company, or a number typed in any format),
 * detail, create, update, delete. Scoped by store/scope.ts through app/contacts.ts.
 */
import { z } from 'zod';
import {
  addContactNumber,
  changeContact,
  contactDetail,
  createContact,
  removeContact,
  removeContactNumber,
  searchContacts,
} from '../../app/contacts.js';
import {
  contactCreateSchema,
  contactDetailSchema,
  contactSummarySchema,
  contactUpdateSchema,
  numberInputSchema,
} from '../../contracts/contacts.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';

const idParams = z.strictObject({ id: z.coerce.number().int().positive() });

export function registerContactRoutes(app: ZodApp, ctx: ServerContext): void {
  app.get(
    '/api/v1/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Search your contacts by name, company or a number typed in any format',
        querystring: z.strictObject({
          q: z.string().trim().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          after: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ contacts: z.array(contactSummarySchema) }) },
      },
    },
    async (request) => ({
      contacts: await searchContacts(ctx.store.db, principalOf(request).user, request.query),
    }),
  );

  app.post(
    '/api/v1/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Create a contact with its numbers (yours unless ownerId says otherwise)',
        body: contactCreateSchema,
        response: { 201: contactDetailSchema },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const detail = await createContact(ctx.store, user, request.body, ctx.now());
      reply.code(201);
      return detail;
    },
  );

  app.get(
    '/api/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'A contact with its numbers and enrollments',
        params: idParams,
        response: { 200: contactDetailSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      return contactDetail(ctx.store.db, user, request.params.id);
    },
  );

  app.patch(
    '/api/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Change some of a contact’s fields',
        params: idParams,
        body: contactUpdateSchema,
        response: { 200: contactDetailSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      return changeContact(ctx.store, user, request.params.id, request.body, ctx.now());
    },
  );

  app.delete(
    '/api/v1/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Delete a contact with its enrollments and history',
        params: idParams,
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      await removeContact(ctx.store, user, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/contacts/:id/numbers',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Add a number to a contact (typed in any format)',
        params: idParams,
        body: numberInputSchema,
        response: { 201: contactDetailSchema },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const detail = await addContactNumber(ctx.store, user, request.params.id, request.body, ctx.now());
      reply.code(201);
      return detail;
    },
  );

  app.delete(
    '/api/v1/contacts/:id/numbers/:numberId',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Take a number off a contact',
        params: z.strictObject({
          id: z.coerce.number().int().positive(),
          numberId: z.coerce.number().int().positive(),
        }),
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      await removeContactNumber(ctx.store, user, request.params.id, request.params.numberId);
      return reply.code(204).send();
    },
  );
}
