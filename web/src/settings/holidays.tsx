/**
 * The workspace's holiday calendar: its country's public holidays and its own days off, a year
 * at a time. Business contacts are not called on these days, and states that bar consumer calls
 * on holidays read the same calendar. Admins remove a public holiday the team works anyway, add
 * days off and bring back a holiday removed before; everyone else reads it.
 */
import { type FormEvent, useState } from 'react';
import type { HolidayListJson } from '../../../src/contracts/settings.js';
import { request } from '../api/client.js';
import { useGet } from '../use-api.js';
import { SaveStatus, useSave } from './use-save.js';

/** 2026-12-25 → "Fri 25 Dec": the date as people read it, the day computed in UTC (dates have no zone). */
function dayLabel(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

function HolidayTable({
  list,
  isAdmin,
  onChanged,
}: {
  list: HolidayListJson;
  isAdmin: boolean;
  onChanged: () => void;
}) {
  const save = useSave();
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const remove = (d: string, label: string) =>
    save
      .run(() => request('DELETE', `/api/v1/holidays/${d}`), `${label} is a working day now.`)
      .then((ok) => {
        if (ok) onChanged();
      });
  const restore = (d: string, label: string) =>
    save
      .run(() => request('POST', '/api/v1/holidays', { body: { date: d } }), `${label} is a holiday again.`)
      .then((ok) => {
        if (ok) onChanged();
      });
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const body = name.trim() ? { date, name: name.trim() } : { date };
    if (await save.run(() => request('POST', '/api/v1/holidays', { body }), `${dayLabel(date)} added.`)) {
      setDate('');
      setName('');
      onChanged();
    }
  };
  return (
    <div className="stack">
      <table className="table">
        <caption>
          {list.year}: {list.country ? `${list.country} public holidays` : 'no public holidays'} and your own
          days off
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Holiday</th>
            {isAdmin ? <th scope="col">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {list.days.map((d) => (
            <tr key={d.date}>
              <td>{dayLabel(d.date)}</td>
              <td>
                {d.name} {d.source === 'custom' ? <span className="muted small">(added here)</span> : null}
              </td>
              {isAdmin ? (
                <td>
                  <button type="button" disabled={save.busy} onClick={() => void remove(d.date, d.name)}>
                    Remove
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {list.removed.length > 0 ? (
        <div className="stack">
          <p className="small">Public holidays you work anyway:</p>
          <ul className="plain">
            {list.removed.map((d) => (
              <li key={d.date} className="field-row">
                <span>
                  {dayLabel(d.date)} — {d.name}
                </span>
                {isAdmin ? (
                  <button type="button" disabled={save.busy} onClick={() => void restore(d.date, d.name)}>
                    Make it a holiday again
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <SaveStatus message={save.message} />
      {isAdmin ? (
        <form className="field-row" onSubmit={add} aria-label="Add a day off">
          <div className="field">
            <label htmlFor="holiday-date">Day off</label>
            <input
              id="holiday-date"
              type="date"
              required
              value={date}
              onChange={(e) => setDate(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="holiday-name">Holiday name</label>
            <input
              id="holiday-name"
              value={name}
              maxLength={100}
              placeholder="Office closed"
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <button type="submit" disabled={save.busy || date === ''}>
            Add day off
          </button>
        </form>
      ) : (
        <p className="muted small">Admins can change the calendar.</p>
      )}
    </div>
  );
}

export function HolidaysSection({ isAdmin }: { isAdmin: boolean }) {
  const [year, setYear] = useState<number | null>(null);
  const list = useGet<HolidayListJson>(`/api/v1/holidays${year === null ? '' : `?year=${year}`}`);
  const shown = list.state === 'ready' ? list.data.year : year;
  return (
    <section className="card stack" aria-labelledby="holidays">
      <h2 id="holidays">Holidays</h2>
      <p className="muted small">
        Business contacts are not called on these days. States that bar sales calls to consumers on holidays
        use the same calendar.
      </p>
      {shown !== null ? (
        <div className="field-row">
          <button type="button" onClick={() => setYear(shown - 1)}>
            ← {shown - 1}
          </button>
          <button type="button" onClick={() => setYear(shown + 1)}>
            {shown + 1} →
          </button>
        </div>
      ) : null}
      {list.state === 'loading' ? <p aria-busy="true">Loading…</p> : null}
      {list.state === 'error' ? (
        <p className="error-text" role="alert">
          ⚠ {list.message}
        </p>
      ) : null}
      {list.state === 'ready' ? (
        <HolidayTable list={list.data} isAdmin={isAdmin} onChanged={list.reload} />
      ) : null}
    </section>
  );
}
