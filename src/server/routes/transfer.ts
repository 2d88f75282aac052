/**
 * Import and export over HTTP, through the CLI's own use cases (app/import, app/export).
 *
 * `POST /api/v1/imports` takes multipart/form-data: text fields `campaign`, `owner` (an email),
 * `country`, `map` ("Column=field,…"), `dryRun` ("true"), `takeOver` ("true"), `onConflict`
 * (skip | update | create), `resolve` ("12=update,15=create"), then the `file` part. The upload is
 * streamed to a temporary file (memory stays flat), imported exactly as `ringback import
 * contacts` would, and answered with the same JSON summary. A rep's imports are theirs; an
 * owner must be someone the uploader answers for.
 *
 * `POST /api/v1/imports/:id/undo` undoes one, as `ringback import undo ID`.
 *
 * `GET /api/v1/exports/:what` streams contacts or attempts as CSV or JSON (contacts also as
 * vCards), as `ringback export`; `GET /api/v1/contacts/:id/vcard` gives one contact's vCard.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { DNC_SOURCES, importRegistry, registryListViews } from '../../app/dnc-registry.js';
import { AppError, isAppError } from '../../app/errors.js';
import { exportContactInScope, exportData, type TextSink } from '../../app/export.js';
import { importContacts, UPLOAD_DIR_PREFIX } from '../../app/import/import-contacts.js';
import { undoImport } from '../../app/import/undo-import.js';
import { registryImportSchema, registryListsSchema } from '../../contracts/dnc.js';
import {
  importSummarySchema,
  importUndoSchema,
  type Resolution,
  resolutionSchema,
} from '../../contracts/import-summary.js';
import { parseMapOption } from '../../core/import/header-map.js';
import { parseResolutions } from '../../core/import/match.js';
import type { User } from '../../store/schema.js';
import { userInScope } from '../../store/scope.js';
import { principalOf } from '../auth.js';
import type { ServerContext, ZodApp } from '../context.js';
import { Problem } from '../problem.js';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  vcard: 'text/vcard; charset=utf-8',
} as const;
const FILE_EXTENSIONS = { csv: 'csv', json: 'json', vcard: 'vcf' } as const;

/** Uploads up to 1 GiB: a big CRM export, well past what fits a JSON body. */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
const FIELDS = new Set([
  'campaign',
  'owner',
  'country',
  'map',
  'dryRun',
  'takeOver',
  'onConflict',
  'resolve',
]);

async function ownerEmail(ctx: ServerContext, user: User, given: string | undefined): Promise<string> {
  if (given === undefined || given.trim() === '') return user.email;
  const owner = await ctx.store.db
    .selectFrom('users as u')
    .select('u.email')
    .where('u.email', '=', given.trim().toLowerCase())
    .where(userInScope(user, 'u'))
    .executeTakeFirst();
  if (!owner) {
    throw new Problem('unprocessable', `you cannot give contacts to ${given}`, [
      { path: '/owner', message: 'not a user you answer for' },
    ]);
  }
  return owner.email;
}

export async function registerTransferRoutes(app: ZodApp, ctx: ServerContext): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: FIELDS.size, fieldSize: 64 * 1024 },
    // Problems rather than the plugin's own errors: see the catch below.
    throwFileSizeLimit: true,
  });

  app.post(
    '/api/v1/imports',
    {
      schema: {
        tags: ['import'],
        summary: 'Import contacts from an uploaded CSV or vCard file (multipart/form-data, field "file")',
        consumes: ['multipart/form-data'],
        response: { 200: importSummarySchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      if (!request.isMultipart()) {
        throw new Problem(
          'unsupported_media_type',
          'send the file as multipart/form-data with a "file" part',
        );
      }
      const dir = await mkdtemp(join(tmpdir(), UPLOAD_DIR_PREFIX));
      try {
        const fields: Record<string, string> = {};
        let file: { path: string; name: string } | null = null;
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file' || file) {
                part.file.resume();
                throw new Problem('validation_failed', 'send exactly one file, in the part named "file"', [
                  { path: `/${part.fieldname}`, message: 'unexpected file part' },
                ]);
              }
              const name = basename(part.filename || 'upload.csv').replace(/[^\w.-]/g, '_');
              const path = join(dir, name);
              await pipeline(part.file, createWriteStream(path));
              if (part.file.truncated) {
                throw new Problem('payload_too_large', `the file is larger than ${MAX_UPLOAD_BYTES} bytes`);
              }
              file = { path, name: part.filename || name };
            } else {
              if (!FIELDS.has(part.fieldname)) {
                throw new Problem('validation_failed', `unknown field "${part.fieldname}"`, [
                  { path: `/${part.fieldname}`, message: 'unknown field' },
                ]);
              }
              fields[part.fieldname] = String(part.value);
            }
          }
        } catch (error) {
          if (error instanceof Problem) throw error;
          const code = (error as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new Problem('payload_too_large', `the file is larger than ${MAX_UPLOAD_BYTES} bytes`);
          }
          if (typeof code === 'string' && code.startsWith('FST_')) {
            throw new Problem('validation_failed', (error as Error).message);
          }
          throw error;
        }
        if (!file) {
          throw new Problem('validation_failed', 'no file: add a part named "file"', [
            { path: '/file', message: 'required' },
          ]);
        }
        let map: Record<string, string> | undefined;
        if (fields.map !== undefined) {
          const parsed = parseMapOption(fields.map);
          if (!parsed.ok)
            throw new Problem('validation_failed', `map: ${parsed.error}`, [
              { path: '/map', message: parsed.error },
            ]);
          map = parsed.map;
        }
        const owner = await ownerEmail(ctx, user, fields.owner);
        const onConflict =
          fields.onConflict === undefined ? undefined : resolutionSchema.safeParse(fields.onConflict);
        if (onConflict && !onConflict.success) {
          throw new Problem('validation_failed', 'onConflict: choose skip, update or create', [
            { path: '/onConflict', message: 'not skip, update or create' },
          ]);
        }
        let resolutions: Record<number, Resolution> | undefined;
        if (fields.resolve !== undefined) {
          const parsed = parseResolutions(fields.resolve);
          if (!parsed.ok)
            throw new Problem('validation_failed', `resolve: ${parsed.error}`, [
              { path: '/resolve', message: parsed.error },
            ]);
          resolutions = parsed.resolutions;
        }
        try {
          const summary = await importContacts(ctx.store, {
            file: file.path,
            uploadPath: dir,
            user,
            importer: user,
            campaign: fields.campaign || undefined,
            ownerEmail: owner,
            country: fields.country || undefined,
            map,
            dryRun: fields.dryRun === 'true',
            takeOver: fields.takeOver === 'true',
            onConflict: onConflict?.data,
            resolutions,
            now: ctx.now(),
          });
          return { ...summary, file: file.name };
        } catch (error) {
          // The upload's temporary path means nothing to the user: name the file they sent.
          if (isAppError(error))
            throw new AppError(error.message.replaceAll(file.path, file.name), error.failure);
          throw error;
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.post(
    '/api/v1/imports/:id/undo',
    {
      schema: {
        tags: ['import'],
        summary:
          'Undo an import as a whole, while nothing newer touched its contacts (409 naming them otherwise)',
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
        response: { 200: importUndoSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      return await undoImport(ctx.store, {
        importRunId: request.params.id,
        user,
        actor: user,
        now: ctx.now(),
      });
    },
  );

  app.get(
    '/api/v1/exports/:what',
    {
      schema: {
        tags: ['export'],
        summary:
          'Export the workspace’s contacts or attempts as CSV (default) or JSON, or its contacts as vCard 4.0, streamed',
        params: z.strictObject({ what: z.enum(['contacts', 'attempts']) }),
        querystring: z.strictObject({ format: z.enum(['csv', 'json', 'vcard']).default('csv') }),
        produces: ['text/csv', 'application/json', 'text/vcard'],
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const { what } = request.params;
      const { format } = request.query;
      if (what === 'attempts' && format === 'vcard') {
        throw new Problem('validation_failed', 'format: only contacts are exported as vCards', [
          { path: '/format', message: 'vcard is for contacts' },
        ]);
      }
      const out = new PassThrough();
      let gone = false;
      out.once('close', () => {
        gone = true;
      });
      const sink: TextSink = {
        write: (text) =>
          new Promise((resolve, reject) => {
            if (gone) return reject(new Error('the client went away'));
            if (out.write(text)) return resolve();
            const done = () => {
              out.off('close', done);
              out.off('drain', done);
              if (gone) reject(new Error('the client went away'));
              else resolve();
            };
            out.once('drain', done);
            out.once('close', done);
          }),
      };
      exportData(ctx.store, { kind: what, format, sink, user, now: ctx.now() }).then(
        () => out.end(),
        (error: Error) => {
          request.log.error({ err: error }, 'export failed part-way');
          out.destroy(error);
        },
      );
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${what}.${FILE_EXTENSIONS[format]}"`)
        .send(out);
    },
  );

  app.get(
    '/api/v1/contacts/:id/vcard',
    {
      schema: {
        tags: ['export'],
        summary: 'One contact as a vCard 4.0 file',
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
        produces: ['text/vcard'],
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const parts: string[] = [];
      const count = await exportContactInScope(
        ctx.store,
        user,
        request.params.id,
        {
          write: async (text) => void parts.push(text),
        },
        ctx.now(),
      );
      if (count === 0) throw new Problem('not_found', `there is no contact ${request.params.id}`);
      return reply
        .type(CONTENT_TYPES.vcard)
        .header('content-disposition', `attachment; filename="contact-${request.params.id}.vcf"`)
        .send(parts.join(''));
    },
  );

  app.get(
    '/api/v1/dnc/registries',
    {
      schema: {
        tags: ['do-not-call'],
        summary:
          "The workspace's registry do-not-call lists with their dates; a list too old to trust is flagged stale",
        response: { 200: registryListsSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      return registryListViews(ctx.store, user, ctx.now());
    },
  );

  app.post(
    '/api/v1/dnc/registries',
    {
      schema: {
        tags: ['do-not-call'],
        summary:
          'Load a registry do-not-call file as delivered (multipart/form-data: "file", "source", optional "asOf")',
        consumes: ['multipart/form-data'],
        response: { 200: registryImportSchema },
      },
    },
    async (request) => {
      const { user } = principalOf(request);
      if (!request.isMultipart()) {
        throw new Problem(
          'unsupported_media_type',
          'send the file as multipart/form-data with a "file" part',
        );
      }
      const fields: Record<string, string> = {};
      let file: { bytes: Buffer; name: string } | null = null;
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || file) {
            part.file.resume();
            throw new Problem('validation_failed', 'send exactly one file, in the part named "file"');
          }
          const bytes = await part.toBuffer();
          file = { bytes, name: basename(part.filename || 'registry.txt') };
        } else if (part.fieldname === 'source' || part.fieldname === 'asOf') {
          fields[part.fieldname] = String(part.value);
        } else {
          throw new Problem('validation_failed', `unknown field "${part.fieldname}"`, [
            { path: `/${part.fieldname}`, message: 'unknown field' },
          ]);
        }
      }
      if (!file)
        throw new Problem('validation_failed', 'no file: add a part named "file"', [
          { path: '/file', message: 'required' },
        ]);
      if (!fields.source) {
        throw new Problem('validation_failed', `no source: one of ${DNC_SOURCES.join(', ')}`, [
          { path: '/source', message: 'required' },
        ]);
      }
      return await importRegistry(ctx.store, {
        user,
        source: fields.source,
        bytes: file.bytes,
        fileName: file.name,
        asOf: fields.asOf || undefined,
        now: ctx.now(),
      });
    },
  );
}
