import type { RegistryImportResult, RegistryListView } from '../app/dnc-registry.js';
/**
 * How the commands print their results, shared by the local commands and the remote CLI so
 * both print exactly the same thing.
 */
import type { ImportSummary, ImportUndo } from '../contracts/import-summary.js';
import type { StatsJson } from '../contracts/insights.js';
import type { LogResult, QueueItem, SkipResult, UndoResult } from '../contracts/queue.js';
import type { BlockSummary, CallbackLine, ScreenResult } from '../contracts/screening.js';
import type { HolidayDayJson, HolidayListJson } from '../contracts/settings.js';
import type { ApiTokenJson, MintedTokenJson } from '../contracts/tokens.js';
import { skipReasonWords } from '../core/block/skip.js';
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

export function printSkipped(result: SkipResult, json: boolean | undefined): void {
  if (json) {
    printJson(result);
    return;
  }
  process.stdout.write(
    `skipped contact ${result.contactId} (${result.campaign})${result.reason ? `: ${skipReasonWords(result.reason)}` : ''}` +
      `${result.blockId === null ? '' : `; counted in block ${result.blockId}`}` +
      `${result.dueAt ? `; still due ${result.dueAt}` : ''}\n`,
  );
}

export function printUndone(result: UndoResult, json: boolean | undefined): void {
  if (json) printJson(result);
  else process.stdout.write(`undone: ${result.undone} (contact ${result.contactId})\n`);
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
      `${summary.unchanged} unchanged, ${summary.rejected} rejected` +
      `${summary.skipped > 0 ? `, ${summary.skipped} left untouched (conflicts)` : ''}\n`,
  );
  for (const c of summary.conflicts) process.stdout.write(`  row ${c.row}: ${c.message}\n`);
  if (summary.conflictsOmitted > 0)
    process.stdout.write(`  … and ${summary.conflictsOmitted} more conflicts\n`);
  for (const c of summary.changes) {
    const who = c.contactId === null ? 'new contact' : `contact ${c.contactId}`;
    const before = c.before === null ? '' : `${JSON.stringify(c.before)} → `;
    process.stdout.write(`  row ${c.row}, ${who}, ${c.field}: ${before}${JSON.stringify(c.after)}\n`);
  }
  if (summary.changesOmitted > 0) process.stdout.write(`  … and ${summary.changesOmitted} more changes\n`);
  if (summary.ignoredColumns.length > 0)
    process.stdout.write(`ignored columns: ${summary.ignoredColumns.join(', ')}\n`);
  for (const e of summary.errors)
    process.stdout.write(`  row ${e.row}${e.field ? `, ${e.field}` : ''}: ${e.message}\n`);
  if (summary.errorsOmitted > 0) process.stdout.write(`  … and ${summary.errorsOmitted} more errors\n`);
  if (summary.importRunId !== null && summary.created + summary.updated > 0)
    process.stdout.write(`undo it as a whole with: ringback import undo ${summary.importRunId}\n`);
}

export function printImportUndo(undo: ImportUndo, json: boolean | undefined): void {
  if (json) {
    printJson(undo);
    return;
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  process.stdout.write(
    `import ${undo.importRunId} (${undo.file}) undone: removed ${plural(undo.removed, 'contact', 'contacts')}, ` +
      `${plural(undo.numbersRemoved, 'number', 'numbers')} and ` +
      `${plural(undo.enrollmentsRemoved, 'enrollment', 'enrollments')} it had created; ` +
      `put ${plural(undo.restored, 'contact', 'contacts')} back as before\n`,
  );
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

export function printRegistryImport(result: RegistryImportResult, json: boolean | undefined): void {
  if (json) {
    printJson(result);
    return;
  }
  const n = (count: number) => count.toLocaleString('en-US');
  if (result.kind === 'internal') {
    process.stdout.write(
      `${n(result.added)} of ${n(result.numbers)} numbers added to the workspace do-not-call list (it never expires)\n`,
    );
    return;
  }
  const what =
    result.kind === 'full'
      ? `${n(result.numbers)} numbers loaded${result.removed > 0 ? ` (replacing the list before it, ${n(result.removed)} numbers)` : ''}`
      : `change list applied: ${n(result.added)} added, ${n(result.removed)} deleted, ${n(result.numbers)} on the list now`;
  process.stdout.write(
    `${result.source} as of ${result.asOf}: ${what}; ${n(result.listedNumbers)} of the workspace's numbers are on it\n`,
  );
}

export function printRegistryLists(
  views: { holdBackStale: boolean; lists: RegistryListView[] },
  json: boolean | undefined,
): void {
  if (json) {
    printJson(views);
    return;
  }
  if (views.lists.length === 0) {
    process.stdout.write(
      'no registry list is loaded: ringback dnc import FILE --source us-national|ca-dncl|uk-tps|uk-ctps\n',
    );
    return;
  }
  for (const l of views.lists) {
    const flag = l.stale
      ? views.holdBackStale
        ? '  STALE: its numbers are held back until a fresh list is loaded'
        : '  STALE: load a fresh list'
      : '';
    process.stdout.write(
      `${l.name}: as of ${l.asOf} (${l.ageDays} day${l.ageDays === 1 ? '' : 's'} old), ${l.numbers.toLocaleString('en-US')} numbers${flag}\n`,
    );
  }
}

/** The block summary: what rang through, and who was sent to voicemail. */
const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function printBlockSummary(summary: BlockSummary, json: boolean | undefined): void {
  if (json) {
    printJson(summary);
    return;
  }
  const c = summary.counts;
  process.stdout.write(
    `Block ${summary.block.id} ended ${summary.block.endedAt} after ${counted(summary.pace.minutes, 'minute')}: ` +
      `${counted(c.dials, 'dial')}, ${counted(c.conversations, 'conversation')}, ` +
      `${counted(c.voicemailsLeft, 'voicemail')} left, ${counted(c.appointmentsSet, 'appointment')} set, ` +
      `${counted(c.callbacksReceived, 'callback')} received, ${counted(c.skips, 'skip')}` +
      `${summary.pace.dialsPerHour === null ? '' : `; ${summary.pace.dialsPerHour} dials an hour`}\n`,
  );
  if (summary.promises.length > 0) {
    process.stdout.write('Promises you made:\n');
    printTable(
      summary.promises.map((p) => ({
        what: p.kind,
        who: `${p.contact.name}${p.contact.company ? `, ${p.contact.company}` : ''} (${p.contact.id})`,
        when: `${p.yourTime} (${p.zone})`,
      })),
    );
  }
  process.stdout.write(
    `${counted(summary.rangThrough, 'call')} put through, ${summary.sentToVoicemail.length} sent to voicemail\n`,
  );
  if (summary.sentToVoicemail.length === 0) return;
  printTable(
    summary.sentToVoicemail.map((v) => ({
      at: v.yourTime,
      caller: v.caller,
      who: v.contact
        ? `${v.contact.name}${v.contact.company ? `, ${v.contact.company}` : ''} (${v.contact.id})`
        : 'unknown',
      why: v.reason,
      message: v.voicemail
        ? `${v.voicemail.durationSeconds}s ${v.voicemail.transcription ?? v.voicemail.url}`
        : '',
    })),
  );
}

export function printBlockStarted(
  started: { block: BlockSummary['block']; closed: BlockSummary | null },
  json: boolean | undefined,
): void {
  if (json) {
    // The local command prints what startBlock returns; the API adds the leased calls, left out here.
    printJson({ block: started.block, closed: started.closed });
    return;
  }
  if (started.closed) printBlockSummary(started.closed, false);
  process.stdout.write(
    `Block ${started.block.id} started; until ${started.block.plannedEndAt} only expected calls ring through\n`,
  );
}

export function printCallbacks(lines: CallbackLine[], json: boolean | undefined): void {
  if (json) {
    printJson(lines);
    return;
  }
  printTable(
    lines.map((l) => ({
      contact: `${l.contact.name} (${l.contact.id})`,
      company: l.contact.company ?? '',
      why: l.why,
      until: l.until.slice(0, 16).replace('T', ' '),
    })),
  );
}

export function printCircled(line: CallbackLine, json: boolean | undefined): void {
  if (json) printJson(line);
  else
    process.stdout.write(`${line.contact.name} is on your callback list until ${line.until} (${line.why})\n`);
}

export function printScreened(result: ScreenResult, json: boolean | undefined): void {
  if (json) printJson(result);
  else process.stdout.write(`${result.action === 'ring' ? 'RING' : 'VOICEMAIL'} — ${result.reason}\n`);
}

/** A user as `ringback users` shows one, locally and through a server alike. */
export interface UserShown {
  id: number;
  email: string;
  name: string;
  role: string;
  phone: string | null;
  timeZone: string;
}

const userShown = (u: UserShown) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  phone: u.phone,
  timeZone: u.timeZone,
});

/** The users list adds whether each may still sign in. */
export function printUsers(users: (UserShown & { active: boolean })[], json: boolean | undefined): void {
  const shown = users.map((u) => ({ ...userShown(u), active: u.active }));
  if (json) printJson(shown);
  else printTable(shown as unknown as Record<string, unknown>[]);
}

export function printUserAdded(user: UserShown, json: boolean | undefined): void {
  if (json) printJson(userShown(user));
  else process.stdout.write(`added ${user.email} (${user.role})\n`);
}

export interface WorkspaceShown {
  id: number;
  name: string;
  defaultCountry: string;
  timeZone: string;
  reminderMinutes: number;
}

export function printWorkspace(w: WorkspaceShown, json: boolean | undefined): void {
  const shown = {
    id: w.id,
    name: w.name,
    defaultCountry: w.defaultCountry,
    timeZone: w.timeZone,
    reminderMinutes: w.reminderMinutes,
  };
  if (json) {
    printJson(shown);
    return;
  }
  process.stdout.write(
    `${shown.name}: numbers default to ${shown.defaultCountry}, contacts default to ${shown.timeZone}, ` +
      `${shown.reminderMinutes ? `reminders ${shown.reminderMinutes} min before appointments` : 'no appointment reminders'}\n`,
  );
}

type Rate = StatsJson['totals']['callbackRate'];
type Counts = Omit<StatsJson['campaigns'][number], 'campaignId' | 'campaign'>;

/** "8.3 % (10/120)": the rate with the counts behind it, so the sample size shows. */
const rateText = (r: Rate) =>
  r.rate === null ? '—' : `${Math.round(r.rate * 1000) / 10} % (${r.count}/${r.of})`;

const countsRow = (c: Counts) => ({
  dials: c.dials,
  talks: c.conversations,
  'vm left': c.voicemailsLeft,
  callbacks: c.callbacksReceived,
  'from vm': c.callbacksFromVoicemail,
  'vm called back': c.voicemailsCalledBack,
  appts: c.appointmentsSet,
  'talk rate': rateText(c.conversationRate),
  'callback rate': rateText(c.callbackRate),
});

export function printStats(stats: StatsJson, json: boolean | undefined): void {
  if (json) {
    printJson(stats);
    return;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const t = stats.totals;
  out(`Insights from ${stats.period.from} to ${stats.period.to}`);
  const pace = t.dialsPerHour === null ? '' : `, ${round1(t.dialsPerHour)} dials per hour`;
  out(`${t.blocks} call block${t.blocks === 1 ? '' : 's'}, ${round1(t.hours)} h${pace}`);
  out('');
  printTable([{ '': 'Total', ...countsRow(t) }]);
  out('');
  out('By campaign');
  printTable(stats.campaigns.map((c) => ({ campaign: c.campaign, ...countsRow(c) })));
  out('');
  out('By person');
  printTable(
    stats.users.map((u) => ({
      person: u.user,
      ...countsRow(u),
      'dials/h': u.dialsPerHour === null ? '' : round1(u.dialsPerHour),
    })),
  );
  for (const e of stats.experiments) {
    out('');
    out(`Voicemail experiment: ${e.campaign}`);
    printTable(
      [e.leave, e.skip].map((a) => ({
        arm: a.arm === 'leave' ? 'leave a voicemail' : 'no voicemail',
        enrollments: a.enrollments,
        dials: a.dials,
        'callback rate': rateText(a.callbackRate),
        'talk rate': rateText(a.conversationRate),
      })),
    );
    out(`Callbacks: ${e.callbacks.reason}`);
    out(`Conversations: ${e.conversations.reason}`);
  }
  printLearned(stats, out);
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const pct = (x: number) => `${Math.round(x * 100)} %`;

/** Below this many dials a heatmap cell shows "·": too few to read a rate from. */
const MIN_CELL_DIALS = 5;

function printLearned(stats: StatsJson, out: (line: string) => void): void {
  const c = stats.cost;
  out('');
  const estimated =
    c.estimatedCalls > 0 ? ` (${c.estimatedCalls} of ${c.dials} calls estimated from their outcome)` : '';
  out(`Phone time: ${Math.round(c.minutes)} min${estimated}`);
  const per = (x: number | null, what: string) => (x === null ? null : `${round1(x)} min per ${what}`);
  const pers = [
    per(c.perConversation, 'conversation'),
    per(c.perVoicemail, 'voicemail'),
    per(c.perCallback, 'callback earned'),
  ].filter(Boolean);
  if (pers.length) out(pers.join(', '));
  if (stats.heatmap.length > 0) {
    out('');
    out(`Connect rate by the contact's local hour (· fewer than ${MIN_CELL_DIALS} dials)`);
    const hours = stats.heatmap.map((h) => h.hour);
    const first = Math.min(...hours);
    const last = Math.max(...hours);
    const cells = new Map(stats.heatmap.map((h) => [h.weekday * 24 + h.hour, h]));
    let header = '     ';
    for (let h = first; h <= last; h++) header += String(h).padStart(4);
    out(header);
    for (let d = 1; d <= 7; d++) {
      let line = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][d - 1]!.padEnd(5);
      let any = false;
      for (let h = first; h <= last; h++) {
        const cell = cells.get(d * 24 + h);
        any ||= cell !== undefined;
        const text =
          cell === undefined
            ? ''
            : cell.dials < MIN_CELL_DIALS
              ? '·'
              : `${Math.round((100 * cell.conversations) / cell.dials)}`;
        line += text.padStart(4);
      }
      if (any) out(line);
    }
  }
  for (const a of stats.advisor) {
    out('');
    const curve = stats.firstConnect.filter((p) => p.campaignId === a.campaignId);
    out(`${a.campaign}: reached by attempt k (still being worked: not counted as failures)`);
    out(`  ${curve.map((p) => `${p.attempt}: ${p.share === null ? '—' : pct(p.share)}`).join('  ')}`);
    const tried = Math.max(...a.byAttempt.map((y) => y.attempt));
    out(
      a.recommendedLimit === null
        ? '  Attempt limit: no first dials to compare with yet'
        : a.recommendedLimit < tried
          ? `  Attempt limit advice: ${a.recommendedLimit} (attempt ${a.recommendedLimit + 1} reaches people credibly less often than a first dial to someone new)`
          : `  Attempt limit advice: ${a.recommendedLimit} (no attempt so far reaches people credibly less often than a first dial)`,
    );
  }
}

export function printTokens(tokens: ApiTokenJson[], json: boolean | undefined): void {
  if (json) printJson(tokens);
  else printTable(tokens as unknown as Record<string, unknown>[]);
}

/** The secret is shown this once. */
export function printMinted(token: MintedTokenJson, json: boolean | undefined): void {
  if (json) {
    printJson(token);
    return;
  }
  const until = token.expiresAt ? `until ${token.expiresAt}` : 'no expiry';
  process.stdout.write(
    `token ${token.id} "${token.name}" (${token.scope}, ${until}); shown only now:\n${token.token}\n`,
  );
}

export function printHolidays(list: HolidayListJson, json: boolean | undefined): void {
  if (json) {
    printJson(list);
    return;
  }
  const from = list.country ? `${list.country} public holidays` : 'no public holidays';
  process.stdout.write(`${list.year}: ${from}, with the workspace's own days\n`);
  printTable(
    list.days.map((d) => ({
      date: d.date,
      holiday: d.name,
      from: d.source === 'public' ? list.country : 'added',
    })),
  );
  if (list.removed.length > 0)
    process.stdout.write(`worked anyway: ${list.removed.map((d) => `${d.date} (${d.name})`).join(', ')}\n`);
}

export function printHolidayAdded(day: HolidayDayJson): void {
  process.stdout.write(`${day.date} (${day.name}) is a holiday: business contacts are not called on it\n`);
}

export function printHolidayRemoved(day: HolidayDayJson): void {
  process.stdout.write(`${day.date} (${day.name}) is a working day now\n`);
}
