/**
 * The workspace's holiday calendar (`ringback holidays`, /api/v1/holidays, Settings): its
 * country's public holidays, on by default, less the dates it works anyway, plus its own days
 * off. Business contacts are not called on them; states that bar consumer calls on holidays read
 * the same calendar (core/calling-hours).
 */
import { holidayCalendar } from '../core/calling-hours/public-holidays.js';
import { localParts } from '../core/time/zoned.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { workspaceOfActor } from '../store/workspace-repo.js';
import { calendarSpec, type HolidayCalendarSettings } from './cadence-context.js';
import { invalid } from './errors.js';
import { updateWorkspaceSettings } from './workspace-settings.js';

export interface HolidayDay {
  date: string;
  name: string;
  /** The country's public holiday, or a day the workspace added. */
  source: 'public' | 'custom';
}

export interface HolidayList {
  year: number;
  /** Whose public holidays the calendar starts from (the workspace's country), or null for none. */
  country: string | null;
  days: HolidayDay[];
  /** Public holidays of the year the workspace works anyway. */
  removed: HolidayDay[];
}

function settingsOf(text: string): HolidayCalendarSettings {
  try {
    const doc = JSON.parse(text || '{}') as { holidayCalendar?: HolidayCalendarSettings };
    return doc.holidayCalendar ?? {};
  } catch {
    return {};
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkDate(date: string): string {
  const m = DATE.exec(date);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !day || day.toISOString().slice(0, 10) !== date) {
    throw invalid(`${JSON.stringify(date)} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-24`, '/date');
  }
  return date;
}

export async function listHolidays(
  store: Store,
  user: User | null,
  year: number | undefined,
  now: number,
): Promise<HolidayList> {
  const workspace = await workspaceOfActor(store.db, user, now);
  const settings = settingsOf(workspace.settings);
  const spec = calendarSpec(settings, workspace.default_country);
  const shown = year ?? Number(localParts(now, workspace.time_zone || 'UTC').dateKey.slice(0, 4));
  const removedDates = new Set(spec.omitDates);
  const all = holidayCalendar({ ...spec, omitDates: [], extra: [] }).daysOf(shown);
  return {
    year: shown,
    country: spec.country,
    days: holidayCalendar(spec).daysOf(shown),
    removed: all.filter((d) => removedDates.has(d.date)),
  };
}

/**
 * Adds a day off; a public holiday removed before comes back instead. Gives the day as the
 * calendar now has it.
 */
export async function addHoliday(
  store: Store,
  user: User | null,
  date: string,
  name: string | undefined,
  now: number,
): Promise<HolidayDay> {
  checkDate(date);
  const label = name?.trim() || 'Day off';
  if (label.length > 100) throw invalid('a holiday name has at most 100 characters', '/name');
  const workspace = await workspaceOfActor(store.db, user, now);
  let added: HolidayDay = { date, name: label, source: 'custom' };
  await updateWorkspaceSettings(store, workspace.id, (doc) => {
    const settings = (doc.holidayCalendar ?? {}) as HolidayCalendarSettings;
    const omitted = settings.omitDates ?? [];
    if (omitted.includes(date) && name === undefined) {
      settings.omitDates = omitted.filter((d) => d !== date);
      const back = holidayCalendar(calendarSpec(settings, workspace.default_country)).nameOn(date);
      added = { date, name: back ?? label, source: 'public' };
    } else {
      settings.extra = [...(settings.extra ?? []).filter((d) => d.date !== date), { date, name: label }].sort(
        (a, b) => a.date.localeCompare(b.date),
      );
    }
    doc.holidayCalendar = settings;
  });
  return added;
}

/** Removes a day from the calendar: a day the workspace added, or a public holiday it works anyway. */
export async function removeHoliday(
  store: Store,
  user: User | null,
  date: string,
  now: number,
): Promise<HolidayDay> {
  checkDate(date);
  const workspace = await workspaceOfActor(store.db, user, now);
  let removed: HolidayDay | null = null;
  await updateWorkspaceSettings(store, workspace.id, (doc) => {
    const settings = (doc.holidayCalendar ?? {}) as HolidayCalendarSettings;
    const custom = (settings.extra ?? []).find((d) => d.date === date);
    if (custom) {
      settings.extra = (settings.extra ?? []).filter((d) => d.date !== date);
      removed = { date, name: custom.name, source: 'custom' };
    } else {
      const name = holidayCalendar(calendarSpec(settings, workspace.default_country)).nameOn(date);
      if (name === null) return;
      settings.omitDates = [...(settings.omitDates ?? []), date].sort();
      removed = { date, name, source: 'public' };
    }
    doc.holidayCalendar = settings;
  });
  if (!removed) throw invalid(`${date} is not a holiday in this workspace's calendar`, '/date');
  return removed;
}
