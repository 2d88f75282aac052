/**
 * `ringback export contacts|attempts` — CSV or JSON (contacts also as vCard 4.0, all or one), to
 * a file or standard output.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { type ExportFormat, type ExportKind, exportData, type TextSink } from '../../app/export.js';
import { resolveUser } from '../actor.js';
import { CommandError, clockNow, positiveInt, UsageError, withStore } from '../context.js';

function sinkFor(stream: NodeJS.WritableStream): TextSink {
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        stream.write(text, (err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Opens the output file up front, so a path that cannot be written fails before any work. */
function openForWriting(path: string): Promise<NodeJS.WritableStream & { end: WriteStream['end'] }> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path);
    stream.once('open', () => resolve(stream));
    stream.once('error', (e: NodeJS.ErrnoException) =>
      reject(new CommandError(`cannot write ${path}: ${e.code ?? e.message}`)),
    );
  });
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write contacts or attempts out as CSV or JSON, or contacts as vCards')
    .argument('<what>', 'contacts | attempts')
    .option('--format <format>', 'csv | json | vcard (contacts only)', 'csv')
    .option('--contact <id>', 'only this contact (contacts only)')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--user <email>', "export this user's workspace (default: the first workspace)")
    .action(
      async (what: string, flags: { format: string; out?: string; user?: string; contact?: string }) => {
        if (what !== 'contacts' && what !== 'attempts') {
          throw new UsageError(`export: "${what}" is not something to export (contacts | attempts)`);
        }
        if (flags.format !== 'csv' && flags.format !== 'json' && flags.format !== 'vcard') {
          throw new UsageError(`--format ${flags.format}: use csv, json or vcard`);
        }
        if (what === 'attempts' && (flags.format === 'vcard' || flags.contact !== undefined)) {
          throw new UsageError('--format vcard and --contact are for exporting contacts');
        }
        const contactId = flags.contact === undefined ? undefined : positiveInt('--contact', flags.contact);
        const file = flags.out ? await openForWriting(flags.out) : null;
        const now = clockNow();
        const count = await withStore(async (store) =>
          exportData(store, {
            kind: what as ExportKind,
            format: flags.format as ExportFormat,
            sink: sinkFor(file ?? process.stdout),
            user: await resolveUser(store, flags.user, now),
            contactId,
            now,
          }),
        );
        if (contactId !== undefined && count === 0)
          throw new CommandError(`there is no contact ${contactId}`);
        if (file) {
          await new Promise<void>((resolve, reject) =>
            file.end((err?: Error | null) => (err ? reject(err) : resolve())),
          );
          process.stderr.write(`wrote ${count} ${what} to ${flags.out}\n`);
        }
      },
    );
}
