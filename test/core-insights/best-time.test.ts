import { describe, expect, it } from 'vitest';
import {
  buildModel,
  type CellCount,
  chooseSlot,
  posterior,
  reasonFor,
  regionOfZone,
  type Segment,
  type Slot,
  sampleBeta,
  titleGroup,
} from '../../src/core/insights/best-time.js';
import { mulberry32 } from '../../src/core/random.js';

const finance: Segment = { campaignId: 1, kind: 'business', region: 'Chicago', titleGroup: 'finance' };
const sales: Segment = { ...finance, titleGroup: 'sales' };
const cell = (
  segment: Segment,
  band: CellCount['band'],
  weekday: number,
  dials: number,
  answers: number,
) => ({
  segment,
  band,
  weekday,
  dials,
  answers,
});

describe('the best-time model shrinks sparse cells toward the campaign and the workspace', () => {
  it('computes the three-level posterior by hand', () => {
    const model = buildModel([cell(finance, 'morning', 2, 10, 8), cell(finance, 'afternoon', 5, 10, 0)]);
    const base = 9 / 22; // (8 + 0 + 1) / (20 + 2)
    const ws = (8 + 20 * base) / (10 + 20);
    const campaign = (8 + 20 * ws) / (10 + 20);
    const p = posterior(model, finance, 'morning', 2);
    expect(p.mean).toBeCloseTo((8 + 20 * campaign) / (10 + 20), 12);
    expect(p.alpha).toBeCloseTo(8 + 20 * campaign, 12);
    expect(p.dials).toBe(10);
  });

  it('lets a segment with no calls of its own borrow its campaign’s cell', () => {
    const model = buildModel([cell(finance, 'morning', 2, 40, 20), cell(finance, 'late', 4, 40, 4)]);
    const borrowed = posterior(model, sales, 'morning', 2);
    expect(borrowed.dials).toBe(0);
    expect(borrowed.mean).toBeGreaterThan(posterior(model, sales, 'late', 4).mean);
  });

  it('knows nothing without dials, so the caller keeps the fixed cadence', () => {
    expect(buildModel([]).hasData).toBe(false);
    expect(buildModel([cell(finance, 'morning', 2, 1, 0)]).hasData).toBe(true);
  });
});

describe('slot choice by Thompson sampling from a seeded stream', () => {
  const history = [
    cell(finance, 'morning', 2, 120, 36),
    cell(finance, 'afternoon', 4, 120, 6),
    cell(finance, 'early', 1, 120, 12),
  ];
  const slots: Slot[] = [
    { at: 1000, band: 'early', weekday: 1 },
    { at: 2000, band: 'morning', weekday: 2 },
    { at: 3000, band: 'afternoon', weekday: 4 },
  ];

  it('prefers the slot a seeded history makes clearly better', () => {
    const model = buildModel(history);
    let wins = 0;
    for (let seed = 1; seed <= 200; seed++)
      if (chooseSlot(model, finance, slots, mulberry32(seed))!.index === 1) wins++;
    expect(wins).toBeGreaterThan(190);
  });

  it('gives the same choice for the same inputs and seed', () => {
    const model = buildModel(history);
    const a = chooseSlot(model, finance, slots, mulberry32(42));
    const b = chooseSlot(model, finance, slots, mulberry32(42));
    expect(a).toEqual(b);
  });

  it('keeps exploring: with no history every slot gets chosen', () => {
    const model = buildModel([]);
    const chosen = new Set<number>();
    for (let seed = 1; seed <= 60; seed++)
      chosen.add(chooseSlot(model, finance, slots, mulberry32(seed))!.index);
    expect(chosen).toEqual(new Set([0, 1, 2]));
  });

  it('says why in words', () => {
    const model = buildModel(history);
    expect(reasonFor(model, finance, 'morning', 2)).toBe(
      'Tuesday mornings answer about twice as often for finance contacts in Chicago',
    );
    expect(reasonFor(model, finance, 'afternoon', 4)).toBeNull();
  });
});

describe('the helpers behind segments and draws', () => {
  it('draws Beta samples with the right mean', () => {
    const random = mulberry32(7);
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += sampleBeta(3, 7, random);
    expect(sum / 4000).toBeCloseTo(0.3, 1.5);
    const small = sampleBeta(0.4, 0.6, random);
    expect(small).toBeGreaterThanOrEqual(0);
    expect(small).toBeLessThanOrEqual(1);
  });

  it('groups titles by what they say and names a zone’s city', () => {
    expect(titleGroup('VP Finance')).toBe('finance');
    expect(titleGroup('Chief Executive Officer')).toBe('executive');
    expect(titleGroup('  ')).toBe('other');
    expect(titleGroup('Finance, East')).toBe('finance');
    expect(titleGroup('Segment A')).toBe('segment a');
    expect(regionOfZone('America/New_York')).toBe('New York');
  });
});
