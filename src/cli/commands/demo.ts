/**
 * `ringback demo` — fill an empty database with a demo team, three campaigns, contacts across
 * time zones and six weeks of calling history, so there is something to look at right away.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { createDemo, type DemoResult, MAX_DEMO_CONTACTS } from '../../app/demo.js';
import { isAppError } from '../../app/errors.js';
import { DEMO_DEFAULTS } from '../../core/demo/generate.js';
import { clockNow, printJson, withStore } from '../context.js';

interface DemoFlags {
  seed: number;
  contacts: number;
  json?: boolean;
  ifEmpty?: boolean;
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'fill an empty database with demo users, campaigns, contacts and six weeks of calls ' +
        '(use a fresh file: RINGBACK_DB=demo.db ringback demo)',
    )
    .option(
      '--seed <n>',
      'random seed: the same seed on the same day gives the same data',
      integer(0, 2 ** 32 - 1),
      DEMO_DEFAULTS.seed,
    )
    .option(
      '--contacts <n>',
      'how many contacts to make',
      integer(1, MAX_DEMO_CONTACTS),
      DEMO_DEFAULTS.contacts,
    )
    .option('--json', 'print the summary as JSON')
    .option('--if-empty', 'do nothing (and succeed) when the database already holds data')
    .action(async (flags: DemoFlags) => {
      const started = performance.now();
      let result: DemoResult;
      try {
        result = await withStore((store) =>
          createDemo(store, { seed: flags.seed, contacts: flags.contacts, now: clockNow() }),
        );
      } catch (e) {
        if (isAppError(e, 'demo_refused') && flags.ifEmpty) {
          process.stdout.write(`The database already holds data; left as it is. ${e.message}\n`);
          return;
        }
        throw e;
      }
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) printJson({ ...result, seconds: Math.round(seconds * 10) / 10 });
      else process.stdout.write(render(result, seconds));
    });
}

const n = (value: number) => value.toLocaleString('en-US');
const count = (value: number, noun: string) => `${n(value)} ${noun}${value === 1 ? '' : 's'}`;
const list = (counts: Record<string, number | undefined>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${n(v ?? 0)}`)
    .join(', ');

function render(r: DemoResult, seconds: number): string {
  const lines: string[] = [];
  lines.push(
    `Demo written to ${r.database} in ${seconds.toFixed(1)} s (seed ${r.seed}, history up to ${r.now}):`,
    `${n(r.contacts)} contacts at ${n(r.companies)} companies, ${n(r.numbers)} phone numbers.`,
    '',
    `Demo users (password for all: ${r.users[0]?.password ?? ''}):`,
  );
  const width = Math.max(...r.users.map((u) => u.email.length));
  for (const u of r.users) {
    lines.push(
      `  ${u.email.padEnd(width)}  ${u.role.padEnd(7)}  ${u.name.padEnd(16)}  ${u.phone.padEnd(12)}  ${u.timeZone}`,
    );
  }
  lines.push('', 'Campaigns:');
  for (const c of r.campaigns) {
    lines.push(
      `  ${c.name} (${c.kind}, ${c.urgency} urgency, limit ${c.attemptLimit}, voicemail ${c.voicemail})`,
      `    ${n(c.enrollments)} enrolled, ${n(c.attempts)} attempts — ${list(c.states)}`,
    );
  }
  lines.push(
    '',
    `Attempts: ${n(r.attempts)} over six weeks, ${(r.liveRate * 100).toFixed(1)} % reached the contact`,
    `  ${list(r.outcomes)}`,
    `Appointments: ${n(r.appointments.upcoming)} upcoming, ${n(r.appointments.past)} past. ` +
      `Callback list: ${n(r.callbackList)}. Do not call: ${n(r.doNotCall)}. Bad numbers: ${n(r.badNumbers)}.`,
    '',
    `Due today: ${count(r.dueToday.appointments, 'appointment')}, ` +
      `${count(r.dueToday.callbacks, 'requested callback')}, ${count(r.dueToday.retries, 'follow-up')} ` +
      `(${n(r.dueToday.overdue)} overdue); ${count(r.dueToday.freshProspects, 'fresh prospect')} never called.`,
    '',
    'Next:',
    '  npx ringback serve                            the web app and API (sign in as a user above)',
    '  npx ringback users list                       who is who',
    '  npx ringback export attempts --format json    the call history',
    '  npx ringback export contacts --out c.csv      the contacts, ready to re-import',
    '',
  );
  return lines.join('\n');
}
