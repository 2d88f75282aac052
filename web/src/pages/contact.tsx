/** One contact: who they are, their numbers by kind, do-not-call. */
import type { ContactDetail } from '../api/types.js';
import { telHref } from '../block/contact-card.js';
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
      </section>
    </div>
  );
}
