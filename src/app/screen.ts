/**
 * Screening an inbound call: load the user's block and the contacts, callback entries and
 * appointments for the calling number, decide with core/screening, store the decision (a
 * callback linked to the attempt that earned it) and tell the user's event stream.
 *
 *   const { decision, decisionId } = await screenInbound(store, { user, callerId, at });
 */
import type { ScreenResult } from '../contracts/screening.js';
import { readCallerId } from '../core/screening/caller-id.js';
import { type ScreenDecision, screenCall } from '../core/screening/screen.js';
import { latestBlockOf } from '../store/block-repo.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import {
  insertDecision,
  markDecisionFailOpen,
  screeningCandidates,
  workspaceById,
} from '../store/screening-repo.js';

export interface ScreenRequest {
  user: User;
  callerId: string;
  at: number;
  /** The provider's call id, when a provider asked. */
  callSid?: string | null;
}

export interface ScreenOptions {
  /** True once the caller has given up waiting and put the call through unscreened. */
  late?: () => boolean;
}

export interface Screened {
  decision: ScreenDecision;
  decisionId: number;
  zone: string;
  defaultCountry: string;
}

export async function screenInbound(
  store: Store,
  req: ScreenRequest,
  options: ScreenOptions = {},
): Promise<Screened> {
  const workspace = await workspaceById(store.db, req.user.workspace_id);
  const zone = req.user.time_zone || workspace.time_zone;
  const caller = readCallerId(req.callerId, workspace.default_country);
  const [block, candidates] = await Promise.all([
    latestBlockOf(store.db, req.user.id),
    screeningCandidates(
      store.db,
      workspace.id,
      req.user.id,
      caller.kind === 'number' ? caller.e164 : null,
      req.at,
    ),
  ]);
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
    at: req.at,
  });
  const lateAlready = options.late?.() ?? false;
  const decisionId = await insertDecision(store.db, {
    workspace_id: workspace.id,
    user_id: req.user.id,
    block_id: decision.blockId,
    caller_raw: req.callerId.slice(0, 200),
    caller_e164: decision.caller.e164,
    contact_id: decision.contact?.id ?? null,
    action: lateAlready ? 'ring' : decision.action,
    reason: lateAlready ? 'fail_open' : decision.reason,
    callback_entry_id: decision.callbackFor?.entryId ?? null,
    attempt_id: decision.callbackFor?.attemptId ?? null,
    decided_at: req.at,
    call_sid: req.callSid ?? null,
    fail_open: lateAlready ? 1 : 0,
  });
  // Stored, but after the call had already been put through: record what really happened.
  if (!lateAlready && options.late?.()) await markDecisionFailOpen(store.db, decisionId);
  return { decision, decisionId, zone, defaultCountry: workspace.default_country };
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
