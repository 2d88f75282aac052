/**
 * An instant an API takes: ISO 8601 with an offset, inside the product's range (core/time/bounds.ts).
 */
import { z } from 'zod';
import { INSTANT_RANGE_TEXT, instantInRange } from '../core/time/bounds.js';

export const isoInstant = z.iso
  .datetime({ offset: true })
  .refine((s) => instantInRange(Date.parse(s)), { message: `must be a time ${INSTANT_RANGE_TEXT}` });
