/**
 * Campaigns: each one's cadence policy in plain words with the schedule it gives a contact who
 * never answers (run by the server's cadence engine, following the policy as it is edited), a
 * policy editor for managers and admins, and the scripts in an editor that lints as you type —
 * with the same lint the server runs (core/scripts/lint), so what you see here is what saving
 * reports.
 */
import { type FormEvent, useMemo, useState } from 'react';
import type { CampaignJson } from '../../../src/contracts/campaigns.js';
import type { CadencePolicy } from '../../../src/core/cadence/policy.js';
import { breakUpFrom } from '../../../src/core/cadence/voicemail.js';
import { estimateSpokenLength, lintScripts, MAX_SECONDS } from '../../../src/core/scripts/lint.js';
import type { CampaignScripts } from '../../../src/core/scripts/schema.js';
import { describeError, request } from '../api/client.js';
import { PolicyEditor, policyProblem } from '../campaigns/policy-editor.js';
import { SAMPLE_ZONES, SchedulePreview, useSchedulePreview } from '../campaigns/schedule-preview.js';
import { useSession } from '../session.js';
import { useGet } from '../use-api.js';

const VOICEMAIL_WORDS: Record<string, string> = {
  always: 'leave a voicemail every time',
  never: 'never leave a voicemail',
  first_and_last: 'leave one on the first try and the break-up only',
  experiment: 'an experiment: each contact is randomly assigned to get voicemails or not',
};

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function policyInWords(policy: CadencePolicy, urgency: string): string[] {
  const spacing = policy.spacingDays[urgency as 'high' | 'normal' | 'low'] ?? policy.spacingDays.normal;
  const window = policy.businessWindow;
  return [
    `No answer and no message: try again the same day if ${policy.sameDayRetryMinHoursLeft} hours of their calling hours remain (at most ${policy.maxAttemptsPerDay} tries a day), otherwise the next business day.`,
    `After a voicemail: ${policy.afterVoicemailBusinessDays.min}–${policy.afterVoicemailBusinessDays.max} business days later; they stay on your callback list at least ${policy.callbackListMinDays} days.`,
    `From try ${policy.urgencySpacingFromAttempt}: every ${spacing.min}–${spacing.max} days (${urgency} urgency), at a different time of day and weekday each time.`,
    `Voicemails: ${VOICEMAIL_WORDS[policy.voicemail] ?? policy.voicemail}; the break-up message ${policy.breakUpOn === 'before_last' ? `from try ${breakUpFrom(policy)}` : `on try ${breakUpFrom(policy)}`}, and no call after it.`,
    `Stop after ${policy.attemptLimit} tries without a conversation.`,
    `Business contacts are called ${window.start}–${window.end} their time, ${window.days.map((d) => DAY_NAMES[d]).join(', ')}.`,
    `Consumers are called ${policy.consumerWindow.start}–${policy.consumerWindow.end} their time, ${policy.consumerWindow.days.map((d) => DAY_NAMES[d]).join(', ')}; never outside 08:00–21:00 their time.`,
  ];
}

const SCRIPT_FIELDS: {
  kind: keyof typeof MAX_SECONDS;
  label: string;
  get: (s: CampaignScripts) => string;
}[] = [
  { kind: 'elevator', label: 'Elevator speech', get: (s) => s.elevator },
  { kind: 'voicemail_intro', label: 'Voicemail: introduction', get: (s) => s.voicemail.intro },
  { kind: 'voicemail_follow_up', label: 'Voicemail: follow-up', get: (s) => s.voicemail.follow_up },
  { kind: 'voicemail_break_up', label: 'Voicemail: break-up', get: (s) => s.voicemail.break_up },
  { kind: 'gatekeeper', label: 'For the gatekeeper', get: (s) => s.gatekeeper },
];

function withScript(s: CampaignScripts, kind: string, text: string): CampaignScripts {
  switch (kind) {
    case 'elevator':
      return { ...s, elevator: text };
    case 'gatekeeper':
      return { ...s, gatekeeper: text };
    case 'voicemail_intro':
      return { ...s, voicemail: { ...s.voicemail, intro: text } };
    case 'voicemail_follow_up':
      return { ...s, voicemail: { ...s.voicemail, follow_up: text } };
    default:
      return { ...s, voicemail: { ...s.voicemail, break_up: text } };
  }
}

function ScriptEditor({ campaign, onSaved }: { campaign: CampaignJson; onSaved: () => void }) {
  const { user } = useSession();
  const [scripts, setScripts] = useState(campaign.scripts as unknown as CampaignScripts);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const known = useMemo(() => ({ topic: campaign.topic }), [campaign.topic]);
  const findings = useMemo(() => lintScripts(scripts, { known }), [scripts, known]);
  const canEdit = user.role !== 'rep';

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      await request('PATCH', `/api/v1/campaigns/${campaign.id}`, { body: { scripts } });
      setMessage({ ok: true, text: 'Scripts saved.' });
      onSaved();
    } catch (error) {
      setMessage({ ok: false, text: describeError(error) });
    }
  };

  return (
    <form className="stack" onSubmit={save}>
      {SCRIPT_FIELDS.map((f) => {
        const text = f.get(scripts);
        const { seconds } = estimateSpokenLength(text, { known });
        const max = MAX_SECONDS[f.kind];
        const mine = findings.filter((x) => x.script === f.kind);
        const id = `script-${campaign.id}-${f.kind}`;
        return (
          <div className="field" key={f.kind}>
            <label htmlFor={id}>
              {f.label}{' '}
              <span className="muted small">
                about {Math.round(seconds)} s spoken{max ? ` (at most ${max} s)` : ''}
              </span>
            </label>
            <textarea
              id={id}
              rows={3}
              value={text}
              readOnly={!canEdit}
              aria-describedby={`${id}-lint`}
              onChange={(e) => setScripts(withScript(scripts, f.kind, e.target.value))}
            />
            <ul id={`${id}-lint`} className="plain lint" aria-live="polite">
              {mine.length === 0 ? (
                <li className="ok small">✓ No problems found</li>
              ) : (
                mine.map((x) => (
                  <li key={x.code} className={`small ${x.severity === 'error' ? 'error-text' : 'warn-text'}`}>
                    {x.severity === 'error' ? '⚠ Error:' : '△ Warning:'} {x.message}
                  </li>
                ))
              )}
            </ul>
          </div>
        );
      })}
      {message ? (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'error-text'}>
          {message.text}
        </p>
      ) : null}
      {canEdit ? (
        <button type="submit" className="primary">
          Save scripts
        </button>
      ) : (
        <p className="muted small">Managers and admins can change scripts.</p>
      )}
    </form>
  );
}

type Urgency = 'high' | 'normal' | 'low';

function CadenceSection({ campaign, onSaved }: { campaign: CampaignJson; onSaved: () => void }) {
  const { user } = useSession();
  const canEdit = user.role !== 'rep';
  const saved = campaign.policy as unknown as CadencePolicy;
  const [policy, setPolicy] = useState(saved);
  const [urgency, setUrgency] = useState(campaign.urgency as Urgency);
  const [editing, setEditing] = useState(false);
  const [zone, setZone] = useState('');
  const [arm, setArm] = useState<'leave' | 'skip'>('leave');
  const [kind, setKind] = useState<'business' | 'consumer'>('business');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const problem = policyProblem(policy);
  // An unfinished edit (an empty number, say) keeps showing the last valid schedule's policy.
  const preview = useSchedulePreview(campaign.id, problem ? saved : policy, urgency, zone, arm, kind);
  const dirty = JSON.stringify(policy) !== JSON.stringify(saved) || urgency !== campaign.urgency;
  const id = `cadence-${campaign.id}`;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      await request('PATCH', `/api/v1/campaigns/${campaign.id}`, { body: { policy, urgency } });
      setMessage({ ok: true, text: 'Cadence saved.' });
      onSaved();
    } catch (error) {
      setMessage({ ok: false, text: describeError(error) });
    }
  };

  return (
    <form className="stack" onSubmit={save} aria-labelledby={`${id}-words`}>
      <h3 id={`${id}-words`}>The cadence, in plain words</h3>
      <ul>
        {policyInWords(policy, urgency).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <h3 id={`${id}-preview`}>If nobody ever answers</h3>
      <div className="field-row">
        <div className="field grow">
          <label htmlFor={`${id}-zone`}>Sample contact’s time zone</label>
          <input
            id={`${id}-zone`}
            list={`${id}-zones`}
            placeholder="the workspace’s zone"
            value={zone}
            onChange={(e) => setZone(e.target.value)}
          />
          <datalist id={`${id}-zones`}>
            {SAMPLE_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Sample contact</label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(e) => setKind(e.target.value as 'business' | 'consumer')}
          >
            <option value="business">A business contact</option>
            <option value="consumer">A consumer</option>
          </select>
        </div>
        {policy.voicemail === 'experiment' ? (
          <div className="field">
            <label htmlFor={`${id}-arm`}>Experiment arm</label>
            <select id={`${id}-arm`} value={arm} onChange={(e) => setArm(e.target.value as 'leave' | 'skip')}>
              <option value="leave">Gets voicemails</option>
              <option value="skip">Gets none</option>
            </select>
          </div>
        ) : null}
      </div>
      <div aria-live="polite" aria-busy={preview.state === 'loading'}>
        {preview.state === 'loading' ? <p className="muted">Working out the schedule…</p> : null}
        {preview.state === 'error' ? (
          <p className="error-text" role="alert">
            ⚠ {preview.message}
          </p>
        ) : null}
        {preview.state === 'ready' ? <SchedulePreview preview={preview.data} /> : null}
      </div>
      {canEdit ? (
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? 'Hide the cadence settings' : 'Change the cadence'}
        </button>
      ) : (
        <p className="muted small">Managers and admins can change the cadence.</p>
      )}
      {editing ? (
        <>
          <PolicyEditor
            id={id}
            policy={policy}
            urgency={urgency}
            onChange={(p, u) => {
              setPolicy(p);
              setUrgency(u);
            }}
          />
          {problem ? (
            <p className="error-text" role="alert">
              ⚠ {problem}
            </p>
          ) : null}
        </>
      ) : null}
      {message ? (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'error-text'}>
          {message.text}
        </p>
      ) : null}
      {editing ? (
        <div className="actions">
          <button type="submit" className="primary" disabled={!dirty || problem !== null}>
            Save cadence
          </button>
          <button
            type="button"
            disabled={!dirty}
            onClick={() => {
              setPolicy(saved);
              setUrgency(campaign.urgency as Urgency);
            }}
          >
            Undo changes
          </button>
        </div>
      ) : null}
    </form>
  );
}

export default function CampaignsPage() {
  const campaigns = useGet<{ campaigns: CampaignJson[] }>('/api/v1/campaigns');
  const [open, setOpen] = useState<number | null>(null);
  if (campaigns.state === 'loading') return <p aria-busy="true">Loading…</p>;
  if (campaigns.state === 'error') {
    return (
      <p className="error-text" role="alert">
        ⚠ {campaigns.message}
      </p>
    );
  }
  const list = campaigns.data.campaigns.filter((c) => !c.archived);
  return (
    <div className="stack">
      <h1>Campaigns</h1>
      {list.length === 0 ? (
        <p className="muted">No campaigns yet: importing contacts into one creates it.</p>
      ) : null}
      {list.map((c) => (
        <section key={c.id} className="card stack" aria-labelledby={`campaign-${c.id}`}>
          <header className="contact-head">
            <div>
              <h2 id={`campaign-${c.id}`}>{c.name}</h2>
              <p className="muted small">
                {c.kind.replace('_', ' ')} · {c.urgency} urgency{c.topic ? ` · ${c.topic}` : ''}
              </p>
            </div>
            <p>
              {c.lint.length === 0 ? (
                <span className="ok">✓ Scripts lint clean</span>
              ) : (
                <span className="warn-text">
                  △ {c.lint.length} script finding{c.lint.length === 1 ? '' : 's'}
                </span>
              )}
            </p>
          </header>
          <CadenceSection campaign={c} onSaved={campaigns.reload} />
          <button
            type="button"
            aria-expanded={open === c.id}
            onClick={() => setOpen(open === c.id ? null : c.id)}
          >
            {open === c.id ? 'Hide scripts' : 'Edit scripts'}
          </button>
          {open === c.id ? <ScriptEditor campaign={c} onSaved={campaigns.reload} /> : null}
        </section>
      ))}
    </div>
  );
}
