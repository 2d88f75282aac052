/**
 * Settings: you and your calling hours, the workspace's default calling hours, the block
 * greeting, the holiday calendar, the telephony provider, users and roles (admins; managers see the users) and
 * outgoing webhooks (admins), and personal API tokens. Each section shows only what the signed-in role may see or change.
 */
import { type FormEvent, useState } from 'react';
import { describeError, post, request } from '../api/client.js';
import type { ApiToken } from '../api/types.js';
import { useSession } from '../session.js';
import { CallingHoursSection } from '../settings/calling-hours.js';
import { GreetingSection } from '../settings/greeting.js';
import { HolidaysSection } from '../settings/holidays.js';
import { TelephonySection } from '../settings/telephony.js';
import { UsersSection } from '../settings/users.js';
import { WebhooksSection } from '../settings/webhooks.js';
import { useGet } from '../use-api.js';

export default function SettingsPage() {
  const { user } = useSession();
  const isAdmin = user.role === 'admin';
  const tokens = useGet<{ tokens: ApiToken[] }>('/api/v1/tokens');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const token = await post<ApiToken & { token: string }>('/api/v1/tokens', { name });
      setCreated(token.token);
      setName('');
      if (tokens.state === 'ready') tokens.reload();
    } catch (e) {
      setError(describeError(e));
    }
  };

  const revoke = async (id: number) => {
    setError(null);
    try {
      await request('DELETE', `/api/v1/tokens/${id}`);
      if (tokens.state === 'ready') tokens.reload();
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <div className="stack">
      <h1>Settings</h1>
      <section className="card" aria-labelledby="you">
        <h2 id="you">You</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{user.name || '—'}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
        </dl>
      </section>
      <CallingHoursSection isAdmin={isAdmin} />
      <GreetingSection isAdmin={isAdmin} userName={user.name} />
      <HolidaysSection isAdmin={isAdmin} />
      {isAdmin ? <TelephonySection /> : null}
      {user.role !== 'rep' ? <UsersSection meId={user.id} isAdmin={isAdmin} /> : null}
      {isAdmin ? <WebhooksSection /> : null}
      <section className="card stack" aria-labelledby="tokens">
        <h2 id="tokens">API tokens</h2>
        <p className="muted">
          For the <code>ringback</code> command and integrations: send as <code>Authorization: Bearer …</code>
          .
        </p>
        <form className="field-row" onSubmit={create}>
          <div className="field grow">
            <label htmlFor="token-name">Token name</label>
            <input id="token-name" required value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" className="primary">
            Create token
          </button>
        </form>
        {created ? (
          <p role="status" className="notice">
            Copy it now, it is shown only once: <code className="secret">{created}</code>
          </p>
        ) : null}
        {error ? (
          <p className="error-text" role="alert">
            ⚠ {error}
          </p>
        ) : null}
        {tokens.state === 'ready' && (
          <table className="table">
            <caption className="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{new Date(t.createdAt).toLocaleString()}</td>
                  <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</td>
                  <td>
                    {t.revokedAt ? (
                      <span className="muted">revoked</span>
                    ) : (
                      <button type="button" onClick={() => void revoke(t.id)}>
                        Revoke <span className="visually-hidden">{t.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
