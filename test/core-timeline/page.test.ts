import { describe, expect, it } from 'vitest';
import { boundFor, decodeCursor, encodeCursor, type Keyed, mergePage } from '../../src/core/timeline/page.js';

const e = (kind: Keyed['kind'], id: number, at: number): Keyed => ({ kind, id, at });

describe('timeline pages', () => {
  it('orders newest first, then by kind, then the higher id first', () => {
    const { entries, next } = mergePage(
      [
        [e('attempt', 2, 100), e('attempt', 1, 100)],
        [e('voicemail', 9, 100), e('voicemail', 8, 50)],
        [e('do_not_call', 1, 200)],
      ],
      10,
    );
    expect(entries.map((x) => `${x.kind}-${x.id}`)).toEqual([
      'do_not_call-1',
      'attempt-2',
      'attempt-1',
      'voicemail-9',
      'voicemail-8',
    ]);
    expect(next).toBeNull();
  });

  it('returns the last entry shown as the cursor when more follow', () => {
    const { entries, next } = mergePage([[e('attempt', 3, 30), e('attempt', 2, 20), e('attempt', 1, 10)]], 2);
    expect(entries).toHaveLength(2);
    expect(next).toEqual({ at: 20, kind: 'attempt', id: 2 });
  });

  it('tells each kind where to start after a cursor that shares its timestamp', () => {
    const cursor = { at: 100, kind: 'voicemail' as const, id: 9 };
    // Kinds before the cursor's at the same instant were shown already; those after were not.
    expect(boundFor('attempt', cursor)).toEqual({ atBelow: 100, sameAtIdBelow: null });
    expect(boundFor('voicemail', cursor)).toEqual({ atBelow: 100, sameAtIdBelow: 9 });
    expect(boundFor('do_not_call', cursor)).toEqual({
      atBelow: 100,
      sameAtIdBelow: Number.POSITIVE_INFINITY,
    });
    expect(boundFor('attempt', null)).toBeNull();
  });

  it('reads back the cursors it writes and explains one it did not', () => {
    const c = { at: 1_795_000_000_000, kind: 'callback_entry' as const, id: 42 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor('yesterday')).toEqual({
      error: '"yesterday" is not a timeline cursor (pass back the "next" of the previous page)',
    });
    expect('error' in decodeCursor('1.phone_call.2')).toBe(true);
  });
});
