/**
 * The one validator every route's schemas go through: zod (fastify-type-provider-zod), after a
 * check that no string anywhere in the input holds a NUL byte. PostgreSQL cannot store one in
 * text, and no field of ours needs it, so it is a 400 naming the field for every body, query,
 * path parameter and header, on both databases alike.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';

const NUL_MESSAGE = 'must not contain a NUL byte (\\u0000)';

function addNulIssues(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    if (value.includes('\0')) ctx.addIssue({ code: 'custom', path, message: NUL_MESSAGE });
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) addNulIssues(item, [...path, i], ctx);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\0'))
        ctx.addIssue({ code: 'custom', path: [...path, key], message: `its name ${NUL_MESSAGE}` });
      else addNulIssues(item, [...path, key], ctx);
    }
  }
}

const withoutNul = z.unknown().superRefine((value, ctx) => addNulIssues(value, [], ctx));

export const apiValidatorCompiler: FastifySchemaCompiler<ZodType> = (route) =>
  validatorCompiler({ ...route, schema: withoutNul.pipe(route.schema) });
