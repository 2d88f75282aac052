/**
 * `ringback import contacts FILE` — CSV or vCard into the workspace.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { importContacts } from '../../app/import/import-contacts.js';
import { undoImport } from '../../app/import/undo-import.js';
import { parseMapOption } from '../../core/import/header-map.js';
import { parseResolutions, type Resolution } from '../../core/import/match.js';
import { resolveUser } from '../actor.js';
import { clockNow, positiveInt, UsageError, withStore } from '../context.js';
import { printImportSummary, printImportUndo } from '../print-results.js';

interface ImportFlags {
  campaign?: string;
  owner?: string;
  country?: string;
  map?: string;
  dryRun?: boolean;
  json?: boolean;
  takeOver?: boolean;
  onConflict?: string;
  resolve?: string;
}

export function registerImport(program: Command): void {
  const imp = program.command('import').description('bring contacts in from a file');
  imp
    .command('contacts')
    .description(
      'import contacts from a CSV (HubSpot, Salesforce, Pipedrive, Zoho, Google, Outlook, LinkedIn exports…) or a vCard file',
    )
    .argument('<file>', 'a .csv (any common delimiter, UTF-8 or Windows-1252) or .vcf file')
    .option(
      '--campaign <name>',
      'enroll the contacts in this campaign (created with the default policy if new)',
    )
    .option('--owner <email>', 'assign the contacts created to this user')
    .option('--take-over', 'also give the stored contacts the file matches to --owner')
    .option(
      '--on-conflict <choice>',
      'rows that clash with a stored contact: skip (default), update it, or create a new contact',
    )
    .option('--resolve <choices>', 'per row, e.g. "12=update,15=create" (rows as the report gives them)')
    .option(
      '--country <cc>',
      'region for numbers written without +country code (default: the workspace setting)',
    )
    .option('--map <pairs>', 'column mapping overrides, e.g. "Cell=phone:mobile,Org=company,Junk=ignore"')
    .option('--dry-run', 'read and check everything, change nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, flags: ImportFlags) => {
      let map: Record<string, string> | undefined;
      if (flags.map !== undefined) {
        const parsed = parseMapOption(flags.map);
        if (!parsed.ok) throw new UsageError(`--map: ${parsed.error}`);
        map = parsed.map;
      }
      const { onConflict, resolutions } = conflictChoices(flags);
      const bar =
        process.stderr.isTTY && !flags.json
          ? new SingleBar({
              format: 'importing [{bar}] {percentage}% | {value}/{total} bytes',
              hideCursor: true,
            })
          : null;
      let started = false;
      try {
        const now = clockNow();
        const summary = await withStore(async (store) =>
          importContacts(store, {
            file,
            // The owner's workspace receives the contacts; without one, the first workspace.
            user: flags.owner ? await resolveUser(store, flags.owner, now, '--owner') : null,
            campaign: flags.campaign,
            ownerEmail: flags.owner,
            // Run on the server machine by its operator: the whole workspace is in view.
            actor: null,
            takeOver: flags.takeOver,
            onConflict,
            resolutions,
            country: flags.country,
            map,
            dryRun: flags.dryRun,
            now,
            onProgress: (done, total) => {
              if (!bar) return;
              if (!started) {
                bar.start(total, 0);
                started = true;
              }
              bar.update(done);
            },
          }),
        );
        bar?.stop();
        printImportSummary(summary, flags.json);
        if (summary.read > 0 && summary.rejected === summary.read) process.exitCode = 1;
        if (summary.read === 0) {
          process.stderr.write(`${file}: no rows to import\n`);
          process.exitCode = 1;
        }
      } catch (e) {
        bar?.stop();
        throw e;
      }
    });
  imp
    .command('undo')
    .description(
      'undo an import as a whole (its run id is printed when it finishes), while nothing newer touched its contacts',
    )
    .argument('<id>', 'the import run id')
    .option('--json', 'print what was undone as JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const importRunId = positiveInt('import run id', id);
      const undo = await withStore((store) =>
        undoImport(store, { importRunId, user: null, actor: null, now: clockNow() }),
      );
      printImportUndo(undo, flags.json);
    });
}

/** --on-conflict and --resolve, checked. */
export function conflictChoices(flags: { onConflict?: string; resolve?: string }): {
  onConflict: Resolution | undefined;
  resolutions: Record<number, Resolution> | undefined;
} {
  const { onConflict } = flags;
  if (
    onConflict !== undefined &&
    onConflict !== 'update' &&
    onConflict !== 'create' &&
    onConflict !== 'skip'
  ) {
    throw new UsageError(`--on-conflict ${onConflict}: choose skip, update or create`);
  }
  let resolutions: Record<number, Resolution> | undefined;
  if (flags.resolve !== undefined) {
    const parsed = parseResolutions(flags.resolve);
    if (!parsed.ok) throw new UsageError(`--resolve: ${parsed.error}`);
    resolutions = parsed.resolutions;
  }
  return { onConflict, resolutions };
}
