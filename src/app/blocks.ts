/**
 * Call blocks: starting one switches the user's screening to "only the expected ring
 * through"; stopping it (or its planned end passing) switches it back, and the summary lists
 * the calls sent to voicemail meanwhile, with who they were and the message they left.
 */
import type { BlockSummary } from '../contracts/screening.js';
import { blockPace, countBlock } from '../core/block/summary.js';
import { type BlockTally, NO_CALLS_YET } from '../core/queue/order.js';
import { isInBlock, type ScreenReason, screenReasonWords } from '../core/screening/screen.js';
import { describeLocal } from '../core/time/bands.js';
import { formatHhmm, localParts } from '../core/time/zoned.js';
import {
  attemptsBetween,
  callsBetween,
  deleteBlock,
  endBlock,
  insertBlock,
  latestBlockOf,
} from '../store/block-repo.js';
import type { Store } from '../store/db.js';
import { releaseLeases } from '../store/queue-repo.js';
import type { User } from '../store/schema.js';
import { decisionsOfBlock } from '../store/screening-repo.js';
import { countSkipsOfBlock, skippedInBlock } from '../store/skip-repo.js';
import { workspaceOfUser } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { AppError, invalid } from './errors.js';
import { forgetBlock } from './screen.js';
import { emitWebhookEvent } from './webhook-events.js';

/** Long enough for a whole working day of calls, short enough that a typo does not screen a week. */
export const MAX_BLOCK_MINUTES = 12 * 60;

type BlockRow = NonNullable<Awaited<ReturnType<typeof latestBlockOf>>>;

const iso = (t: number) => new Date(t).toISOString();

export function blockJson(b: BlockRow): BlockSummary['block'] {
  return {
    id: b.id,
    userId: b.user_id,
    startedAt: iso(b.started_at),
    plannedEndAt: iso(b.planned_end_at),
    endedAt: b.ended_at === null ? null : iso(b.ended_at),
  };
}

const asScreenBlock = (b: BlockRow) => ({
  id: b.id,
  startedAt: b.started_at,
  plannedEndAt: b.planned_end_at,
  endedAt: b.ended_at,
});

/** Ends a block and tells the webhooks (`block.ended`), in the caller's transaction. */
async function closeBlock(db: Store['db'], block: BlockRow, endedAt: number): Promise<void> {
  await endBlock(db, block.id, endedAt, '{}');
  await emitWebhookEvent(
    db,
    block.workspace_id,
    'block.ended',
    {
      blockId: block.id,
      userId: block.user_id,
      startedAt: iso(block.started_at),
      plannedEndAt: iso(block.planned_end_at),
      endedAt: iso(endedAt),
    },
    endedAt,
  );
}

export interface StartedBlock {
  block: BlockSummary['block'];
  /** The summary of an earlier block that ran out without being stopped, closed now. */
  closed: BlockSummary | null;
}

export async function startBlock(
  store: Store,
  user: User,
  minutes: number,
  at: number,
): Promise<StartedBlock> {
  if (!Number.isInteger(minutes) || minutes <= 0 || minutes > MAX_BLOCK_MINUTES) {
    throw invalid(`minutes: a block lasts 1 to ${MAX_BLOCK_MINUTES} minutes, not ${minutes}`);
  }
  const workspace = await workspaceOfUser(store.db, user);
  const zone = user.time_zone || workspace.time_zone;
  const { id, closedId } = await inWriteTransaction(store, async (db) => {
    await store.ops.lockUser(db, user.id);
    const latest = await latestBlockOf(db, user.id);
    let closedId: number | null = null;
    if (latest && latest.started_at > at) {
      // Only a replay with --at leaves one; screening reads the latest block, so a block that
      // started before it would never be in force.
      throw new AppError(
        `your call block of ${describeLocal(latest.started_at, zone, at)} to ` +
          `${describeLocal(latest.ended_at ?? latest.planned_end_at, zone, at)} (${zone}) starts later than this one; ` +
          'stop it first (a block that has not begun is cancelled)',
        { code: 'block_running', running: blockJson(latest) },
      );
    }
    if (latest && latest.ended_at === null) {
      if (isInBlock(asScreenBlock(latest), at)) {
        throw new AppError(
          `already in a call block until ${describeLocal(latest.planned_end_at, zone, at)}; stop it first`,
          { code: 'block_running', running: blockJson(latest) },
        );
      }
      await closeBlock(db, latest, Math.min(at, latest.planned_end_at));
      closedId = latest.id;
    }
    const id = await insertBlock(db, {
      workspace_id: workspace.id,
      user_id: user.id,
      started_at: at,
      planned_end_at: at + minutes * 60_000,
    });
    return { id, closedId };
  });
  forgetBlock(store, user.id);
  const closed = closedId === null ? null : await summarize(store, closedId);
  const block = await latestBlockOf(store.db, user.id);
  if (!block || block.id !== id) throw new Error(`block ${id} was started but is not the latest`);
  return { block: blockJson(block), closed };
}

/** The user's block in force at `at`, or null. */
export async function blockInForce(db: Store['db'], userId: number, at: number): Promise<BlockRow | null> {
  const latest = await latestBlockOf(db, userId);
  return latest && isInBlock(asScreenBlock(latest), at) ? latest : null;
}

/**
 * What the user's block in force at `at` has done so far (nothing outside a block): the calls
 * dialled, and the enrollments skipped, which the rep's queue leaves out until the block ends.
 */
export async function blockSoFar(
  db: Store['db'],
  userId: number,
  at: number,
): Promise<{ tally: BlockTally; skipped: ReadonlySet<number> }> {
  const block = await blockInForce(db, userId, at);
  if (!block) return { tally: NO_CALLS_YET, skipped: new Set() };
  return {
    tally: await callsBetween(db, userId, block.started_at, at),
    skipped: await skippedInBlock(db, block.id),
  };
}

/**
 * Ends the user's open block (at its planned end if that has passed), hands the user's leased
 * calls back, and returns the block's summary.
 */
export async function stopBlock(store: Store, user: User, at: number): Promise<BlockSummary> {
  const later = await latestBlockOf(store.db, user.id);
  if (later && later.started_at > at) return cancelBlock(store, user, later.id);
  const id = await inWriteTransaction(store, async (db) => {
    await store.ops.lockUser(db, user.id);
    const latest = await latestBlockOf(db, user.id);
    if (!latest || latest.ended_at !== null) throw invalid('not in a call block');
    await closeBlock(db, latest, Math.max(latest.started_at, Math.min(at, latest.planned_end_at)));
    // The calls leased for the block go back to the pool: colleagues may dial them now.
    await releaseLeases(db, user.id);
    return latest.id;
  });
  forgetBlock(store, user.id);
  return summarize(store, id);
}

/**
 * A block that has not begun (recorded for a later time with --at) is removed, so it can
 * never keep the user from starting one now; its summary says it lasted no time.
 */
async function cancelBlock(store: Store, user: User, blockId: number): Promise<BlockSummary> {
  const summary = await summarize(store, blockId);
  await inWriteTransaction(store, async (db) => {
    await deleteBlock(db, blockId);
    await releaseLeases(db, user.id);
  });
  forgetBlock(store, user.id);
  return { ...summary, block: { ...summary.block, endedAt: summary.block.startedAt } };
}

/**
 * The summary of a block, the rep's report: what was dialled and how it went, skips, callbacks
 * received, pace, the promises made (callbacks and appointments agreed, in the rep's zone) and
 * the calls sent to voicemail with who they were and why, in words.
 */
export async function summarize(store: Store, blockId: number): Promise<BlockSummary> {
  const block = await store.db
    .selectFrom('call_blocks')
    .selectAll()
    .where('id', '=', blockId)
    .executeTakeFirstOrThrow();
  const user = await store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', block.user_id)
    .executeTakeFirstOrThrow();
  const workspace = await workspaceOfUser(store.db, user);
  const zone = user.time_zone || workspace.time_zone;
  const end = block.ended_at ?? block.planned_end_at;
  const calls = await attemptsBetween(store.db, block.user_id, block.started_at, end);
  const decisions = await decisionsOfBlock(store.db, blockId);
  const counts = countBlock(
    calls.map((c) => ({ outcome: c.outcome, voicemailLeft: c.voicemail_left === 1 })),
    await countSkipsOfBlock(store.db, blockId),
    decisions.filter((d) => d.reason === 'callback_list').length,
  );
  const contactOf = (c: {
    contact_id: number;
    first_name: string | null;
    last_name: string | null;
    company: string | null;
  }) => ({
    id: c.contact_id,
    name: `${c.first_name ?? ''} ${c.last_name ?? ''}`.trim(),
    company: c.company,
  });
  const summary: BlockSummary = {
    block: blockJson(block),
    zone,
    counts,
    pace: blockPace(counts.dials, block.started_at, end),
    promises: calls
      .filter(
        (c) =>
          c.scheduled_for !== null && (c.outcome === 'callback_requested' || c.outcome === 'appointment_set'),
      )
      .map((c) => ({
        kind: c.outcome === 'appointment_set' ? ('appointment' as const) : ('callback' as const),
        contact: contactOf(c),
        at: iso(c.scheduled_for!),
        yourTime: describeLocal(c.scheduled_for!, zone, end),
        zone,
      }))
      .sort((a, b) => a.at.localeCompare(b.at)),
    rangThrough: decisions.filter((d) => d.action === 'ring').length,
    sentToVoicemail: decisions
      .filter((d) => d.action === 'voicemail')
      .map((d) => ({
        decisionId: d.id,
        at: iso(d.decided_at),
        yourTime: formatHhmm(localParts(d.decided_at, zone).minutesOfDay),
        caller: d.caller_e164 ?? d.caller_raw,
        contact: d.contact_id === null ? null : contactOf({ ...d, contact_id: d.contact_id }),
        reason: screenReasonWords(d.reason as ScreenReason),
        voicemail:
          d.voicemail_id === null || d.recording_url === null
            ? null
            : { url: d.recording_url, durationSeconds: d.duration_s ?? 0, transcription: d.transcription },
      })),
  };
  if (block.ended_at !== null) {
    const stats = JSON.stringify({
      ...counts,
      rangThrough: summary.rangThrough,
      sentToVoicemail: summary.sentToVoicemail.length,
    });
    await store.db.updateTable('call_blocks').set({ stats }).where('id', '=', blockId).execute();
  }
  return summary;
}
