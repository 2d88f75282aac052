/**
 * The import use case: read a CSV or vCard file in a stream, turn each row into a contact
 * draft (core), and write batches to the store, one transaction each. Every rejected row is
 * reported with its row, field and reason; every valid row is imported.
 */
import { open, rm, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import { isSupportedCountry } from 'libphonenumber-js';
import { CAMPAIGN_NAME_MAX } from '../../contracts/campaigns.js';
import type { ImportError, ImportSummary, Resolution } from '../../contracts/import-summary.js';
import { DEFAULT_POLICY } from '../../core/cadence/policy.js';
import type { ContactDraft, RowError } from '../../core/import/draft.js';
import { type DraftIndex, indexDrafts } from '../../core/import/draft-index.js';
import { defaultScriptsFor } from '../../core/scripts/defaults.js';
import { campaignVisibleTo, findCampaignByName, insertCampaign } from '../../store/campaign-repo.js';
import {
  applyContactBatch,
  type ImportTarget,
  refreshImportStatistics,
  useImportTransactionSettings,
} from '../../store/contact-import-repo.js';
import type { Store } from '../../store/db.js';
import {
  beatImportRun,
  failImportRun,
  failSilentImportRuns,
  finishImportRun,
  recordImportErrors,
  startImportRun,
} from '../../store/import-run-repo.js';
import type { Database, User } from '../../store/schema.js';
import type { Actor } from '../../store/scope.js';
import { findUserByEmail, usersInScope } from '../../store/user-repo.js';
import { workspaceOfActor } from '../../store/workspace-repo.js';
import { inWriteTransaction, withBulkWrites } from '../../store/write-transaction.js';
import { invalid, isAppError, unreadableFile } from '../errors.js';
import { type DraftEvent, type DraftSourceOptions, readDraftBatches } from './draft-batches.js';
import { detectEncoding } from './file-encoding.js';
import { readDraftBatchesInWorker } from './worker-source.js';

export interface ImportContactsOptions {
  file: string;
  /** Who imports: the contacts go into their workspace; null for the default one (a local command naming nobody). */
  user?: User | null | undefined;
  /**
   * The signed-in user an import over the API runs as: it may enroll only into campaigns they
   * see, and create one only when they may create campaigns. Absent for a local command.
   */
  importer?: User | undefined;
  /** Enroll every imported contact in this campaign, created with the default policy if new. */
  campaign?: string | undefined;
  /** Assign every contact created to this user (and, with `takeOver`, every stored one matched). */
  ownerEmail?: string | undefined;
  /** Give matched stored contacts (and their undialled enrollments) to the owner. */
  takeOver?: boolean | undefined;
  /**
   * Whose view bounds what rows may match (store/scope.ts); anything else is a conflict.
   * Default: `user`; null: the whole workspace (a local command run by the operator).
   */
  actor?: Actor | null | undefined;
  /** What to do with a row in conflict: skip it (the default), update the contact, or create a new one. */
  onConflict?: Resolution | undefined;
  /** Per row, overriding `onConflict`. */
  resolutions?: Readonly<Record<number, Resolution>> | undefined;
  /** Region for numbers written without a country code; default: the workspace's. */
  country?: string | undefined;
  /** Column → field overrides from `--map`. */
  map?: Record<string, string> | undefined;
  dryRun?: boolean | undefined;
  onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
  /**
   * The file is read and checked in this worker thread (the built parse-worker.js) while the
   * database is written in the calling one; false reads it in the calling thread. Default: the
   * worker next to this module when it is built JavaScript, else the calling thread.
   */
  worker?: URL | false | undefined;
  /** The uploaded file's own directory (API imports): recorded, so it is removed if this process dies. */
  uploadPath?: string | undefined;
  /** The clock, passed in. */
  now: number;
}

/**
 * A run silent this long while 'running' was killed: a live one commits a batch, and says so,
 * at least every few seconds (TRANSACTION_MS).
 */
export const IMPORT_SILENT_MS = 2 * 60_000;

/**
 * Marks failed the imports whose process was killed or crashed, and removes their uploaded
 * files. Run when a server starts and before each import.
 */
export async function recoverStoppedImports(store: Pick<Store, 'db'>, now: number): Promise<number> {
  const stopped = await failSilentImportRuns(
    store.db,
    now - IMPORT_SILENT_MS,
    'stopped before it finished (its process was killed or crashed); the batches it committed are kept, and importing the same file again is safe',
    now,
  );
  for (const run of stopped) {
    // Only a directory the upload route made (never a path a user named).
    if (run.uploadPath && basename(run.uploadPath).startsWith(UPLOAD_DIR_PREFIX)) {
      await rm(run.uploadPath, { recursive: true, force: true });
    }
  }
  return stopped.length;
}

/** How the upload route names the directory of each uploaded file. */
export const UPLOAD_DIR_PREFIX = 'ringback-upload-';

const ERRORS_KEPT = 1000;

/**
 * Rows per batch, and so per write transaction: big enough that commits and the statements
 * around the inserts cost little per row, small enough that a few batches in flight stay a few
 * megabytes.
 */
const BATCH_ROWS = 5000;

/** Rows after which (and after each doubling) table statistics are refreshed. */
const STATISTICS_ROWS = 5000;

/**
 * How long a write transaction takes batches before it commits. Each commit writes every page
 * the transaction dirtied, and an import dirties pages all over the email and number indexes,
 * so commits every 3 s rather than every second wrote about 30 % less to the SQLite WAL and
 * cost about 10 % less CPU on a 1,000,000-row import. Other writers wait for the lock at most
 * this long, well inside SQLite's busy timeout (db.ts).
 */
const TRANSACTION_MS = 3000;

/** The worker, when this module runs as built JavaScript (the CLI); tests run the sources. */
const BUILT_WORKER = import.meta.url.endsWith('.js') ? new URL('./parse-worker.js', import.meta.url) : null;

class DryRunRollback extends Error {}

export async function importContacts(store: Store, options: ImportContactsOptions): Promise<ImportSummary> {
  const { now } = options;
  let size: number;
  try {
    const info = await stat(options.file);
    if (!info.isFile()) throw unreadableFile(`${options.file} is not a file`);
    size = info.size;
  } catch (e) {
    if (isAppError(e, 'unreadable_file')) throw e;
    throw unreadableFile(`cannot read ${options.file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }

  if (!options.dryRun) await recoverStoppedImports(store, now);
  const workspace = await workspaceOfActor(store.db, options.user ?? null, now);
  const country = (options.country ?? workspace.default_country).toUpperCase();
  if (!isSupportedCountry(country)) {
    throw invalid(`--country ${options.country}: not a country code libphonenumber knows (try US, GB, DE…)`);
  }
  let ownerId: number | null = null;
  if (options.ownerEmail) {
    const owner = await findUserByEmail(store.db, workspace.id, options.ownerEmail);
    if (!owner)
      throw invalid(`--owner ${options.ownerEmail}: no such user (add one with "npx ringback users add")`);
    ownerId = owner.id;
  }

  const format = await detectFormat(options.file);
  const encoding = await detectEncoding(options.file);
  const summary: ImportSummary = {
    read: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    skipped: 0,
    conflicts: [],
    conflictsOmitted: 0,
    changes: [],
    changesOmitted: 0,
    errors: [],
    errorsOmitted: 0,
    file: options.file,
    format,
    encoding: encoding.mixed ? `${encoding.encoding} (with some invalid bytes)` : encoding.encoding,
    dryRun: Boolean(options.dryRun),
    importRunId: null,
    ignoredColumns: [],
  };
  const keep = <T>(list: T[], more: readonly T[], omitted: 'conflictsOmitted' | 'changesOmitted') => {
    const room = Math.max(0, ERRORS_KEPT - list.length);
    for (let i = 0; i < Math.min(room, more.length); i++) list.push(more[i]!);
    summary[omitted] += Math.max(0, more.length - room);
  };
  const report = (errs: RowError[]) => {
    for (const e of errs) {
      if (summary.errors.length < ERRORS_KEPT) summary.errors.push(e);
      else summary.errorsOmitted++;
    }
  };

  const run = async (
    db: Kysely<Database>,
    inBatchTransaction: <T>(work: (trx: Kysely<Database>) => Promise<T>) => Promise<T>,
  ) => {
    const campaignId = options.campaign
      ? await ensureCampaign(db, workspace.id, options.campaign, options.importer ?? null, now)
      : null;
    const rowOwners = new Map(
      (await usersInScope(db, workspace.id, options.importer ?? null)).map((u) => [
        u.email.toLowerCase(),
        u.id,
      ]),
    );
    const campaignIds = new Map<string, number>();
    const onConflict = options.onConflict ?? 'skip';
    const resolutions = options.resolutions ?? {};
    const runId = await startImportRun(db, {
      workspace_id: workspace.id,
      file_name: options.file,
      format,
      encoding: summary.encoding,
      options: JSON.stringify({
        campaign: options.campaign,
        owner: options.ownerEmail,
        takeOver: options.takeOver,
        onConflict: options.onConflict,
        resolutions: options.resolutions,
        country,
        map: options.map,
      }),
      started_at: now,
      heartbeat_at: now,
      upload_path: options.uploadPath ?? null,
    });
    summary.importRunId = options.dryRun ? null : runId;
    const target: ImportTarget = {
      workspaceId: workspace.id,
      actor: options.actor === undefined ? (options.user ?? null) : options.actor,
      ownerId,
      takeOver: Boolean(options.takeOver),
      campaignId,
      source: 'import',
      resolve: (row) => resolutions[row] ?? onConflict,
      listChanges: Boolean(options.dryRun),
      runId,
      rowOwners,
      campaignIds,
    };
    // An export's Campaigns column names campaigns row by row: each is found (or created) as
    // --campaign is, once; a row naming one the user may not use is rejected, as is one naming
    // an owner who is not a user they answer for.
    const campaignRefusals = new Map<string, string>();
    const checkNamed = async (
      event: Extract<DraftEvent, { kind: 'batch' }>,
      trx: Kysely<Database>,
    ): Promise<{ drafts: ContactDraft[]; index: DraftIndex; errors: RowError[] }> => {
      const errors = [...event.errors];
      const refused = new Set<number>();
      for (const d of event.drafts) {
        if (d.owner !== '' && !rowOwners.has(d.owner)) {
          refused.add(d.row);
          errors.push({
            row: d.row,
            field: 'Owner Email',
            message: `${d.owner} is not a user of this workspace${options.importer ? ' whose contacts you may assign' : ''} (add them first, or leave the column out with --map "Owner Email=ignore")`,
          });
        }
        for (const e of d.enrollments) {
          if (!campaignIds.has(e.campaign) && !campaignRefusals.has(e.campaign)) {
            try {
              campaignIds.set(
                e.campaign,
                await ensureCampaign(trx, workspace.id, e.campaign, options.importer ?? null, now),
              );
            } catch (error) {
              if (!isAppError(error, 'invalid')) throw error;
              campaignRefusals.set(e.campaign, error.message.replace(/^campaign: /, ''));
            }
          }
          const refusal = campaignRefusals.get(e.campaign);
          if (refusal !== undefined) {
            refused.add(d.row);
            errors.push({ row: d.row, field: 'Campaigns', message: refusal });
          }
        }
      }
      if (refused.size === 0) return { drafts: event.drafts, index: event.index, errors };
      const drafts = event.drafts.filter((d) => !refused.has(d.row));
      return { drafts, index: indexDrafts(drafts), errors };
    };

    const source: DraftSourceOptions = {
      file: options.file,
      format,
      encoding,
      country: country as CountryCode,
      map: options.map,
      batchSize: BATCH_ROWS,
    };
    const worker = options.worker === undefined ? BUILT_WORKER : options.worker || null;
    const events = worker ? readDraftBatchesInWorker(source, worker) : readDraftBatches(source);
    const take = async (event: DraftEvent, trx: Kysely<Database>) => {
      if (event.kind === 'columns') {
        summary.ignoredColumns = event.ignored;
        return;
      }
      const { rowsRead } = event;
      const { drafts, index, errors: rowErrors } = await checkNamed(event, trx);
      const rejectedRows = new Set(rowErrors.map((e) => e.row)).size;
      summary.read += rowsRead;
      summary.rejected += rejectedRows;
      report(rowErrors);
      const counts = await applyContactBatch(trx, store, drafts, target, now, index);
      summary.created += counts.created;
      summary.updated += counts.updated;
      summary.unchanged += counts.unchanged;
      summary.skipped += counts.skipped;
      keep(summary.conflicts, counts.conflicts, 'conflictsOmitted');
      keep(summary.changes, counts.changes, 'changesOmitted');
      await recordImportErrors(trx, runId, rowErrors);
      bytesDone = event.bytesRead;
    };

    // Batches go into one transaction until it has been open a quarter of the time the import
    // has run, at most TRANSACTION_MS: each commit rewrites the index pages the transaction
    // touched, so once the tables are big a few big transactions write far less than many small
    // ones, while the first batches are committed (and shown) at once and the write lock is
    // never held long. A failure to read the file ends the run after what was read before it
    // is committed.
    const importStarted = performance.now();
    let bytesDone = 0;
    let readAtStatistics = 0;
    let failure: { error: unknown } | null = null;
    const batches = events[Symbol.asyncIterator]();
    const pull = async (): Promise<DraftEvent | null> => {
      try {
        const next = await batches.next();
        return next.done ? null : next.value;
      } catch (error) {
        failure = { error };
        return null;
      }
    };
    try {
      let next = await pull();
      while (next !== null) {
        const first: DraftEvent = next;
        const ended = await inBatchTransaction(async (trx) => {
          const started = performance.now();
          await beatImportRun(trx, runId, now + Math.round(started - importStarted));
          const limit = Math.min(TRANSACTION_MS, (started - importStarted) / 4);
          await take(first, trx);
          while (performance.now() - started < limit) {
            const more = await pull();
            if (more === null) return true;
            await take(more, trx);
          }
          return false;
        });
        options.onProgress?.(Math.min(size, bytesDone), size);
        // Each time the import has doubled what it wrote, the database hears how big the tables got.
        if (!ended && !options.dryRun && summary.read >= 2 * Math.max(STATISTICS_ROWS, readAtStatistics)) {
          readAtStatistics = summary.read;
          await refreshImportStatistics(store);
        }
        next = ended ? null : await pull();
      }
    } finally {
      await batches.return?.(undefined);
    }
    if (failure) throw (failure as { error: unknown }).error;

    await finishImportRun(db, runId, summary, now);
  };

  await withBulkWrites(store, async () => {
    if (options.dryRun) {
      // One transaction for the whole run, rolled back: the counts are exactly what a real run would do.
      try {
        await inWriteTransaction(store, async (trx) => {
          await run(trx, (work) => work(trx));
          throw new DryRunRollback();
        });
      } catch (e) {
        if (!(e instanceof DryRunRollback)) throw e;
      }
    } else {
      try {
        await run(store.db, (work) =>
          inWriteTransaction(store, async (trx) => {
            await useImportTransactionSettings(trx, store);
            return work(trx);
          }),
        );
      } catch (e) {
        // The batches already written stay; the run says it stopped, and why.
        if (summary.importRunId !== null) {
          await failImportRun(
            store.db,
            summary.importRunId,
            summary,
            e instanceof Error ? e.message : String(e),
            now,
          );
        }
        throw e;
      }
    }
  });
  return summary;
}

async function detectFormat(file: string): Promise<'csv' | 'vcard'> {
  const ext = extname(file).toLowerCase();
  if (ext === '.vcf' || ext === '.vcard') return 'vcard';
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
    const head = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    return /^BEGIN:VCARD/i.test(head) ? 'vcard' : 'csv';
  } finally {
    await handle.close();
  }
}

/**
 * The campaign an import enrolls into: one the importing user may see, else a new one when they
 * may create campaigns (managers and admins, as POST /api/v1/campaigns; a local command naming
 * nobody too). A rep naming a campaign they cannot see is refused, never shown it exists.
 */
async function ensureCampaign(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
  actor: User | null,
  now: number,
): Promise<number> {
  if (name.length > CAMPAIGN_NAME_MAX) {
    throw invalid(
      `campaign: a campaign name has at most ${CAMPAIGN_NAME_MAX} characters (this one has ${name.length})`,
    );
  }
  const existing = await findCampaignByName(db, workspaceId, name);
  if (existing && (!actor || (await campaignVisibleTo(db, actor, existing.id)))) return existing.id;
  if (actor && (existing || actor.role === 'rep')) {
    const hint = actor.role === 'rep' ? ' (managers and admins create campaigns)' : '';
    throw invalid(`campaign: there is no campaign "${name}" shared with you${hint}`);
  }
  const created = await insertCampaign(db, {
    workspace_id: workspaceId,
    name,
    kind: 'sales',
    urgency: 'normal',
    policy: JSON.stringify(DEFAULT_POLICY),
    scripts: JSON.stringify(defaultScriptsFor('sales')),
    // As POST /api/v1/campaigns: shared with its creator's team (the whole workspace without one).
    team_id: actor?.team_id ?? null,
    created_by: actor?.id ?? null,
    created_at: now,
  });
  return created.id;
}

export type { ImportError };
