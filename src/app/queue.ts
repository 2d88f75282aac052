/**
 * The queue use case: fetch the candidates a user may call, decide the order with core/queue,
 * plan each call with core/cadence (number, voicemail, script) and lease the contacts so no
 * one else dials them during the block.
 */
import type { QueueItem } from '../contracts/queue.js';
import { nextStep } from '../core/cadence/next-step.js';
import { chooseNumber, usableNumbers } from '../core/cadence/numbers.js';
import type { CadencePolicy } from '../core/cadence/policy.js';
import type { CadenceContact } from '../core/cadence/types.js';
import { decideVoicemail, experimentArm } from '../core/cadence/voicemail.js';
import { isAllowedAt, windowFor } from '../core/calling-hours/calling-hours.js';
import { orderQueue, type QueueCandidate, type QueueEntry } from '../core/queue/order.js';
import { renderScript, scriptVariables } from '../core/scripts/render.js';
import { campaignScriptsSchema } from '../core/scripts/schema.js';
import { weekdayName } from '../core/time/bands.js';
import { zoneForContact } from '../core/time/zone-of.js';
import { localParts } from '../core/time/zoned.js';
import type { Store } from '../store/db.js';
import { lockLeases } from '../store/lease-lock.js';
import {
  type CandidateRow,
  dueCandidates,
  freshCandidates,
  historyOf,
  leaseEnrollments,
  type NumberRow,
  numbersOf,
  scheduledCandidates,
} from '../store/queue-repo.js';
import type { User } from '../store/schema.js';
import { ensureDefaultWorkspace } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { cadenceContact, parsePolicy, workspaceRules } from './cadence-context.js';

export interface QueueRequest {
  user: User | null;
  campaignId: number | null;
  now: number;
  limit: number;
  /** Lease the contacts to the user until then; null to only look. */
  leaseUntil: number | null;
}

/** Appointments are fetched this far ahead; each campaign's own lead then applies (rule 9). */
const FETCH_AHEAD_MS = 4 * 60 * 60_000;

export async function buildQueue(store: Store, req: QueueRequest): Promise<QueueItem[]> {
  const workspace = await ensureDefaultWorkspace(store.db, req.now);
  const rules = workspaceRules(workspace);
  const lock = req.leaseUntil !== null && req.user !== null;
  // Campaign documents are parsed once per request, not once per candidate.
  const policies = new Map<number, CadencePolicy>();
  const policyOf = (campaignId: number, json: string) => {
    const cached = policies.get(campaignId);
    if (cached) return cached;
    const policy = parsePolicy(json);
    policies.set(campaignId, policy);
    return policy;
  };
  const scriptSets = new Map<number, ReturnType<typeof campaignScriptsSchema.safeParse>>();
  const scriptsOf = (campaignId: number, json: string) => {
    const cached = scriptSets.get(campaignId);
    if (cached) return cached;
    const scripts = campaignScriptsSchema.safeParse(JSON.parse(json || '{}'));
    scriptSets.set(campaignId, scripts);
    return scripts;
  };
  const work = async (db: Store['db']) => {
    const query = {
      workspaceId: workspace.id,
      userId: req.user?.id ?? null,
      campaignId: req.campaignId,
      now: req.now,
      dueBy: req.now + FETCH_AHEAD_MS,
      limit: req.limit * 4,
    };
    type Candidate = QueueCandidate & { row: CandidateRow; contact: CadenceContact; policy: CadencePolicy };
    const byContact = new Map<number, NumberRow[]>();
    const toCandidates = async (rows: CandidateRow[]): Promise<Candidate[]> => {
      const numbers = await numbersOf(
        db,
        workspace.id,
        rows.map((r) => r.contact_id),
      );
      for (const n of numbers) byContact.set(n.contactId, [...(byContact.get(n.contactId) ?? []), n]);
      return rows.map((row) => {
        const policy = policyOf(row.campaign_id, row.policy);
        const contact = cadenceContact(row, byContact.get(row.contact_id) ?? [], rules);
        const callable = isAllowedAt(req.now, {
          zone: contact.zone,
          kind: contact.kind,
          state: contact.state,
          window: windowFor(policy, contact.kind),
          stateRules: rules.stateRules,
          holidays: rules.holidays,
        }).ok;
        return {
          enrollmentId: row.enrollment_id,
          contactId: row.contact_id,
          dueKind: row.state === 'new' ? 'fresh' : (row.due_kind ?? 'retry'),
          dueAt: row.next_due_at,
          priority: row.priority,
          putOffs: row.put_offs,
          enrolledAt: row.enrolled_at,
          callableNow: callable,
          dialable: usableNumbers(contact.numbers, []).length > 0,
          appointmentLeadMs: policy.appointmentLeadMinutes * 60_000,
          row,
          contact,
          policy,
        };
      });
    };
    const order = (candidates: Candidate[]) =>
      orderQueue(candidates, {
        now: req.now,
        limit: req.limit,
        // Mixed campaigns: the largest share any of them asks for, so each gets at least its own.
        freshShare: Math.max(0, ...candidates.map((c) => c.policy.freshShare)),
      });

    let ordered: QueueEntry<Candidate>[];
    const candidateRows = async (db: Store['db'], q: typeof query) => {
      const seen = new Set<number>();
      const rows: CandidateRow[] = [];
      for (const row of [
        ...(await scheduledCandidates(db, q)),
        ...(await dueCandidates(db, q)),
        ...(await freshCandidates(db, q)),
      ]) {
        if (seen.has(row.enrollment_id)) continue;
        seen.add(row.enrollment_id);
        rows.push(row);
      }
      return rows;
    };
    if (!lock) {
      ordered = order(await toCandidates(await candidateRows(db, query)));
    } else {
      // Lease what the order picks. Another rep may lease some of it first (PostgreSQL lets both
      // read at once; the lease update waits and then skips theirs): look again for the rest.
      await lockLeases(db, store.dialect, workspace.id);
      const mine = new Map<number, Candidate>();
      for (let round = 0; round < 4 && mine.size < req.limit; round++) {
        const fetched = await toCandidates(await candidateRows(db, query));
        const wanted = order(fetched.filter((c) => !mine.has(c.enrollmentId))).slice(
          0,
          req.limit - mine.size,
        );
        if (wanted.length === 0) break;
        const leased = new Set(
          await leaseEnrollments(
            db,
            wanted.map((e) => e.candidate.enrollmentId),
            req.user!.id,
            req.leaseUntil!,
            req.now,
          ),
        );
        for (const e of wanted)
          if (leased.has(e.candidate.enrollmentId)) mine.set(e.candidate.enrollmentId, e.candidate);
        if (leased.size === wanted.length) break;
      }
      ordered = order([...mine.values()]);
    }
    const chosen = ordered.map((e) => e.candidate.enrollmentId);
    const histories = await historyOf(db, chosen);

    return ordered.map((entry, i): QueueItem => {
      const { row, contact, policy } = entry.candidate;
      const history = histories.get(row.enrollment_id) ?? [];
      const contactNumbers = byContact.get(row.contact_id) ?? [];
      const choice = chooseNumber(contact.numbers, history, policy.directAttemptsBeforeMobile);
      const arm =
        row.experiment_arm ??
        (policy.voicemail === 'experiment' ? experimentArm(row.enrollment_id, row.campaign_id) : null);
      const voicemail = decideVoicemail(policy, history, arm);
      const dialled = contactNumbers.find((n) => n.e164 === choice.number) ?? null;
      const local = localParts(req.now, contact.zone);
      const zoneGuess = zoneForContact(
        { timeZone: row.time_zone, region: row.region, country: row.country },
        contactNumbers.map((n) => n.e164),
        rules.zone,
      ).guess;
      const scripts = scriptsOf(row.campaign_id, row.scripts);
      // {{next_call}}: when the cadence would call again if this call ends on a voicemail —
      // only a voicemail script says it, so only then is it worked out.
      const ifVoicemail = !voicemail.leave
        ? null
        : nextStep({
            enrollment: {
              id: row.enrollment_id,
              state: row.state,
              putOffs: row.put_offs,
              flagged: row.flagged === 1,
              experimentArm: arm,
            },
            history: [
              ...history,
              {
                at: req.now,
                outcome: 'voicemail_left',
                number: choice.number,
                voicemailLeft: true,
                script: voicemail.script,
                scheduledFor: null,
              },
            ],
            contact,
            campaign: { id: row.campaign_id, urgency: row.urgency, policy },
            stateRules: rules.stateRules,
            holidays: rules.holidays,
            now: req.now,
          });
      const vars = scriptVariables({
        contact: {
          firstName: row.first_name,
          company: row.company ?? '',
          interests: row.interests,
          notes: row.notes,
        },
        user: { name: req.user?.name ?? '', phone: req.user?.phone ?? '' },
        campaign: { topic: row.topic },
        now: req.now,
        nextCall: ifVoicemail?.dueAt ?? null,
        zone: contact.zone,
      });
      let script = { name: 'elevator', text: '' };
      if (scripts.success) {
        const s = scripts.data;
        script =
          voicemail.leave && voicemail.script
            ? {
                name: `voicemail_${voicemail.script}`,
                text: renderScript(s.voicemail[voicemail.script], vars).text,
              }
            : { name: 'elevator', text: renderScript(s.elevator, vars).text };
      }
      return {
        position: i + 1,
        reason: entry.reason,
        enrollmentId: row.enrollment_id,
        campaign: row.campaign_name,
        contact: {
          id: row.contact_id,
          name: `${row.first_name} ${row.last_name}`.trim(),
          company: row.company,
          title: row.title,
        },
        number: dialled ? { e164: dialled.e164, kind: dialled.kind, extension: dialled.extension } : null,
        localTime: {
          zone: contact.zone,
          time: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`,
          day: weekdayName(local.weekday),
          guess: zoneGuess,
        },
        dueAt: row.next_due_at === null ? null : new Date(row.next_due_at).toISOString(),
        attempts: row.attempt_count,
        voicemail,
        script,
        leasedUntil: lock ? new Date(req.leaseUntil!).toISOString() : null,
      };
    });
  };
  return lock ? inWriteTransaction(store, work) : work(store.db);
}
