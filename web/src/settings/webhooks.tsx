/**
 * Outgoing webhooks, for admins: subscribe a URL to events (its signing secret is shown once),
 * and see each endpoint's deliveries, its latest error and whether it was disabled after its
 * retries ran out, with a button that enables it and sends its failed deliveries again.
 */
import { type FormEvent, useState } from 'react';
import type { AddedWebhook, WebhookEndpoint } from '../../../src/contracts/webhooks.js';
import { WEBHOOK_EVENTS } from '../../../src/core/webhooks/events.js';
import { post, request } from '../api/client.js';
import { useGet } from '../use-api.js';
import { SaveStatus, useSave } from './use-save.js';

const when = (iso: string) => new Date(iso).toLocaleString();

function AddWebhookForm({ onAdded }: { onAdded: () => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([...WEBHOOK_EVENTS]);
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [added, setAdded] = useState<AddedWebhook | null>(null);
  const save = useSave();
  const toggle = (event: string, on: boolean) =>
    setEvents((current) => WEBHOOK_EVENTS.filter((e) => (e === event ? on : current.includes(e))));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    let result: AddedWebhook | null = null;
    const ok = await save.run(async () => {
      result = await post<AddedWebhook>('/api/v1/webhooks', { url, events, allowPrivate });
    }, 'Webhook added.');
    if (ok && result) {
      setAdded(result);
      setUrl('');
      onAdded();
    }
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Add a webhook">
      <div className="field">
        <label htmlFor="webhook-url">URL to send events to</label>
        <input
          id="webhook-url"
          type="url"
          required
          placeholder="https://n8n.example.com/webhook/ringback"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </div>
      <fieldset className="days">
        <legend className="legend">Events to send</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event} className="check">
            <input
              type="checkbox"
              checked={events.includes(event)}
              onChange={(e) => toggle(event, e.target.checked)}
            />{' '}
            <code>{event}</code>
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={allowPrivate} onChange={(e) => setAllowPrivate(e.target.checked)} />{' '}
        Allow private addresses (a receiver on this server or your own network)
      </label>
      <SaveStatus message={save.message} />
      {added ? (
        <p role="status" className="notice">
          Copy the signing secret now, it is shown only once: <code className="secret">{added.secret}</code>
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={save.busy || events.length === 0}>
        Add webhook
      </button>
    </form>
  );
}

function EndpointRow({ endpoint, onChanged }: { endpoint: WebhookEndpoint; onChanged: () => void }) {
  const save = useSave();
  const replay = () =>
    save.run(async () => {
      await post(`/api/v1/webhooks/${endpoint.id}/replay`);
      onChanged();
    }, 'Enabled; failed deliveries go out again.');
  const remove = () =>
    save.run(async () => {
      await request('DELETE', `/api/v1/webhooks/${endpoint.id}`);
      onChanged();
    }, 'Removed.');
  const all = endpoint.events.length === WEBHOOK_EVENTS.length;
  return (
    <tr>
      <td className="url-cell">
        <code className="wrap-anywhere">{endpoint.url}</code>
        {endpoint.allowPrivate ? <div className="muted small">private addresses allowed</div> : null}
      </td>
      <td className="small">{all ? 'all events' : endpoint.events.join(', ')}</td>
      <td>
        {endpoint.disabledAt ? (
          <>
            <strong className="error-text">Disabled</strong>
            <div className="small">since {when(endpoint.disabledAt)}</div>
          </>
        ) : (
          'Enabled'
        )}
      </td>
      <td className="small">
        {endpoint.delivered} delivered, {endpoint.pending} waiting, {endpoint.failed} failed
      </td>
      <td className="small">
        {endpoint.lastError && endpoint.lastErrorAt ? (
          <>
            <span className="error-text">{endpoint.lastError}</span>
            <div className="muted">{when(endpoint.lastErrorAt)}</div>
          </>
        ) : (
          <span className="muted">none</span>
        )}
      </td>
      <td>
        <div className="field-row">
          {endpoint.disabledAt || endpoint.failed > 0 ? (
            <button type="button" disabled={save.busy} onClick={() => void replay()}>
              Replay <span className="visually-hidden">{endpoint.url}</span>
            </button>
          ) : null}
          <button type="button" disabled={save.busy} onClick={() => void remove()}>
            Remove <span className="visually-hidden">{endpoint.url}</span>
          </button>
        </div>
        <SaveStatus message={save.message?.ok ? null : save.message} />
      </td>
    </tr>
  );
}

export function WebhooksSection() {
  const list = useGet<{ webhooks: WebhookEndpoint[] }>('/api/v1/webhooks');
  const reload = () => {
    if (list.state === 'ready') list.reload();
  };
  return (
    <section className="card stack" aria-labelledby="webhooks">
      <h2 id="webhooks">Webhooks</h2>
      <p className="muted">
        Ringback posts each event as JSON, signed to the Standard Webhooks specification (headers{' '}
        <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>). A receiver
        that fails is retried for three days, then disabled until you replay it.
      </p>
      <AddWebhookForm onAdded={reload} />
      {list.state === 'loading' ? <p aria-busy="true">Loading…</p> : null}
      {list.state === 'error' ? (
        <p className="error-text" role="alert">
          ⚠ {list.message}
        </p>
      ) : null}
      {list.state === 'ready' && list.data.webhooks.length === 0 ? (
        <p className="muted">No webhooks yet.</p>
      ) : null}
      {list.state === 'ready' && list.data.webhooks.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">Webhook endpoints</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col">Deliveries</th>
              <th scope="col">Latest error</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.webhooks.map((endpoint) => (
              <EndpointRow key={endpoint.id} endpoint={endpoint} onChanged={reload} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
