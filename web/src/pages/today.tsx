/** Today: appointments and callbacks due, and how the queue divides by reason. */
import type { QueueItem } from '../api/types.js';
import { Link } from '../router.js';
import { useGet } from '../use-api.js';

const REASON_WORDS: Record<QueueItem['reason'], string> = {
  appointment: 'Appointments due',
  callback: 'Callbacks they asked for',
  retry: 'Follow-ups due',
  fresh: 'Fresh prospects',
};

export default function TodayPage() {
  const queue = useGet<{ items: QueueItem[] }>('/api/v1/queue?limit=100');
  if (queue.state === 'loading') return <p aria-busy="true">Loading…</p>;
  if (queue.state === 'error') {
    return (
      <p className="error-text" role="alert">
        ⚠ {queue.message}
      </p>
    );
  }
  const items = queue.data.items;
  const byReason = (reason: QueueItem['reason']) => items.filter((i) => i.reason === reason);
  const promised = [...byReason('appointment'), ...byReason('callback')];
  return (
    <div className="stack">
      <h1>Today</h1>
      <section className="card" aria-labelledby="due-now">
        <h2 id="due-now">Calls you promised</h2>
        {promised.length === 0 ? (
          <p className="muted">No appointment or requested callback is due now.</p>
        ) : (
          <ul className="plain">
            {promised.map((i) => (
              <li key={i.enrollmentId}>
                <span className="tag">{i.reason === 'appointment' ? 'Appointment' : 'Callback'}</span>{' '}
                <Link href={`/contacts/${i.contact.id}`}>{i.contact.name}</Link>
                <span className="muted small">
                  {' '}
                  {i.contact.company ?? ''} · {i.localTime.time} their time
                  {i.dueAt ? ` · due ${new Date(i.dueAt).toLocaleString()}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="queue-size">
        <h2 id="queue-size">Your queue now</h2>
        <table className="table">
          <caption className="visually-hidden">Calls ready now, by reason</caption>
          <tbody>
            {(Object.keys(REASON_WORDS) as QueueItem['reason'][]).map((reason) => (
              <tr key={reason}>
                <th scope="row">{REASON_WORDS[reason]}</th>
                <td>{byReason(reason).length}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Ready to call now{items.length === 100 ? ' (first 100)' : ''}</th>
              <td>{items.length}</td>
            </tr>
          </tbody>
        </table>
        <p>
          <Link href="/block">Start a call block →</Link>
        </p>
      </section>
    </div>
  );
}
