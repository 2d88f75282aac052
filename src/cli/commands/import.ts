/**
 * `ringback import contacts FILE` — CSV or vCard into the workspace.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ImportFileError, ImportUsageError, importContacts } from '../../app/import/import-contacts.js';
import { parseMapOption } from '../../core/import/header-map.js';
import { resolveUser } from '../actor.js';
import { CommandError, clockNow, UsageError, withStore } from '../context.js';
import { printImportSummary } from '../print-results.js';

interface ImportFlags {
  campaign?: string;
  owner?: string;
  country?: string;
  map?: string;
  dryRun?: boolean;
  json?: boolean;
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
    .option('--owner <email>', 'assign the contacts to this user')
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
        if (e instanceof ImportUsageError) throw new UsageError(e.message);
        if (e instanceof ImportFileError) throw new CommandError(e.message);
        throw e;
      }
    });
}
