/**
 * Undoing an import (`ringback import undo ID`, `POST /api/v1/imports/:id/undo`): the whole run
 * at once, in one transaction, while nothing newer touched the contacts it created or changed.
 * Stored contacts get their fields, owner, links and enrollments back as they were; the
 * contacts, numbers and enrollments it created go. Otherwise it refuses, naming the contacts
 * touched since, because undoing would throw that work away.
 */
import type { ImportUndo } from '../../contracts/import-summary.js';
import type { Store } from '../../store/db.js';
import {
  contactsOutOfScope,
  contactsTouchedSince,
  findImportRun,
  type RunContact,
  undoRun,
} from '../../store/import-journal-repo.js';
import type { User } from '../../store/schema.js';
import type { Actor } from '../../store/scope.js';
import { workspaceOfActor } from '../../store/workspace-repo.js';
import { inWriteTransaction } from '../../store/write-transaction.js';
import { AppError, notFound } from '../errors.js';

export interface UndoImportRequest {
  importRunId: number;
  /** Whose workspace; null for the default one (a local command naming nobody). */
  user: User | null;
  /** Whose scope bounds it: every contact the run touched must be theirs to change; null: anyone's. */
  actor: Actor | null;
  now: number;
}

/** How many contacts a refusal names; the count says how many more. */
const NAMED = 10;

export async function undoImport(store: Store, request: UndoImportRequest): Promise<ImportUndo> {
  const { importRunId: id, now } = request;
  return inWriteTransaction(store, async (trx) => {
    const workspace = await workspaceOfActor(trx, request.user, now);
    const run = await findImportRun(trx, workspace.id, id);
    if (!run) throw notFound(`there is no import ${id} in this workspace`);
    const label = `import ${id} (${run.fileName})`;
    if (run.undoneAt !== null) {
      throw new AppError(`${label} was undone already, at ${new Date(run.undoneAt).toISOString()}`, {
        code: 'import_undo_refused',
        contacts: [],
      });
    }
    if (run.status === 'running') {
      throw new AppError(`${label} is still running; undo it once it has finished`, {
        code: 'import_undo_refused',
        contacts: [],
      });
    }
    if (request.actor) {
      const hidden = await contactsOutOfScope(trx, request.actor, id, 1);
      if (hidden.length > 0) {
        // As for any contact out of scope: not found (app/contacts.ts), but saying why.
        throw notFound(
          `there is no import ${id} you may undo: it created or changed contacts you do not answer for (a manager of their owners or an admin can undo it)`,
        );
      }
    }
    const touched = await contactsTouchedSince(trx, workspace.id, id, run.startedAt);
    if (touched.length > 0) {
      const named = touched.slice(0, NAMED).map(nameOf).join(', ');
      const more = touched.length > NAMED ? ` and ${touched.length - NAMED} more` : '';
      const count = touched.length === 1 ? '1 of its contacts' : `${touched.length} of its contacts`;
      throw new AppError(
        `${label} cannot be undone: ${count} changed after it (${named}${more}), and undoing it would lose that`,
        {
          code: 'import_undo_refused',
          contacts: touched.map((c) => ({ id: c.id, name: `${c.firstName} ${c.lastName}`.trim() })),
        },
      );
    }
    const counts = await undoRun(trx, workspace.id, id, now);
    return { importRunId: id, file: run.fileName, undoneAt: now, ...counts };
  });
}

function nameOf(c: RunContact): string {
  const name = `${c.firstName} ${c.lastName}`.trim() || c.email || 'a contact with no name';
  return `${name} (contact ${c.id})`;
}
