/**
 * Screening an inbound call: load the user's block and the contacts, callback entries and
 * appointments for the calling number, decide with core/screening, store the decision (a
 * callback linked to the attempt that earned it) and tell the user's event stream.
 *
 *   const { decision, decisionId } = await screenInbound(store, { user, callerId, at });
 */
import type { Insertable } from 'kysely';
import type { ScreenResult } from '../contracts/screening.js';
import { readCallerId } from '../core/screening/caller-id.js';
import { type ScreenDecision, screenCall, whisperFor } from '../core/screening/screen.js';
import { latestBlockOf } from '../store/block-repo.js';
import { contactIdsInScope } from '../store/contact-repo.js';
import type { Store } from '../store/db.js';
import type { ScreeningDecisionTable, User, Workspace } from '../store/schema.js';
import { isBusy, screeningCandidates, writeDecisionGroup } from '../store/screening-repo.js';
import { workspaceOfUser } from '../store/workspace-repo.js';
import { AppError, isAppError } from './errors.js';
import type { RingbackEvent } from './events.js';

export interface ScreenRequest {
  user: User;
  /** The user's workspace, when the caller has it at hand (a webhook's cached settings); else read. */
  workspace?: Pick<Workspace, 'id' | 'default_country' | 'time_zone'> | undefined;
  callerId: string;
  at: number;
  /** The provider's call id, when a provider asked. */
  callSid?: string | null;
  /**
   * A lookup (the API, the CLI) rather than a call the phone really got: contacts the user may
   * not see (store/scope.ts) count as unknown, so asking about a number never names a colleague's
   * contact — neither in the answer nor in the decision stored and shown later.
   */
  inScopeOnly?: boolean;
}

export interface ScreenOptions {
  /** True once the caller has given up waiting and put the call through unscreened. */
  late?: () => boolean;
  /** Told when the decision could not be stored at once (SQLite locked by another process) and will be retried. */
  onDeferred?: (error: unknown) => void;
  /** Told when a deferred decision could not be stored at all. */
  onLost?: (error: unknown) => void;
}

export interface Screened {
  decision: ScreenDecision;
  /** Null while the store was locked: the decision is written as soon as it is free. */
  decisionId: number | null;
  zone: string;
  defaultCountry: string;
}

/** How long a decision's write waits for another process's SQLite lock before it is deferred. */
const LOCK_WAIT_MS = 25;
const RETRY_MS = 250;
const GIVE_UP_MS = 10 * 60_000;

type BlockRow = Awaited<ReturnType<typeof latestBlockOf>>;

/**
 * Each user's latest block as this process last read it, so the inbound webhook does not read
 * it for every call. Starting or stopping a block here forgets it at once (forgetBlock); one
 * started by another process (the CLI, another server on the same PostgreSQL) is seen within
 * BLOCK_FRESH_MS. The age is measured on the process's monotonic clock, not the request's
 * (tests move that one back and forth).
 */
const BLOCK_FRESH_MS = 1000;
/**
 * A user's cached block; `reading` is the read under way once it went stale, which every call
 * arriving meanwhile shares: a burst of calls after the block went stale makes one read, not one
 * per call (they took a pool connection each and made the burst wait on each other).
 */
interface HeldBlock {
  block: { row: BlockRow } | undefined;
  readAt: number;
  reading?: Promise<BlockRow>;
}
const blocks = new WeakMap<Store, Map<number, HeldBlock>>();

async function blockOf(store: Store, userId: number): Promise<BlockRow> {
  let held = blocks.get(store);
  if (!held) {
    held = new Map();
    blocks.set(store, held);
  }
  const hit = held.get(userId);
  if (hit?.block !== undefined && performance.now() - hit.readAt < BLOCK_FRESH_MS) return hit.block.row;
  if (hit?.reading) return hit.reading;
  const readAt = performance.now();
  const reading = latestBlockOf(store.db, userId);
  const entry: HeldBlock = { block: hit?.block, readAt: hit?.readAt ?? 0, reading };
  held.set(userId, entry);
  try {
    const row = await reading;
    // A block started or stopped while this read was under way (forgetBlock replaced the entry):
    // the read may predate it, keep nothing.
    if (held.get(userId) === entry) held.set(userId, { block: { row }, readAt });
    return row;
  } catch (error) {
    // The next call reads again rather than sharing this failure.
    if (held.get(userId) === entry) held.set(userId, { block: hit?.block, readAt: hit?.readAt ?? 0 });
    throw error;
  }
}

/** Drops the cached block of a user whose block was just started or stopped. */
export function forgetBlock(store: Store, userId: number): void {
  blocks.get(store)?.set(userId, { block: undefined, readAt: 0 });
}

export async function screenInbound(
  store: Store,
  req: ScreenRequest,
  options: ScreenOptions = {},
): Promise<Screened> {
  const workspace = req.workspace ?? (await workspaceOfUser(store.db, req.user));
  const zone = req.user.time_zone || workspace.time_zone;
  const caller = readCallerId(req.callerId, workspace.default_country);
  const callSid = req.callSid ?? null;
  // A replayed call is refused by the decision's unique (workspace, call id): no read for it here.
  const [block, candidates] = await Promise.all([
    blockOf(store, req.user.id),
    screeningCandidates(
      store.db,
      workspace.id,
      req.user.id,
      caller.kind === 'number' ? caller.e164 : null,
      req.at,
    ),
  ]);
  let contacts = candidates.contacts;
  if (req.inScopeOnly && contacts.length > 0) {
    const visible = await contactIdsInScope(
      store.db,
      req.user,
      contacts.map((c) => c.id),
    );
    contacts = contacts.filter((c) => visible.has(c.id));
  }
  const decision = screenCall({
    callerId: req.callerId,
    defaultCountry: workspace.default_country,
    zone,
    userId: req.user.id,
    block: block
      ? {
          id: block.id,
          startedAt: block.started_at,
          plannedEndAt: block.planned_end_at,
          endedAt: block.ended_at,
        }
      : null,
    ...candidates,
    contacts,
    at: req.at,
  });
  const values: Insertable<ScreeningDecisionTable> = {
    workspace_id: workspace.id,
    user_id: req.user.id,
    block_id: decision.blockId,
    caller_raw: req.callerId.slice(0, 200),
    caller_e164: decision.caller.e164,
    contact_id: decision.contact?.id ?? null,
    action: decision.action,
    reason: decision.reason,
    callback_entry_id: decision.callbackFor?.entryId ?? null,
    attempt_id: decision.callbackFor?.attemptId ?? null,
    decided_at: req.at,
    call_sid: callSid,
    fail_open: 0,
  };
  const decisionId = await recordDecision(store, values, options);
  return { decision, decisionId, zone, defaultCountry: workspace.default_country };
}

/**
 * Decisions are written in groups (a group commit): every decision made in the same turn of
 * the event loop goes into one transaction, and each caller waits for its group's commit
 * before it answers. So a decision is committed before the provider hears it — an answered
 * call whose decision is missing cannot happen through a crash of this process — while one
 * commit's cost is shared by every call that arrived together. The cost is one more turn of
 * the event loop of latency, and one failed commit failing its whole group (the same error
 * each caller would have had alone). Durability is SQLite's usual (WAL, synchronous=NORMAL: a
 * power loss can drop the last commits); on PostgreSQL the commit does not wait for its disk
 * flush (see writeGroupPostgres in store/screening-repo.ts).
 */
interface Pending {
  values: Insertable<ScreeningDecisionTable>;
  late: () => boolean;
  resolve: (id: number | null) => void;
  reject: (error: unknown) => void;
}

class DecisionWriter {
  private queue: Pending[] = [];
  /** A group is being written: the next one gathers meanwhile, so a busy server writes fewer, larger groups. */
  private writing = false;

  constructor(private readonly store: Store) {}

  write(values: Insertable<ScreeningDecisionTable>, late: () => boolean): Promise<number | null> {
    return new Promise((resolve, reject) => {
      if (this.queue.push({ values, late, resolve, reject }) === 1 && !this.writing) {
        setImmediate(() => this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const group = this.queue;
    this.queue = [];
    this.writing = true;
    try {
      const ids = await writeDecisionGroup(this.store, group, LOCK_WAIT_MS);
      for (const [i, p] of group.entries()) p.resolve(ids[i] ?? null);
    } catch (error) {
      for (const p of group) p.reject(error);
    } finally {
      this.writing = false;
      if (this.queue.length > 0) setImmediate(() => this.flush());
    }
  }
}

const writers = new WeakMap<Store, DecisionWriter>();

/** Stores a decision as what really happened to the call: a fail-open ring if the caller gave up waiting. */
async function recordDecision(
  store: Store,
  values: Insertable<ScreeningDecisionTable>,
  options: ScreenOptions,
): Promise<number | null> {
  const late = options.late ?? (() => false);
  let writer = writers.get(store);
  if (!writer) {
    writer = new DecisionWriter(store);
    writers.set(store, writer);
  }
  const replayed = () =>
    new AppError(`call ${values.call_sid} was already screened`, { code: 'webhook_rejected' });
  try {
    const id = await writer.write(values, late);
    if (id === null) throw replayed();
    return id;
  } catch (error) {
    if (isAppError(error, 'webhook_rejected')) throw error;
    if (!isBusy(error)) throw error;
    options.onDeferred?.(error);
    const alone = async () => {
      const [id] = await writeDecisionGroup(store, [{ values, late }], LOCK_WAIT_MS);
      if (id === undefined) throw replayed();
    };
    retryLater(alone, Date.now() + GIVE_UP_MS, options.onLost);
    return null;
  }
}

function retryLater(
  write: () => Promise<unknown>,
  giveUpAt: number,
  onLost: ((error: unknown) => void) | undefined,
) {
  const timer = setTimeout(() => {
    write().catch((error) => {
      if (isBusy(error) && Date.now() < giveUpAt) retryLater(write, giveUpAt, onLost);
      else if (!isAppError(error, 'webhook_rejected')) onLost?.(error);
    });
  }, RETRY_MS);
  timer.unref();
}

/** The decision as the CLI prints it and the lookup API returns it. */
export function screenResult(decision: ScreenDecision): ScreenResult {
  const c = decision.callbackFor;
  return {
    action: decision.action,
    reason: decision.explanation,
    contact: decision.contact
      ? {
          id: decision.contact.id,
          name: decision.contact.name,
          company: decision.contact.company,
          numberKind: decision.contact.numberKind,
        }
      : null,
    callbackFor: c
      ? {
          reason: c.reason,
          attemptId: c.attemptId,
          entryId: c.entryId,
          appointmentId: c.appointmentId,
          since: new Date(c.sinceAt).toISOString(),
        }
      : null,
  };
}

/**
 * The event a decision sends to the user's stream (`screening.decided`). `toast` is what the
 * web app shows at once: during a block only the calls put through; the rest wait for the
 * block's summary. Small on purpose (the bus caps events at ~8 KB): the first contact only.
 */
export function screeningEvent(user: User, screened: Screened, at: number): RingbackEvent {
  const { decision } = screened;
  const inBlock = decision.blockId !== null;
  return {
    workspaceId: user.workspace_id,
    userId: user.id,
    type: 'screening.decided',
    data: {
      decisionId: screened.decisionId,
      at: new Date(at).toISOString(),
      action: decision.action,
      reason: decision.reason,
      explanation: decision.explanation,
      toast: decision.action === 'ring' && inBlock,
      blockId: decision.blockId,
      caller: decision.caller.e164 ?? decision.caller.raw.slice(0, 40),
      contact: decision.contact,
      otherContacts: Math.max(0, decision.contacts.length - 1),
      callbackFor: decision.callbackFor
        ? { ...decision.callbackFor, since: new Date(decision.callbackFor.sinceAt).toISOString() }
        : null,
      whisper: decision.action === 'ring' ? whisperFor(decision, screened.zone, at) : null,
    },
  };
}

/**
 * The event for a call put through unscreened because the store did not answer in time (fail
 * open): nothing could be read, so it says only who called, and is a toast — the user is
 * about to take a call nobody screened.
 */
export function failOpenEvent(
  user: User,
  call: { callerId: string; callSid: string | null; defaultCountry: string },
  whisper: string,
  at: number,
): RingbackEvent {
  const caller = readCallerId(call.callerId, call.defaultCountry);
  return {
    workspaceId: user.workspace_id,
    userId: user.id,
    type: 'screening.decided',
    data: {
      decisionId: null,
      at: new Date(at).toISOString(),
      action: 'ring',
      reason: 'fail_open',
      explanation: 'The store did not answer in time: the call rang through unscreened.',
      toast: true,
      blockId: null,
      caller: caller.kind === 'number' ? caller.e164 : call.callerId.slice(0, 40),
      contact: null,
      otherContacts: 0,
      callbackFor: null,
      whisper,
      callSid: call.callSid?.slice(0, 100) ?? null,
    },
  };
}
