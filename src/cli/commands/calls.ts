/**
 * The calling commands: `queue`, `log`, `skip`, `undo`, `snooze`, `dnc`. `--at` replays a scenario at a chosen
 * time; without it the clock is used.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { DNC_SOURCES, importRegistry, registryListViews } from '../../app/dnc-registry.js';
import { logAttempt } from '../../app/log-attempt.js';
import { buildQueue } from '../../app/queue.js';
import { skipCall } from '../../app/skip.js';
import { doNotCall, snoozeContact } from '../../app/snooze-and-dnc.js';
import { undoLast } from '../../app/undo.js';
import { SKIP_REASONS } from '../../core/block/skip.js';
import { NUMBER_KINDS, type NumberKind } from '../../core/contact-fields.js';
import { findCampaignByName } from '../../store/campaign-repo.js';
import { workspaceOfActor } from '../../store/workspace-repo.js';
import { resolveUser } from '../actor.js';
import { clockNow, parseIsoAt, positiveInt, UsageError, withStore } from '../context.js';
import {
  printDoNotCall,
  printLogged,
  printQueue,
  printRegistryImport,
  printRegistryLists,
  printSkipped,
  printSnoozed,
  printUndone,
} from '../print-results.js';

export function parseAt(at: string | undefined): number {
  return at === undefined ? clockNow() : parseIsoAt(at);
}

export function registerCalls(program: Command): void {
  program
    .command('queue')
    .description('the next calls, in order: appointments, requested callbacks, due retries, fresh prospects')
    .option('--user <email>', 'whose queue (default: the only user)')
    .option('--campaign <name>', 'only this campaign')
    .option('--at <iso>', 'as if it were this time (ISO 8601)')
    .option('--limit <n>', 'how many calls', '20')
    .option('--lease-minutes <n>', 'hand the calls to the user for this long so nobody else dials them', '30')
    .option('--no-lease', 'only look; lease nothing')
    .option('--json', 'print as JSON')
    .action(
      async (flags: {
        user?: string;
        campaign?: string;
        at?: string;
        limit: string;
        leaseMinutes: string;
        lease: boolean;
        json?: boolean;
      }) => {
        const now = parseAt(flags.at);
        const limit = positiveInt('--limit', flags.limit);
        const leaseMinutes = positiveInt('--lease-minutes', flags.leaseMinutes);
        const items = await withStore(async (store) => {
          const user = await resolveUser(store, flags.user, now);
          const workspace = await workspaceOfActor(store.db, user, now);
          let campaignId: number | null = null;
          if (flags.campaign) {
            const campaign = await findCampaignByName(store.db, workspace.id, flags.campaign);
            if (!campaign) throw new UsageError(`--campaign ${flags.campaign}: no such campaign`);
            campaignId = campaign.id;
          }
          return buildQueue(store, {
            user,
            campaignId,
            now,
            limit,
            leaseUntil: flags.lease && user ? now + leaseMinutes * 60_000 : null,
          });
        });
        printQueue(items, flags.json);
      },
    );

  program
    .command('log')
    .description('record a call and print the next step')
    .argument('<contact-id>', 'the contact called')
    .argument(
      '<outcome>',
      'connected | gatekeeper | voicemail_left | voicemail_skipped | no_answer | busy | bad_number | wrong_person | callback_requested | appointment_set | away | not_interested | do_not_call | won',
    )
    .option('--campaign <name>', 'which campaign, when the contact is in several')
    .option('--user <email>', 'who called (default: the only user)')
    .option('--at <iso>', 'when the call was made (ISO 8601; default now)')
    .option('--when <text>', 'the time the outcome names: "tomorrow 3pm", "back Monday the 19th"')
    .option('--note <text>', 'a note')
    .option('--number <e164>', 'the number dialled (default: the one the cadence chose)')
    .option('--duration <seconds>', 'how long the call lasted')
    .option('--learned <number>', 'a number learned on the call (e.g. the mobile reception gave you)')
    .option('--learned-kind <kind>', 'its kind: direct | mobile | main | assistant | home | other', 'direct')
    .option('--json', 'print as JSON')
    .action(
      async (
        contactId: string,
        outcome: string,
        flags: {
          campaign?: string;
          user?: string;
          at?: string;
          when?: string;
          note?: string;
          number?: string;
          duration?: string;
          learned?: string;
          learnedKind: string;
          json?: boolean;
        },
      ) => {
        const at = parseAt(flags.at);
        const id = positiveInt('contact id', contactId);
        if (!(NUMBER_KINDS as readonly string[]).includes(flags.learnedKind)) {
          throw new UsageError(`--learned-kind ${flags.learnedKind}: use ${NUMBER_KINDS.join(', ')}`);
        }
        const result = await withStore(async (store) =>
          logAttempt(store, {
            learnedNumber: flags.learned,
            learnedKind: flags.learnedKind as NumberKind,
            user: await resolveUser(store, flags.user, at),
            contactId: id,
            outcome,
            campaign: flags.campaign,
            at,
            when: flags.when,
            note: flags.note,
            number: flags.number,
            durationSeconds:
              flags.duration === undefined ? undefined : positiveInt('--duration', flags.duration),
          }),
        );
        printLogged(result, flags.json);
      },
    );

  program
    .command('skip')
    .description('pass over a call without dialling: counted in your block, the contact keeps its due time')
    .argument('<contact-id>', 'the contact skipped')
    .option('--reason <reason>', `why: ${SKIP_REASONS.join(' | ')}`)
    .option('--campaign <name>', 'which campaign, when the contact is in several')
    .option('--user <email>', 'who skips it (default: the only user)')
    .option('--at <iso>', 'as if it were this time')
    .option('--json', 'print as JSON')
    .action(
      async (
        contactId: string,
        flags: { reason?: string; campaign?: string; user?: string; at?: string; json?: boolean },
      ) => {
        const at = parseAt(flags.at);
        const id = positiveInt('contact id', contactId);
        const result = await withStore(async (store) => {
          const user = await resolveUser(store, flags.user, at);
          if (!user) throw new UsageError('who skips it? add --user EMAIL');
          return skipCall(store, {
            user,
            contactId: id,
            campaign: flags.campaign,
            reason: flags.reason,
            at,
          });
        });
        printSkipped(result, flags.json);
      },
    );

  program
    .command('undo')
    .description('take back your last logged call or skip, within 2 minutes of it')
    .option('--user <email>', 'whose (default: the only user)')
    .option('--at <iso>', 'as if it were this time')
    .option('--json', 'print as JSON')
    .action(async (flags: { user?: string; at?: string; json?: boolean }) => {
      const at = parseAt(flags.at);
      const result = await withStore(async (store) => {
        const user = await resolveUser(store, flags.user, at);
        if (!user) throw new UsageError('whose call? add --user EMAIL');
        const workspace = await workspaceOfActor(store.db, user, at);
        return undoLast(store, user, at, user.time_zone || workspace.time_zone);
      });
      printUndone(result, flags.json);
    });

  program
    .command('snooze')
    .description('take a contact out of the queue until a time')
    .argument('<contact-id>')
    .requiredOption('--until <text>', '"Monday 9am", "in two weeks", "2026-12-01"')
    .option('--user <email>', 'whose time zone reads the time (default: the only user)')
    .option('--at <iso>', 'as if it were this time')
    .option('--json', 'print as JSON')
    .action(
      async (contactId: string, flags: { until: string; user?: string; at?: string; json?: boolean }) => {
        const now = parseAt(flags.at);
        const id = positiveInt('contact id', contactId);
        const result = await withStore(async (store) =>
          snoozeContact(store, {
            user: await resolveUser(store, flags.user, now),
            contactId: id,
            until: flags.until,
            now,
          }),
        );
        printSnoozed(result, flags.json);
      },
    );

  const dnc = program
    .command('dnc')
    .description('put a number or a contact on the workspace do-not-call list: never queued again, by anyone')
    .argument('<number-or-contact>', 'a phone number in any format, or a contact id')
    .option('--reason <text>', 'why')
    .option('--user <email>', 'who marks it (their workspace; default: the only user)')
    .option('--at <iso>', 'as if it were this time')
    .option('--json', 'print as JSON')
    .action(
      async (target: string, flags: { reason?: string; user?: string; at?: string; json?: boolean }) => {
        const now = parseAt(flags.at);
        const result = await withStore(async (store) =>
          doNotCall(store, {
            user: await resolveUser(store, flags.user, now),
            target,
            now,
            reason: flags.reason,
          }),
        );
        printDoNotCall(result, flags.json);
      },
    );

  dnc
    .command('import')
    .description(
      'load a do-not-call registry file as the registry delivers it (a full list replaces the last; a change list adds and deletes)',
    )
    .argument('<file>')
    .requiredOption('--source <source>', `the list: ${DNC_SOURCES.join(', ')}`)
    .option('--as-of <date>', "the registry's date for the list (YYYY-MM-DD; default today)")
    .option('--user <email>', 'who loads it (their workspace; default: the only user)')
    .option('--at <iso>', 'as if it were this time')
    .option('--json', 'print as JSON')
    .action(async (file: string, _flags: unknown, command: Command) => {
      // `dnc` has --user, --at and --json of its own: read them from wherever they were given.
      const flags = command.optsWithGlobals<{
        source: string;
        asOf?: string;
        user?: string;
        at?: string;
        json?: boolean;
      }>();
      const now = parseAt(flags.at);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const result = await withStore(async (store) =>
        importRegistry(store, {
          user: await resolveUser(store, flags.user, now),
          source: flags.source,
          bytes,
          fileName: basename(file),
          asOf: flags.asOf,
          now,
        }),
      );
      printRegistryImport(result, flags.json);
    });

  dnc
    .command('lists')
    .description('the registry lists loaded, with their dates; a list too old to trust is flagged')
    .option('--user <email>', 'whose workspace (default: the only user)')
    .option('--at <iso>', 'as if it were this time')
    .option('--json', 'print as JSON')
    .action(async (_flags: unknown, command: Command) => {
      const flags = command.optsWithGlobals<{ user?: string; at?: string; json?: boolean }>();
      const now = parseAt(flags.at);
      const views = await withStore(async (store) =>
        registryListViews(store, await resolveUser(store, flags.user, now), now),
      );
      printRegistryLists(views, flags.json);
    });
}
