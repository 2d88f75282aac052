/**
 * A calling window's fields: start and end times and the weekdays, in a fieldset whose legend
 * names it, so a screen reader hears "Business contacts, Starts at, 09:00".
 */
import type { CallingWindowJson } from '../../../src/contracts/settings.js';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LONG_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "09:00–17:00, Mon–Fri" or "10:00–14:00, Mon, Wed, Fri". */
export function describeWindow(w: CallingWindowJson): string {
  const days = [...w.days].sort((a, b) => a - b);
  const consecutive = days.length > 2 && days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  const named = consecutive
    ? `${DAYS[days[0]! - 1]}–${DAYS[days.at(-1)! - 1]}`
    : days.map((d) => DAYS[d - 1]).join(', ');
  return `${w.start}–${w.end}, ${named}`;
}

/** What is wrong with a window, in words, or null. */
export function windowProblem(w: CallingWindowJson): string | null {
  if (!/^\d\d:\d\d$/.test(w.start) || !/^\d\d:\d\d$/.test(w.end)) return 'Enter a start and an end time.';
  if (w.start >= w.end) return 'The end must be after the start.';
  if (w.days.length === 0) return 'Pick at least one day.';
  return null;
}

export function WindowFields({
  id,
  legend,
  value,
  onChange,
  disabled = false,
}: {
  id: string;
  legend: string;
  value: CallingWindowJson;
  onChange: (next: CallingWindowJson) => void;
  disabled?: boolean;
}) {
  const problem = windowProblem(value);
  const toggle = (day: number) =>
    onChange({
      ...value,
      days: value.days.includes(day)
        ? value.days.filter((d) => d !== day)
        : [...value.days, day].sort((a, b) => a - b),
    });
  return (
    <fieldset
      className="window-fields"
      disabled={disabled}
      aria-describedby={problem ? `${id}-problem` : undefined}
    >
      <legend>{legend}</legend>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-start`}>Starts at</label>
          <input
            id={`${id}-start`}
            type="time"
            value={value.start}
            onChange={(e) => onChange({ ...value, start: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>Ends at</label>
          <input
            id={`${id}-end`}
            type="time"
            value={value.end}
            onChange={(e) => onChange({ ...value, end: e.target.value })}
          />
        </div>
      </div>
      <fieldset className="days">
        <legend className="visually-hidden">{`${legend}: days`}</legend>
        {DAYS.map((d, i) => (
          <label key={d} className="day">
            <input type="checkbox" checked={value.days.includes(i + 1)} onChange={() => toggle(i + 1)} />{' '}
            <span aria-hidden="true">{d}</span>
            <span className="visually-hidden">{LONG_DAYS[i]}</span>
          </label>
        ))}
      </fieldset>
      {problem ? (
        <p id={`${id}-problem`} className="error-text small" role="alert">
          ⚠ {problem}
        </p>
      ) : null}
    </fieldset>
  );
}
