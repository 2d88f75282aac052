/**
 * Turns stored rows into what core/cadence reads: the contact's zone and state, its numbers
 * with their do-not-call marks, the campaign policy, and the workspace's calling rules.
 */
import { type CadencePolicy, cadencePolicySchema } from '../core/cadence/policy.js';
import type { CadenceContact } from '../core/cadence/types.js';
import { type CallingContext, stateForContact, windowFor } from '../core/calling-hours/calling-hours.js';
import {
  type HolidayCalendar,
  type HolidayCalendarSpec,
  holidayCalendar,
} from '../core/calling-hours/public-holidays.js';
import { DEFAULT_STATE_RULES, mergeStateRules, type StateRules } from '../core/calling-hours/state-rules.js';
import { zoneForContact } from '../core/time/zone-of.js';
import type { NumberRow } from '../store/queue-repo.js';
import type { Workspace } from '../store/schema.js';

export interface WorkspaceRules {
  stateRules: StateRules;
  holidays: ReadonlySet<string>;
  zone: string;
  /** The workspace's holiday calendar: its country's public holidays unless settings say otherwise. */
  calendar: HolidayCalendar;
  /** A registry list older than its registry allows holds back the numbers it covered (on by default). */
  holdBackStale: boolean;
}

/**
 * Parses of stored JSON documents by their text. The same text always parses the same, so
 * every request reading an unchanged document shares one parse; results are frozen so no
 * caller can change what the next one reads. A changed document is a new text, parsed anew.
 */
export function byText<T extends object>(parse: (text: string) => T, size = 256): (text: string) => T {
  const parsed = new Map<string, T>();
  return (text) => {
    let value = parsed.get(text);
    if (value === undefined) {
      value = deepFreeze(parse(text));
      if (parsed.size >= size) parsed.clear();
      parsed.set(text, value);
    }
    return value;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (!(value instanceof Set)) for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const rulesOf = byText((key: string): WorkspaceRules => {
  const {
    settings: text,
    zone,
    country,
  } = JSON.parse(key) as { settings: string; zone: string; country: string };
  const settings = JSON.parse(text || '{}') as {
    stateRules?: unknown;
    holidays?: string[];
    dnc?: { holdBackStale?: boolean };
    holidayCalendar?: HolidayCalendarSettings;
  };
  return {
    stateRules: settings.stateRules
      ? mergeStateRules(DEFAULT_STATE_RULES, settings.stateRules)
      : DEFAULT_STATE_RULES,
    holidays: new Set(settings.holidays ?? []),
    zone,
    holdBackStale: settings.dnc?.holdBackStale !== false,
    calendar: holidayCalendar(calendarSpec(settings.holidayCalendar, country)),
  };
}, 64);

/** How workspaces.settings keeps the holiday calendar (app/holidays.ts edits it). */
export interface HolidayCalendarSettings {
  /** Whose public holidays: absent or `true`, the workspace's country; null, none. */
  country?: string | true | null;
  omit?: string[];
  omitDates?: string[];
  extra?: HolidayCalendarSpec['extra'];
}

/** On by default: the workspace's country's public holidays, with its edits. */
export function calendarSpec(
  settings: HolidayCalendarSettings | undefined,
  country: string,
): HolidayCalendarSpec {
  const chosen = settings?.country;
  return {
    country: chosen === undefined || chosen === true ? country : chosen,
    omit: settings?.omit ?? [],
    omitDates: settings?.omitDates ?? [],
    extra: settings?.extra ?? [],
  };
}

export function workspaceRules(workspace: Workspace): WorkspaceRules {
  return rulesOf(
    JSON.stringify({
      settings: workspace.settings,
      zone: workspace.time_zone,
      country: workspace.default_country,
    }),
  );
}

export const parsePolicy: (json: string) => CadencePolicy = byText((json) =>
  cadencePolicySchema.parse(JSON.parse(json)),
);

export interface ContactRow {
  first_name: string;
  last_name: string;
  kind: 'business' | 'consumer';
  time_zone: string;
  region: string;
  country: string;
  do_not_call?: number;
}

/** Direct and mobile numbers place a person better than a switchboard does. */
const ZONE_ORDER = ['direct', 'mobile', 'home', 'other', 'assistant', 'main'];

export function cadenceContact(row: ContactRow, numbers: NumberRow[], rules: WorkspaceRules): CadenceContact {
  const ordered = [...numbers].sort((a, b) => ZONE_ORDER.indexOf(a.kind) - ZONE_ORDER.indexOf(b.kind));
  const e164s = ordered.map((n) => n.e164);
  const zone = zoneForContact(
    { timeZone: row.time_zone, region: row.region, country: row.country },
    e164s,
    rules.zone,
  );
  return {
    name: `${row.first_name} ${row.last_name}`.trim() || 'this contact',
    kind: row.kind,
    zone: zone.zone,
    state: stateForContact({ region: row.region, country: row.country }, e164s),
    doNotCall: row.do_not_call === 1,
    numbers: numbers.map(({ e164, kind, valid, doNotCall }) => ({ e164, kind, valid, doNotCall })),
  };
}

/** The calling context core/calling-hours reads for a contact in a campaign. */
export function callingContext(
  contact: CadenceContact,
  policy: CadencePolicy,
  rules: WorkspaceRules,
): CallingContext {
  return {
    zone: contact.zone,
    kind: contact.kind,
    state: contact.state,
    window: windowFor(policy, contact.kind),
    stateRules: rules.stateRules,
    holidays: rules.holidays,
    calendar: rules.calendar,
    name: contact.name,
  };
}
