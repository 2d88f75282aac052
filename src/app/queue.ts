/**
 * The queue use case: fetch the candidates a user may call, decide the order with core/queue,
 * plan each call with core/cadence (number, voicemail, script) and lease the contacts so no
 * one else dials them during the block.
 */
import type { QueueItem } from '../contracts/queue.js';
import { nextStep, OUTCOME_WORDS } from '../core/cadence/next-step.js';
import { chooseNumber, usableNumbers } from '../core/cadence/numbers.js';
import type { CadencePolicy } from '../core/cadence/policy.js';
import type { CadenceContact } from '../core/cadence/types.js';
import { decideVoicemail, experimentArm } from '../core/cadence/voicemail.js';
import { windowFor } from '../core/calling-hours/calling-hours.js';
import { checkOutbound } from '../core/calling-hours/outbound.js';
import { windowState } from '../core/calling-hours/window-state.js';
import {
  NO_CALLS_YET,
  orderQueue,
  type QueueCandidate,
  type QueueEntry,
  type QueueReason,
} from '../core/queue/order.js';
import { renderScript, repVariables, scriptVariables } from '../core/scripts/render.js';
import { campaignScriptsSchema } from '../core/scripts/schema.js';
import { weekdayName } from '../core/time/bands.js';
import { zoneForContact } from '../core/time/zone-of.js';
import { localParts } from '../core/time/zoned.js';
import type { Store } from '../store/db.js';
import {
  type CandidateList,
  type CandidateQuery,
  type CandidateRow,
  campaignTexts,
  candidatePage,
  historyOf,
  leaseEnrollments,
  type NumberRow,
  numbersOf,
  recentAttemptsOf,
} from '../store/queue-repo.js';
import type { User } from '../store/schema.js';
import { workspaceOfActor } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { blockSoFar } from './blocks.js';
import { byText, cadenceContact, parsePolicy, workspaceRules } from './cadence-context.js';
import { loadRegistries, scrubNumbers } from './dnc-registry.js';

export interface QueueRequest {
  user: User | null;
  campaignId: number | null;
  now: number;
  limit: number;
  /** Lease the contacts to the user until then; null to only look. */
  leaseUntil: number | null;
}

const parseScripts = byText((text) => campaignScriptsSchema.safeParse(JSON.parse(text || '{}')));

/** Appointments are read this far ahead (the longest lead a policy allows); each campaign's own lead then applies (rule 9). */
const FETCH_AHEAD_MS = 240 * 60_000;

const LISTS: readonly CandidateList[] = ['appointment', 'callback', 'retry', 'fresh'];
/** Read first: when appointments and callbacks fill the block, retries and fresh prospects are not read at all. */
const COMMITMENTS: readonly CandidateList[] = ['appointment', 'callback'];

export async function buildQueue(store: Store, req: QueueRequest): Promise<QueueItem[]> {
  if (req.limit <= 0) return [];
  const workspace = await workspaceOfActor(store.db, req.user, req.now);
  const rules = workspaceRules(workspace);
  const lock = req.leaseUntil !== null && req.user !== null;
  // The rep's name and number read the same in every script of the queue: worked out once.
  const repUser = { name: req.user?.name ?? '', phone: req.user?.phone ?? '' };
  const rep = repVariables(repUser);
  const texts = new Map<number, { policy: string; scripts: string }>();
  const policyOf = (campaignId: number) => parsePolicy(texts.get(campaignId)!.policy);
  const scriptsOf = (campaignId: number) => parseScripts(texts.get(campaignId)!.scripts);
  // Whether a call may start now depends only on the contact's zone, kind and state and the
  // campaign's window: worked out once per combination, not once per candidate.
  const hours = new Map<string, { callable: boolean; legal: boolean }>();
  const hoursNow = (campaignId: number, contact: CadenceContact, policy: CadencePolicy) => {
    const key = `${campaignId}|${contact.kind}|${contact.zone}|${contact.state ?? ''}`;
    let now = hours.get(key);
    if (now === undefined) {
      const ctx = {
        zone: contact.zone,
        kind: contact.kind,
        state: contact.state,
        window: windowFor(policy, contact.kind),
        stateRules: rules.stateRules,
        holidays: rules.holidays,
        calendar: rules.calendar,
      };
      // Numbers on a do-not-call list are left out by usableNumbers; caps are kept by the cadence's due times.
      const check = (askedFor: boolean) =>
        checkOutbound({ at: req.now, ctx, attempts: [], askedFor, doNotCall: null }).ok;
      now = { callable: check(false), legal: check(true) };
      hours.set(key, now);
    }
    return now;
  };

  const work = async (db: Store['db']) => {
    // The fresh share holds over the block's calls, however the client asks for them.
    const { tally, skipped } =
      req.user === null
        ? { tally: NO_CALLS_YET, skipped: new Set<number>() }
        : await blockSoFar(db, req.user.id, req.now);
    const registries = await loadRegistries({ db }, workspace.id);
    const query: CandidateQuery = {
      workspaceId: workspace.id,
      userId: req.user?.id ?? null,
      campaignId: req.campaignId,
      now: req.now,
      appointmentsDueBy: req.now + FETCH_AHEAD_MS,
      limit: req.limit,
    };
    type Candidate = QueueCandidate & { row: CandidateRow; contact: CadenceContact; policy: CadencePolicy };
    const byContact = new Map<number, NumberRow[]>();
    const toCandidate = (row: CandidateRow): Candidate => {
      const policy = policyOf(row.campaign_id);
      const contact = cadenceContact(row, byContact.get(row.contact_id) ?? [], rules);
      const now = hoursNow(row.campaign_id, contact, policy);
      return {
        enrollmentId: row.enrollment_id,
        contactId: row.contact_id,
        dueKind: row.state === 'new' ? 'fresh' : (row.due_kind ?? 'retry'),
        dueAt: row.next_due_at,
        priority: row.priority,
        putOffs: row.put_offs,
        enrolledAt: row.enrolled_at,
        callableNow: now.callable,
        legalNow: now.legal,
        dialable: usableNumbers(contact.numbers, []).length > 0,
        appointmentLeadMs: policy.appointmentLeadMinutes * 60_000,
        row,
        contact,
        policy,
      };
    };

    // Each list is read a page at a time, in the order core/queue takes from it, until the
    // order no longer runs out of any list that has more: a page of `limit` rows is nearly
    // always enough, and the result is the same as ordering every candidate there is.
    const lists = new Map(
      LISTS.map((l) => [
        l,
        { candidates: [] as Candidate[], last: null as CandidateRow | null, complete: false },
      ]),
    );
    const readPages = async (names: readonly CandidateList[]) => {
      const rows: CandidateRow[] = [];
      const pages: [CandidateList, CandidateRow[]][] = [];
      for (const name of names) {
        const list = lists.get(name)!;
        const page = await candidatePage(db, query, name, list.last);
        list.last = page.rows.at(-1) ?? list.last;
        list.complete = page.complete;
        rows.push(...page.rows);
        pages.push([name, page.rows]);
      }
      const newContacts = [...new Set(rows.map((r) => r.contact_id))].filter((id) => !byContact.has(id));
      for (const id of newContacts) byContact.set(id, []);
      const kinds = new Map(rows.map((r) => [r.contact_id, r.kind]));
      const numbers = await scrubNumbers(
        db,
        workspace.id,
        registries,
        rules,
        await numbersOf(db, workspace.id, newContacts),
        (id) => kinds.get(id) ?? 'business',
        req.now,
      );
      for (const n of numbers) byContact.get(n.contactId)!.push(n);
      const newCampaigns = [...new Set(rows.map((r) => r.campaign_id))].filter((id) => !texts.has(id));
      for (const [id, text] of await campaignTexts(db, newCampaigns)) texts.set(id, text);
      for (const [name, pageRows] of pages) lists.get(name)!.candidates.push(...pageRows.map(toCandidate));
    };
    const order = (candidates: Candidate[]) =>
      orderQueue(candidates, {
        now: req.now,
        limit: req.limit,
        // Mixed campaigns: the largest share any of them asks for, so each gets at least its own.
        freshShare: Math.max(0, ...candidates.map((c) => c.policy.freshShare)),
        block: tally,
      });
    /** The order of every candidate read so far but `excluded`, reading more of a list while it runs out. */
    const orderAll = async (excluded: ReadonlySet<number>): Promise<QueueEntry<Candidate>[]> => {
      for (;;) {
        const pool = LISTS.flatMap((l) => lists.get(l)!.candidates).filter(
          (c) => !excluded.has(c.enrollmentId),
        );
        const entries = order(pool);
        const short = LISTS.filter(
          (l) =>
            !lists.get(l)!.complete &&
            couldPlaceMore(l, entries, req.limit) &&
            ranOut(l, pool, entries, req.now),
        );
        if (short.length === 0) return entries;
        await readPages(short);
      }
    };

    let ordered: QueueEntry<Candidate>[];
    if (!lock) {
      await readPages(COMMITMENTS);
      ordered = await orderAll(skipped);
    } else {
      // Lease what the order picks. Another rep may lease some of it first (PostgreSQL lets both
      // read at once; the lease update waits and then skips theirs): look again for the rest.
      await store.ops.lockLeases(db, workspace.id);
      await readPages(COMMITMENTS);
      const mine = new Map<number, Candidate>();
      // Calls the rep skipped in this block are not offered to them again before it ends.
      const excluded = new Set<number>(skipped);
      for (let round = 0; round < 4 && mine.size < req.limit; round++) {
        const wanted = (await orderAll(excluded)).slice(0, req.limit - mine.size);
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
        for (const e of wanted) {
          excluded.add(e.candidate.enrollmentId);
          if (leased.has(e.candidate.enrollmentId)) mine.set(e.candidate.enrollmentId, e.candidate);
        }
        if (leased.size === wanted.length) break;
      }
      ordered = order([...mine.values()]);
    }
    const chosen = ordered.map((e) => e.candidate.enrollmentId);
    const histories = await historyOf(db, chosen);
    const recents = await recentAttemptsOf(db, chosen, 3);

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
      const scripts = scriptsOf(row.campaign_id);
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
            calendar: rules.calendar,
            now: req.now,
          });
      const vars = scriptVariables(
        {
          contact: {
            firstName: row.first_name,
            company: row.company ?? '',
            interests: row.interests,
            notes: row.notes,
          },
          user: repUser,
          campaign: { topic: row.topic },
          now: req.now,
          nextCall: ifVoicemail?.dueAt ?? null,
          zone: contact.zone,
        },
        rep,
      );
      let script = { name: 'elevator', text: '' };
      const said = { opener: '', gatekeeper: '', voicemail: null as string | null };
      if (scripts.success) {
        const s = scripts.data;
        said.opener = renderScript(s.elevator, vars).text;
        said.gatekeeper = renderScript(s.gatekeeper, vars).text;
        said.voicemail =
          voicemail.leave && voicemail.script ? renderScript(s.voicemail[voicemail.script], vars).text : null;
        script =
          voicemail.leave && voicemail.script
            ? { name: `voicemail_${voicemail.script}`, text: said.voicemail! }
            : { name: 'elevator', text: said.opener };
      }
      const state = windowState(
        {
          zone: contact.zone,
          kind: contact.kind,
          state: contact.state,
          window: windowFor(policy, contact.kind),
          stateRules: rules.stateRules,
          holidays: rules.holidays,
          calendar: rules.calendar,
        },
        req.now,
      );
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
        attemptLimit: policy.attemptLimit,
        window: { open: state.open, text: state.text },
        recent: (recents.get(row.enrollment_id) ?? []).map((a) => ({
          at: new Date(a.at).toISOString(),
          outcome: a.outcome,
          words: OUTCOME_WORDS[a.outcome],
          note: a.note,
          by: a.by,
        })),
        scripts: said,
      };
    });
  };
  return lock ? inWriteTransaction(store, work) : work(store.db);
}

/**
 * Whether more of `list` could change a block of `limit` calls: not when it is full and only
 * of lists the order places first — appointments before callbacks, both before retries and
 * fresh prospects, which only share what the two leave (a list's later rows come after its
 * earlier ones).
 */
function couldPlaceMore(
  list: CandidateList,
  entries: readonly QueueEntry<QueueCandidate>[],
  limit: number,
): boolean {
  if (entries.length < limit) return true;
  const later: readonly QueueReason[] =
    list === 'appointment' ? ['callback', 'retry', 'fresh'] : ['retry', 'fresh'];
  return entries.some((e) => later.includes(e.reason));
}

/**
 * Whether the order took every candidate it could from `list`: then the list's next page might
 * hold more it would take. Candidates it could take are the list's dialable, due and callable
 * ones, one per contact, less contacts the order placed from another list.
 */
function ranOut(
  list: CandidateList,
  pool: readonly QueueCandidate[],
  entries: readonly QueueEntry<QueueCandidate>[],
  now: number,
): boolean {
  const elsewhere = new Set(entries.filter((e) => e.reason !== list).map((e) => e.candidate.contactId));
  const takeable = new Set<number>();
  for (const c of pool) {
    if (c.dueKind !== list || !c.dialable || elsewhere.has(c.contactId)) continue;
    const ready =
      list === 'appointment'
        ? c.dueAt !== null && c.dueAt - c.appointmentLeadMs <= now && c.legalNow
        : list === 'callback'
          ? c.dueAt !== null && c.dueAt <= now && c.legalNow
          : c.callableNow;
    if (ready) takeable.add(c.contactId);
  }
  return entries.filter((e) => e.reason === list).length >= takeable.size;
}
