/**
 * Natural-language times on outcomes ("tomorrow 3pm", "back Monday the 19th"), read in the
 * user's zone, forward from now, and placed correctly across daylight-saving changes.
 */
import { describe, expect, it } from 'vitest';
import { instantAt } from '../../src/core/time/zoned.js';
import { parseWhen } from '../../src/core/when/parse-when.js';

const NY = 'America/New_York';
/** Monday 23 November 2026, 10:00 in New York. */
const NOW = instantAt('2026-11-23', '10:00', NY);
const when = (text: string, now = NOW, zone = NY) => parseWhen(text, { now, zone });

function at(text: string, now = NOW, zone = NY): string {
  const r = when(text, now, zone);
  if (!r.ok) throw new Error(r.message);
  return r.understood;
}

describe('parseWhen', () => {
  it('reads a day and a clock time in the user zone', () => {
    const r = when('tomorrow 3pm');
    expect(r).toEqual({
      ok: true,
      at: Date.UTC(2026, 10, 24, 20),
      understood: 'Tue 24 Nov 2026 15:00 America/New_York',
    });
  });

  it('reads parts of the day as office hours: morning 09:00, afternoon 14:00, evening 18:00', () => {
    expect(at('next Tuesday morning')).toBe('Tue 1 Dec 2026 09:00 America/New_York');
    expect(at('tomorrow afternoon')).toBe('Tue 24 Nov 2026 14:00 America/New_York');
    expect(at('this evening')).toBe('Mon 23 Nov 2026 18:00 America/New_York');
  });

  it('keeps an explicit time over the part of the day', () => {
    expect(at('tomorrow morning at 10')).toBe('Tue 24 Nov 2026 10:00 America/New_York');
  });

  it('gives a date without a time the default hour, 09:00 unless set', () => {
    expect(at('in two weeks')).toBe('Mon 7 Dec 2026 09:00 America/New_York');
    expect(at('friday')).toBe('Fri 27 Nov 2026 09:00 America/New_York');
    const r = parseWhen('friday', { now: NOW, zone: NY, defaultHour: 13 });
    expect(r.ok && r.understood).toBe('Fri 27 Nov 2026 13:00 America/New_York');
  });

  it('reads month-day dates and ISO dates', () => {
    expect(at('Dec 3 at 10:30')).toBe('Thu 3 Dec 2026 10:30 America/New_York');
    expect(at('2026-12-01 14:00')).toBe('Tue 1 Dec 2026 14:00 America/New_York');
  });

  it('reads "back Monday the 19th" as the next 19th when it is a Monday', () => {
    const mondayFifthOctober = instantAt('2026-10-05', '10:00', NY);
    expect(at('back Monday the 19th', mondayFifthOctober)).toBe('Mon 19 Oct 2026 09:00 America/New_York');
    expect(at('back on the 19th')).toBe('Sat 19 Dec 2026 09:00 America/New_York');
    expect(at('back Monday the 19th of April')).toBe('Mon 19 Apr 2027 09:00 America/New_York');
  });

  it('says so when the next 19th is not the weekday named, rather than jump to a month nobody said', () => {
    expect(when('back Monday the 19th')).toEqual({
      ok: false,
      message:
        '"back Monday the 19th": 19 Dec 2026 is a Saturday, not a Monday; name the month if you mean a later 19th.',
    });
  });

  it('reads a bare weekday said on that weekday, after its hour, as next week', () => {
    expect(at('Monday')).toBe('Mon 30 Nov 2026 09:00 America/New_York');
  });

  it('places a date across a DST change at its own offset ("March 9 10am" from 5 March is 14:00Z)', () => {
    const r = when('March 9 10am', instantAt('2026-03-05', '10:00', NY));
    expect(r.ok && new Date(r.at).toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('keeps durations and stated zones exact', () => {
    expect(when('in 3 hours')).toMatchObject({ ok: true, at: NOW + 3 * 3_600_000 });
    expect(when('3pm EST tomorrow')).toMatchObject({ ok: true, at: Date.UTC(2026, 10, 24, 20) });
  });

  it('reads "tomorrow" as the user’s tomorrow in zones far from UTC', () => {
    // 10:00 Monday in Sydney is still Sunday in UTC.
    const sydneyNow = instantAt('2026-11-23', '10:00', 'Australia/Sydney');
    expect(at('tomorrow 3pm', sydneyNow, 'Australia/Sydney')).toBe('Tue 24 Nov 2026 15:00 Australia/Sydney');
    expect(at('in 3 days', instantAt('2026-03-05', '10:00', 'Asia/Kolkata'), 'Asia/Kolkata')).toBe(
      'Sun 8 Mar 2026 09:00 Asia/Kolkata',
    );
  });

  it('says nothing was understood, quoting the text', () => {
    expect(when('when pigs fly')).toEqual({
      ok: false,
      message: 'Nothing in "when pigs fly" reads as a date or time.',
    });
    expect(when('   ')).toEqual({ ok: false, message: 'No time was given.' });
  });

  it('says what was understood when it has passed', () => {
    expect(when('yesterday 3pm')).toEqual({
      ok: false,
      message: "'yesterday 3pm' is Sunday 22 Nov 15:00, which has passed.",
    });
  });
});
