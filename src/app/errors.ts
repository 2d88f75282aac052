/**
 * What a use case refuses, as one vocabulary: a code with the data its callers need. The server
 * maps it once to a problem document (server/problem.ts), the command line once to a message and
 * an exit code (cli/errors.ts), each by an exhaustive switch, so a new code cannot go unmapped.
 */
import type { BlockSummary } from '../contracts/screening.js';
import type { OutboundRefusal } from '../core/calling-hours/outbound.js';

/** A field at fault, as a JSON Pointer into the request (`/topic`, `/numbers/0/e164`). */
export interface FieldFault {
  path: string;
  message: string;
}

export type AppFailure =
  /** The request names something that does not exist, or that the user may not see. */
  | { code: 'not_found' }
  /** The request is well formed but cannot be carried out as asked. */
  | { code: 'invalid'; fields: FieldFault[] }
  /** A file could not be read at all. */
  | { code: 'unreadable_file' }
  /** A call block is running already: stop it (or wait for its end) first. */
  | { code: 'block_running'; running: BlockSummary['block'] }
  /** The call would break a calling rule: why, and when a call is next allowed. */
  | { code: 'call_refused'; refusal: OutboundRefusal; nextAllowedAt: number | null }
  /** The telephony provider refused or did not answer. */
  | { code: 'provider_failed' }
  /** A webhook that is not the provider's, or a call already handled. */
  | { code: 'webhook_rejected' }
  /** A signed webhook's field is unusable; `field` is the provider's parameter name. */
  | { code: 'webhook_field'; field: string }
  /**
   * Changing one's own password without the current one (`missing`) or with a wrong one: a stolen
   * session must not be enough to lock its owner out.
   */
  | { code: 'current_password'; problem: 'missing' | 'wrong' }
  /** The database already holds data, so the demo would mix with it. */
  | { code: 'demo_refused' }
  /** The last outcome cannot be undone: nothing to undo, too late, or a later call was logged. */
  | { code: 'undo_refused'; reason: 'nothing' | 'too_late' | 'superseded' }
  /** An import cannot be undone: it is running, or these contacts changed after it. */
  | { code: 'import_undo_refused'; contacts: { id: number; name: string }[] };

export type AppFailureCode = AppFailure['code'];

export class AppError<F extends AppFailure = AppFailure> extends Error {
  override name = 'AppError';
  constructor(
    message: string,
    readonly failure: F,
  ) {
    super(message);
  }
  get code(): F['code'] {
    return this.failure.code;
  }
}

export function isAppError<C extends AppFailureCode>(
  error: unknown,
  ...codes: C[]
): error is AppError<Extract<AppFailure, { code: C }>> {
  return error instanceof AppError && (codes.length === 0 || (codes as string[]).includes(error.code));
}

export function notFound(message: string): AppError {
  return new AppError(message, { code: 'not_found' });
}

/** `fields`: the pointer of the one field at fault (its message is the error's), or a list. */
export function invalid(message: string, fields?: string | FieldFault[]): AppError {
  return new AppError(message, {
    code: 'invalid',
    fields: typeof fields === 'string' ? [{ path: fields, message }] : (fields ?? []),
  });
}

export function unreadableFile(message: string): AppError {
  return new AppError(message, { code: 'unreadable_file' });
}
