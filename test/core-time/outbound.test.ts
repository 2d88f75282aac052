/**
 * The one check every outbound call passes (core/calling-hours/outbound.ts): do-not-call first,
 * then the contact's calling hours — the law's bound alone when the contact chose the time —
 * and the state's cap, each refusal in words with the next allowed time.
 */
import { describe, expect, it } from 'vitest';
import type { CallingContext } from '../../src/core/calling-hours/calling-hours.js';
import { askedForAt, checkOutbound } from '../../src/core/calling-hours/outbound.js';
import {
  ALL_PARTY_CONSENT_STATES,
  needsConsentNotice,
} from '../../src/core/calling-hours/recording-consent.js';
import { DEFAULT_STATE_RULES } from '../../src/core/calling-hours/state-rules.js';
import { instantAt } from '../../src/core/time/zoned.js';

const TOKYO = 'Asia/Tokyo';
const tokyo: CallingContext = {
  zone: TOKYO,
  kind: 'business',
  state: null,
  window: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
  stateRules: DEFAULT_STATE_RULES,
  name: 'Ken Sato',
};
const at = (date: string, time: string, zone = TOKYO) => instantAt(date, time, zone);

describe('the outbound check', () => {
  it('refuses a business contact at 05:02 their time and names the next allowed time', () => {
    const verdict = checkOutbound({
      at: at('2026-11-26', '05:02'),
      ctx: tokyo,
      attempts: [],
      askedFor: false,
      doNotCall: null,
    });
    expect(verdict).toEqual({
      ok: false,
      refusal: 'calling_hours',
      reason:
        '5:02 am for Ken Sato: calls are allowed only 8 am–9 pm local time (the US federal limit, kept for every contact); ' +
        'the next allowed time is today 09:00 their time (Asia/Tokyo)',
      nextAllowedAt: at('2026-11-26', '09:00'),
    });
  });

  it('keeps a time the contact asked for outside the campaign window, never outside the law', () => {
    const call = { ctx: tokyo, attempts: [], doNotCall: null };
    expect(checkOutbound({ ...call, at: at('2026-11-26', '20:00'), askedFor: true }).ok).toBe(true);
    expect(checkOutbound({ ...call, at: at('2026-11-26', '20:00'), askedFor: false }).ok).toBe(false);
    expect(checkOutbound({ ...call, at: at('2026-11-26', '21:30'), askedFor: true })).toMatchObject({
      ok: false,
      refusal: 'calling_hours',
      nextAllowedAt: at('2026-11-27', '08:00'),
    });
  });

  it('refuses a do-not-call number at any hour, with no next time', () => {
    expect(
      checkOutbound({
        at: at('2026-11-26', '10:00'),
        ctx: tokyo,
        attempts: [],
        askedFor: true,
        doNotCall: '+81312345678 is on the do-not-call list',
      }),
    ).toEqual({
      ok: false,
      refusal: 'do_not_call',
      reason: 'Ken Sato: +81312345678 is on the do-not-call list, never called (rule 13)',
      nextAllowedAt: null,
    });
  });

  it('says the Florida cap is the cap', () => {
    const ny = 'America/New_York';
    const ctx: CallingContext = { ...tokyo, zone: ny, kind: 'consumer', state: 'FL', name: 'Flo Reyes' };
    const attempts = ['10:00', '10:20', '10:40'].map((t) => at('2026-11-25', t, ny));
    const verdict = checkOutbound({
      at: at('2026-11-25', '11:00', ny),
      ctx,
      attempts,
      askedFor: true,
      doNotCall: null,
    });
    expect(verdict).toMatchObject({
      ok: false,
      refusal: 'state_cap',
      nextAllowedAt: at('2026-11-26', '10:00', ny),
    });
    expect(verdict.ok || verdict.reason).toMatch(
      /has had 3 calls on this subject in the last 24 hours, the most state law allows/,
    );
  });

  it('counts an appointment as asked for from its lead time, a callback from its time', () => {
    const t = at('2026-11-26', '10:00');
    expect(askedForAt({ kind: 'appointment', at: t + 5 * 60_000 }, 10 * 60_000, t)).toBe(true);
    expect(askedForAt({ kind: 'appointment', at: t + 15 * 60_000 }, 10 * 60_000, t)).toBe(false);
    expect(askedForAt({ kind: 'callback', at: t + 60_000 }, 10 * 60_000, t)).toBe(false);
    expect(askedForAt({ kind: 'callback', at: t }, 10 * 60_000, t)).toBe(true);
    expect(askedForAt({ kind: 'retry', at: t }, 10 * 60_000, t)).toBe(false);
  });
});

describe('recording consent', () => {
  it('needs a notice when recording and either party is in an all-party-consent state', () => {
    expect(needsConsentNotice(true, ['NY', 'CA'])).toBe(true);
    expect(needsConsentNotice(true, ['FL', null])).toBe(true);
    expect(needsConsentNotice(true, ['NY', 'TX'])).toBe(false);
    expect(needsConsentNotice(true, [null, null])).toBe(false);
    expect(needsConsentNotice(false, ['CA', 'WA'])).toBe(false);
    for (const state of ['CA', 'DE', 'FL', 'IL', 'MD', 'MA', 'MT', 'NV', 'NH', 'PA', 'WA']) {
      expect(ALL_PARTY_CONSENT_STATES.has(state), state).toBe(true);
    }
    expect(ALL_PARTY_CONSENT_STATES.size).toBe(11);
  });
});
