/**
 * The telephony provider, for admins: what is set up (the auth token only as its last four
 * characters, never in full), the webhook URL to paste into the provider's console, and a
 * form to change it. The provider API replaces the whole setting, so the token is typed again
 * to save; the parts this form does not show (voicemail drops, deadline, API URL) are sent back
 * as they were.
 */
import { type FormEvent, useState } from 'react';
import type { TelephonyView } from '../../../src/contracts/settings.js';
import { request } from '../api/client.js';
import { useGet } from '../use-api.js';
import { SaveStatus, useSave } from './use-save.js';

/** "+12125550111 rex@ex.test" lines ⇄ the numbers map. */
export function numbersToText(numbers: Record<string, string>): string {
  return Object.entries(numbers)
    .map(([n, email]) => `${n} ${email}`)
    .join('\n');
}

export function textToNumbers(text: string): { numbers: Record<string, string>; problems: string[] } {
  const numbers: Record<string, string> = {};
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const parts = line.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) return;
    if (parts.length !== 2 || !/^\+[1-9]\d{6,14}$/.test(parts[0]!) || !parts[1]!.includes('@')) {
      problems.push(`line ${i + 1}: write “+12125550111 name@example.com”`);
      return;
    }
    numbers[parts[0]!] = parts[1]!;
  });
  return { numbers, problems };
}

export function TelephonyForm({ view, onSaved }: { view: TelephonyView; onSaved: () => void }) {
  const [accountSid, setAccountSid] = useState(view.accountSid ?? '');
  const [authToken, setAuthToken] = useState('');
  const [callerId, setCallerId] = useState(view.callerId ?? '');
  const [numbersText, setNumbersText] = useState(numbersToText(view.numbers));
  const save = useSave();
  const parsed = textToNumbers(numbersText);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      accountSid,
      authToken,
      callerId,
      numbers: parsed.numbers,
      voicemailDrops: view.voicemailDrops,
      ...(view.recordCalls ? { recordCalls: true } : {}),
      ...(view.apiBaseUrl ? { apiBaseUrl: view.apiBaseUrl } : {}),
      ...(view.deadlineMs ? { deadlineMs: view.deadlineMs } : {}),
    };
    if (await save.run(() => request('PUT', '/api/v1/telephony', { body }), 'Provider saved.')) {
      setAuthToken('');
      onSaved();
    }
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Telephony provider">
      <div className="field-row">
        <div className="field grow">
          <label htmlFor="tel-sid">Account SID</label>
          <input id="tel-sid" required value={accountSid} onChange={(e) => setAccountSid(e.target.value)} />
        </div>
        <div className="field grow">
          <label htmlFor="tel-token">
            Auth token{' '}
            <span className="muted small">
              {view.authTokenHint ? `(saved: ${view.authTokenHint}; type it again to save changes)` : ''}
            </span>
          </label>
          <input
            id="tel-token"
            type="password"
            autoComplete="off"
            required
            value={authToken}
            onChange={(e) => setAuthToken(e.target.value)}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor="tel-caller">Caller ID (E.164, shown on outbound calls)</label>
        <input
          id="tel-caller"
          required
          placeholder="+12125550100"
          value={callerId}
          onChange={(e) => setCallerId(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="tel-numbers">Inbound numbers, one per line: the number, then the user it rings</label>
        <textarea
          id="tel-numbers"
          rows={3}
          value={numbersText}
          aria-describedby="tel-numbers-problems"
          onChange={(e) => setNumbersText(e.target.value)}
        />
        <ul id="tel-numbers-problems" className="plain" aria-live="polite">
          {parsed.problems.map((p) => (
            <li key={p} className="error-text small">
              ⚠ {p}
            </li>
          ))}
        </ul>
      </div>
      <SaveStatus message={save.message} />
      <button type="submit" className="primary" disabled={save.busy || parsed.problems.length > 0}>
        Save provider
      </button>
    </form>
  );
}

export function TelephonySection() {
  const view = useGet<TelephonyView>('/api/v1/telephony');
  return (
    <section className="card stack" aria-labelledby="telephony">
      <h2 id="telephony">Telephony provider</h2>
      {view.state === 'loading' ? <p aria-busy="true">Loading…</p> : null}
      {view.state === 'error' ? (
        <p className="error-text" role="alert">
          ⚠ {view.message}
        </p>
      ) : null}
      {view.state === 'ready' ? (
        <>
          {view.data.configured ? (
            <dl className="facts">
              <dt>Provider</dt>
              <dd>{view.data.provider === 'twilio' ? 'Twilio (TwiML)' : view.data.provider}</dd>
              <dt>Account</dt>
              <dd>{view.data.accountSid}</dd>
              <dt>Auth token</dt>
              <dd>
                <code>{view.data.authTokenHint}</code>
              </dd>
              <dt>Caller ID</dt>
              <dd>{view.data.callerId}</dd>
            </dl>
          ) : (
            <p className="muted">
              No provider yet: numbers are <code>tel:</code> links and outcomes are logged by hand.
            </p>
          )}
          <p className="small">
            Voice webhook for the provider’s console: <code className="secret">{view.data.webhookUrl}</code>
          </p>
          <TelephonyForm view={view.data} onSaved={view.reload} />
        </>
      ) : null}
    </section>
  );
}
