/**
 * The remote CLI: `ringback --server URL --token T <command>` runs every command that has an
 * API equivalent — queue, log, skip, undo, snooze, dnc, import contacts, export, contacts, block,
 * callbacks, circle, screen, users, workspace, stats and tokens — through the API, printing what the local
 * commands print. The token says who you are, so there is no --user; the server's clock is
 * the time, so there is no --at where the API takes none. `log` sends an Idempotency-Key and
 * retries a dropped connection with it: a retry never records the call twice. demo, migrate,
 * backup, serve and telephony work on the machine of the database (LOCAL_ONLY).
 *
 * Only contracts and the HTTP client are loaded here: no database driver.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { ContactDetail, ContactSummary } from '../contracts/contacts.js';
import type { ImportSummary, ImportUndo } from '../contracts/import-summary.js';
import type { StatsJson } from '../contracts/insights.js';
import type { LogResult, QueueItem, SkipResult, UndoResult } from '../contracts/queue.js';
import type { BlockSummary, CallbackLine, ScreenResult } from '../contracts/screening.js';
import type { HolidayDayJson, HolidayListJson } from '../contracts/settings.js';
import type { ApiTokenJson, MintedTokenJson } from '../contracts/tokens.js';
import { MAX_REMINDER_MINUTES } from '../contracts/workspace.js';
import {
  isTimeZone,
  type NewUserFlags,
  newUserInput,
  newUserOptions,
  reminderMinutesOption,
  type WorkspaceFlags,
  workspaceOptions,
} from './account-input.js';
import { registerContacts } from './commands/contacts.js';
import { conflictChoices } from './commands/import.js';
import { CommandError, parseIsoAt, positiveInt, UsageError } from './context.js';
import {
  printBlockStarted,
  printBlockSummary,
  printCallbacks,
  printCircled,
  printDoNotCall,
  printHolidayAdded,
  printHolidayRemoved,
  printHolidays,
  printImportSummary,
  printImportUndo,
  printLogged,
  printMinted,
  printQueue,
  printScreened,
  printSkipped,
  printSnoozed,
  printStats,
  printTokens,
  printUndone,
  printUserAdded,
  printUsers,
  printWorkspace,
  type UserShown,
  type WorkspaceShown,
} from './print-results.js';
import type { ApiClient } from './remote-client.js';
import { type StatsFlags, statsOptions, statsPeriod } from './stats-input.js';
import { type TokenFlags, tokenInput, tokenOptions } from './token-input.js';

/** Commands that run through a server. */
export const REMOTE_COMMANDS = [
  'holidays',
  'queue',
  'log',
  'skip',
  'undo',
  'snooze',
  'dnc',
  'import',
  'export',
  'contacts',
  'block',
  'callbacks',
  'circle',
  'screen',
  'users',
  'workspace',
  'stats',
  'tokens',
] as const;

/** Commands without an API equivalent, and why. */
export const LOCAL_ONLY: Record<string, string> = {
  demo: 'demo fills a database with demo data: run it on the server machine, without --server',
  migrate: 'migrate changes the database schema: run it on the server machine, without --server',
  backup: 'backup copies the database file: run it on the server machine, without --server',
  serve: 'serve runs a server: drop --server and --token',
  start: 'start runs a server: drop --server and --token',
  simulate:
    'simulate runs on this machine, reading a --campaign from its database: drop --server and --token',
  telephony:
    'telephony is set up on the server machine, without --server; through a server, use the Settings page (PUT /api/v1/telephony)',
};

function isoAt(at: string | undefined): string | undefined {
  return at === undefined ? undefined : new Date(parseIsoAt(at)).toISOString();
}

export function registerRemoteCommands(program: Command, client: () => ApiClient): void {
  statsOptions(program.command('stats')).action(async (flags: StatsFlags) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(statsPeriod(flags))) if (value) query.set(key, value);
    if (flags.campaign !== undefined) {
      const { campaigns } = await client().json<{ campaigns: { id: number; name: string }[] }>(
        'GET',
        '/api/v1/campaigns',
      );
      const campaign = campaigns.find((c) => c.name === flags.campaign);
      if (!campaign) throw new UsageError(`--campaign ${flags.campaign}: there is no such campaign`);
      query.set('campaignId', String(campaign.id));
    }
    printStats(await client().json<StatsJson>('GET', `/api/v1/stats?${query}`), flags.json);
  });

  program
    .command('queue')
    .description('the next calls, in order, from the server (leased to you unless --no-lease)')
    .option('--campaign <name>', 'only this campaign')
    .option('--at <iso>', 'as if it were this time (ISO 8601)')
    .option('--limit <n>', 'how many calls', '20')
    .option('--lease-minutes <n>', 'hand the calls to you for this long so nobody else dials them', '30')
    .option('--no-lease', 'only look; lease nothing')
    .option('--json', 'print as JSON')
    .action(
      async (flags: {
        campaign?: string;
        at?: string;
        limit: string;
        leaseMinutes: string;
        lease: boolean;
        json?: boolean;
      }) => {
        const limit = Math.min(positiveInt('--limit', flags.limit), 100);
        const leaseMinutes = positiveInt('--lease-minutes', flags.leaseMinutes);
        const at = isoAt(flags.at);
        let items: QueueItem[];
        if (flags.lease) {
          ({ items } = await client().json<{ items: QueueItem[] }>('POST', '/api/v1/queue', {
            json: {
              limit,
              leaseMinutes,
              ...(flags.campaign ? { campaign: flags.campaign } : {}),
              ...(at ? { at } : {}),
            },
          }));
        } else {
          const query = new URLSearchParams({ limit: String(limit) });
          if (flags.campaign) query.set('campaign', flags.campaign);
          if (at) query.set('at', at);
          ({ items } = await client().json<{ items: QueueItem[] }>('GET', `/api/v1/queue?${query}`));
        }
        printQueue(items, flags.json);
      },
    );

  program
    .command('log')
    .description('record a call on the server and print the next step')
    .argument('<contact-id>', 'the contact called')
    .argument(
      '<outcome>',
      'connected | gatekeeper | voicemail_left | … (see ringback log --help without --server)',
    )
    .option('--campaign <name>', 'which campaign, when the contact is in several')
    .option('--at <iso>', 'when the call was made (ISO 8601; default now)')
    .option('--when <text>', 'the time the outcome names: "tomorrow 3pm", "back Monday the 19th"')
    .option('--note <text>', 'a note')
    .option('--number <e164>', 'the number dialled (default: the one the cadence chose)')
    .option('--duration <seconds>', 'how long the call lasted')
    .option('--learned <number>', 'a number learned on the call')
    .option('--learned-kind <kind>', 'its kind: direct | mobile | main | assistant | home | other')
    .option('--json', 'print as JSON')
    .action(
      async (
        contactId: string,
        outcome: string,
        flags: {
          campaign?: string;
          at?: string;
          when?: string;
          note?: string;
          number?: string;
          duration?: string;
          learned?: string;
          learnedKind?: string;
          json?: boolean;
        },
      ) => {
        const body = {
          contactId: positiveInt('contact id', contactId),
          outcome,
          campaign: flags.campaign,
          at: isoAt(flags.at),
          when: flags.when,
          note: flags.note,
          number: flags.number,
          durationSeconds:
            flags.duration === undefined ? undefined : positiveInt('--duration', flags.duration),
          learnedNumber: flags.learned,
          learnedKind: flags.learnedKind,
        };
        const result = await client().json<LogResult>('POST', '/api/v1/attempts', {
          json: body,
          headers: { 'idempotency-key': randomUUID() },
          retry: true,
        });
        printLogged(result, flags.json);
      },
    );

  program
    .command('skip')
    .description('pass over a call without dialling: counted in your block, the contact keeps its due time')
    .argument('<contact-id>', 'the contact skipped')
    .option('--reason <reason>', 'why: bad_moment | need_research | not_now')
    .option('--campaign <name>', 'which campaign, when the contact is in several')
    .option('--json', 'print as JSON')
    .action(async (contactId: string, flags: { reason?: string; campaign?: string; json?: boolean }) => {
      const result = await client().json<SkipResult>('POST', '/api/v1/skips', {
        json: {
          contactId: positiveInt('contact id', contactId),
          reason: flags.reason,
          campaign: flags.campaign,
        },
      });
      printSkipped(result, flags.json);
    });

  program
    .command('undo')
    .description('take back your last logged call or skip, within 2 minutes of it')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      printUndone(await client().json<UndoResult>('POST', '/api/v1/undo'), flags.json);
    });

  program
    .command('snooze')
    .description('take a contact out of the queue until a time')
    .argument('<contact-id>')
    .requiredOption('--until <text>', '"Monday 9am", "in two weeks", "2026-12-01"')
    .option('--json', 'print as JSON')
    .action(async (contactId: string, flags: { until: string; json?: boolean }) => {
      const id = positiveInt('contact id', contactId);
      const result = await client().json<{ contactId: number; until: string; enrollments: number }>(
        'POST',
        `/api/v1/contacts/${id}/snooze`,
        { json: { until: flags.until } },
      );
      printSnoozed(result, flags.json);
    });

  program
    .command('dnc')
    .description('put a number or a contact on the workspace do-not-call list: never queued again, by anyone')
    .argument('<number-or-contact>', 'a phone number in any format, or a contact id')
    .option('--reason <text>', 'why')
    .option('--json', 'print as JSON')
    .action(async (target: string, flags: { reason?: string; json?: boolean }) => {
      const result = await client().json<{ kind: string; target: string; added: boolean }>(
        'POST',
        '/api/v1/dnc',
        {
          json: { target, ...(flags.reason ? { reason: flags.reason } : {}) },
        },
      );
      printDoNotCall(result, flags.json);
    });

  const holidays = program
    .command('holidays')
    .description(
      "the workspace's holiday calendar on the server: business contacts are not called on these days",
    );
  holidays
    .command('list')
    .option('--year <year>', 'which year')
    .option('--json', 'print as JSON')
    .action(async (flags: { year?: string; json?: boolean }) => {
      const year = flags.year === undefined ? '' : `?year=${positiveInt('--year', flags.year)}`;
      printHolidays(await client().json<HolidayListJson>('GET', `/api/v1/holidays${year}`), flags.json);
    });
  holidays
    .command('add')
    .argument('<date>', 'YYYY-MM-DD')
    .option('--name <name>', 'what the day is')
    .action(async (date: string, flags: { name?: string }) => {
      const body = flags.name === undefined ? { date } : { date, name: flags.name };
      printHolidayAdded(await client().json<HolidayDayJson>('POST', '/api/v1/holidays', { json: body }));
    });
  holidays
    .command('remove')
    .argument('<date>', 'YYYY-MM-DD')
    .action(async (date: string) => {
      printHolidayRemoved(
        await client().json<HolidayDayJson>('DELETE', `/api/v1/holidays/${encodeURIComponent(date)}`),
      );
    });

  const imp = program.command('import').description('bring contacts in from a file, uploaded to the server');
  imp
    .command('undo')
    .description('undo an import as a whole, while nothing newer touched its contacts')
    .argument('<id>', 'the import run id')
    .option('--json', 'print what was undone as JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const importRunId = positiveInt('import run id', id);
      const undo = await client().json<ImportUndo>('POST', `/api/v1/imports/${importRunId}/undo`);
      printImportUndo(undo, flags.json);
    });
  imp
    .command('contacts')
    .description('upload a CSV or vCard file and import it as `ringback import contacts` would')
    .argument('<file>')
    .option('--campaign <name>', 'enroll the contacts in this campaign')
    .option('--owner <email>', 'assign the contacts created to this user (default: you)')
    .option('--take-over', 'also give the stored contacts the file matches to --owner')
    .option(
      '--on-conflict <choice>',
      'rows that clash with a stored contact: skip (default), update it, or create a new contact',
    )
    .option('--resolve <choices>', 'per row, e.g. "12=update,15=create" (rows as the report gives them)')
    .option('--country <cc>', 'region for numbers written without +country code')
    .option('--map <pairs>', 'column mapping overrides, e.g. "Cell=phone:mobile,Org=company"')
    .option('--dry-run', 'read and check everything, change nothing')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        file: string,
        flags: {
          campaign?: string;
          owner?: string;
          country?: string;
          map?: string;
          dryRun?: boolean;
          json?: boolean;
          takeOver?: boolean;
          onConflict?: string;
          resolve?: string;
        },
      ) => {
        conflictChoices(flags);
        let blob: Blob;
        try {
          blob = await openAsBlob(file);
        } catch (e) {
          throw new CommandError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
        }
        const form = new FormData();
        if (flags.campaign) form.append('campaign', flags.campaign);
        if (flags.owner) form.append('owner', flags.owner);
        if (flags.country) form.append('country', flags.country);
        if (flags.map) form.append('map', flags.map);
        if (flags.dryRun) form.append('dryRun', 'true');
        if (flags.takeOver) form.append('takeOver', 'true');
        if (flags.onConflict) form.append('onConflict', flags.onConflict);
        if (flags.resolve) form.append('resolve', flags.resolve);
        // Fields first: the server reads them before the file streams in.
        form.append('file', blob, basename(file));
        const summary = await client().json<ImportSummary>('POST', '/api/v1/imports', { body: form });
        // The server names the file by its upload name; print it as it was given here.
        printImportSummary({ ...summary, file }, flags.json);
        if (summary.read > 0 && summary.rejected === summary.read) process.exitCode = 1;
        if (summary.read === 0) {
          process.stderr.write(`${file}: no rows to import\n`);
          process.exitCode = 1;
        }
      },
    );

  program
    .command('export')
    .description('write contacts or attempts out as CSV or JSON, or contacts as vCards, from the server')
    .argument('<what>', 'contacts | attempts')
    .option('--format <format>', 'csv | json | vcard (contacts only)', 'csv')
    .option('--contact <id>', 'only this contact, as a vCard')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (what: string, flags: { format: string; out?: string; contact?: string }) => {
      if (what !== 'contacts' && what !== 'attempts') {
        throw new UsageError(`export: "${what}" is not something to export (contacts | attempts)`);
      }
      if (flags.format !== 'csv' && flags.format !== 'json' && flags.format !== 'vcard') {
        throw new UsageError(`--format ${flags.format}: use csv, json or vcard`);
      }
      if (what === 'attempts' && (flags.format === 'vcard' || flags.contact !== undefined)) {
        throw new UsageError('--format vcard and --contact are for exporting contacts');
      }
      if (flags.contact !== undefined && flags.format !== 'vcard') {
        throw new UsageError('--contact: one contact is exported as a vCard (--format vcard)');
      }
      const path =
        flags.contact === undefined
          ? `/api/v1/exports/${what}?format=${flags.format}`
          : `/api/v1/contacts/${positiveInt('--contact', flags.contact)}/vcard`;
      const res = await client().send('GET', path);
      const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
      if (flags.out) {
        await pipeline(body, createWriteStream(flags.out));
        process.stderr.write(`wrote ${what} to ${flags.out}\n`);
      } else {
        await pipeline(body, process.stdout, { end: false });
      }
    });

  registerContacts(program, async () => ({
    search: async (q, limit) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (q) query.set('q', q);
      return (await client().json<{ contacts: ContactSummary[] }>('GET', `/api/v1/contacts?${query}`))
        .contacts;
    },
    show: (id) => client().json<ContactDetail>('GET', `/api/v1/contacts/${id}`),
  }));

  const block = program
    .command('block')
    .description('call blocks on the server: time boxes in which only expected calls ring through');
  block
    .command('start')
    .description('start a call block')
    .requiredOption('--minutes <n>', 'how long')
    .option('--json', 'print as JSON')
    .action(async (flags: { minutes: string; json?: boolean }) => {
      const minutes = Number(flags.minutes);
      if (!Number.isInteger(minutes) || minutes <= 0)
        throw new UsageError(`--minutes ${flags.minutes}: expected a positive whole number`);
      // As the local command: the block only; `ringback queue` takes its calls.
      const started = await client().json<{ block: BlockSummary['block']; closed: BlockSummary | null }>(
        'POST',
        '/api/v1/blocks',
        { json: { minutes, calls: 0 } },
      );
      printBlockStarted(started, flags.json);
    });
  block
    .command('stop')
    .description('end the call block and list the calls sent to voicemail')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      printBlockSummary(await client().json<BlockSummary>('POST', '/api/v1/blocks/current/stop'), flags.json);
    });

  program
    .command('callbacks')
    .description('your callback list on the server: who you are waiting to hear from, why and since when')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const { callbacks } = await client().json<{ callbacks: CallbackLine[] }>('GET', '/api/v1/callbacks');
      printCallbacks(callbacks, flags.json);
    });

  program
    .command('circle')
    .description('put a contact on your callback list, so their call rings through during a block')
    .argument('<contactId>', 'the contact')
    .option('--until <text>', 'until when, in words: "Friday 5pm", "in two weeks" (default: a week)')
    .option('--json', 'print as JSON')
    .action(async (contactId: string, flags: { until?: string; json?: boolean }) => {
      const id = Number(contactId);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError(`${contactId}: expected a contact id`);
      const line = await client().json<CallbackLine>('POST', '/api/v1/callbacks', {
        json: { contactId: id, ...(flags.until !== undefined ? { until: flags.until } : {}) },
      });
      printCircled(line, flags.json);
    });

  program
    .command('screen')
    .description('screen an inbound call to you: ring or voicemail, and why (the decision is logged)')
    .argument('<number>', 'the caller ID, as the phone system gives it')
    .option('--json', 'print as JSON')
    .action(async (number: string, flags: { json?: boolean }) => {
      const result = await client().json<ScreenResult>('POST', '/api/v1/screen', { json: { number } });
      printScreened(result, flags.json);
    });

  const tokens = program.command('tokens').description('your API tokens on the server');
  tokenOptions(
    tokens
      .command('create')
      .description(
        'create an API token, printed only once; one made with a token gets no broader scope and no later expiry',
      ),
  ).action(async (name: string, flags: TokenFlags) => {
    const { scope, expiresAt } = tokenInput(flags);
    const minted = await client().json<MintedTokenJson>('POST', '/api/v1/tokens', {
      json: { name, scope, ...(expiresAt !== undefined ? { expiresAt } : {}) },
    });
    printMinted(minted, flags.json);
  });
  tokens
    .command('list')
    .description('list your API tokens (never the secrets)')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      printTokens(
        (await client().json<{ tokens: ApiTokenJson[] }>('GET', '/api/v1/tokens')).tokens,
        flags.json,
      );
    });
  tokens
    .command('revoke')
    .description('revoke one of your API tokens')
    .argument('<id>', 'the token id (tokens list)')
    .action(async (id: string) => {
      await client().send('DELETE', `/api/v1/tokens/${positiveInt('token id', id)}`);
      process.stdout.write(`revoked token ${id}\n`);
    });

  const users = program.command('users').description('the people of your workspace, on the server');
  newUserOptions(
    users.command('add').description('add a user (admins); the password is read from standard input'),
  ).action(async (email: string, flags: NewUserFlags) => {
    const { role, password } = await newUserInput(email, flags);
    const user = await client().json<UserShown>('POST', '/api/v1/users', {
      json: {
        email,
        role,
        password,
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        ...(flags.phone !== undefined ? { phone: flags.phone } : {}),
        ...(flags.timeZone !== undefined ? { timeZone: flags.timeZone } : {}),
      },
    });
    printUserAdded(user, flags.json);
  });
  users
    .command('list')
    .description('list the users of your workspace (managers and admins)')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      printUsers(
        (await client().json<{ users: (UserShown & { active: boolean })[] }>('GET', '/api/v1/users')).users,
        flags.json,
      );
    });

  workspaceOptions(
    program.command('workspace').description('show or change (admins) your workspace settings on the server'),
  ).action(async (flags: WorkspaceFlags) => {
    if (flags.timeZone !== undefined && !isTimeZone(flags.timeZone)) {
      throw new UsageError(`--time-zone ${flags.timeZone}: not an IANA time zone (e.g. America/Chicago)`);
    }
    const reminderMinutes = reminderMinutesOption(flags.reminderMinutes, MAX_REMINDER_MINUTES);
    const changes = {
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      ...(flags.country !== undefined ? { defaultCountry: flags.country } : {}),
      ...(flags.timeZone !== undefined ? { timeZone: flags.timeZone } : {}),
      ...(reminderMinutes !== undefined ? { reminderMinutes } : {}),
    };
    const workspace =
      Object.keys(changes).length > 0
        ? await client().json<WorkspaceShown>('PATCH', '/api/v1/workspace', { json: changes })
        : await client().json<WorkspaceShown>('GET', '/api/v1/workspace');
    printWorkspace(workspace, flags.json);
  });
}
