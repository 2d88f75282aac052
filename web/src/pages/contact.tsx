/**
 * One contact: who they are, their numbers by kind, their campaigns (and enrolling them in
 * another), the timeline of everything that happened, interests; snooze, do-not-call.
 */
import { type FormEvent, useState } from 'react';
import { describeError, post } from '../api/client.js';
import type { ContactDetail } from '../api/types.js';
import { telHref } from '../block/contact-card.js';
import { EnrollForm, InterestsForm } from '../contact/contact-actions.js';
import { ContactTimeline } from '../contact/timeline.js';
import { Link } from '../router.js';
import { useGet } from '../use-api.js';

export default function ContactPage({ id }: { id: number }) {
  const contact = useGet<ContactDetail>(`/api/v1/contacts/${id}`);
  if (contact.state === 'loading') return <p aria-busy="true">Loading…</p>;
  if (contact.state === 'error') {
    return (
      <div>
        <p className="error-text" role="alert">
          ⚠ {contact.message}
        </p>
        <Link href="/contacts">Back to contacts</Link>
      </div>
    );
  }
  const c = contact.data;
  return <ContactView contact={c} reload={contact.reload} />;
}

const STATE_WORDS: Record<string, string> = {
  new: 'not called yet',
  active: 'being called',
  snoozed: 'snoozed',
  appointment: 'appointment set',
  won: 'won',
  lost: 'lost',
  unreachable: 'unreachable (attempt limit)',
  dnc: 'do not call',
};

function ContactView({ contact: c, reload: reloadContact }: { contact: ContactDetail; reload: () => void }) {
  const [until, setUntil] = useState('');
  // Bumped by every change made here, so the timeline shows it too.
  const [version, setVersion] = useState(0);
  const reload = () => {
    reloadContact();
    setVersion((v) => v + 1);
  };
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const act = async (work: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ ok: true, text: await work() });
      reload();
    } catch (error) {
      setMessage({ ok: false, text: describeError(error) });
    }
  };
  const snooze = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await post(`/api/v1/contacts/${c.id}/snooze`, { until });
      setUntil('');
      return `Snoozed until ${until}.`;
    });
  };
  const doNotCall = () => {
    if (
      !window.confirm(
        `Put ${c.name || 'this contact'} on the do-not-call list? Nobody in the workspace will be offered them again.`,
      )
    )
      return;
    void act(async () => {
      await post('/api/v1/dnc', { target: String(c.id), reason: 'marked in the web app' });
      return 'On the do-not-call list.';
    });
  };
  const place = [c.city, c.region, c.country].filter(Boolean).join(', ');
  return (
    <div className="stack">
      <p>
        <Link href="/contacts">← Contacts</Link>
      </p>
      <header>
        <h1>
          {c.name || '(no name)'} {c.doNotCall ? <span className="tag warn">Do not call</span> : null}
        </h1>
        <p className="muted">{[c.title, c.company].filter(Boolean).join(', ') || '—'}</p>
        <p>
          <a href={`/api/v1/contacts/${c.id}/vcard`} download>
            Download as vCard
          </a>
        </p>
      </header>
      <section className="card" aria-labelledby="contact-numbers">
        <h2 id="contact-numbers">Numbers</h2>
        {c.numbers.length === 0 ? (
          <p className="muted">No numbers.</p>
        ) : (
          <ul className="numbers">
            {c.numbers.map((n) => (
              <li key={n.e164}>
                <span className="kind">{n.kind}</span>
                {n.doNotCall || !n.valid ? (
                  <span className="number struck">{n.e164}</span>
                ) : (
                  <a className="number" href={telHref(n)}>
                    {n.e164}
                    {n.extension ? ` ext. ${n.extension}` : ''}
                  </a>
                )}
                {n.doNotCall && <span className="tag warn">Do not call</span>}
                {!n.valid && <span className="tag warn">Not a working number</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="contact-campaigns">
        <h2 id="contact-campaigns">Campaigns</h2>
        {c.enrollments.length === 0 ? (
          <p className="muted">Not in any campaign.</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">Campaigns this contact is in</caption>
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Next call</th>
              </tr>
            </thead>
            <tbody>
              {c.enrollments.map((e) => (
                <tr key={e.id}>
                  <td>{e.campaign}</td>
                  <td>{STATE_WORDS[e.state] ?? e.state}</td>
                  <td>{e.attemptCount}</td>
                  <td>{e.nextDueAt ? new Date(e.nextDueAt).toLocaleString() : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <EnrollForm contact={c} onDone={reload} />
      </section>
      <ContactTimeline contactId={c.id} version={version} />
      <section className="card stack" aria-labelledby="contact-actions">
        <h2 id="contact-actions">Hold or stop</h2>
        <form className="field-row" onSubmit={snooze}>
          <div className="field grow">
            <label htmlFor="snooze-until">Snooze until</label>
            <input
              id="snooze-until"
              value={until}
              required
              placeholder="Monday 9am, in two weeks, back the 19th"
              onChange={(e) => setUntil(e.target.value)}
            />
          </div>
          <button type="submit">Snooze</button>
        </form>
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              role="switch"
              checked={c.doNotCall}
              aria-checked={c.doNotCall}
              disabled={c.doNotCall}
              aria-describedby="contact-dnc-hint"
              onChange={doNotCall}
            />{' '}
            Do not call
          </label>
          <span id="contact-dnc-hint" className="muted small">
            {c.doNotCall
              ? 'On: nobody in the workspace is offered this contact, and it is never lifted (rule 13).'
              : 'Off. Turning it on takes this contact out of everyone’s queue for good.'}
          </span>
        </div>
        {message ? (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'error-text'}>
            {message.ok ? '✓' : '⚠'} {message.text}
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="contact-about">
        <h2 id="contact-about">About</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : '—'}</dd>
          <dt>Where</dt>
          <dd>{place || '—'}</dd>
          <dt>Time zone</dt>
          <dd>{c.timeZone}</dd>
          <dt>Notes</dt>
          <dd className="notes">{c.notes || '—'}</dd>
        </dl>
        <InterestsForm key={c.interests} contact={c} onDone={reload} />
      </section>
    </div>
  );
}
