/**
 * A contact's timeline: every call made and received, voicemails, appointments, callback-list
 * entries and do-not-call changes, newest first, with older pages loaded on demand.
 */
import { useCallback, useEffect, useState } from 'react';
import { describeError, get, query } from '../api/client.js';
import type { TimelineEntry, TimelineJson } from '../api/types.js';
import { OUTCOME_BUTTONS } from '../outcomes.js';
import '../insights/insights.css';

const OUTCOME_WORDS = new Map<string, string>(OUTCOME_BUTTONS.map((b) => [b.outcome, b.label]));
const SCRIPT_WORDS: Record<string, string> = {
  intro: 'intro',
  follow_up: 'follow-up',
  break_up: 'break-up',
};
const CALLBACK_WORDS: Record<string, string> = {
  voicemail_left: 'a voicemail was left',
  callback_requested: 'they asked to be called back',
  appointment: 'an appointment',
  manual: 'circled by hand',
};
const KIND_WORDS: Record<TimelineEntry['kind'], string> = {
  attempt: 'Call',
  inbound_call: 'Call received',
  voicemail: 'Voicemail received',
  appointment: 'Appointment',
  callback_entry: 'On the callback list',
  do_not_call: 'Do not call',
};

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Entry({ entry: e }: { entry: TimelineEntry }) {
  const by = e.user ? ` · ${e.user}` : '';
  switch (e.kind) {
    case 'attempt':
      return (
        <>
          <span className="what">
            {KIND_WORDS.attempt}: {OUTCOME_WORDS.get(e.outcome) ?? e.outcome}
            {e.voicemailLeft ? <span className="tag">voicemail left</span> : null}
          </span>
          <p className="muted small">
            {[e.number, e.campaign, e.durationSeconds !== null ? `${e.durationSeconds} s` : null]
              .filter(Boolean)
              .join(' · ')}
            {by}
          </p>
          {e.voicemailLeft && e.script ? (
            <p className="small">Script: {SCRIPT_WORDS[e.script] ?? e.script} voicemail</p>
          ) : null}
          {e.scheduledFor ? <p className="small">For {when(e.scheduledFor)}</p> : null}
          {e.note ? <p className="notes">{e.note}</p> : null}
        </>
      );
    case 'inbound_call':
      return (
        <>
          <span className="what">
            {KIND_WORDS.inbound_call}: {e.action === 'ring' ? 'put through' : 'sent to voicemail'}
          </span>
          <p className="muted small">
            {e.from ?? 'unknown number'}
            {by}
          </p>
          {e.creditedTo ? (
            <p className="small">
              Callback for the {e.creditedTo.voicemail ? 'voicemail left' : 'call'} of {when(e.creditedTo.at)}
            </p>
          ) : null}
        </>
      );
    case 'voicemail':
      return (
        <>
          <span className="what">
            {KIND_WORDS.voicemail} ({e.durationSeconds} s)
          </span>
          <p className="muted small">
            {e.from ?? 'unknown number'}
            {by}
          </p>
          {e.transcription ? <p className="notes">“{e.transcription}”</p> : null}
          {/* biome-ignore lint/a11y/useMediaCaption: a caller's recording has no captions; the transcription above stands for them */}
          <audio controls preload="none" src={e.url} aria-label={`Voicemail of ${when(e.at)}`} />
        </>
      );
    case 'appointment':
      return (
        <>
          <span className="what">
            {KIND_WORDS.appointment}: {e.title || 'phone appointment'} <span className="tag">{e.status}</span>
          </span>
          <p className="muted small">
            {e.durationMinutes} min{by}
          </p>
        </>
      );
    case 'callback_entry':
      return (
        <>
          <span className="what">{KIND_WORDS.callback_entry}</span>
          <p className="muted small">
            Because {CALLBACK_WORDS[e.reason] ?? e.reason}, until{' '}
            {when(e.clearedAt && e.clearedAt < e.expiresAt ? e.clearedAt : e.expiresAt)}
            {e.clearedAt ? ' (cleared)' : ''}
            {by}
          </p>
        </>
      );
    case 'do_not_call':
      return (
        <>
          <span className="what">
            {KIND_WORDS.do_not_call}: {e.number ? `number ${e.number}` : 'the whole contact'}
          </span>
          <p className="muted small">
            {[e.reason, e.source].filter(Boolean).join(' · ')}
            {by}
          </p>
        </>
      );
  }
}

export function TimelineList({ entries }: { entries: readonly TimelineEntry[] }) {
  return (
    <ol className="timeline">
      {entries.map((e) => (
        <li key={`${e.kind}-${e.id}`}>
          <time dateTime={e.at}>{when(e.at)}</time>
          <div>
            <Entry entry={e} />
          </div>
        </li>
      ))}
    </ol>
  );
}

const PAGE = 25;

export function ContactTimeline({ contactId, version }: { contactId: number; version: number }) {
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'more'>('loading');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      setError(null);
      setState(after ? 'more' : 'loading');
      try {
        const page = await get<TimelineJson>(
          `/api/v1/contacts/${contactId}/timeline${query({ limit: PAGE, after })}`,
        );
        setEntries((held) => (after ? [...held, ...page.entries] : page.entries));
        setNext(page.next);
      } catch (e) {
        setError(describeError(e));
      } finally {
        setState('ready');
      }
    },
    [contactId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for a reload after a change on the page
  useEffect(() => {
    void load(null);
  }, [load, version]);

  return (
    <section className="card" aria-labelledby="contact-timeline" aria-busy={state !== 'ready'}>
      <h2 id="contact-timeline">Timeline</h2>
      {error ? (
        <p className="error-text" role="alert">
          ⚠ {error}
        </p>
      ) : null}
      {state === 'loading' ? <p aria-busy="true">Loading…</p> : null}
      {state !== 'loading' && entries.length === 0 && !error ? (
        <p className="muted">Nothing yet: no call made or received.</p>
      ) : null}
      {entries.length > 0 ? <TimelineList entries={entries} /> : null}
      {next ? (
        <p>
          <button type="button" onClick={() => void load(next)} disabled={state === 'more'}>
            {state === 'more' ? 'Loading…' : 'Show older'}
          </button>
        </p>
      ) : null}
    </section>
  );
}
