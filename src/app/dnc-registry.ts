/**
 * Registry do-not-call lists: load a registry's file as delivered (`ringback dnc import FILE
 * --source …`, the API, the Settings page) and scrub numbers against what is loaded. An
 * internal list is a file of numbers for the workspace's own do-not-call list, which never
 * expires.
 */
import type { CountryCode } from 'libphonenumber-js';
import { listAge, registryBlock } from '../core/dnc/registry.js';
import {
  parseRegistryFile,
  REGISTRY_NAMES,
  REGISTRY_SOURCES,
  RegistryFileError,
  type RegistrySource,
} from '../core/dnc/registry-file.js';
import { normalizePhone } from '../core/phone/normalize.js';
import { localParts } from '../core/time/zoned.js';
import { markNumberDoNotCall } from '../store/attempt-repo.js';
import type { Store } from '../store/db.js';
import {
  loadRegistryList,
  registryListings,
  registryLists,
  type StoredRegistryList,
} from '../store/dnc-registry-repo.js';
import type { NumberRow } from '../store/queue-repo.js';
import type { User } from '../store/schema.js';
import { workspaceOfActor } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import type { WorkspaceRules } from './cadence-context.js';
import { invalid } from './errors.js';

export const DNC_SOURCES = [...REGISTRY_SOURCES, 'internal'] as const;
export type DncSource = (typeof DNC_SOURCES)[number];

export interface RegistryImport {
  user: User | null;
  source: string;
  /** The file's bytes, as delivered. */
  bytes: Uint8Array;
  /** The name to show in errors ("212.txt"). */
  fileName: string;
  /** The registry's date for the list ('YYYY-MM-DD'); default today in the workspace's zone. */
  asOf?: string | undefined;
  now: number;
}

export interface RegistryImportResult {
  source: DncSource;
  kind: 'full' | 'changes' | 'internal';
  asOf: string | null;
  /** Numbers on the list after the load. */
  numbers: number;
  added: number;
  removed: number;
  /** The workspace's stored numbers the list holds. */
  listedNumbers: number;
}

/** A registry file's bad line, as a field of the upload. */
const lineFault = (l: { line: number; message: string }) => ({
  path: `/file/line/${l.line}`,
  message: l.message,
});

export async function importRegistry(store: Store, req: RegistryImport): Promise<RegistryImportResult> {
  if (!(DNC_SOURCES as readonly string[]).includes(req.source)) {
    throw invalid(`--source "${req.source}" is not a list; use one of: ${DNC_SOURCES.join(', ')}`);
  }
  const source = req.source as DncSource;
  const workspace = await workspaceOfActor(store.db, req.user, req.now);
  if (source === 'internal') return importInternal(store, req, workspace.id, workspace.default_country);
  const today = localParts(req.now, workspace.time_zone).dateKey;
  const asOf = req.asOf ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
    throw invalid(`--as-of "${asOf}" is not a date like 2026-12-01`);
  }
  if (asOf > today) throw invalid(`--as-of ${asOf} is after today (${today})`);
  let file: ReturnType<typeof parseRegistryFile>;
  try {
    file = parseRegistryFile(req.bytes, source);
  } catch (error) {
    if (error instanceof RegistryFileError) {
      throw invalid(
        `${req.fileName} is not a ${REGISTRY_NAMES[source]} file; nothing was loaded: ${error.errors
          .map((e) => `line ${e.line}: ${e.message}`)
          .join('; ')}`,
        error.errors.map(lineFault),
      );
    }
    throw error;
  }
  const loaded = await loadRegistryList(store, {
    workspaceId: workspace.id,
    source,
    asOf,
    file,
    userId: req.user?.id ?? null,
    now: req.now,
  });
  if (!loaded.ok) {
    throw invalid(
      `${req.fileName} is a change list (lines marked A or D), and no full ${REGISTRY_NAMES[source]} list is loaded to apply it to; load a full list first`,
    );
  }
  return {
    source,
    kind: file.kind,
    asOf,
    numbers: loaded.list.numbers,
    added: loaded.added,
    removed: loaded.removed,
    listedNumbers: loaded.listedNumbers,
  };
}

async function importInternal(
  store: Store,
  req: RegistryImport,
  workspaceId: number,
  country: string,
): Promise<RegistryImportResult> {
  const text = Buffer.from(req.bytes).toString('utf8');
  const numbers: string[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.trim();
    if (value === '' || (i === 0 && !/\d/.test(value))) return;
    const parsed = normalizePhone(value, country as CountryCode);
    if (parsed.ok) numbers.push(parsed.e164);
    else if (errors.length < 10) errors.push({ line: i + 1, message: `"${value}": ${parsed.reason}` });
  });
  if (errors.length > 0) {
    throw invalid(
      `${req.fileName}: nothing was added to the do-not-call list: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`,
      errors.map(lineFault),
    );
  }
  let added = 0;
  await inWriteTransaction(store, async (db) => {
    for (const e164 of new Set(numbers)) {
      if (
        await markNumberDoNotCall(
          db,
          workspaceId,
          e164,
          'internal',
          `listed in ${req.fileName}`,
          req.user?.id ?? null,
          req.now,
        )
      )
        added++;
    }
  });
  return {
    source: 'internal',
    kind: 'internal',
    asOf: null,
    numbers: new Set(numbers).size,
    added,
    removed: 0,
    listedNumbers: 0,
  };
}

export interface RegistryListView {
  source: RegistrySource;
  name: string;
  asOf: string;
  ageDays: number;
  /** Older than its registry allows: numbers it covers are held back (when the workspace holds them back). */
  stale: boolean;
  numbers: number;
  areaCodes: number;
  loadedAt: string;
}

/** The workspace's registry lists with their dates and ages, for Settings and `ringback dnc lists`. */
export async function registryListViews(
  store: Store,
  user: User | null,
  now: number,
): Promise<{ holdBackStale: boolean; lists: RegistryListView[] }> {
  const workspace = await workspaceOfActor(store.db, user, now);
  const today = localParts(now, workspace.time_zone).dateKey;
  const settings = JSON.parse(workspace.settings || '{}') as { dnc?: { holdBackStale?: boolean } };
  return {
    holdBackStale: settings.dnc?.holdBackStale !== false,
    lists: (await registryLists(store.db, workspace.id)).map((l) => {
      const age = listAge(l, today);
      return {
        source: l.source,
        name: REGISTRY_NAMES[l.source],
        asOf: l.asOf,
        ageDays: age.days,
        stale: age.stale,
        numbers: l.numbers,
        areaCodes: l.coverage.length,
        loadedAt: new Date(l.loadedAt).toISOString(),
      };
    }),
  };
}

/** The workspace's registry lists, read once per queue or call; empty for most workspaces. */
export function loadRegistries(store: Pick<Store, 'db'>, workspaceId: number): Promise<StoredRegistryList[]> {
  return registryLists(store.db, workspaceId);
}

/**
 * The numbers with those a registry bars (or a stale list holds back) marked do-not-call, each
 * with the reason; unchanged when the workspace has no registry list.
 */
export async function scrubNumbers(
  db: Store['db'],
  workspaceId: number,
  lists: readonly StoredRegistryList[],
  rules: Pick<WorkspaceRules, 'zone' | 'holdBackStale'>,
  numbers: readonly NumberRow[],
  kindOf: (contactId: number) => 'business' | 'consumer',
  at: number,
): Promise<NumberRow[]> {
  if (lists.length === 0 || numbers.length === 0) return [...numbers];
  const listings = await registryListings(
    db,
    workspaceId,
    numbers.map((n) => n.e164),
  );
  const today = localParts(at, rules.zone).dateKey;
  return numbers.map((n) => {
    if (n.doNotCall) return n;
    const reason = registryBlock(
      n,
      kindOf(n.contactId),
      listings.get(n.e164) ?? [],
      lists,
      today,
      rules.holdBackStale,
    );
    return reason === null ? n : { ...n, doNotCall: true, dncReason: reason };
  });
}
