/**
 * The callback-list rules shared by the cadence (logging an outcome) and the demo's simulated
 * calls: a voicemail keeps the contact on the list until the next attempt or the minimum days,
 * a requested callback until a day after the time asked.
 */
import { describe, expect, it } from 'vitest';
import {
  appointmentListUntil,
  requestedCallbackUntil,
  voicemailListUntil,
} from '../../src/core/callbacks/rules.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEFT = Date.UTC(2026, 10, 24, 16);

describe('callback-list rules', () => {
  it('keeps a contact who got a voicemail on the list until the next attempt when that is later than the minimum', () => {
    expect(voicemailListUntil(LEFT, LEFT + 3 * DAY, 2)).toBe(LEFT + 3 * DAY);
  });
  it('keeps a contact who got a voicemail on the list for the minimum days when the next attempt is sooner or unknown', () => {
    expect(voicemailListUntil(LEFT, LEFT + DAY, 2)).toBe(LEFT + 2 * DAY);
    expect(voicemailListUntil(LEFT, null, 7)).toBe(LEFT + 7 * DAY);
  });
  it('keeps a requested callback on the list until a day after the time asked', () => {
    expect(requestedCallbackUntil(LEFT)).toBe(LEFT + DAY);
  });
  it('keeps an appointment on the list until an hour after it ends', () => {
    expect(appointmentListUntil(LEFT, 30)).toBe(LEFT + 30 * 60_000 + HOUR);
  });
});
