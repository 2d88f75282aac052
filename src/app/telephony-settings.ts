/**
 * A workspace's telephony provider settings (workspaces.settings JSON, key `telephony`), and a
 * small in-memory directory of them so a webhook can check its signature and find whose call
 * it is without waiting on the database each time — and still ring the user's own phone when
 * the database does not answer (fail open).
 *
 *   { "telephony": { "accountSid": "AC…", "authToken": "…", "callerId": "+12125550100",
 *                    "apiBaseUrl": "https://api.twilio.com", "numbers": { "+12125550111": "rex@ex.test" } } }
 */
import { z } from 'zod';
import type { Store } from '../store/db.js';
import type { User, Workspace } from '../store/schema.js';
import { usersByEmails, workspaceRow, workspaceSettings } from '../store/telephony-repo.js';
import { invalid } from './errors.js';
import { greetingOf, updateWorkspaceSettings } from './workspace-settings.js';

const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'an E.164 number such as +12125550100');

export const telephonySettingsSchema = z.strictObject({
  provider: z.literal('twilio').default('twilio'),
  accountSid: z.string().min(1).max(100),
  authToken: z.string().min(1).max(200),
  /** The provider's REST API; a local fake in tests. */
  apiBaseUrl: z.url().default('https://api.twilio.com'),
  /** The number outbound calls show: the workspace caller ID. */
  callerId: e164,
  /** The provider numbers inbound calls arrive on, each to the user (email) it rings. */
  numbers: z.record(e164, z.email()).default({}),
  /**
   * Recorded messages played when a machine answers a click-to-call (voicemail drop): by
   * "email/campaign" for one campaign, by "email" for every other.
   */
  voicemailDrops: z.record(z.string(), z.url()).default({}),
  /** Record click-to-call conversations; a consent notice plays first where any party's state requires it. */
  recordCalls: z.boolean().optional(),
  /** How long screening may take before the call rings through unscreened. */
  deadlineMs: z.number().int().min(50).max(10_000).default(2000),
  /**
   * The URL the provider calls this server at (behind a proxy or tunnel), when it differs from
   * the server's --public-url: webhook signatures cover it.
   */
  publicUrl: z
    .url()
    .regex(/^https?:\/\/[^?#]*$/, 'an http(s) URL without a query, e.g. https://ringback.example.com')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
});
export type TelephonySettings = z.infer<typeof telephonySettingsSchema>;

/** The workspace's telephony settings, or null when it has no provider (tel: links and manual logging only). */
export function parseTelephony(settingsJson: string): TelephonySettings | null {
  let settings: unknown;
  try {
    settings = JSON.parse(settingsJson || '{}');
  } catch {
    return null;
  }
  const raw = (settings as { telephony?: unknown } | null)?.telephony;
  if (raw === undefined || raw === null) return null;
  const parsed = telephonySettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export async function setTelephony(
  store: Store,
  workspaceId: number,
  input: unknown,
): Promise<TelephonySettings> {
  const parsed = telephonySettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues
        .map((i) => {
          const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
          return `${i.path.join('.') || 'settings'}: ${missing ? 'required' : i.message}`;
        })
        .join('; '),
    );
  }
  // The other keys (greeting, calling hours, state rules) are kept, whoever writes at the same time.
  await updateWorkspaceSettings(store, workspaceId, (doc) => {
    doc.telephony = parsed.data;
  });
  return parsed.data;
}

export interface TelephonyEntry {
  workspaceId: number;
  workspace: Pick<Workspace, 'id' | 'default_country' | 'time_zone'>;
  settings: TelephonySettings;
  /** Users by the provider number their calls arrive on. */
  users: Map<string, User>;
  /** The workspace's block greeting template; null for the built-in one. */
  greeting: string | null;
  loadedAt: number;
}

/**
 * Settings and users per workspace, reloaded after `ttlMs`. `peek` returns the last loaded
 * entry however old: what a webhook falls back on when the database is too slow.
 */
export class TelephonyDirectory {
  private readonly entries = new Map<number, TelephonyEntry | null>();
  private readonly loading = new Map<number, Promise<TelephonyEntry | null>>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly ttlMs = 5000,
  ) {}

  peek(workspaceId: number): TelephonyEntry | null | undefined {
    return this.entries.get(workspaceId);
  }

  /** The entry when it is loaded and still fresh: no waiting, no timer, on the webhook's hot path. */
  fresh(workspaceId: number): TelephonyEntry | undefined {
    const held = this.entries.get(workspaceId);
    // A workspace without a provider is looked up again each time: setting one up takes effect at once.
    return held && this.now() - held.loadedAt < this.ttlMs ? held : undefined;
  }

  async get(workspaceId: number): Promise<TelephonyEntry | null> {
    return this.fresh(workspaceId) ?? this.reload(workspaceId);
  }

  /** Forget a workspace (its settings changed). */
  invalidate(workspaceId: number): void {
    this.entries.delete(workspaceId);
  }

  private reload(workspaceId: number): Promise<TelephonyEntry | null> {
    const pending = this.loading.get(workspaceId);
    if (pending) return pending;
    const load = (async () => {
      try {
        const workspace = await workspaceRow(this.store.db, workspaceId);
        const settings = workspace ? parseTelephony(workspace.settings) : null;
        if (!workspace || !settings) {
          this.entries.set(workspaceId, null);
          return null;
        }
        const byEmail = new Map(
          (await usersByEmails(this.store.db, workspaceId, Object.values(settings.numbers))).map((u) => [
            u.email,
            u,
          ]),
        );
        const users = new Map<string, User>();
        for (const [number, email] of Object.entries(settings.numbers)) {
          const user = byEmail.get(email.trim().toLowerCase());
          if (user) users.set(number, user);
        }
        const entry = {
          workspaceId,
          workspace,
          settings,
          users,
          greeting: greetingOf(workspace.settings),
          loadedAt: this.now(),
        };
        this.entries.set(workspaceId, entry);
        return entry;
      } finally {
        this.loading.delete(workspaceId);
      }
    })();
    this.loading.set(workspaceId, load);
    return load;
  }
}

/** The workspace's telephony settings as stored, or null when none are set up. */
export async function getTelephony(store: Store, workspaceId: number): Promise<TelephonySettings | null> {
  return parseTelephony(await workspaceSettings(store.db, workspaceId));
}

/** A secret as it may be shown: its last 4 characters at most, never the whole of it. */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `••••${secret.slice(-4)}` : '••••';
}

/** The settings as shown to a person (the CLI, the API): everything but the auth token in full. */
export function shownTelephony(settings: TelephonySettings) {
  return { ...settings, authToken: maskSecret(settings.authToken) };
}
