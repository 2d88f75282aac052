/**
 * The block's pure rules: the next step in plain words (no rule numbers), the undo window to
 * the millisecond, the block's counts and pace.
 */
import { describe, expect, it } from 'vitest';
import { blockPace, countBlock } from '../../src/core/block/summary.js';
import { UNDO_WINDOW_MS, undoVerdict } from '../../src/core/block/undo.js';
import { nextStepWords } from '../../src/core/cadence/next-step-words.js';

const ZONE = 'America/Chicago';
// Monday 23 Nov 2026, 10:00 in Chicago.
const NOW = Date.parse('2026-11-23T16:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe('the next step in plain words', () => {
  it('says when to try again in the contact’s part of the day, without rule numbers', () => {
    const words = nextStepWords(
      { state: 'active', dueKind: 'retry', dueAt: at('2026-11-24T16:30:00Z') },
      ZONE,
      NOW,
    );
    expect(words).toBe('Try again tomorrow morning, their time.');
    expect(words).not.toMatch(/rule/);
  });

  it('gives the exact time of a callback and of an appointment', () => {
    expect(
      nextStepWords({ state: 'active', dueKind: 'callback', dueAt: at('2026-11-24T21:00:00Z') }, ZONE, NOW),
    ).toBe('Call back tomorrow 15:00, their time, as they asked.');
    expect(
      nextStepWords(
        { state: 'appointment', dueKind: 'appointment', dueAt: at('2026-11-25T16:00:00Z') },
        ZONE,
        NOW,
      ),
    ).toBe('Phone appointment Wednesday 10:00, their time.');
  });

  it('says an away contact is tried again on their return, and a finished one is done', () => {
    expect(
      nextStepWords({ state: 'snoozed', dueKind: 'retry', dueAt: at('2026-11-30T15:00:00Z') }, ZONE, NOW),
    ).toMatch(/^Away: try again .*Monday.*, their time\.$/);
    expect(nextStepWords({ state: 'unreachable', dueKind: null, dueAt: null }, ZONE, NOW)).toBe(
      'That was the last attempt: moving on to other people.',
    );
    expect(nextStepWords({ state: 'dnc', dueKind: null, dueAt: null }, ZONE, NOW)).toMatch(
      /^Never to be called again/,
    );
  });
});

describe('the undo window', () => {
  const last = { what: '“Busy” for Sam Roe', loggedAt: NOW, superseded: false };
  it('is open for exactly two minutes', () => {
    expect(undoVerdict(last, NOW + UNDO_WINDOW_MS, ZONE)).toEqual({ ok: true });
    const late = undoVerdict(last, NOW + UNDO_WINDOW_MS + 1, ZONE);
    expect(late).toMatchObject({ ok: false, reason: 'too_late' });
    expect(late.ok ? '' : late.message).toBe(
      '“Busy” for Sam Roe was logged at 10:00 (America/Chicago), 2 minutes ago; a call can be undone for 2 minutes after it is logged, so this one stays as it is',
    );
  });
  it('has nothing to undo without a last log, and refuses one a later call superseded', () => {
    expect(undoVerdict(null, NOW, ZONE)).toMatchObject({ ok: false, reason: 'nothing' });
    expect(undoVerdict({ ...last, superseded: true }, NOW + 1000, ZONE)).toMatchObject({
      ok: false,
      reason: 'superseded',
    });
  });
});

describe('the block’s counts and pace', () => {
  it('counts conversations, voicemails and appointments among the dials', () => {
    const counts = countBlock(
      [
        { outcome: 'no_answer', voicemailLeft: false },
        { outcome: 'voicemail_left', voicemailLeft: true },
        { outcome: 'appointment_set', voicemailLeft: false },
        { outcome: 'callback_requested', voicemailLeft: false },
      ],
      2,
      1,
    );
    expect(counts).toEqual({
      dials: 4,
      conversations: 2,
      voicemailsLeft: 1,
      appointmentsSet: 1,
      callbacksReceived: 1,
      skips: 2,
    });
  });
  it('gives dials per hour over the block’s length, none in its first minute', () => {
    expect(blockPace(12, NOW, NOW + 45 * 60_000)).toEqual({ minutes: 45, dialsPerHour: 16 });
    expect(blockPace(2, NOW, NOW + 59_000)).toEqual({ minutes: 0, dialsPerHour: null });
  });
});
