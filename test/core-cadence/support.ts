/**
 * Builders for cadence-engine tests: a contact, an enrollment, a campaign and a history of
 * attempts written in the contact's local time ("2026-11-23 10:00"), and readers that turn the
 * engine's instants back into local time, so every assertion reads like the rule it checks.
 */
import { nextStep } from '../../src/core/cadence/next-step.js';
import { type CadencePolicy, cadencePolicySchema } from '../../src/core/cadence/policy.js';
import type {
  CadenceAttempt,
  CadenceContact,
  CadenceEnrollment,
  CadenceInput,
  CadenceNumber,
  NextStep,
  Outcome,
  Urgency,
  VoicemailScript,
} from '../../src/core/cadence/types.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { bandOf } from '../../src/core/time/bands.js';
import { formatHhmm, instantAt, localParts } from '../../src/core/time/zoned.js';

export const NY = 'America/New_York';
export const LONDON = 'Europe/London';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const DIRECT = '+12125550101';
export const MOBILE = '+19175550102';
export const MAIN = '+12125550100';

export function num(
  e164: string,
  kind: CadenceNumber['kind'],
  extra: Partial<CadenceNumber> = {},
): CadenceNumber {
  return { e164, kind, valid: true, doNotCall: false, ...extra };
}

export function contactOf(extra: Partial<CadenceContact> = {}): CadenceContact {
  return {
    name: 'Dana Lee',
    kind: 'business',
    zone: NY,
    state: 'NY',
    doNotCall: false,
    numbers: [num(DIRECT, 'direct'), num(MOBILE, 'mobile'), num(MAIN, 'main')],
    ...extra,
  };
}

export function policyOf(settings: Record<string, unknown> = {}): CadencePolicy {
  return cadencePolicySchema.parse(settings);
}

export function enrollmentOf(extra: Partial<CadenceEnrollment> = {}): CadenceEnrollment {
  return { id: 7, state: 'active', putOffs: 0, flagged: false, experimentArm: null, ...extra };
}

/** "2026-11-23 10:00" in `zone` → epoch ms. */
export function at(local: string, zone = NY): number {
  const [date, time] = local.split(' ');
  return instantAt(date!, time!, zone);
}

/** Epoch ms → "2026-11-23 10:00" in `zone`. */
export function local(instant: number | null, zone = NY): string | null {
  if (instant === null) return null;
  const p = localParts(instant, zone);
  return `${p.dateKey} ${formatHhmm(p.minutesOfDay)}`;
}

/** Epoch ms → ISO 8601 with the contact's offset, e.g. "2026-11-23T10:00:00-05:00". */
export function isoLocal(instant: number, zone = NY): string {
  const p = localParts(instant, zone);
  const offset = Math.round(
    (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - instant) / MINUTE,
  );
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${p.dateKey}T${formatHhmm(p.minutesOfDay)}:${String(p.second).padStart(2, '0')}${sign}${formatHhmm(abs)}`;
}

export function bandAt(instant: number, zone = NY) {
  return bandOf(localParts(instant, zone).minutesOfDay);
}

export function weekdayAt(instant: number, zone = NY): number {
  return localParts(instant, zone).weekday;
}

export interface AttemptSpec {
  outcome: Outcome;
  number?: string | null;
  /** Defaults to true for voicemail_left. */
  voicemailLeft?: boolean;
  script?: VoicemailScript | null;
  scheduledFor?: number | null;
}

export function attempt(when: number, spec: AttemptSpec): CadenceAttempt {
  const left = spec.voicemailLeft ?? spec.outcome === 'voicemail_left';
  return {
    at: when,
    outcome: spec.outcome,
    number: spec.number === undefined ? DIRECT : spec.number,
    voicemailLeft: left,
    script: spec.script === undefined ? (left ? 'intro' : null) : spec.script,
    scheduledFor: spec.scheduledFor ?? null,
  };
}

/** Attempts written as [local time, outcome] pairs in the contact's zone. */
export function historyOf(rows: [string, Outcome | AttemptSpec][], zone = NY): CadenceAttempt[] {
  return rows.map(([when, o]) => attempt(at(when, zone), typeof o === 'string' ? { outcome: o } : o));
}

export interface Setup {
  history?: readonly CadenceAttempt[];
  contact?: Partial<CadenceContact>;
  enrollment?: Partial<CadenceEnrollment>;
  policy?: Record<string, unknown> | CadencePolicy;
  urgency?: Urgency;
  campaignId?: number;
  holidays?: ReadonlySet<string>;
  /** Defaults to one minute after the last attempt. */
  now?: number;
}

export function inputOf(s: Setup = {}): CadenceInput {
  const history = s.history ?? [];
  const lastAt = history.at(-1)?.at;
  const now = s.now ?? (lastAt !== undefined ? lastAt + MINUTE : at('2026-11-23 08:30'));
  return {
    enrollment: enrollmentOf(s.enrollment),
    history,
    contact: contactOf(s.contact),
    campaign: { id: s.campaignId ?? 1, urgency: s.urgency ?? 'normal', policy: policyOf(s.policy ?? {}) },
    stateRules: DEFAULT_STATE_RULES,
    ...(s.holidays ? { holidays: s.holidays } : {}),
    now,
  };
}

export function step(s: Setup = {}): NextStep {
  return nextStep(inputOf(s));
}

/** The due time of a step in the contact's zone; fails loudly when there is none. */
export function due(s: NextStep, zone = NY): string {
  if (s.dueAt === null) throw new Error(`no due time; state ${s.state}; ${s.reasons.join(' | ')}`);
  return local(s.dueAt, zone)!;
}
