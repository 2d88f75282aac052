/**
 * `ringback telephony show|set`: the workspace's telephony provider (Twilio, or a provider
 * that speaks its API and TwiML) — account SID, auth token, API base URL, caller ID, the
 * public URL the provider calls and the numbers calls arrive on — and the workspace's block
 * greeting (the one the Settings page edits, linted the same way). `set` changes only what it
 * is given; the auth token is never printed beyond its last 4 characters.
 *
 *   ringback telephony set --account-sid AC… --auth-token - --caller-id +12125550100 \
 *     --number +12125550111=rex@example.com --public-url https://rb.example.com
 */
import type { Command } from 'commander';
import { isAppError } from '../../app/errors.js';
import {
  getTelephony,
  setTelephony,
  shownTelephony,
  type TelephonySettings,
} from '../../app/telephony-settings.js';
import { readGreeting, setGreeting } from '../../app/workspace-settings.js';
import { DEFAULT_GREETING } from '../../core/screening/greeting.js';
import type { Store } from '../../store/db.js';
import { workspaceOf } from '../actor.js';
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

interface Shown {
  settings: TelephonySettings | null;
  /** The workspace's greeting template; null for the built-in one. */
  greeting: string | null;
}

function print({ settings, greeting }: Shown, json: boolean | undefined): void {
  const shown = settings ? shownTelephony(settings) : null;
  if (json) {
    printJson(shown ? { ...shown, greeting } : null);
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
    `greeting      ${greeting ?? `(built in) ${DEFAULT_GREETING}`}`,
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

/** The schema's message names fields (accountSid); say them as the options typed (--account-sid). */
function asOptions(message: string): string {
  return message.replace(
    /\b([a-z]+[A-Z][A-Za-z]*)\b/g,
    (field) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
  );
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

async function applySet(store: Store, flags: SetFlags, authToken: string | undefined): Promise<Shown> {
  const { id: workspaceId, user } = await workspaceOf(store, flags.user, clockNow());
  const changes = {
    ...(flags.accountSid !== undefined ? { accountSid: flags.accountSid } : {}),
    ...(authToken !== undefined ? { authToken } : {}),
    ...(flags.apiBaseUrl !== undefined ? { apiBaseUrl: flags.apiBaseUrl } : {}),
    ...(flags.callerId !== undefined ? { callerId: flags.callerId } : {}),
    ...(flags.publicUrl !== undefined ? { publicUrl: flags.publicUrl } : {}),
    ...(flags.deadlineMs !== undefined ? { deadlineMs: positiveInt('--deadline-ms', flags.deadlineMs) } : {}),
  };
  let settings = await getTelephony(store, workspaceId);
  if (Object.keys(changes).length > 0 || flags.number || flags.removeNumber) {
    const current: Partial<TelephonySettings> = settings ?? {};
    const merged = { ...current, ...changes, numbers: { ...current.numbers, ...parseNumbers(flags.number) } };
    for (const number of flags.removeNumber ?? []) {
      if (!(number in merged.numbers))
        throw new UsageError(`--remove-number ${number}: not an inbound number here`);
      delete merged.numbers[number];
    }
    try {
      settings = await setTelephony(store, workspaceId, merged);
    } catch (error) {
      if (isAppError(error, 'invalid')) throw new UsageError(asOptions(error.message));
      throw error;
    }
  }
  if (flags.greeting !== undefined) {
    if (!user) throw new UsageError('--greeting: whose workspace? add --user EMAIL');
    try {
      await setGreeting(store, user, flags.greeting);
    } catch (error) {
      if (isAppError(error, 'invalid')) throw new UsageError(`--greeting: ${error.message}`);
      throw error;
    }
  }
  return { settings, greeting: await readGreeting(store, workspaceId) };
}

export function registerTelephony(program: Command): void {
  const telephony = program
    .command('telephony')
    .description("the workspace's telephony provider: inbound screening and click-to-call");
  telephony
    .command('show')
    .description('print the provider settings (the auth token masked) and the block greeting')
    .option('--user <email>', "whose workspace (default: the default workspace's)")
    .option('--json', 'print as JSON')
    .action(async (flags: { user?: string; json?: boolean }) => {
      const shown = await withStore(async (store) => {
        const { id } = await workspaceOf(store, flags.user, clockNow());
        return { settings: await getTelephony(store, id), greeting: await readGreeting(store, id) };
      });
      print(shown, flags.json);
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
    .option(
      '--greeting <text>',
      'what callers sent to voicemail during a block hear: {{my_name}}, {{my_first_name}}, {{until}}; "" for the built-in one',
    )
    .option('--number <e164=email>', 'an inbound number and the user it rings (repeatable)', collect)
    .option('--remove-number <e164>', 'stop taking calls on this number (repeatable)', collect)
    .option('--deadline-ms <n>', 'how long screening may take before the call rings through unscreened')
    .option('--json', 'print as JSON')
    .action(async (flags: SetFlags) => {
      const authToken = flags.authToken === '-' ? await readStdin() : flags.authToken;
      const shown = await withStore((store) => applySet(store, flags, authToken));
      print(shown, flags.json);
    });
}
