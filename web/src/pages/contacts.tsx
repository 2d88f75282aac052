/** Contact search: a name, a company, or a number typed any way. */
import { useEffect, useState } from 'react';
import { query } from '../api/client.js';
import type { ContactSummary } from '../api/types.js';
import { Link } from '../router.js';
import { useGet } from '../use-api.js';

export default function ContactsPage() {
  const initial = new URLSearchParams(window.location.search).get('q') ?? '';
  const [text, setText] = useState(initial);
  const [q, setQ] = useState(initial);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQ(text.trim());
      const url = text.trim() ? `/contacts${query({ q: text.trim() })}` : '/contacts';
      window.history.replaceState(null, '', url);
    }, 200);
    return () => window.clearTimeout(timer);
  }, [text]);
  const found = useGet<{ contacts: ContactSummary[] }>(`/api/v1/contacts${query({ q, limit: 50 })}`);

  return (
    <div>
      <h1>Contacts</h1>
      <div className="field search">
        <label htmlFor="contact-search">Search by name, company or number</label>
        <input
          id="contact-search"
          type="search"
          value={text}
          placeholder="Dana Lee, Acme, (212) 555-0134"
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {found.state === 'loading' && <p aria-busy="true">Searching…</p>}
      {found.state === 'error' && (
        <p className="error-text" role="alert">
          ⚠ {found.message}
        </p>
      )}
      {found.state === 'ready' &&
        (found.data.contacts.length === 0 ? (
          <p className="muted">No contact matches “{q}”.</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">Contacts found</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Company</th>
                <th scope="col">Title</th>
                <th scope="col">Time zone</th>
              </tr>
            </thead>
            <tbody>
              {found.data.contacts.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/contacts/${c.id}`}>{c.name || '(no name)'}</Link>
                    {c.doNotCall ? <span className="tag warn">Do not call</span> : null}
                  </td>
                  <td>{c.company ?? '—'}</td>
                  <td>{c.title || '—'}</td>
                  <td className="muted">{c.timeZone}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
}
