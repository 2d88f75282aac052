/**
 * Calling hours: the workspace's default windows for new campaigns (an admin changes them;
 * everyone sees them) and the signed-in user's own hours, in their time zone.
 */
import { type FormEvent, useState } from 'react';
import type { CallingHoursJson, CallingWindowJson } from '../../../src/contracts/settings.js';
import { request } from '../api/client.js';
import { useGet } from '../use-api.js';
import { SaveStatus, useSave } from './use-save.js';
import { describeWindow, WindowFields, windowProblem } from './window-fields.js';

export function WorkspaceHoursForm({
  hours,
  canEdit,
  onSaved,
}: {
  hours: CallingHoursJson['workspace'];
  canEdit: boolean;
  onSaved: () => void;
}) {
  const [business, setBusiness] = useState(hours.business);
  const [consumer, setConsumer] = useState(hours.consumer);
  const save = useSave();
  if (!canEdit) {
    return (
      <dl className="facts">
        <dt>Business contacts</dt>
        <dd>{describeWindow(hours.business)}</dd>
        <dt>Consumers</dt>
        <dd>{describeWindow(hours.consumer)}</dd>
      </dl>
    );
  }
  const invalid = windowProblem(business) !== null || windowProblem(consumer) !== null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (
      await save.run(
        () => request('PUT', '/api/v1/calling-hours', { body: { business, consumer } }),
        'Saved.',
      )
    )
      onSaved();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Workspace calling hours">
      <WindowFields id="hours-business" legend="Business contacts" value={business} onChange={setBusiness} />
      <WindowFields id="hours-consumer" legend="Consumers" value={consumer} onChange={setConsumer} />
      <SaveStatus message={save.message} />
      <button type="submit" className="primary" disabled={save.busy || invalid}>
        Save default hours
      </button>
    </form>
  );
}

export function MyHoursForm({ data, onSaved }: { data: CallingHoursJson; onSaved: () => void }) {
  const [own, setOwn] = useState(data.mine !== null);
  const [hours, setHours] = useState<CallingWindowJson>(data.mine ?? data.workspace.business);
  const save = useSave();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (
      await save.run(
        () => request('PUT', '/api/v1/me/calling-hours', { body: { hours: own ? hours : null } }),
        'Saved.',
      )
    )
      onSaved();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Your calling hours">
      <p className="muted small">
        When you make calls, in your time zone ({data.timeZone}). The follow-ups you log are planned where
        these hours meet the contact’s window.
      </p>
      <label className="check">
        <input type="checkbox" checked={own} onChange={(e) => setOwn(e.target.checked)} /> Set my own hours
        (otherwise each campaign’s window alone; the workspace’s business hours are{' '}
        {describeWindow(data.workspace.business)})
      </label>
      {own ? (
        <WindowFields id="hours-mine" legend="My calling hours" value={hours} onChange={setHours} />
      ) : null}
      <SaveStatus message={save.message} />
      <button type="submit" disabled={save.busy || (own && windowProblem(hours) !== null)}>
        Save my hours
      </button>
    </form>
  );
}

export function CallingHoursSection({ isAdmin }: { isAdmin: boolean }) {
  const hours = useGet<CallingHoursJson>('/api/v1/calling-hours');
  return (
    <section className="card stack" aria-labelledby="calling-hours">
      <h2 id="calling-hours">Calling hours</h2>
      {hours.state === 'loading' ? <p aria-busy="true">Loading…</p> : null}
      {hours.state === 'error' ? (
        <p className="error-text" role="alert">
          ⚠ {hours.message}
        </p>
      ) : null}
      {hours.state === 'ready' ? (
        <>
          <h3>Workspace defaults</h3>
          <p className="muted small">
            New campaigns call contacts inside these windows, in the contact’s own time; never outside
            08:00–21:00 their time.
          </p>
          <WorkspaceHoursForm hours={hours.data.workspace} canEdit={isAdmin} onSaved={hours.reload} />
          <h3>Your hours</h3>
          <MyHoursForm data={hours.data} onSaved={hours.reload} />
        </>
      ) : null}
    </section>
  );
}
