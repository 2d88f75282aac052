/**
 * The simulator's population: who the prospects are, how often and when they answer, and what
 * each kind of dial costs. A population is a JSON file (DESIGN.md, "The simulator"); every
 * field is optional and takes the default below, and an unknown field is an error naming it.
 *
 * The defaults are calibrated to published figures (docs/simulator.md lists each source):
 * - about 5 % of cold dials reach a live prospect on average, about 13 % for the top quartile
 *   (Gong × 30 Minutes to President's Club): the answer Beta below with the unreachable share,
 *   the gatekeeper share and the voicemail box lands a fixed cadence near 5 %;
 * - answer rate by the prospect's local hour peaks near 10:00 (15.5 %) against 11.8 % at 08:00
 *   (PhoneBurner, 11 million calls): the 08:00 multiplier 0.76;
 * - 93 % of eventually converted leads are reached by the 6th call (Velocify): the per-attempt
 *   decay keeps most of the reachable reached by then;
 * - leaving voicemails lowered later connect rates from 7.18 % to 5.17 % (Gong × 30MPC):
 *   voicemailEffect 0.72.
 */
import { z } from 'zod';

const share = z.number().min(0).max(1);
const multiplier = z.number().min(0).max(10);
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

const byHour = z.record(z.string(), multiplier).superRefine((hours, ctx) => {
  for (const key of Object.keys(hours)) {
    if (!/^(1?\d|2[0-3])$/.test(key))
      ctx.addIssue({ code: 'custom', path: [key], message: 'hours are "0" to "23"' });
  }
});
const byWeekday = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, multiplier.optional()]))).strict();

const onConversation = z
  .object({
    callbackRequested: share.default(0.2),
    appointment: share.default(0.12),
    notInterested: share.default(0.3),
    doNotCall: share.default(0.02),
    won: share.default(0.02),
  })
  .strict()
  .refine(
    (o) => o.callbackRequested + o.appointment + o.notInterested + o.doNotCall + o.won <= 1,
    'the shares of what follows a conversation add up to more than 1',
  );

export const DEFAULT_BY_HOUR: Record<string, number> = { '8': 0.76, '10': 1.0, '14': 0.97, '17': 0.8 };
export const DEFAULT_BY_WEEKDAY: Partial<Record<WeekdayName, number>> = {
  mon: 1,
  tue: 1.05,
  wed: 1.0,
  thu: 1.0,
  fri: 0.9,
  sat: 0.3,
  sun: 0.2,
};

const segment = z
  .object({
    name: z.string().min(1).max(80).default('prospects'),
    share: z.number().positive().default(1),
    kind: z.enum(['business', 'consumer']).default('business'),
    zones: z
      .record(z.string(), z.number().positive())
      .default({ 'America/New_York': 0.7, 'America/Chicago': 0.3 }),
    states: z
      .record(z.string().regex(/^[A-Z]{2}$/, 'states are USPS codes like "NY"'), z.number().positive())
      .optional(),
    unreachable: share.default(0.3),
    answer: z
      .object({ alpha: z.number().positive().default(0.5), beta: z.number().positive().default(5) })
      .strict()
      .default({ alpha: 0.5, beta: 5 }),
    byHour: byHour.default(DEFAULT_BY_HOUR),
    byWeekday: byWeekday.default(DEFAULT_BY_WEEKDAY),
    decayPerAttempt: share.default(0.93),
    voicemailEffect: share.default(0.72),
    voicemailBox: share.default(0.7),
    gatekeeper: share.default(0.15),
    callbackAfterVoicemail: share.default(0.03),
    awayPerYear: z.number().min(0).max(52).default(2),
    awayDays: z
      .tuple([z.number().int().min(1), z.number().int().min(1)])
      .refine(([a, b]) => a <= b, 'awayDays is [shortest, longest]')
      .default([3, 14]),
    onConversation: onConversation.default({
      callbackRequested: 0.2,
      appointment: 0.12,
      notInterested: 0.3,
      doNotCall: 0.02,
      won: 0.02,
    }),
  })
  .strict();

const durations = z
  .object({
    ringOutSeconds: z.number().min(0).default(30),
    voicemailSeconds: z.number().min(0).default(45),
    gatekeeperSeconds: z.number().min(0).default(60),
    conversationSeconds: z.number().min(0).default(240),
    wrapUpSeconds: z.number().min(0).default(20),
  })
  .strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like "09:30"');

const reps = z
  .object({
    count: z.number().int().min(1).max(1000).default(5),
    zone: z.string().default('America/New_York'),
    blocks: z
      .array(z.object({ start: hhmm, minutes: z.number().int().min(5).max(600) }).strict())
      .min(1)
      .default([
        { start: '09:30', minutes: 90 },
        { start: '14:00', minutes: 90 },
      ]),
  })
  .strict();

export const populationSchema = z
  .object({
    segments: z.array(segment).min(1).optional(),
    durations: durations.default({
      ringOutSeconds: 30,
      voicemailSeconds: 45,
      gatekeeperSeconds: 60,
      conversationSeconds: 240,
      wrapUpSeconds: 20,
    }),
    reps: reps.default({
      count: 5,
      zone: 'America/New_York',
      blocks: [
        { start: '09:30', minutes: 90 },
        { start: '14:00', minutes: 90 },
      ],
    }),
  })
  .strict();

export type Segment = z.infer<typeof segment>;
export type Population = Omit<z.infer<typeof populationSchema>, 'segments'> & { segments: Segment[] };

/**
 * The default population: two business segments whose answer curves differ (finance picks up
 * early and late, when assistants are not yet or no longer screening; operations around
 * midday), so the time of a call matters and a learner has something to find.
 */
export const DEFAULT_SEGMENTS: readonly unknown[] = [
  {
    name: 'finance, east',
    share: 0.5,
    zones: { 'America/New_York': 0.7, 'America/Chicago': 0.3 },
    states: { NY: 0.7, IL: 0.3 },
    byHour: {
      '8': 1.6,
      '9': 1.3,
      '10': 0.9,
      '11': 0.7,
      '12': 0.5,
      '13': 0.6,
      '14': 0.7,
      '15': 0.8,
      '16': 1.2,
      '17': 1.5,
    },
  },
  {
    name: 'operations, central',
    share: 0.5,
    zones: { 'America/Chicago': 0.6, 'America/Denver': 0.4 },
    states: { TX: 0.6, CO: 0.4 },
    byHour: {
      '8': 0.6,
      '9': 0.8,
      '10': 1.0,
      '11': 1.4,
      '12': 1.6,
      '13': 1.4,
      '14': 1.0,
      '15': 0.8,
      '16': 0.6,
      '17': 0.5,
    },
  },
];

export class PopulationError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`${source}: ${issues.join('; ')}`);
  }
}

/** Validates a population (parsed JSON) and fills in every default. `source` names it in errors. */
export function parsePopulation(raw: unknown, source = 'population'): Population {
  const parsed = populationSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new PopulationError(
      source,
      parsed.error.issues.map((issue) => {
        const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
        if (issue.code === 'unrecognized_keys') {
          const base = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
          return `unknown field ${issue.keys.map((k) => `"${base}${k}"`).join(', ')}`;
        }
        return `${where}: ${issue.message}`;
      }),
    );
  }
  const segments = (parsed.data.segments ?? DEFAULT_SEGMENTS.map((s) => segment.parse(s))).map((s) => ({
    ...s,
  }));
  return { ...parsed.data, segments };
}

/** The multiplier on answer propensity at a local hour and ISO weekday (missing: 1). */
export function timeMultiplier(seg: Segment, hour: number, isoWeekday: number): number {
  const h = seg.byHour[String(hour)] ?? 1;
  const d = (seg.byWeekday as Partial<Record<WeekdayName, number>>)[WEEKDAYS[isoWeekday - 1]!] ?? 1;
  return h * d;
}
