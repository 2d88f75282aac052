/**
 * `ringback simulate`: what would this cadence win? Runs the product's own rules against a
 * synthetic population (DESIGN.md, "The simulator") and prints conversations, appointments and
 * hours; with several --policy or --timing values and --compare, the options side by side.
 */
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type CadenceOption,
  campaignOption,
  defaultOption,
  policyOption,
  runSimulation,
} from '../../app/simulate.js';
import type { Timing } from '../../sim/engine.js';
import { type Population, PopulationError, parsePopulation } from '../../sim/population.js';
import type { RunsSummary } from '../../sim/runs.js';
import { ensureDefaultWorkspace } from '../../store/workspace-repo.js';
import { CommandError, clockNow, printJson, UsageError, withStore } from '../context.js';

interface SimulateFlags {
  population?: string;
  campaign?: string;
  policy: string[];
  timing: Timing[];
  prospects: number;
  reps?: number;
  weeks: number;
  runs: number;
  seed: number;
  start?: string;
  compare?: boolean;
  json?: boolean;
}

const TIMINGS: readonly Timing[] = ['fixed', 'adaptive', 'oracle'];

function whole(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function collect<T>(parse: (v: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];
}

function timingOf(value: string): Timing {
  if (!(TIMINGS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected ${TIMINGS.join(', ')}`);
  }
  return value as Timing;
}

/** Reads a JSON file, failing with its name and what is wrong with it. */
function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `${what} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} ${file}: not valid JSON (${(e as Error).message})`);
  }
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'what would this cadence win? run the cadence against a simulated population, before a single call',
    )
    .option(
      '--population <file>',
      'population JSON (DESIGN.md "The simulator"; default: two business segments)',
    )
    .option('--campaign <name>', "a campaign's cadence (default: the design's default cadence)")
    .option('--policy <file>', 'a cadence policy JSON (repeat to compare several)', collect(String))
    .addOption(
      new Option('--timing <timing>', 'fixed | adaptive | oracle (repeat to compare)').argParser(
        collect(timingOf),
      ),
    )
    .option('--prospects <n>', 'prospects in the population', whole(1, 1_000_000), 2000)
    .option('--reps <n>', "reps working the blocks (default: the population's)", whole(1, 1000))
    .option('--weeks <n>', 'weeks to simulate', whole(1, 104), 12)
    .option(
      '--runs <k>',
      'runs per option (seeds seed … seed+k-1); the interval is over the runs',
      whole(1, 100),
      1,
    )
    .option('--seed <n>', 'random seed: the same seed gives the same result', whole(0, 2 ** 32 - 1), 1)
    .option('--start <date>', 'first simulated day, YYYY-MM-DD (default 2026-03-02, a Monday)')
    .option('--compare', 'print the options side by side')
    .option('--json', 'print JSON')
    .action(async (flags: SimulateFlags) => {
      if (flags.campaign && flags.policy?.length)
        throw new UsageError('give --campaign or --policy, not both');
      if (flags.start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.start)) {
        throw new UsageError(`--start ${flags.start}: use a date like 2026-03-02`);
      }
      let population: Population;
      try {
        population = parsePopulation(
          flags.population ? readJson(flags.population, '--population') : {},
          flags.population ?? 'population',
        );
      } catch (e) {
        if (e instanceof PopulationError) throw new UsageError(e.message);
        throw e;
      }
      const options: CadenceOption[] = flags.campaign
        ? [
            await withStore(async (store) =>
              campaignOption(
                store.db,
                (await ensureDefaultWorkspace(store.db, clockNow())).id,
                flags.campaign!,
              ),
            ),
          ]
        : flags.policy?.length
          ? flags.policy.map((file) => policyOption(readJson(file, '--policy'), file))
          : [defaultOption()];
      const timings = flags.timing?.length ? flags.timing : (['fixed'] as Timing[]);
      if ((options.length > 1 || timings.length > 1) && !flags.compare && !flags.json) {
        throw new UsageError('several --policy or --timing values: add --compare (or --json)');
      }
      const results: { option: string; summary: RunsSummary }[] = [];
      for (const option of options) {
        for (const timing of timings) {
          try {
            results.push({
              option: option.label,
              summary: runSimulation({
                population,
                option,
                timing,
                prospects: flags.prospects,
                ...(flags.reps !== undefined ? { reps: flags.reps } : {}),
                weeks: flags.weeks,
                runs: flags.runs,
                seed: flags.seed,
                ...(flags.start ? { startDay: flags.start } : {}),
              }),
            });
          } catch (e) {
            throw new CommandError((e as Error).message);
          }
        }
      }
      if (flags.json) {
        const json = results.map((r) => jsonOf(r.summary));
        printJson(json.length === 1 ? json[0] : results.map((r, i) => ({ option: r.option, ...json[i] })));
        return;
      }
      process.stdout.write(table(results));
    });
}

function jsonOf(s: RunsSummary) {
  return {
    runs: s.runs,
    timing: s.timing,
    prospects: s.prospects,
    repHours: s.repHours,
    dials: s.dials,
    conversations: s.conversations,
    appointments: s.appointments,
    voicemailsLeft: s.voicemailsLeft,
    callbacks: s.callbacks,
    unreachable: s.unreachable,
    conversationsPerRepHour: s.conversationsPerRepHour,
  };
}

/** The readable table: one column per option, rounded for people. */
function table(results: { option: string; summary: RunsSummary }[]): string {
  const round = (n: number, digits = 0) =>
    n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rows: [string, (s: RunsSummary) => string][] = [
    ['timing', (s) => s.timing],
    ['runs', (s) => String(s.runs)],
    ['prospects', (s) => round(s.prospects)],
    ['rep hours', (s) => round(s.repHours)],
    ['dials', (s) => round(s.dials)],
    ['conversations', (s) => round(s.conversations)],
    ['appointments', (s) => round(s.appointments)],
    ['voicemails left', (s) => round(s.voicemailsLeft)],
    ['callbacks', (s) => round(s.callbacks)],
    ['unreachable', (s) => round(s.unreachable)],
    [
      'conversations / rep-hour',
      (s) =>
        s.runs > 1
          ? `${round(s.conversationsPerRepHour.mean, 2)} (${round(s.conversationsPerRepHour.low, 2)}–${round(s.conversationsPerRepHour.high, 2)})`
          : round(s.conversationsPerRepHour.mean, 2),
    ],
  ];
  const header = ['', ...results.map((r) => r.option)];
  const body = rows.map(([name, cell]) => [name, ...results.map((r) => cell(r.summary))]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const note = results.some((r) => r.summary.runs > 1)
    ? '\n(in brackets: a 95 % interval over the runs)\n'
    : '';
  return `${[line(header), ...body.map(line)].join('\n')}\n${note}`;
}
