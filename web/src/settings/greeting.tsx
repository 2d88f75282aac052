/**
 * The block greeting: what a caller sent to voicemail during a block hears. An admin edits the
 * template with the same lint the server runs and hears it back as a preview with their own
 * name; everyone else reads it.
 */
import { type FormEvent, useMemo, useState } from 'react';
import type { GreetingJson } from '../../../src/contracts/settings.js';
import { lintGreeting, renderGreeting } from '../../../src/core/screening/greeting.js';
import { request } from '../api/client.js';
import { useGet } from '../use-api.js';
import { SaveStatus, useSave } from './use-save.js';

/** The block end the preview pretends: a plausible one, not the clock's. */
export const PREVIEW_UNTIL = '11:30';

export function GreetingEditor({
  greeting,
  userName,
  canEdit,
  onSaved,
}: {
  greeting: GreetingJson;
  userName: string;
  canEdit: boolean;
  onSaved: () => void;
}) {
  const [text, setText] = useState(greeting.template ?? greeting.default);
  const findings = useMemo(() => lintGreeting(text), [text]);
  const preview = renderGreeting(text, { my_name: userName, until: PREVIEW_UNTIL });
  const save = useSave();
  const hasErrors = findings.some((f) => f.severity === 'error');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const template = text.trim() === greeting.default ? null : text;
    if (await save.run(() => request('PUT', '/api/v1/greeting', { body: { template } }), 'Greeting saved.'))
      onSaved();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Block greeting">
      <div className="field">
        <label htmlFor="greeting-text">
          Greeting{' '}
          <span className="muted small">
            ({text.length} of {greeting.maxChars} characters)
          </span>
        </label>
        <textarea
          id="greeting-text"
          rows={3}
          value={text}
          readOnly={!canEdit}
          aria-describedby="greeting-lint greeting-variables"
          onChange={(e) => setText(e.target.value)}
        />
        <ul id="greeting-lint" className="plain lint" aria-live="polite">
          {findings.length === 0 ? (
            <li className="ok small">✓ No problems found</li>
          ) : (
            findings.map((f) => (
              <li key={f.message} className={`small ${f.severity === 'error' ? 'error-text' : 'warn-text'}`}>
                {f.severity === 'error' ? '⚠ Error:' : '△ Warning:'} {f.message}
              </li>
            ))
          )}
        </ul>
      </div>
      <div id="greeting-variables">
        <p className="small">Variables:</p>
        <ul className="small">
          {Object.entries(greeting.variables).map(([name, meaning]) => (
            <li key={name}>
              <code>{`{{${name}}}`}</code> — {meaning}
            </li>
          ))}
        </ul>
      </div>
      <div>
        <p className="small">Callers hear (with a block ending at {PREVIEW_UNTIL}):</p>
        <blockquote className="greeting-preview" aria-label="Greeting preview">
          {preview}
        </blockquote>
      </div>
      <SaveStatus message={save.message} />
      {canEdit ? (
        <div className="actions">
          <button type="submit" className="primary" disabled={save.busy || hasErrors}>
            Save greeting
          </button>
          <button type="button" onClick={() => setText(greeting.default)}>
            Back to the built-in greeting
          </button>
        </div>
      ) : (
        <p className="muted small">Admins can change the greeting.</p>
      )}
    </form>
  );
}

export function GreetingSection({ isAdmin, userName }: { isAdmin: boolean; userName: string }) {
  const greeting = useGet<GreetingJson>('/api/v1/greeting');
  return (
    <section className="card stack" aria-labelledby="greeting">
      <h2 id="greeting">Block greeting</h2>
      <p className="muted small">
        What callers hear when your block sends them to voicemail. Outside a block they hear a plain “can’t
        take your call” message.
      </p>
      {greeting.state === 'loading' ? <p aria-busy="true">Loading…</p> : null}
      {greeting.state === 'error' ? (
        <p className="error-text" role="alert">
          ⚠ {greeting.message}
        </p>
      ) : null}
      {greeting.state === 'ready' ? (
        <GreetingEditor
          greeting={greeting.data}
          userName={userName}
          canEdit={isAdmin}
          onSaved={greeting.reload}
        />
      ) : null}
    </section>
  );
}
