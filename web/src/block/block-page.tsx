/**
 * The call block: start it, work the queue one contact at a time, log each outcome and see
 * the next contact at once, end it and read the summary. Outcomes go through the outbox, so a
 * lost connection never loses a logged call.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { skipReasonWords } from '../../../src/core/block/skip.js';
import { ApiError, describeError, get, post, request } from '../api/client.js';
import type {
  BlockSummary,
  ContactDetail,
  LogResult,
  QueueItem,
  SkipResult,
  StartedBlock,
  UndoResult,
} from '../api/types.js';
import { useEvents } from '../events.js';
import { type AttemptBody, Outbox } from '../outbox.js';
import { outcomeLabel } from '../outcomes.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { showToast } from '../toasts.js';
import { useNow } from '../use-now.js';
import { EndDialog, ShortcutsDialog, SkipDialog } from './block-dialogs.js';
import {
  type BlockSession,
  countCall,
  dialsPerHour,
  EMPTY_STATS,
  formatClock,
  type LoggedCall,
  loadBlock,
  saveBlock,
} from './block-state.js';
import { ContactCard } from './contact-card.js';
import { OutcomeForm, type OutcomeInput } from './outcome-form.js';
import type { BlockAction } from './shortcuts.js';

const QUEUE_LENGTH = 6;
const RETRY_EVERY_MS = 5000;

const sendAttempt = (body: AttemptBody, key: string) =>
  request<LogResult>('POST', '/api/v1/attempts', { body, headers: { 'idempotency-key': key } });

export const outbox = new Outbox<LogResult>(localStorage, sendAttempt);

function usePending() {
  return useSyncExternalStore(outbox.subscribe, () => outbox.pending);
}

function useRefused() {
  return useSyncExternalStore(outbox.subscribe, () => outbox.refused);
}

/** Retries pending outcomes every few seconds and whenever the browser says it is back online. */
function useOutboxRetry() {
  useEffect(() => {
    const flush = () => void outbox.flush();
    flush();
    const timer = window.setInterval(() => {
      if (outbox.pending.length > 0) flush();
    }, RETRY_EVERY_MS);
    window.addEventListener('online', flush);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('online', flush);
    };
  }, []);
}

/** The `screening.decided` event, as src/app/screen.ts publishes it. */
interface ScreeningEvent {
  action?: string;
  /** True for a call put through during a block: the ones a rep is told about at once. */
  toast?: boolean;
  /** "Callback from Dana Lee, Acme — your voicemail of Tuesday". */
  whisper?: string | null;
  caller?: string;
  contact?: { name?: string; company?: string | null } | null;
}

/** A call put through during the block: who, and why it rang. */
function toastForScreening(data: unknown): void {
  const event = (data ?? {}) as ScreeningEvent;
  if (!event.toast) return;
  const who = event.contact?.name ?? event.caller ?? 'Unknown caller';
  showToast('Ringing your phone:', event.whisper ?? who);
}

/** The reasons a next step gives, rule by rule: behind a "why" disclosure. */
function Why({ reasons }: { reasons: readonly string[] | undefined }) {
  if (!reasons || reasons.length === 0) return null;
  return (
    <details className="why">
      <summary>Why</summary>
      <ul>
        {reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </details>
  );
}

export function BlockPage() {
  const [block, setBlockState] = useState<BlockSession | null>(() => loadBlock());
  const [ended, setEnded] = useState<{ block: BlockSession; summary: BlockSummary | null } | null>(null);
  const setBlock = useCallback((next: BlockSession | null) => {
    saveBlock(next);
    setBlockState(next);
  }, []);
  useOutboxRetry();

  if (ended) return <BlockSummaryView {...ended} onClose={() => setEnded(null)} />;
  if (!block) return <StartBlock onStart={setBlock} />;
  return (
    <WorkBlock
      block={block}
      onChange={setBlock}
      onEnd={async () => {
        let summary: BlockSummary | null = null;
        try {
          summary = await post<BlockSummary>('/api/v1/blocks/current/stop');
        } catch {
          // The block may have ended on the server already (its planned end passed).
        }
        setEnded({ block: { ...block, endsAt: new Date().toISOString() }, summary });
        setBlock(null);
      }}
    />
  );
}

function StartBlock({ onStart }: { onStart: (block: BlockSession) => void }) {
  const [minutes, setMinutes] = useState('60');
  const [campaign, setCampaign] = useState('');
  const startButton = useRef<HTMLButtonElement>(null);
  // Enter starts the block straight away.
  useEffect(() => startButton.current?.focus(), []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const now = Date.now();
    let id: number;
    let endsAt = new Date(now + Number(minutes) * 60_000).toISOString();
    try {
      // The server switches your screening; the calls are taken below, with the campaign.
      const started = await post<StartedBlock>('/api/v1/blocks', { minutes: Number(minutes), calls: 0 });
      id = started.block.id;
    } catch (e) {
      // A block already running (started on another device or tab) is picked up, not refused.
      const current =
        e instanceof ApiError && e.status === 409
          ? await get<{ block: StartedBlock['block'] | null }>('/api/v1/blocks/current').catch(() => null)
          : null;
      if (!current?.block) {
        setError(describeError(e));
        setBusy(false);
        return;
      }
      id = current.block.id;
      endsAt = current.block.plannedEndAt;
    }
    onStart({
      id,
      startedAt: new Date(now).toISOString(),
      endsAt,
      campaign: campaign.trim() || null,
      stats: EMPTY_STATS,
      log: [],
    });
  };
  return (
    <div className="narrow">
      <h1>Start a call block</h1>
      <p className="muted">
        Reserve the time, dial without distraction. During the block only the calls you are waiting for ring
        through.
      </p>
      <form className="card stack" onSubmit={(e) => void start(e)}>
        <div className="field">
          <label htmlFor="block-minutes">Length</label>
          <select id="block-minutes" value={minutes} onChange={(e) => setMinutes(e.target.value)}>
            {[15, 30, 45, 60, 90, 120].map((m) => (
              <option key={m} value={m}>
                {m} minutes
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="block-campaign">Campaign</label>
          <input
            id="block-campaign"
            value={campaign}
            placeholder="All campaigns"
            onChange={(e) => setCampaign(e.target.value)}
          />
          <p className="muted small">Leave empty to work every campaign.</p>
        </div>
        {error ? (
          <p className="error-text" role="alert">
            ⚠ {error}
          </p>
        ) : null}
        <button type="submit" className="primary" ref={startButton} disabled={busy}>
          Start block
        </button>
      </form>
    </div>
  );
}

function WorkBlock({
  block,
  onChange,
  onEnd,
}: {
  block: BlockSession;
  onChange: (block: BlockSession) => void;
  onEnd: () => Promise<void>;
}) {
  const [ending, setEnding] = useState(false);
  const now = useNow();
  const pending = usePending();
  const refused = useRefused();
  const [queue, setQueue] = useState<QueueItem[] | null>(null);
  const [queueError, setQueueError] = useState<string | null>(null);
  const [detail, setDetail] = useState<ContactDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [logError, setLogError] = useState<string | null>(null);
  const [last, setLast] = useState<LoggedCall | null>(block.log.at(-1) ?? null);
  /** What the last skip or undo did, in words. */
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'skip' | 'end' | 'help' | null>(null);
  const session = useSession();
  const shortcuts = session.user.keyboardShortcuts;
  const cardRef = useRef<HTMLElement>(null);
  /** Brought back by an undo: shown first when the queue answers. */
  const comeBack = useRef<number | null>(null);
  useEvents({ 'screening.decided': toastForScreening });
  /** Contacts logged in this block whose outcome has not reached the server: never offered again. */
  const done = useRef(new Set<number>(block.log.filter((c) => c.pending).map((c) => c.contactId)));

  /** Counts logged calls: a queue asked for before the latest log may still offer that contact. */
  const logs = useRef(0);

  const loadQueue = useCallback(async () => {
    const asked = logs.current;
    try {
      // Taken, not just looked at: leased to you until the block ends, so no colleague dials them.
      const leaseMinutes = Math.min(
        24 * 60,
        Math.max(1, Math.ceil((Date.parse(block.endsAt) - Date.now()) / 60_000)),
      );
      const { items } = await post<{ items: QueueItem[] }>('/api/v1/queue', {
        limit: QUEUE_LENGTH,
        leaseMinutes,
        ...(block.campaign ? { campaign: block.campaign } : {}),
      });
      // A newer log asks again; this answer may offer someone just called.
      if (asked !== logs.current) return;
      const back = comeBack.current;
      comeBack.current = null;
      const first = back === null ? -1 : items.findIndex((i) => i.contact.id === back);
      setQueue(first > 0 ? [items[first]!, ...items.filter((_, i) => i !== first)] : items);
      setQueueError(null);
    } catch (error) {
      setQueueError(describeError(error));
      setQueue((q) => q ?? []);
    }
  }, [block.campaign, block.endsAt]);

  useEffect(() => {
    void loadQueue();
  }, [loadQueue]);

  const visible = useMemo(() => (queue ?? []).filter((i) => !done.current.has(i.contact.id)), [queue]);
  const current = visible[0] ?? null;
  const currentId = current?.contact.id ?? null;

  useEffect(() => {
    setDetail(null);
    if (currentId === null) return;
    const abort = new AbortController();
    get<ContactDetail>(`/api/v1/contacts/${currentId}`, abort.signal).then(setDetail, () => undefined);
    return () => abort.abort();
  }, [currentId]);

  const log = async (input: OutcomeInput) => {
    if (!current) return;
    setBusy(true);
    setLogError(null);
    const body: AttemptBody = {
      contactId: current.contact.id,
      outcome: input.outcome,
      campaign: current.campaign,
      ...(input.when.trim() ? { when: input.when.trim() } : {}),
      ...(input.note.trim() ? { note: input.note.trim() } : {}),
      ...(current.number ? { number: current.number.e164 } : {}),
      ...(input.learnedNumber.trim()
        ? { learnedNumber: input.learnedNumber.trim(), learnedKind: input.learnedKind }
        : {}),
    };
    const label = `${current.contact.name} — ${outcomeLabel(input.outcome)}`;
    try {
      const sent = await outbox.submit(body, label);
      const call: LoggedCall = {
        contactId: current.contact.id,
        name: current.contact.name,
        outcome: input.outcome,
        at: new Date().toISOString(),
        next: sent.status === 'sent' ? sent.result.next.words : null,
        why: sent.status === 'sent' ? sent.result.next.reasons : [],
        pending: sent.status === 'pending',
      };
      if (call.pending) done.current.add(call.contactId);
      logs.current += 1;
      setLast(call);
      setNotice(null);
      onChange({ ...block, stats: countCall(block.stats, input.outcome), log: [...block.log, call] });
      // Show the next contact at once; the refreshed queue follows.
      setQueue((q) => (q ?? []).filter((i) => i.contact.id !== call.contactId));
      void loadQueue();
    } catch (error) {
      setLogError(error instanceof ApiError ? describeError(error) : `Not logged: ${describeError(error)}`);
    } finally {
      setBusy(false);
    }
  };

  const focusCard = useCallback(() => cardRef.current?.focus(), []);

  const skip = async (reason: SkipResult['reason']) => {
    setDialog(null);
    if (!current) return;
    setBusy(true);
    setLogError(null);
    try {
      const skipped = await post<SkipResult>('/api/v1/skips', {
        contactId: current.contact.id,
        campaign: current.campaign,
        ...(reason ? { reason } : {}),
      });
      logs.current += 1;
      onChange({ ...block, skips: (block.skips ?? 0) + 1 });
      setNotice(
        `Skipped ${current.contact.name}${reason ? ` (${skipReasonWords(reason)})` : ''}. ` +
          `${shortcuts ? 'Press U to undo' : 'Undo brings them back'} within 2 minutes.`,
      );
      setQueue((q) => (q ?? []).filter((i) => i.contact.id !== skipped.contactId));
      void loadQueue();
    } catch (error) {
      setLogError(`Not skipped: ${describeError(error)}`);
    } finally {
      setBusy(false);
      focusCard();
    }
  };

  const undo = async () => {
    setBusy(true);
    setLogError(null);
    try {
      const undone = await post<UndoResult>('/api/v1/undo');
      done.current.delete(undone.contactId);
      comeBack.current = undone.contactId;
      logs.current += 1;
      if (undone.kind === 'attempt') {
        const at = block.log.findLastIndex((c) => c.contactId === undone.contactId);
        const log = at < 0 ? block.log : block.log.filter((_, i) => i !== at);
        onChange({ ...block, log, stats: log.reduce((s, c) => countCall(s, c.outcome), EMPTY_STATS) });
        setLast(log.at(-1) ?? null);
      } else {
        onChange({ ...block, skips: Math.max(0, (block.skips ?? 0) - 1) });
      }
      setNotice(`Undone: ${undone.undone}. ${undone.name} is back on the card.`);
      await loadQueue();
    } catch (error) {
      setNotice(`Not undone: ${describeError(error)}`);
    } finally {
      setBusy(false);
      focusCard();
    }
  };

  const act = (action: BlockAction) => {
    switch (action) {
      case 'skip':
        if (current) setDialog('skip');
        return;
      case 'undo':
        void undo();
        return;
      case 'help':
        setDialog('help');
        return;
      case 'dial':
        cardRef.current?.querySelector<HTMLAnchorElement>('li.chosen a.number')?.click();
        return;
      case 'end':
        setDialog('end');
        return;
      case 'note':
      case 'number':
        // The form moves focus to its own fields.
        return;
    }
  };

  const setShortcuts = async (enabled: boolean) => {
    try {
      await request('PUT', '/api/v1/me/keyboard-shortcuts', { body: { enabled } });
      session.updateUser({ ...session.user, keyboardShortcuts: enabled });
    } catch (error) {
      setNotice(`The shortcut setting was not saved: ${describeError(error)}`);
    }
  };

  const remaining = Date.parse(block.endsAt) - now;
  const rate = dialsPerHour(block.stats, block.startedAt, now);

  return (
    <div className="block-layout">
      <section className="block-bar card" aria-label="Block">
        <div role="timer" aria-live="off" className="timer">
          <span className="big">{formatClock(remaining)}</span>
          <span className="muted small">{remaining >= 0 ? 'left in block' : 'over the planned end'}</span>
        </div>
        <dl className="stats">
          <div>
            <dt>Dials</dt>
            <dd>{block.stats.dials}</dd>
          </div>
          <div>
            <dt>Conversations</dt>
            <dd>{block.stats.conversations}</dd>
          </div>
          <div>
            <dt>Voicemails</dt>
            <dd>{block.stats.voicemails}</dd>
          </div>
          <div>
            <dt>Skips</dt>
            <dd>{block.skips ?? 0}</dd>
          </div>
          <div>
            <dt>Dials / hour</dt>
            <dd>{rate ?? '—'}</dd>
          </div>
        </dl>
        {pending.length > 0 ? (
          <p className="pending" role="status">
            ⏳ {pending.length} outcome{pending.length === 1 ? '' : 's'} waiting for the server — kept on this
            device and retried
          </p>
        ) : null}
        <div className="block-actions">
          <button type="button" onClick={() => setDialog('help')}>
            Shortcuts
            {shortcuts ? (
              <>
                {' '}
                <kbd>?</kbd>
              </>
            ) : null}
          </button>
          <button type="button" disabled={busy || current === null} onClick={() => act('skip')}>
            Skip
            {shortcuts ? (
              <>
                {' '}
                <kbd>s</kbd>
              </>
            ) : null}
          </button>
          <button type="button" disabled={busy} onClick={() => void undo()}>
            Undo
            {shortcuts ? (
              <>
                {' '}
                <kbd>u</kbd>
              </>
            ) : null}
          </button>
          <button
            type="button"
            disabled={ending}
            onClick={() => {
              setEnding(true);
              void onEnd();
            }}
          >
            End block
            {shortcuts ? (
              <>
                {' '}
                <kbd>e</kbd>
              </>
            ) : null}
          </button>
        </div>
      </section>

      {refused.map((r) => (
        <div key={r.key} className="card error-box" role="alert">
          <p>
            ⚠ The server refused “{r.label}”: {r.reason}
          </p>
          <button type="button" onClick={() => outbox.dismissRefused(r.key)}>
            Dismiss
          </button>
        </div>
      ))}

      {notice ? (
        <p className="last-logged block-notice" role="status" aria-live="polite">
          {notice}
        </p>
      ) : last ? (
        <div className="last-logged" role="status" aria-live="polite">
          Logged <strong>{outcomeLabel(last.outcome)}</strong> for {last.name}.{' '}
          {last.pending ? 'Pending: it will be sent when the server answers.' : last.next}
          <Why reasons={last.why} />
        </div>
      ) : null}

      <div className="block-main">
        {queue === null ? (
          <p aria-busy="true">Loading your queue…</p>
        ) : current ? (
          <>
            <ContactCard item={current} detail={detail} cardRef={cardRef} />
            <OutcomeForm
              contactId={current.contact.id}
              busy={busy}
              error={logError}
              onLog={log}
              shortcuts={shortcuts}
              paused={dialog !== null || ending}
              onAction={act}
              onLogged={focusCard}
            />
          </>
        ) : (
          <div className="card">
            <h2>Nobody to call right now</h2>
            <p className="muted">
              {queueError ??
                'Every contact in this queue is called, scheduled for later, or outside their calling hours.'}
            </p>
            <button type="button" onClick={() => void loadQueue()}>
              Check again
            </button>
          </div>
        )}
      </div>

      {dialog === 'skip' && current ? (
        <SkipDialog
          name={current.contact.name}
          onSkip={(r) => void skip(r)}
          onCancel={() => {
            setDialog(null);
            focusCard();
          }}
        />
      ) : null}
      {dialog === 'end' ? (
        <EndDialog
          onEnd={() => {
            setDialog(null);
            setEnding(true);
            void onEnd();
          }}
          onCancel={() => {
            setDialog(null);
            focusCard();
          }}
        />
      ) : null}
      {dialog === 'help' ? (
        <ShortcutsDialog
          enabled={shortcuts}
          onToggle={(enabled) => void setShortcuts(enabled)}
          onClose={() => {
            setDialog(null);
            focusCard();
          }}
        />
      ) : null}

      <aside className="card next-up" aria-labelledby="next-up-title">
        <h2 id="next-up-title">Next up</h2>
        {visible.length > 1 ? (
          <ol>
            {visible.slice(1).map((i) => (
              <li key={i.enrollmentId}>
                <strong>{i.contact.name}</strong>
                <span className="muted small">
                  {' '}
                  {i.contact.company ?? ''} · {i.localTime.time} their time · {i.reason}
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">Nobody else queued yet.</p>
        )}
      </aside>
    </div>
  );
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The figures of the block's report, as the server computed them. */
function SummaryFigures({ summary }: { summary: BlockSummary }) {
  const c = summary.counts;
  const figures: [string, string | number][] = [
    ['Dials', c.dials],
    ['Conversations', c.conversations],
    ['Voicemails left', c.voicemailsLeft],
    ['Appointments set', c.appointmentsSet],
    ['Callbacks received', c.callbacksReceived],
    ['Skips', c.skips],
    ['Dials per hour', summary.pace.dialsPerHour ?? '—'],
  ];
  return (
    <dl className="stats summary-figures">
      {figures.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ContactName({ contact }: { contact: { id: number; name: string; company: string | null } }) {
  return (
    <>
      <Link href={`/contacts/${contact.id}`}>{contact.name || '(no name)'}</Link>
      {contact.company ? `, ${contact.company}` : ''}
    </>
  );
}

export function BlockSummaryView({
  block,
  summary,
  onClose,
}: {
  block: BlockSession;
  summary: BlockSummary | null;
  onClose: () => void;
}) {
  const minutes =
    summary?.pace.minutes ??
    Math.max(1, Math.round((Date.parse(block.endsAt) - Date.parse(block.startedAt)) / 60_000));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="narrow stack">
      <h1 ref={heading} tabIndex={-1}>
        Block summary
      </h1>
      {summary ? (
        <section className="card" aria-labelledby="figures-title">
          <h2 id="figures-title">{minutes < 1 ? 'Under a minute' : count(minutes, 'minute')} of calls</h2>
          <SummaryFigures summary={summary} />
        </section>
      ) : (
        <p>
          {count(minutes, 'minute')}: {count(block.stats.dials, 'dial')},{' '}
          {count(block.stats.conversations, 'conversation')}, {count(block.stats.voicemails, 'voicemail')}{' '}
          left, {count(block.stats.appointments, 'appointment')} set. The server did not answer, so these are
          the figures this browser kept.
        </p>
      )}
      {summary ? (
        <section className="card" aria-labelledby="promises-title">
          <h2 id="promises-title">Promises you made</h2>
          {summary.promises.length === 0 ? (
            <p className="muted">No callbacks or appointments were agreed in this block.</p>
          ) : (
            <ul className="plain">
              {summary.promises.map((p) => (
                <li key={`${p.kind}-${p.contact.id}-${p.at}`}>
                  {p.kind === 'appointment' ? 'Appointment with ' : 'Call back '}
                  <ContactName contact={p.contact} /> — <strong>{p.yourTime}</strong>{' '}
                  <span className="muted small">your time ({p.zone})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <section className="card" aria-labelledby="calls-made">
        <h2 id="calls-made">Calls made</h2>
        {block.log.length === 0 ? (
          <p className="muted">No calls logged.</p>
        ) : (
          <ul className="plain">
            {block.log.map((c) => (
              <li key={`${c.contactId}-${c.at}`}>
                <Link href={`/contacts/${c.contactId}`}>{c.name}</Link> — {outcomeLabel(c.outcome)}
                {c.next ? <span className="muted small"> · {c.next}</span> : null}
                {c.pending ? <span className="tag">pending</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {summary ? (
        <section className="card" aria-labelledby="sent-to-voicemail">
          <h2 id="sent-to-voicemail">Calls sent to voicemail during the block</h2>
          <p className="muted small">
            Times are yours ({summary.zone}). {count(summary.rangThrough, 'call')} put through;{' '}
            {count(summary.sentToVoicemail.length, 'call')} sent to voicemail.
          </p>
          {summary.sentToVoicemail.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="plain">
              {summary.sentToVoicemail.map((v) => (
                <li key={v.decisionId}>
                  {v.contact ? <ContactName contact={v.contact} /> : <strong>{v.caller}</strong>} —{' '}
                  {v.yourTime}
                  <span className="muted small"> · {v.reason}</span>
                  {v.voicemail ? (
                    <span className="small">
                      {' '}
                      · <a href={v.voicemail.url}>voicemail ({v.voicemail.durationSeconds} s)</a>
                      {v.voicemail.transcription ? `: “${v.voicemail.transcription}”` : ''}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <button type="button" className="primary" onClick={onClose}>
        Start another block
      </button>
    </div>
  );
}
