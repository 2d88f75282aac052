/**
 * `ringback holidays list|add|remove` — the workspace's holiday calendar: its country's public
 * holidays (on by default) and its own days off. Business contacts are not called on them.
 */
import type { Command } from 'commander';
import { addHoliday, listHolidays, removeHoliday } from '../../app/holidays.js';
import { clockNow, positiveInt, withStore } from '../context.js';
import { printHolidayAdded, printHolidayRemoved, printHolidays } from '../print-results.js';

export function registerHolidays(program: Command): void {
  const holidays = program
    .command('holidays')
    .description("the workspace's holiday calendar: business contacts are not called on these days");
  holidays
    .command('list')
    .description("a year's holidays (default: this year)")
    .option('--year <year>', 'which year')
    .option('--json', 'print as JSON')
    .action(async (flags: { year?: string; json?: boolean }) => {
      const year = flags.year === undefined ? undefined : positiveInt('--year', flags.year);
      printHolidays(await withStore((store) => listHolidays(store, null, year, clockNow())), flags.json);
    });
  holidays
    .command('add')
    .description('add a day off (or bring back a public holiday removed before)')
    .argument('<date>', 'YYYY-MM-DD')
    .option('--name <name>', 'what the day is, e.g. "Office closed"')
    .action(async (date: string, flags: { name?: string }) => {
      printHolidayAdded(await withStore((store) => addHoliday(store, null, date, flags.name, clockNow())));
    });
  holidays
    .command('remove')
    .description('remove a day: one added, or a public holiday the workspace works anyway')
    .argument('<date>', 'YYYY-MM-DD')
    .action(async (date: string) => {
      printHolidayRemoved(await withStore((store) => removeHoliday(store, null, date, clockNow())));
    });
}
