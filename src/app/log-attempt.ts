/**
 * Logging an attempt: record it, let the cadence decide the next step, and apply what follows
 * (reschedule, do-not-call, dead number, appointment, callback list). One transaction: a
 * rejected log changes nothing.
 */
import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { LogResult } from '../contracts/queue.js';
import { nextStep } from '../core/cadence/next-step.js';
import { nextStepWords } from '../core/cadence/next-step-words.js';
import { chooseNumber } from '../core/cadence/numbers.js';
import type { CadencePolicy } from '../core/cadence/policy.js';
import {
  type CadenceAttempt,
  type CadenceContact,
  LIVE_OUTCOMES,
  OUTCOMES,
  type Outcome,
  whenRule,
} from '../core/cadence/types.js';
import { decideVoicemail, experimentArm } from '../core/cadence/voicemail.js';
import { endsTheWait } from '../core/callbacks/list.js';
import { isAllowedAt, legalBound, nextAllowedAt, windowFor } from '../core/calling-hours/calling-hours.js';
import type { NumberKind } from '../core/contact-fields.js';
import { rollupOf } from '../core/insights/rollup.js';
import { normalizePhone } from '../core/phone/normalize.js';
import { describeLocal } from '../core/time/bands.js';
import { parseWhen } from '../core/when/parse-when.js';
import {
  addNumberToContact,
  clearCallbackEntries,
  contactById,
  enrollmentIdsInScope,
  enrollmentsForLog,
  insertAppointment,
  insertCallbackEntry,
  markContactDoNotCall,
  markNumberInvalid,
  recordAttempt,
} from '../store/attempt-repo.js';
import type { Store } from '../store/db.js';
import { historyWithNumbers, numbersOf } from '../store/queue-repo.js';
import { addRollup } from '../store/rollup-repo.js';
import type { Database, User } from '../store/schema.js';
import { workspaceOfActor } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { cadenceContact, parsePolicy, type WorkspaceRules, workspaceRules } from './cadence-context.js';
import { invalid } from './errors.js';
import { type AttemptJournal, enrollmentBefore, rememberForUndo } from './undo.js';
import { emitDoNotCallEnded, emitWebhookEvent, endsEnrollment } from './webhook-events.js';
import { callerHoursOf } from './workspace-settings.js';

export interface LogRequest {
  user: User | null;
  /** Log only on enrollments `user` answers for (the API); a local command may log on any. */
  scoped?: boolean | undefined;
  contactId: number;
  outcome: string;
  campaign?: string | undefined;
  at: number;
  when?: string | undefined;
  note?: string | undefined;
  number?: string | undefined;
  durationSeconds?: number | undefined;
  /** A number learned on the call (reception gave the mobile): stored on the contact (rule 11). */
  learnedNumber?: string | undefined;
  learnedKind?: NumberKind | undefined;
  /** The call was recorded after a recording-consent notice played. */
  consentNotice?: boolean | undefined;
  /**
   * Runs inside the attempt's transaction once the result is known (the API stores its
   * idempotency key here); a throw rolls the whole log back.
   */
  inTransaction?: ((db: Kysely<Database>, result: LogResult) => Promise<void>) | undefined;
}

export function isOutcome(value: string): value is Outcome {
  return (OUTCOMES as readonly string[]).includes(value);
}

export async function logAttempt(store: Store, req: LogRequest): Promise<LogResult> {
  if (!isOutcome(req.outcome)) {
    throw invalid(`"${req.outcome}" is not an outcome; use one of: ${OUTCOMES.join(', ')}`);
  }
  const outcome = req.outcome;
  const when = req.when !== undefined && req.when.trim() !== '' ? req.when : null;
  if (when !== null && whenRule(outcome) === 'none') {
    throw invalid(`--when does not apply to ${outcome}`);
  }
  if (when === null && whenRule(outcome) === 'needs') {
    throw invalid(`${outcome} needs a time: add --when, e.g. --when "tomorrow 3pm"`);
  }

  return inWriteTransaction(store, async (db) => {
    // Read inside the transaction: on SQLite a read on its own is a transaction of its own.
    const workspace = await workspaceOfActor(db, req.user, req.at);
    const rules = workspaceRules(workspace);
    let scheduledFor: number | null = null;
    if (when !== null) {
      const parsed = parseWhen(when, { now: req.at, zone: req.user?.time_zone ?? rules.zone });
      if (!parsed.ok) throw invalid(`--when: ${parsed.message}`);
      scheduledFor = parsed.at;
    }
    const enrollment = await enrollmentToWork(db, workspace.id, req);
    // The contact as the enrollment row carries it (enrollmentsForLog reads it with the enrollment).
    const contact = { ...enrollment, id: req.contactId };
    // Who called: the user given, else the rep who owns the enrollment (their callback list, their appointment).
    const callerId = req.user?.id ?? enrollment.owner_id;
    if (outcome === 'appointment_set' && callerId === null) {
      throw invalid('appointment_set needs the rep it is with: add --user EMAIL');
    }
    const policy = parsePolicy(enrollment.policy);
    let learnedNumber: AttemptJournal['learned'] = null;
    if (req.learnedNumber) {
      const learned = normalizePhone(req.learnedNumber, workspace.default_country as CountryCode);
      if (!learned.ok) throw invalid(`--learned: ${learned.reason}`);
      const added = await addNumberToContact(
        db,
        workspace.id,
        contact.id,
        learned,
        req.learnedKind ?? 'direct',
        'gatekeeper',
        req.at,
      );
      if (added.linked) learnedNumber = { numberId: added.numberId, created: added.created };
    }
    // Read with the enrollment on PostgreSQL, unless a number was just added.
    const numbers =
      enrollment.numbers !== null && !req.learnedNumber
        ? enrollment.numbers
        : await numbersOf(db, workspace.id, [contact.id]);
    const cadenceContactView = cadenceContact(contact, numbers, rules);
    if (scheduledFor !== null && (outcome === 'callback_requested' || outcome === 'appointment_set')) {
      refuseUnlawfulTime(when!, scheduledFor, req.at, cadenceContactView, policy, rules);
    }
    const before = enrollment.history ?? (await historyWithNumbers(db, enrollment.id, numbers));

    let dialled = chooseNumber(cadenceContactView.numbers, before, policy.directAttemptsBeforeMobile).number;
    if (req.number) {
      const parsed = normalizePhone(req.number, workspace.default_country as CountryCode);
      if (!parsed.ok) throw invalid(`--number: ${parsed.reason}`);
      if (!numbers.some((n) => n.e164 === parsed.e164)) {
        throw invalid(
          `--number ${parsed.e164} is not one of contact ${contact.id}'s numbers (${numbers.map((n) => n.e164).join(', ') || 'none'})`,
        );
      }
      dialled = parsed.e164;
    }
    const numberRow = numbers.find((n) => n.e164 === dialled) ?? null;
    const arm =
      enrollment.experiment_arm ??
      (policy.voicemail === 'experiment' ? experimentArm(enrollment.id, enrollment.campaign_id) : null);
    const offered = decideVoicemail(policy, before, arm);
    const voicemailLeft = outcome === 'voicemail_left';
    const script = voicemailLeft ? (offered.script ?? 'follow_up') : null;

    const attempt: CadenceAttempt = {
      at: req.at,
      outcome,
      number: dialled,
      voicemailLeft,
      script,
      scheduledFor,
    };
    const invalidatedNumberId = outcome === 'bad_number' && numberRow?.valid ? numberRow.numberId : null;
    if (outcome === 'bad_number' && numberRow) {
      await markNumberInvalid(db, numberRow.numberId);
      numberRow.valid = false;
    }
    // The follow-up is planned inside the hours of whoever logged it: they make the next call.
    const caller = req.user ? callerHoursOf(req.user) : null;
    const step = nextStep({
      enrollment: {
        id: enrollment.id,
        state: enrollment.state,
        putOffs: enrollment.put_offs,
        flagged: enrollment.flagged === 1,
        experimentArm: arm,
      },
      history: [...before, attempt],
      contact: cadenceContactView,
      campaign: { id: enrollment.campaign_id, urgency: enrollment.urgency, policy },
      stateRules: rules.stateRules,
      holidays: rules.holidays,
      calendar: rules.calendar,
      ...(caller ? { caller } : {}),
      now: req.at,
    });

    const attemptId = await recordAttempt(
      db,
      {
        workspace_id: workspace.id,
        enrollment_id: enrollment.id,
        campaign_id: enrollment.campaign_id,
        contact_id: contact.id,
        user_id: callerId,
        number_id: numberRow?.numberId ?? null,
        started_at: req.at,
        ended_at: req.durationSeconds === undefined ? null : req.at + req.durationSeconds * 1000,
        duration_s: req.durationSeconds ?? null,
        outcome,
        note: req.note ?? '',
        voicemail_left: voicemailLeft ? 1 : 0,
        script,
        scheduled_for: scheduledFor,
        ...(req.consentNotice ? { consent_notice: 1 } : {}),
        created_at: req.at,
      },
      enrollment.id,
      changedColumns(enrollment, {
        state: step.state,
        attempt_count: enrollment.attempt_count + 1,
        connect_count: enrollment.connect_count + (LIVE_OUTCOMES.has(outcome) ? 1 : 0),
        next_due_at: step.dueAt,
        due_kind: step.dueKind,
        priority: step.priority,
        put_offs: step.putOffs,
        flagged: step.flagged ? 1 : 0,
        experiment_arm: step.experimentArm,
        last_attempt_at: req.at,
        // The call is made: its lease, if any, ends.
        lease_user_id: null,
        lease_expires_at: null,
        updated_at: req.at,
      }),
    );

    const rollup = rollupOf({
      at: req.at,
      zone: cadenceContactView.zone,
      userId: callerId,
      campaignId: enrollment.campaign_id,
      arm,
      attempt: enrollment.attempt_count + 1,
      fresh: enrollment.connect_count === 0,
      outcome,
      durationS: req.durationSeconds ?? null,
    });
    await addRollup(db, workspace.id, rollup);

    let doNotCall: AttemptJournal['doNotCall'] = null;
    if (outcome === 'do_not_call') {
      doNotCall = await markContactDoNotCall(
        db,
        workspace.id,
        contact.id,
        'attempt',
        'asked not to be called',
        req.user?.id ?? null,
        req.at,
      );
      // The enrollment logged on ends below with the attempt; the contact's others end here.
      await emitDoNotCallEnded(
        db,
        workspace.id,
        contact.id,
        doNotCall.enrollments.filter((e) => e.id !== enrollment.id),
        req.at,
      );
    }
    let appointmentId: number | null = null;
    if (outcome === 'appointment_set' && scheduledFor !== null && callerId !== null) {
      const appointment = {
        workspace_id: workspace.id,
        enrollment_id: enrollment.id,
        contact_id: contact.id,
        user_id: callerId,
        attempt_id: attemptId,
        starts_at: scheduledFor,
        title: `Call ${`${contact.first_name} ${contact.last_name}`.trim()} — ${enrollment.campaign_name}`,
        notes: req.note ?? '',
        status: 'scheduled',
        uid: `attempt-${attemptId}@ringback`,
        created_at: req.at,
      } as const;
      appointmentId = await insertAppointment(db, appointment);
      await emitWebhookEvent(
        db,
        workspace.id,
        'appointment.set',
        {
          appointmentId,
          attemptId,
          contactId: contact.id,
          enrollmentId: enrollment.id,
          userId: callerId,
          startsAt: new Date(scheduledFor).toISOString(),
          title: appointment.title,
          notes: appointment.notes,
          status: appointment.status,
        },
        req.at,
      );
    }
    const cleared =
      callerId !== null && endsTheWait(outcome)
        ? await clearCallbackEntries(db, callerId, contact.id, req.at)
        : [];
    let callbackEntryId: number | null = null;
    if (
      callerId !== null &&
      step.callbackListUntil !== null &&
      (voicemailLeft || outcome === 'callback_requested')
    ) {
      callbackEntryId = await insertCallbackEntry(db, {
        workspace_id: workspace.id,
        user_id: callerId,
        contact_id: contact.id,
        reason: voicemailLeft ? 'voicemail_left' : 'callback_requested',
        attempt_id: attemptId,
        since_at: req.at,
        expires_at: step.callbackListUntil,
      });
    }

    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    const result: LogResult = {
      attemptId,
      contactId: contact.id,
      campaign: enrollment.campaign_name,
      outcome,
      at: new Date(req.at).toISOString(),
      number: dialled,
      scheduledFor: iso(scheduledFor),
      next: {
        state: step.state,
        dueAt: iso(step.dueAt),
        dueKind: step.dueKind,
        number: step.number,
        voicemail: step.voicemail,
        priority: step.priority,
        putOffs: step.putOffs,
        flagged: step.flagged,
        callbackListUntil: iso(step.callbackListUntil),
        words: nextStepWords(step, cadenceContactView.zone, req.at),
        reasons: step.reasons,
      },
    };
    await emitWebhookEvent(
      db,
      workspace.id,
      'attempt.logged',
      {
        attemptId,
        contactId: contact.id,
        enrollmentId: enrollment.id,
        campaignId: enrollment.campaign_id,
        campaign: enrollment.campaign_name,
        userId: callerId,
        outcome,
        at: result.at,
        number: dialled,
        durationSeconds: req.durationSeconds ?? null,
        note: req.note ?? '',
        voicemailLeft,
        scheduledFor: result.scheduledFor,
        next: { state: step.state, dueAt: result.next.dueAt, dueKind: step.dueKind },
      },
      req.at,
    );
    if (endsEnrollment(enrollment.state, step.state)) {
      await emitWebhookEvent(
        db,
        workspace.id,
        'enrollment.ended',
        {
          enrollmentId: enrollment.id,
          contactId: contact.id,
          campaignId: enrollment.campaign_id,
          campaign: enrollment.campaign_name,
          state: step.state,
          attempts: enrollment.attempt_count + 1,
          attemptId,
          at: result.at,
        },
        req.at,
      );
    }
    if (req.user) {
      await rememberForUndo(db, req.user, attemptId, req.at, {
        kind: 'attempt',
        enrollmentId: enrollment.id,
        enrollment: enrollmentBefore(enrollment),
        learned: learnedNumber,
        invalidatedNumberId,
        doNotCall,
        appointmentId,
        callbackEntryId,
        clearedCallbackEntryIds: cleared,
        rollup,
      });
    }
    await req.inTransaction?.(db, result);
    return result;
  });
}

/**
 * The one enrollment of the contact a call is logged (or skipped) on: among those the user
 * answers for when `scoped`, the one in `campaign` when given; refused when the contact is not
 * enrolled, is in several campaigns and none is named, or its enrollment is closed.
 */
export async function enrollmentToWork(
  db: Kysely<Database>,
  workspaceId: number,
  req: Pick<LogRequest, 'user' | 'scoped' | 'contactId' | 'campaign'>,
) {
  const all = await enrollmentsForLog(db, workspaceId, req.contactId);
  if (all.length === 0 && !(await contactById(db, workspaceId, req.contactId))) {
    throw invalid(`there is no contact ${req.contactId}`);
  }
  // A contact in the shared pool is everyone's to see, its enrollments are not: a user logs
  // calls only on the ones they answer for.
  const mine =
    req.user && req.scoped
      ? await enrollmentIdsInScope(
          db,
          req.user,
          all.map((e) => e.id),
        )
      : null;
  const enrollments: (typeof all)[number][] = mine ? all.filter((e) => mine.has(e.id)) : all;
  if (mine) {
    if (all.length > 0 && enrollments.length === 0) {
      throw invalid(
        `contact ${req.contactId} is enrolled only in campaigns other reps work; you cannot log calls there`,
      );
    }
  }
  const matching = req.campaign ? enrollments.filter((e) => e.campaign_name === req.campaign) : enrollments;
  if (matching.length === 0) {
    throw invalid(
      req.campaign
        ? `contact ${req.contactId} is not in the campaign "${req.campaign}"` +
            (enrollments.length
              ? `; it is in: ${enrollments.map((e) => `"${e.campaign_name}"`).join(', ')}`
              : '')
        : `contact ${req.contactId} is not in any campaign; enroll it first (ringback import contacts … --campaign NAME)`,
    );
  }
  if (matching.length > 1) {
    throw invalid(
      `contact ${req.contactId} is in ${matching.length} campaigns; say which with --campaign: ${matching.map((e) => `"${e.campaign_name}"`).join(', ')}`,
    );
  }
  const enrollment = matching[0]!;
  if (enrollment.state === 'won' || enrollment.state === 'lost' || enrollment.state === 'dnc') {
    throw invalid(
      `contact ${req.contactId} is ${enrollment.state === 'dnc' ? 'on the do-not-call list' : `marked ${enrollment.state}`} in "${enrollment.campaign_name}"; nothing more is logged there`,
    );
  }
  return enrollment;
}

/**
 * A callback or an appointment is at the time the contact asked for, even outside the
 * campaign's window (rule 8), but never where rule 12's legal bound forbids a call: the rep
 * hears so now, with the first lawful time, and agrees another time with the contact.
 */
export function refuseUnlawfulTime(
  when: string,
  at: number,
  now: number,
  contact: CadenceContact,
  policy: CadencePolicy,
  rules: WorkspaceRules,
): void {
  const legal = legalBound({
    zone: contact.zone,
    kind: contact.kind,
    state: contact.state,
    window: windowFor(policy, contact.kind),
    stateRules: rules.stateRules,
    name: contact.name,
  });
  const allowed = isAllowedAt(at, legal);
  if (allowed.ok) return;
  const next = nextAllowedAt(at, legal);
  throw invalid(
    `--when "${when}" is ${describeLocal(at, contact.zone, now)} in ${contact.zone}, and ${allowed.reason}` +
      (next === null
        ? ''
        : `; the first lawful time after it there is ${describeLocal(next, contact.zone, now)}`),
  );
}

/**
 * Only the columns whose value changes: an update that names an indexed column rewrites that
 * index's entry even when the value is the same, and most logs leave the lease, the state and
 * the priority as they were.
 */
function changedColumns<T extends Record<string, unknown>>(
  current: Record<keyof T, unknown>,
  next: T,
): Partial<T> {
  const changed: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (current[key] !== next[key]) changed[key] = next[key];
  }
  return changed;
}
