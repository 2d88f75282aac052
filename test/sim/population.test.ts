/**
 * Population files (DESIGN.md, "The simulator"): every field optional with its default, the
 * design's own example accepted, and a clear error naming any unknown or bad field.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BY_HOUR,
  PopulationError,
  parsePopulation,
  timeMultiplier,
} from '../../src/sim/population.js';

const DESIGN_EXAMPLE = {
  segments: [
    {
      name: 'finance, east',
      share: 0.5,
      kind: 'business',
      zones: { 'America/New_York': 0.7, 'America/Chicago': 0.3 },
      states: { NY: 0.7, IL: 0.3 },
      unreachable: 0.3,
      answer: { alpha: 0.5, beta: 5 },
      byHour: { '8': 0.76, '10': 1.0, '14': 0.97, '17': 0.8 },
      byWeekday: { mon: 1, tue: 1.05, wed: 1.0, thu: 1.0, fri: 0.9, sat: 0.3, sun: 0.2 },
      decayPerAttempt: 0.93,
      voicemailEffect: 0.72,
      voicemailBox: 0.7,
      gatekeeper: 0.15,
      callbackAfterVoicemail: 0.03,
      awayPerYear: 2,
      awayDays: [3, 14],
      onConversation: {
        callbackRequested: 0.2,
        appointment: 0.12,
        notInterested: 0.3,
        doNotCall: 0.02,
        won: 0.02,
      },
    },
  ],
  durations: {
    ringOutSeconds: 30,
    voicemailSeconds: 45,
    gatekeeperSeconds: 60,
    conversationSeconds: 240,
    wrapUpSeconds: 20,
  },
  reps: {
    count: 5,
    zone: 'America/New_York',
    blocks: [
      { start: '09:30', minutes: 90 },
      { start: '14:00', minutes: 90 },
    ],
  },
};

function issuesOf(raw: unknown): string[] {
  try {
    parsePopulation(raw, 'pop.json');
  } catch (e) {
    expect(e).toBeInstanceOf(PopulationError);
    expect((e as Error).message.startsWith('pop.json: ')).toBe(true);
    return [...(e as PopulationError).issues];
  }
  throw new Error('expected the population to be refused');
}

describe('population files', () => {
  it('accepts the example in DESIGN.md as it stands', () => {
    const p = parsePopulation(DESIGN_EXAMPLE);
    expect(p.segments).toHaveLength(1);
    expect(p.segments[0]!.states).toEqual({ NY: 0.7, IL: 0.3 });
    expect(p.reps.blocks).toHaveLength(2);
  });

  it('fills every field it is not given with the default', () => {
    const p = parsePopulation({ segments: [{ name: 'only a name' }] });
    const s = p.segments[0]!;
    expect(s).toMatchObject({
      share: 1,
      kind: 'business',
      unreachable: 0.3,
      answer: { alpha: 0.5, beta: 5 },
    });
    expect(s.byHour).toEqual(DEFAULT_BY_HOUR);
    expect(s.onConversation.appointment).toBe(0.12);
    expect(p.durations.conversationSeconds).toBe(240);
    expect(p.reps).toMatchObject({ count: 5, zone: 'America/New_York' });
  });

  it('has two default segments whose answer curves differ, when no segments are given', () => {
    const p = parsePopulation({});
    expect(p.segments.map((s) => s.name)).toEqual(['finance, east', 'operations, central']);
    const [a, b] = p.segments;
    expect(timeMultiplier(a!, 9, 2)).toBeGreaterThan(timeMultiplier(a!, 12, 2));
    expect(timeMultiplier(b!, 12, 2)).toBeGreaterThan(timeMultiplier(b!, 9, 2));
  });

  it('names an unknown field with its path', () => {
    expect(issuesOf({ segments: [{ name: 'x', colour: 'red' }] })).toEqual([
      'unknown field "segments.0.colour"',
    ]);
    expect(issuesOf({ repz: {} })).toEqual(['unknown field "repz"']);
    expect(issuesOf({ durations: { ringOut: 30 } })).toEqual(['unknown field "durations.ringOut"']);
  });

  it('names a bad value with its path and what is expected', () => {
    const issues = issuesOf({
      segments: [{ unreachable: 1.5, byHour: { '25': 1 } }],
      reps: { blocks: [{ start: '9:30', minutes: 90 }] },
    });
    expect(issues.some((i) => i.startsWith('segments.0.unreachable:'))).toBe(true);
    expect(
      issues.some((i) => i.startsWith('segments.0.byHour.25') && i.includes('hours are "0" to "23"')),
    ).toBe(true);
    expect(issues.some((i) => i.startsWith('reps.blocks.0.start:') && i.includes('24-hour time'))).toBe(true);
  });

  it('refuses conversation shares that add up to more than 1', () => {
    const issues = issuesOf({ segments: [{ onConversation: { notInterested: 0.9, won: 0.5 } }] });
    expect(issues.join(' ')).toContain('add up to more than 1');
  });

  it('treats missing hours and days as a multiplier of 1', () => {
    const s = parsePopulation({ segments: [{ byHour: { '10': 2 }, byWeekday: { fri: 0.5 } }] }).segments[0]!;
    expect(timeMultiplier(s, 10, 1)).toBe(2);
    expect(timeMultiplier(s, 11, 1)).toBe(1);
    expect(timeMultiplier(s, 10, 5)).toBe(1);
  });
});
