/**
 * The workspace settings a Settings page changes, kept in workspaces.settings (JSON) next to
 * the state rules, holidays and telephony provider, each under its own key:
 *
 *   { "callingHours": { "business": { "start": "09:00", "end": "17:00", "days": [1,2,3,4,5] },
 *                       "consumer": { … } },
 *     "greeting": "Hi, {{my_first_name}} here …" }
 *
 * A user's own calling hours live on their row (users.calling_hours). Every write reads and
 * rewrites the document in one write transaction, the row locked, so two settings saved at once
 * both stay (the telephony provider's too).
 */
import {
  type CallingHours,
  type CallingHoursJson,
  type CallingWindowJson,
  callingHoursSchema,
} from '../contracts/settings.js';
import { callingWindowSchema, DEFAULT_POLICY } from '../core/cadence/policy.js';
import type { CallerHours } from '../core/calling-hours/calling-hours.js';
import { lintGreeting } from '../core/screening/greeting.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { workspaceSettings, writeWorkspaceSettings } from '../store/telephony-repo.js';
import { workspaceSettingsForUpdate } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { invalid } from './errors.js';

export const DEFAULT_CALLING_HOURS: CallingHours = {
  business: DEFAULT_POLICY.businessWindow,
  consumer: DEFAULT_POLICY.consumerWindow,
};

function parseDocument(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text || '{}') as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The workspace's default windows; the design's when none were set (or what is stored no longer parses). */
export function callingHoursOf(settingsJson: string): CallingHours {
  const parsed = callingHoursSchema.safeParse(parseDocument(settingsJson).callingHours);
  return parsed.success ? parsed.data : DEFAULT_CALLING_HOURS;
}

/** The stored greeting template, or null for the built-in one. */
export function greetingOf(settingsJson: string): string | null {
  const value = parseDocument(settingsJson).greeting;
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function userHours(user: Pick<User, 'calling_hours'>): CallingWindowJson | null {
  if (!user.calling_hours) return null;
  const parsed = callingWindowSchema.safeParse(parseDocument(user.calling_hours));
  return parsed.success ? parsed.data : null;
}

/** The user's own calling hours on their clock, for planning their follow-ups; null when unset. */
export function callerHoursOf(user: Pick<User, 'calling_hours' | 'time_zone'>): CallerHours | null {
  const window = userHours(user);
  return window ? { zone: user.time_zone, window } : null;
}

export async function readCallingHours(store: Store, user: User): Promise<CallingHoursJson> {
  return {
    workspace: callingHoursOf(await workspaceSettings(store.db, user.workspace_id)),
    mine: userHours(user),
    timeZone: user.time_zone,
  };
}

/** Changes some keys of the settings document and keeps every other, even under concurrent writers. */
export async function updateWorkspaceSettings(
  store: Store,
  workspaceId: number,
  change: (doc: Record<string, unknown>) => void,
): Promise<string> {
  return inWriteTransaction(store, async (db) => {
    const text = await workspaceSettingsForUpdate(db, workspaceId);
    const doc = parseDocument(text);
    // A document that does not parse is never overwritten: what it holds would be lost.
    if (Object.keys(doc).length === 0 && !/^\s*(\{\s*\})?\s*$/.test(text)) {
      throw new Error(
        `workspace ${workspaceId}: its settings are not a JSON object; fix them before changing any`,
      );
    }
    change(doc);
    const changed = JSON.stringify(doc);
    await writeWorkspaceSettings(db, workspaceId, changed);
    return changed;
  });
}

export async function setWorkspaceCallingHours(
  store: Store,
  actor: User,
  hours: CallingHours,
): Promise<void> {
  await updateWorkspaceSettings(store, actor.workspace_id, (doc) => {
    doc.callingHours = hours;
  });
}

export async function setMyCallingHours(
  store: Store,
  actor: User,
  hours: CallingWindowJson | null,
): Promise<void> {
  await store.db
    .updateTable('users')
    .set({ calling_hours: hours === null ? null : JSON.stringify(hours) })
    .where('id', '=', actor.id)
    .execute();
}

/** Turns the block page's single-key shortcuts on or off for the user (WCAG 2.1.4: they can be off). */
export async function setKeyboardShortcuts(store: Store, actor: User, enabled: boolean): Promise<void> {
  await store.db
    .updateTable('users')
    .set({ keyboard_shortcuts: enabled ? 1 : 0 })
    .where('id', '=', actor.id)
    .execute();
}

export async function readGreeting(store: Store, workspaceId: number): Promise<string | null> {
  return greetingOf(await workspaceSettings(store.db, workspaceId));
}

/** Saves the template (null: back to the built-in one); refuses one the lint finds errors in. */
export async function setGreeting(
  store: Store,
  actor: User,
  template: string | null,
): Promise<string | null> {
  const trimmed = template?.trim() ?? '';
  if (trimmed !== '') {
    const errors = lintGreeting(trimmed).filter((f) => f.severity === 'error');
    if (errors.length > 0)
      throw invalid(
        errors.map((e) => e.message).join('; '),
        errors.map((e) => ({ path: '/template', message: e.message })),
      );
  }
  await updateWorkspaceSettings(store, actor.workspace_id, (doc) => {
    if (trimmed === '') delete doc.greeting;
    else doc.greeting = trimmed;
  });
  return trimmed === '' ? null : trimmed;
}

export const windowsForNewCampaign = (settingsJson: string) => {
  const hours = callingHoursOf(settingsJson);
  return { businessWindow: hours.business, consumerWindow: hours.consumer };
};
