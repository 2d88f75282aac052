/**
 * `ringback workspace` — show or change the workspace settings: name, the default region for
 * numbers written without a country code, and the time zone used when a contact's is unknown.
 */
import type { Command } from 'commander';
import { isSupportedCountry } from 'libphonenumber-js';
import { MAX_REMINDER_MINUTES } from '../../store/reminder-repo.js';
import { ensureDefaultWorkspace, updateWorkspace } from '../../store/workspace-repo.js';
import { clockNow, printJson, UsageError, withStore } from '../context.js';
import { isTimeZone } from './users.js';

export function registerWorkspace(program: Command): void {
  program
    .command('workspace')
    .description('show or change the workspace settings')
    .option('--name <name>', 'the workspace name')
    .option('--country <cc>', 'default region for numbers without a country code, e.g. US, GB, DE')
    .option('--time-zone <zone>', 'time zone used when a contact has none and no number places it')
    .option('--reminder-minutes <n>', 'remind users this many minutes before an appointment (0: never)')
    .option('--json', 'print as JSON')
    .action(
      async (flags: {
        name?: string;
        country?: string;
        timeZone?: string;
        reminderMinutes?: string;
        json?: boolean;
      }) => {
        const country = flags.country?.toUpperCase();
        if (country !== undefined && !isSupportedCountry(country)) {
          throw new UsageError(`--country ${flags.country}: not a country code (e.g. US, GB, DE)`);
        }
        if (flags.timeZone !== undefined && !isTimeZone(flags.timeZone)) {
          throw new UsageError(`--time-zone ${flags.timeZone}: not an IANA time zone (e.g. America/Chicago)`);
        }
        let reminderMinutes: number | undefined;
        if (flags.reminderMinutes !== undefined) {
          reminderMinutes = Number(flags.reminderMinutes);
          if (
            !Number.isInteger(reminderMinutes) ||
            reminderMinutes < 0 ||
            reminderMinutes > MAX_REMINDER_MINUTES
          ) {
            throw new UsageError(
              `--reminder-minutes ${flags.reminderMinutes}: a whole number of minutes from 0 to ${MAX_REMINDER_MINUTES}`,
            );
          }
        }
        const workspace = await withStore(async (store) => {
          const current = await ensureDefaultWorkspace(store.db, clockNow());
          const changes = {
            ...(flags.name !== undefined ? { name: flags.name } : {}),
            ...(country !== undefined ? { default_country: country } : {}),
            ...(flags.timeZone !== undefined ? { time_zone: flags.timeZone } : {}),
            ...(reminderMinutes !== undefined ? { reminder_minutes: reminderMinutes } : {}),
          };
          return Object.keys(changes).length > 0 ? updateWorkspace(store.db, current.id, changes) : current;
        });
        const shown = {
          id: workspace.id,
          name: workspace.name,
          defaultCountry: workspace.default_country,
          timeZone: workspace.time_zone,
          reminderMinutes: workspace.reminder_minutes,
        };
        if (flags.json) printJson(shown);
        else
          process.stdout.write(
            `${shown.name}: numbers default to ${shown.defaultCountry}, contacts default to ${shown.timeZone}, ` +
              `${shown.reminderMinutes ? `reminders ${shown.reminderMinutes} min before appointments` : 'no appointment reminders'}\n`,
          );
      },
    );
}
