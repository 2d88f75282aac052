/**
 * The pure rules of outgoing webhooks: when a failed delivery is tried again (back-off with
 * jitter, Retry-After, giving up after the retry period), which addresses are refused, and
 * reading an event list.
 */
import { describe, expect, it } from 'vitest';
import { refusedAddress } from '../../src/core/webhooks/addresses.js';
import { parseEventList, WEBHOOK_EVENTS, webhookBody } from '../../src/core/webhooks/events.js';
import { afterFailure, DEFAULT_RETRY_SCHEDULE, parseRetryAfter } from '../../src/core/webhooks/retry.js';

const T0 = Date.UTC(2026, 11, 8, 12, 0);
const HOUR = 3_600_000;

describe('retrying a failed delivery', () => {
  const schedule = DEFAULT_RETRY_SCHEDULE;

  it('waits 5 s after the first failure and doubles the wait each time, within ±20 % jitter', () => {
    const waits = [1, 2, 3, 4].map((n) => {
      const low = afterFailure(schedule, n, T0, T0, 0, null);
      const high = afterFailure(schedule, n, T0, T0, 0.999_999, null);
      return [low.kind === 'retry' ? low.at - T0 : -1, high.kind === 'retry' ? high.at - T0 : -1];
    });
    expect(waits).toEqual([
      [4000, 6000],
      [8000, 12_000],
      [16_000, 24_000],
      [32_000, 48_000],
    ]);
  });

  it('never waits longer than the longest wait, however many failures', () => {
    const next = afterFailure(schedule, 40, T0, T0 + HOUR, 0.5, null);
    expect(next).toEqual({ kind: 'retry', at: T0 + HOUR + 6 * HOUR });
  });

  it("waits as long as the receiver's Retry-After asks instead of the back-off", () => {
    expect(afterFailure(schedule, 1, T0, T0, 0.5, 120_000)).toEqual({ kind: 'retry', at: T0 + 120_000 });
    // Within the longest wait: a receiver cannot park a delivery for a month.
    expect(afterFailure(schedule, 1, T0, T0, 0.5, 30 * 24 * HOUR)).toEqual({
      kind: 'retry',
      at: T0 + 6 * HOUR,
    });
  });

  it('keeps trying for three days, the last try at the end of the period, then gives up', () => {
    const nearEnd = T0 + schedule.retryForMs - 60_000;
    expect(afterFailure(schedule, 20, T0, nearEnd, 0.5, null)).toEqual({
      kind: 'retry',
      at: T0 + schedule.retryForMs,
    });
    expect(schedule.retryForMs).toBeGreaterThanOrEqual(72 * HOUR);
    expect(afterFailure(schedule, 21, T0, T0 + schedule.retryForMs, 0.5, null)).toEqual({ kind: 'give_up' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120', T0)).toBe(120_000);
    expect(parseRetryAfter(new Date(T0 + 90_000).toUTCString(), T0)).toBe(90_000);
    expect(parseRetryAfter(new Date(T0 - 90_000).toUTCString(), T0)).toBe(0);
    expect(parseRetryAfter('soon', T0)).toBeNull();
    expect(parseRetryAfter(undefined, T0)).toBeNull();
  });
});

describe('addresses a webhook may reach', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.9',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
  ])('refuses %s', (address) => {
    expect(refusedAddress(address)).toBe(`${address} is a loopback, private, link-local or reserved address`);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(refusedAddress(address)).toBeNull();
  });
});

describe('event lists', () => {
  it('subscribes to every event when none is named', () => {
    expect(parseEventList(undefined)).toEqual({ ok: true, events: [...WEBHOOK_EVENTS] });
  });

  it('reads comma-separated names, in any number of options, in the list order', () => {
    expect(parseEventList(['block.ended,attempt.logged', ' contact.created '])).toEqual({
      ok: true,
      events: ['attempt.logged', 'block.ended', 'contact.created'],
    });
  });

  it('names every unknown event and the known ones', () => {
    const parsed = parseEventList(['attempt.logged,deal.won,call.made']);
    expect(parsed).toEqual({
      ok: false,
      message: `"deal.won", "call.made" are not events; use any of: ${WEBHOOK_EVENTS.join(', ')}`,
    });
  });

  it('sends the same body on every try: type, the time the event happened, its data', () => {
    expect(webhookBody('block.ended', T0, '{"blockId":7}')).toBe(
      '{"type":"block.ended","timestamp":"2026-12-08T12:00:00.000Z","data":{"blockId":7}}',
    );
  });
});
