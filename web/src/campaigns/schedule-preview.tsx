/**
 * "If nobody ever answers": the calls a campaign's cadence would place for a sample contact,
 * asked of the server (GET /api/v1/campaigns/:id/preview, which runs the real engine) for the
 * policy as it is being edited, a moment after each change.
 */
import { useEffect, useState } from 'react';
import type { PreviewJson } from '../../../src/contracts/settings.js';
import type { CadencePolicy } from '../../../src/core/cadence/policy.js';
import { describeError, get, query } from '../api/client.js';

const SCRIPT_WORDS = {
  intro: 'intro voicemail',
  follow_up: 'follow-up voicemail',
  break_up: 'break-up voicemail',
};

/** Zones a sample contact is often in; any IANA zone may be typed. */
export const SAMPLE_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Australia/Sydney',
];

export type PreviewState =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; data: PreviewJson };

export function useSchedulePreview(
  campaignId: number,
  policy: CadencePolicy,
  urgency: string,
  zone: string,
  arm: 'leave' | 'skip',
  kind: 'business' | 'consumer' = 'business',
  delayMs = 250,
): PreviewState {
  const [result, setResult] = useState<PreviewState>({ state: 'loading' });
  const key = JSON.stringify(policy);
  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      const path = `/api/v1/campaigns/${campaignId}/preview${query({ zone: zone.trim(), kind, arm, urgency, policy: key })}`;
      get<PreviewJson>(path, abort.signal).then(
        (data) => setResult({ state: 'ready', data }),
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError') return;
          setResult({ state: 'error', message: describeError(error) });
        },
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [campaignId, key, urgency, zone, arm, kind, delayMs]);
  return result;
}

/** "Mon 23 Nov 09:00 voicemail · Tue 24 Nov 10:25 · …": the one-line form. */
export function scheduleLine(preview: PreviewJson): string {
  return preview.calls.map((c) => `${c.day} ${c.time}${c.voicemail ? ' voicemail' : ''}`).join(' · ');
}

export function SchedulePreview({ preview }: { preview: PreviewJson }) {
  if (preview.calls.length === 0) {
    return <p className="warn-text">△ No call fits the calling window in the next weeks: {preview.end}</p>;
  }
  return (
    <div className="stack">
      <ol className="schedule" aria-label={`Schedule in ${preview.zone}`}>
        {preview.calls.map((c) => (
          <li key={c.attempt}>
            <span className="visually-hidden">Call {c.attempt}: </span>
            <strong>
              {c.day} {c.time}
            </strong>
            {c.voicemail ? (
              <span className="tag">✉ {SCRIPT_WORDS[c.voicemail]}</span>
            ) : (
              <span className="muted small"> no message</span>
            )}
          </li>
        ))}
      </ol>
      <details>
        <summary>Why these times?</summary>
        <ol className="small">
          {preview.calls.map((c) => (
            <li key={c.attempt}>
              {c.day} {c.time}:{' '}
              {c.why || 'the first moment of the calling window after the contact enters the queue'}
            </li>
          ))}
        </ol>
      </details>
      <p className="small muted">
        After call {preview.calls.length}:{' '}
        {preview.endState === 'unreachable'
          ? 'the line in the sand — the contact is marked unreachable and leaves the queue.'
          : preview.end}
      </p>
    </div>
  );
}
