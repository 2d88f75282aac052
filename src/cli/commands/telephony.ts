/**
 * `ringback telephony show|set`: the workspace's telephony provider (Twilio, or a provider
 * that speaks its API and TwiML) — account SID, auth token, API base URL, caller ID, the
 * public URL the provider calls, the block greeting and the numbers calls arrive on. `set`
 * changes only what it is given; the auth token is never printed beyond its last 4 characters.
 *
 *   ringback telephony set --account-sid AC… --auth-token - --caller-id +12125550100 \
 *     --number +12125550111=rex@example.com --public-url https://rb.example.com
 */
import type { Command } from 'commander';
import {
  getTelephony,
  setTelephony,
  shownTelephony,
  type TelephonySettings,
  TelephonySettingsError,
} from '../../app/telephony-settings.js';
import type { Store } from '../../store/db.js';
import { ensureDefaultWorkspace } from '../../store/workspace-repo.js';
import { resolveUser } from '../actor.js';
import { clockNow, positiveInt, printJson, UsageError, withStore } from '../context.js';

interface SetFlags {
  user?: string;
  accountSid?: string;
  authToken?: string;
  apiBaseUrl?: string;
  callerId?: string;
  publicUrl?: string;
  greeting?: string;
  number?: string[];
  removeNumber?: string[];
  deadlineMs?: string;
  json?: boolean;
}

/** The workspace of --user EMAIL, else the default one. */
async function workspaceOf(store: Store, email: string | undefined): Promise<number> {
  const now = clockNow();
  const user = await resolveUser(store, email, now);
  return user ? user.workspace_id : (await ensureDefaultWorkspace(store.db, now)).id;
}

function print(settings: TelephonySettings | null, json: boolean | undefined): void {
  const shown = settings ? shownTelephony(settings) : null;
  if (json) {
    printJson(shown);
    return;
  }
  if (!shown) {
    process.stdout.write(
      'No telephony provider is set up (tel: links and outcomes logged by hand still work).\n',
    );
    return;
  }
  const lines = [
    `provider      ${shown.provider}`,
    `account SID   ${shown.accountSid}`,
    `auth token    ${shown.authToken}`,
    `API base URL  ${shown.apiBaseUrl}`,
    `caller ID     ${shown.callerId}`,
    `public URL    ${shown.publicUrl ?? "(the server's --public-url)"}`,
    `greeting      ${shown.greeting ?? '(built in)'}`,
    `deadline      ${shown.deadlineMs} ms, then the call rings through unscreened`,
    ...Object.entries(shown.numbers).map(([number, email]) => `number        ${number} → ${email}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `--number +12125550111=rex@example.com`, repeatable. */
function parseNumbers(values: string[] | undefined): Record<string, string> {
  const numbers: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) {
      throw new UsageError(`--number ${value}: expected NUMBER=EMAIL, e.g. +12125550111=rex@example.com`);
    }
    numbers[value.slice(0, eq).trim()] = value.slice(eq + 1).trim();
  }
  return numbers;
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.trim();
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerTelephony(program: Command): void {
  const telephony = program
    .command('telephony')
    .description("the workspace's telephony provider: inbound screening and click-to-call");
  telephony
    .command('show')
    .description('print the provider settings (the auth token masked)')
    .option('--user <email>', "whose workspace (default: the default workspace's)")
    .option('--json', 'print as JSON')
    .action(async (flags: { user?: string; json?: boolean }) => {
      const settings = await withStore(async (store) =>
        getTelephony(store, await workspaceOf(store, flags.user)),
      );
      print(settings, flags.json);
    });
  telephony
    .command('set')
    .description('change the provider settings; only the options given change')
    .option('--user <email>', "whose workspace (default: the default workspace's)")
    .option('--account-sid <sid>', 'the provider account, e.g. AC…')
    .option('--auth-token <token>', 'the account auth token; "-" reads it from standard input')
    .option('--api-base-url <url>', "the provider's REST API (default https://api.twilio.com)")
    .option('--caller-id <e164>', 'the number outbound calls show, e.g. +12125550100')
    .option('--public-url <url>', 'the URL the provider calls this server at (signatures cover it)')
    .option('--greeting <text>', 'what callers sent to voicemail hear; {name} and {until} are filled in')
    .option('--number <e164=email>', 'an inbound number and the user it rings (repeatable)', collect)
    .option('--remove-number <e164>', 'stop taking calls on this number (repeatable)', collect)
    .option('--deadline-ms <n>', 'how long screening may take before the call rings through unscreened')
    .option('--json', 'print as JSON')
    .action(async (flags: SetFlags) => {
      const authToken = flags.authToken === '-' ? await readStdin() : flags.authToken;
      const numbers = parseNumbers(flags.number);
      const changes = {
        ...(flags.accountSid !== undefined ? { accountSid: flags.accountSid } : {}),
        ...(authToken !== undefined ? { authToken } : {}),
        ...(flags.apiBaseUrl !== undefined ? { apiBaseUrl: flags.apiBaseUrl } : {}),
        ...(flags.callerId !== undefined ? { callerId: flags.callerId } : {}),
        ...(flags.publicUrl !== undefined ? { publicUrl: flags.publicUrl } : {}),
        ...(flags.greeting !== undefined ? { greeting: flags.greeting } : {}),
        ...(flags.deadlineMs !== undefined
          ? { deadlineMs: positiveInt('--deadline-ms', flags.deadlineMs) }
          : {}),
      };
      const settings = await withStore(async (store) => {
        const workspaceId = await workspaceOf(store, flags.user);
        const current: Partial<TelephonySettings> = (await getTelephony(store, workspaceId)) ?? {};
        const merged = { ...current, ...changes, numbers: { ...current.numbers, ...numbers } };
        for (const number of flags.removeNumber ?? []) {
          if (!(number in merged.numbers))
            throw new UsageError(`--remove-number ${number}: not an inbound number here`);
          delete merged.numbers[number];
        }
        try {
          return await setTelephony(store, workspaceId, merged);
        } catch (error) {
          // The schema's message names the field; say it as the option the user typed.
          if (error instanceof TelephonySettingsError) {
            throw new UsageError(
              error.message.replace(
                /\b([a-z]+[A-Z][A-Za-z]*)\b/g,
                (f) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
              ),
            );
          }
          throw error;
        }
      });
      print(settings, flags.json);
    });
}
