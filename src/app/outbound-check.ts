/**
 * Loads what core/calling-hours/outbound.ts needs to judge one outbound call — the contact,
 * its enrollment, numbers and attempts, the workspace's rules — and asks it. Click-to-call
 * asks before the provider rings anyone; a voicemail drop asks again before the message plays.
 */
import { chooseNumber } from '../core/cadence/numbers.js';
import type { CadenceAttempt, CadenceContact } from '../core/cadence/types.js';
import { askedForAt, checkOutbound, type OutboundVerdict } from '../core/calling-hours/outbound.js';
import { enrollmentIdsInScope, enrollmentsForLog } from '../store/attempt-repo.js';
import type { Store } from '../store/db.js';
import { historyOf, type NumberRow, numbersOf } from '../store/queue-repo.js';
import type { Actor } from '../store/scope.js';
import { workspaceOfActor } from '../store/workspace-repo.js';
import { cadenceContact, callingContext, parsePolicy, workspaceRules } from './cadence-context.js';
import { loadRegistries, scrubNumbers } from './dnc-registry.js';
import { invalid } from './errors.js';

export interface OutboundRequest {
  user: { id: number; workspace_id: number };
  contactId: number;
  /** The campaign's name; needed only when the contact is in several. */
  campaign?: string | undefined;
  campaignId?: number | null | undefined;
  /** E.164; else the number the cadence would dial (rule 11). */
  number?: string | undefined;
  at: number;
  /**
   * Only enrollments this user answers for (store/scope.ts), as a call logged by hand: click-to-call
   * logs its outcome on the enrollment chosen here.
   */
  scopedTo?: Actor | undefined;
}

export interface OutboundPlan {
  verdict: OutboundVerdict;
  to: string;
  enrollment: { id: number; campaign_id: number; campaign_name: string };
  contact: CadenceContact;
  numbers: NumberRow[];
  history: CadenceAttempt[];
}

export async function planOutbound(store: Store, req: OutboundRequest): Promise<OutboundPlan> {
  const workspace = await workspaceOfActor(store.db, req.user, req.at);
  const rules = workspaceRules(workspace);
  let enrollments = (await enrollmentsForLog(store.db, workspace.id, req.contactId)).filter(
    (e) =>
      (req.campaign === undefined || e.campaign_name === req.campaign) &&
      (req.campaignId === undefined || req.campaignId === null || e.campaign_id === req.campaignId),
  );
  if (req.scopedTo && enrollments.length > 0) {
    const mine = await enrollmentIdsInScope(
      store.db,
      req.scopedTo,
      enrollments.map((e) => e.id),
    );
    enrollments = enrollments.filter((e) => mine.has(e.id));
    if (enrollments.length === 0) {
      throw invalid(
        req.campaign
          ? `contact ${req.contactId} is worked in "${req.campaign}" by another rep; you cannot call them there`
          : `contact ${req.contactId} is enrolled only in campaigns other reps work; you cannot call them there`,
      );
    }
  }
  if (enrollments.length !== 1) {
    throw invalid(
      enrollments.length === 0
        ? `contact ${req.contactId} is not in ${req.campaign ? `the campaign "${req.campaign}"` : 'any campaign'}`
        : `contact ${req.contactId} is in ${enrollments.length} campaigns; say which`,
    );
  }
  const enrollment = enrollments[0]!;
  const policy = parsePolicy(enrollment.policy);
  const numbers = await scrubNumbers(
    store.db,
    workspace.id,
    await loadRegistries(store, workspace.id),
    rules,
    enrollment.numbers ?? (await numbersOf(store.db, workspace.id, [req.contactId])),
    () => enrollment.kind,
    req.at,
  );
  const history = enrollment.history ?? (await historyOf(store.db, [enrollment.id])).get(enrollment.id) ?? [];
  const contact = cadenceContact(enrollment, numbers, rules);
  let to: string | null;
  if (req.number) {
    to = numbers.find((n) => n.e164 === req.number && n.valid)?.e164 ?? null;
    if (!to) throw invalid(`${req.number} is not a number of contact ${req.contactId} that may be dialled`);
  } else {
    to = chooseNumber(contact.numbers, history, policy.directAttemptsBeforeMobile).number;
    if (!to) {
      // Every number left is on a do-not-call list: that is the refusal to give.
      to = contact.numbers.find((n) => n.valid && n.doNotCall)?.e164 ?? null;
      if (!to) throw invalid(`contact ${req.contactId} has no number that may be dialled`);
    }
  }
  const dialled = numbers.find((n) => n.e164 === to)!;
  const doNotCall =
    contact.doNotCall || enrollment.state === 'dnc'
      ? 'on the do-not-call list'
      : dialled.doNotCall
        ? (dialled.dncReason ?? `${to} is on the do-not-call list`)
        : null;
  const verdict = checkOutbound({
    at: req.at,
    ctx: callingContext(contact, policy, rules),
    attempts: history.map((a) => a.at),
    askedFor: askedForAt(
      { kind: enrollment.due_kind, at: enrollment.next_due_at },
      policy.appointmentLeadMinutes * 60_000,
      req.at,
    ),
    doNotCall,
  });
  return { verdict, to, enrollment, contact, numbers, history };
}
