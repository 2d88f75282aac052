/**
 * How the calling and import commands print their results, shared by the local commands and
 * the remote CLI so both print exactly the same thing.
 */
import type { ImportSummary } from '../contracts/import-summary.js';
import type { LogResult, QueueItem } from '../contracts/queue.js';
import { printJson, printTable } from './context.js';

export function printQueue(items: QueueItem[], json: boolean | undefined): void {
  if (json) {
    printJson(items);
    return;
  }
  printTable(
    items.map((i) => ({
      '#': i.position,
      why: i.reason,
      contact: `${i.contact.name} (${i.contact.id})`,
      company: i.contact.company ?? '',
      dial: i.number
        ? `${i.number.e164}${i.number.extension ? ` x${i.number.extension}` : ''} ${i.number.kind}`
        : '',
      local: `${i.localTime.day.slice(0, 3)} ${i.localTime.time}${i.localTime.guess ? '?' : ''}`,
      voicemail: i.voicemail.leave ? (i.voicemail.script ?? '') : 'no',
      campaign: i.campaign,
    })),
  );
}

export function printLogged(result: LogResult, json: boolean | undefined): void {
  if (json) {
    printJson(result);
    return;
  }
  const n = result.next;
  process.stdout.write(
    `logged ${result.outcome} for contact ${result.contactId} (${result.campaign}), attempt ${result.attemptId}\n` +
      `next: ${n.state}${n.dueAt ? ` — due ${n.dueAt}` : ''}${n.number ? ` on ${n.number}` : ''}\n` +
      n.reasons.map((r) => `  · ${r}\n`).join(''),
  );
}

export function printImportSummary(summary: ImportSummary, json: boolean | undefined): void {
  if (json) {
    printJson(summary);
    return;
  }
  const counted = (n: number, what: string) => (summary.dryRun ? `${n} would be ${what}` : `${n} ${what}`);
  process.stdout.write(
    `${summary.file} (${summary.format}, ${summary.encoding}): read ${summary.read} rows — ` +
      `${counted(summary.created, 'created')}, ${counted(summary.updated, 'updated')}, ` +
      `${summary.unchanged} unchanged, ${summary.rejected} rejected\n`,
  );
  if (summary.ignoredColumns.length > 0)
    process.stdout.write(`ignored columns: ${summary.ignoredColumns.join(', ')}\n`);
  for (const e of summary.errors)
    process.stdout.write(`  row ${e.row}${e.field ? `, ${e.field}` : ''}: ${e.message}\n`);
  if (summary.errorsOmitted > 0) process.stdout.write(`  … and ${summary.errorsOmitted} more errors\n`);
}

export function printSnoozed(
  result: { contactId: number; until: string; enrollments: number },
  json: boolean | undefined,
): void {
  if (json) printJson(result);
  else
    process.stdout.write(
      `contact ${result.contactId} snoozed until ${result.until} (${result.enrollments} enrollments)\n`,
    );
}

export function printDoNotCall(
  result: { kind: string; target: string; added: boolean },
  json: boolean | undefined,
): void {
  if (json) printJson(result);
  else
    process.stdout.write(
      `${result.kind} ${result.target} ${result.added ? 'is now on' : 'was already on'} the do-not-call list\n`,
    );
}
