/**
 * Call blocks: starting one switches the user's screening to "only the expected ring
 * through"; stopping it (or its planned end passing) switches it back, and the summary lists
 * the calls sent to voicemail meanwhile, with who they were and the message they left.
 */
import type { BlockSummary } from '../contracts/screening.js';
import { type BlockTally, NO_CALLS_YET } from '../core/queue/order.js';
import { isInBlock } from '../core/screening/screen.js';
import { describeLocal } from '../core/time/bands.js';
import { callsBetween, deleteBlock, endBlock, insertBlock, latestBlockOf } from '../store/block-repo.js';
import type { Store } from '../store/db.js';
import { releaseLeases } from '../store/queue-repo.js';
import type { User } from '../store/schema.js';
import { decisionsOfBlock } from '../store/screening-repo.js';
import { workspaceOfUser } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { AppError, invalid } from './errors.js';
import { forgetBlock } from './screen.js';

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
      await endBlock(db, latest.id, Math.min(at, latest.planned_end_at), '{}');
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

/** What the user's block in force at `at` has dialled so far (nothing outside a block). */
export async function blockTally(db: Store['db'], userId: number, at: number): Promise<BlockTally> {
  const latest = await latestBlockOf(db, userId);
  if (!latest || !isInBlock(asScreenBlock(latest), at)) return NO_CALLS_YET;
  return callsBetween(db, userId, latest.started_at, at);
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
    await endBlock(db, latest.id, Math.max(latest.started_at, Math.min(at, latest.planned_end_at)), '{}');
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

/** The summary of a block: calls put through, and those sent to voicemail with who they were. */
export async function summarize(store: Store, blockId: number): Promise<BlockSummary> {
  const block = await store.db
    .selectFrom('call_blocks')
    .selectAll()
    .where('id', '=', blockId)
    .executeTakeFirstOrThrow();
  const decisions = await decisionsOfBlock(store.db, blockId);
  const summary: BlockSummary = {
    block: blockJson(block),
    rangThrough: decisions.filter((d) => d.action === 'ring').length,
    sentToVoicemail: decisions
      .filter((d) => d.action === 'voicemail')
      .map((d) => ({
        decisionId: d.id,
        at: iso(d.decided_at),
        caller: d.caller_e164 ?? d.caller_raw,
        contact:
          d.contact_id === null
            ? null
            : {
                id: d.contact_id,
                name: `${d.first_name ?? ''} ${d.last_name ?? ''}`.trim(),
                company: d.company,
              },
        reason: d.reason,
        voicemail:
          d.voicemail_id === null || d.recording_url === null
            ? null
            : { url: d.recording_url, durationSeconds: d.duration_s ?? 0, transcription: d.transcription },
      })),
  };
  if (block.ended_at !== null) {
    const stats = JSON.stringify({
      rangThrough: summary.rangThrough,
      sentToVoicemail: summary.sentToVoicemail.length,
    });
    await store.db.updateTable('call_blocks').set({ stats }).where('id', '=', blockId).execute();
  }
  return summary;
}
