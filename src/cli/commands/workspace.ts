/**
 * `ringback workspace` — show or change the workspace settings: name, the default region for
 * numbers written without a country code, and the time zone used when a contact's is unknown.
 */
import type { Command } from 'commander';
import { isSupportedCountry } from 'libphonenumber-js';
import { MAX_REMINDER_MINUTES } from '../../contracts/workspace.js';
import { updateWorkspace, workspaceOfActor } from '../../store/workspace-repo.js';
import {
  isTimeZone,
  reminderMinutesOption,
  type WorkspaceFlags,
  workspaceOptions,
} from '../account-input.js';
import { resolveUser } from '../actor.js';
import { clockNow, UsageError, withStore } from '../context.js';
import { printWorkspace } from '../print-results.js';

export function registerWorkspace(program: Command): void {
  workspaceOptions(program.command('workspace').description('show or change the workspace settings'))
    .option('--user <email>', "that user's workspace (default: the first one)")
    .action(async (flags: WorkspaceFlags & { user?: string }) => {
      const country = flags.country?.toUpperCase();
      if (country !== undefined && !isSupportedCountry(country)) {
        throw new UsageError(`--country ${flags.country}: not a country code (e.g. US, GB, DE)`);
      }
      if (flags.timeZone !== undefined && !isTimeZone(flags.timeZone)) {
        throw new UsageError(`--time-zone ${flags.timeZone}: not an IANA time zone (e.g. America/Chicago)`);
      }
      const reminderMinutes = reminderMinutesOption(flags.reminderMinutes, MAX_REMINDER_MINUTES);
      const workspace = await withStore(async (store) => {
        const now = clockNow();
        const current = await workspaceOfActor(store.db, await resolveUser(store, flags.user, now), now);
        const changes = {
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          ...(country !== undefined ? { default_country: country } : {}),
          ...(flags.timeZone !== undefined ? { time_zone: flags.timeZone } : {}),
          ...(reminderMinutes !== undefined ? { reminder_minutes: reminderMinutes } : {}),
        };
        return Object.keys(changes).length > 0 ? updateWorkspace(store.db, current.id, changes) : current;
      });
      printWorkspace(
        {
          id: workspace.id,
          name: workspace.name,
          defaultCountry: workspace.default_country,
          timeZone: workspace.time_zone,
          reminderMinutes: workspace.reminder_minutes,
        },
        flags.json,
      );
    });
}
