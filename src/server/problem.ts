/**
 * Every error the API returns is an RFC 9457 problem document (`application/problem+json`):
 *
 *   { "type": "/problems/validation_failed", "title": "Invalid request", "status": 400,
 *     "detail": "…", "instance": "/api/v1/attempts", "errors": [{ "path": "/contactId", "message": "…" }] }
 *
 * Use cases throw an AppError (app/errors.ts), mapped here once; handlers may throw
 * `new Problem('not_found', 'there is no contact 7')`. This plugin turns those, zod validation
 * failures, Fastify's own body errors and anything unexpected into one.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../app/errors.js';
import { assertUnreachable } from '../core/unreachable.js';
import { RETRY_AFTER_SECONDS, storeErrorKind } from '../store/errors.js';

export type ProblemCode =
  | 'validation_failed'
  | 'malformed_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'rate_limited'
  | 'unprocessable'
  | 'conflict'
  | 'setup_closed'
  | 'unavailable'
  | 'internal';

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
  /** RFC 9457 extension members, e.g. the call block a start conflicts with. */
  [extension: string]: unknown;
}

export function statusOf(code: ProblemCode): { status: number; title: string } {
  switch (code) {
    case 'validation_failed':
      return { status: 400, title: 'Invalid request' };
    case 'malformed_json':
      return { status: 400, title: 'Malformed JSON' };
    case 'payload_too_large':
      return { status: 413, title: 'Request body too large' };
    case 'unsupported_media_type':
      return { status: 415, title: 'Unsupported content type' };
    case 'unauthenticated':
      return { status: 401, title: 'Sign-in required' };
    case 'forbidden':
      return { status: 403, title: 'Forbidden' };
    case 'csrf_failed':
      return { status: 403, title: 'CSRF token missing or wrong' };
    case 'not_found':
      return { status: 404, title: 'Not found' };
    case 'rate_limited':
      return { status: 429, title: 'Too many attempts' };
    case 'unprocessable':
      return { status: 422, title: 'Request cannot be carried out' };
    case 'conflict':
      return { status: 409, title: 'Conflicts with the current state' };
    case 'setup_closed':
      return { status: 403, title: 'Setup is not available' };
    case 'unavailable':
      return { status: 503, title: 'Service unavailable' };
    case 'internal':
      return { status: 500, title: 'Internal server error' };
    default:
      return assertUnreachable(code, 'problem code');
  }
}

/**
 * An error that becomes a problem document; `headers` are added to the response (Retry-After),
 * `extensions` to the document (RFC 9457 extension members).
 */
export class Problem extends Error {
  override name = 'Problem';
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemDocument(
  code: ProblemCode,
  detail: string,
  instance: string,
  errors?: FieldError[],
  extensions?: Record<string, unknown>,
): ProblemDocument {
  const { status, title } = statusOf(code);
  return {
    ...extensions,
    type: `/problems/${code}`,
    title,
    status,
    detail,
    instance,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail: string,
  errors?: FieldError[],
  extensions?: Record<string, unknown>,
): FastifyReply {
  const doc = problemDocument(code, detail, request.url.split('?')[0] ?? request.url, errors, extensions);
  // A string body skips the route's response serializer, which describes success only.
  return reply.code(doc.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(doc));
}

/** Paths are RFC 6901 JSON Pointers (`/contacts/0/email`), as the validator reports them. */
function pointer(base: string, key: string): string {
  return `${base === '/' ? '' : base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function fieldErrors(error: unknown): FieldError[] {
  if (!hasZodFastifySchemaValidationErrors(error)) return [];
  const out: FieldError[] = [];
  for (const issue of error.validation) {
    const keys = (issue.params as { keys?: unknown }).keys;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      for (const key of keys) {
        out.push({ path: pointer(issue.instancePath, String(key)), message: 'unknown field' });
      }
    } else {
      out.push({ path: issue.instancePath, message: issue.message ?? 'invalid' });
    }
  }
  return out;
}

/** The store could not be reached or did not answer in time: nothing was changed, try again. */
export function storeUnavailable(): Problem {
  return new Problem(
    'unavailable',
    'the database is not answering; nothing was changed, try again shortly',
    undefined,
    { 'retry-after': String(RETRY_AFTER_SECONDS) },
  );
}

/** What a use case refused, as the API answers it. */
export function problemOf(error: AppError): Problem {
  const { failure, message } = error;
  switch (failure.code) {
    case 'not_found':
      return new Problem('not_found', message);
    case 'invalid':
      return new Problem('unprocessable', message, failure.fields.length > 0 ? failure.fields : undefined);
    case 'unreadable_file':
      return new Problem('unprocessable', message);
    case 'block_running':
      return new Problem(
        'conflict',
        message,
        undefined,
        { location: '/api/v1/blocks/current' },
        {
          block: failure.running,
        },
      );
    case 'call_refused':
      return new Problem('unprocessable', message, undefined, undefined, {
        refusal: failure.refusal,
        nextAllowedAt: failure.nextAllowedAt === null ? null : new Date(failure.nextAllowedAt).toISOString(),
      });
    case 'provider_failed':
      return new Problem('unavailable', message);
    case 'webhook_rejected':
      return new Problem('forbidden', message);
    case 'webhook_field':
      return new Problem('validation_failed', `${failure.field}: ${message}`, [
        { path: `/${failure.field}`, message },
      ]);
    case 'current_password': {
      const field = [{ path: '/currentPassword', message }];
      return failure.problem === 'missing'
        ? new Problem('validation_failed', message, field)
        : new Problem('forbidden', message, field);
    }
    case 'demo_refused':
      return new Problem('conflict', message);
    case 'undo_refused':
      return new Problem('conflict', message, undefined, undefined, { reason: failure.reason });
    case 'import_undo_refused':
      return new Problem('conflict', message, undefined, undefined, { contacts: failure.contacts });
    default:
      return assertUnreachable(failure, 'app failure');
  }
}

/** Maps what Fastify or a handler threw to a problem. */
function classify(error: FastifyError): {
  code: ProblemCode;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string> | undefined;
} {
  if (error instanceof Problem)
    return { code: error.code, detail: error.detail, errors: error.errors, headers: error.headers };
  if (storeErrorKind(error) === 'unavailable') {
    const problem = storeUnavailable();
    return { code: problem.code, detail: problem.detail, headers: problem.headers };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError & { validationContext?: string }).validationContext ?? 'request';
    const errors = fieldErrors(error);
    return {
      code: 'validation_failed',
      detail: `the ${where} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`,
      errors,
    };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'malformed_json', detail: error.message };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', detail: error.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', detail: 'send the body as application/json' };
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return { code: 'malformed_json', detail: error.message };
  }
  if (error.statusCode === 413) return { code: 'payload_too_large', detail: error.message };
  if (error.statusCode === 415) return { code: 'unsupported_media_type', detail: error.message };
  if (error.statusCode === 404) return { code: 'not_found', detail: error.message };
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { code: 'validation_failed', detail: error.message };
  }
  return { code: 'internal', detail: 'something went wrong; the server log has the details' };
}

/** Installs the error and not-found handlers. Call on the root instance, before any routes. */
export function registerProblems(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError, request, reply) => {
    const error = thrown instanceof AppError ? problemOf(thrown) : thrown;
    const { code, detail, errors, headers } = classify(error);
    if (code === 'internal') request.log.error({ err: thrown }, 'request failed');
    else if (code === 'unavailable' && !(error instanceof Problem))
      request.log.warn({ err: error }, 'the database is not answering');
    if (headers) reply.headers(headers);
    return sendProblem(
      request,
      reply,
      code,
      detail,
      errors,
      error instanceof Problem ? error.extensions : undefined,
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
  );
}
