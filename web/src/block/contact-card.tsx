/**
 * The contact being called: who, where and what time it is for them, the numbers to dial, and
 * what to say — the script for this attempt with its spoken length.
 */

import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { countSpokenWords, WORDS_PER_MINUTE } from '../../../src/core/scripts/lint.js';
import type { ContactDetail, ContactNumber, QueueItem } from '../api/types.js';

const REASONS: Record<QueueItem['reason'], string> = {
  appointment: 'Appointment due',
  callback: 'Callback they asked for',
  retry: 'Follow-up',
  fresh: 'Fresh prospect',
};

const KIND_ORDER = ['direct', 'mobile', 'main', 'assistant', 'home', 'other'];

const SCRIPT_NAMES: Record<string, string> = {
  elevator: 'Elevator speech',
  voicemail_intro: 'Voicemail: introduction',
  voicemail_follow_up: 'Voicemail: follow-up',
  voicemail_break_up: 'Voicemail: break-up',
  gatekeeper: 'For the gatekeeper',
};

/** "(212) 555-0141": the number as read in its own country; E.164 stays for dialling. */
export function readable(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

function Script({ title, text, limit, note }: { title: string; text: string; limit: number; note?: string }) {
  const seconds = spokenSeconds(text);
  return (
    <div className="script">
      <h4>
        {title}{' '}
        <span className="muted small">
          about {seconds} s spoken{seconds > limit ? ' — long' : ''}
        </span>
      </h4>
      <blockquote>{text || 'This campaign has no script for this.'}</blockquote>
      {note ? <p className="muted small">{note}</p> : null}
    </div>
  );
}

export function spokenSeconds(text: string): number {
  return Math.round((countSpokenWords(text) * 60) / WORDS_PER_MINUTE);
}

export function telHref(n: Pick<ContactNumber, 'e164' | 'extension'>): string {
  return `tel:${n.e164}${n.extension ? `;ext=${encodeURIComponent(n.extension)}` : ''}`;
}

function numbersToShow(item: QueueItem, detail: ContactDetail | null): ContactNumber[] {
  if (detail) {
    return [...detail.numbers].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  }
  return item.number ? [{ ...item.number, id: 0, valid: true, doNotCall: false }] : [];
}

export function ContactCard({
  item,
  detail,
  cardRef,
}: {
  item: QueueItem;
  detail: ContactDetail | null;
  /** Focus lands here after each log, so the next single key is a shortcut. */
  cardRef?: React.Ref<HTMLElement>;
}) {
  const { contact, localTime, voicemail, script } = item;
  const numbers = numbersToShow(item, detail);
  return (
    <article className="card contact-card" aria-labelledby="current-contact-name" ref={cardRef} tabIndex={-1}>
      <header className="contact-head">
        <div>
          <p className="eyebrow">
            <span className={`reason reason-${item.reason}`}>{REASONS[item.reason]}</span>
            {' · '}
            {item.campaign}
            {' · '}
            attempt {item.attempts + 1} of {item.attemptLimit}
            {item.attempts + 1 >= item.attemptLimit ? <span className="tag warn">last attempt</span> : null}
          </p>
          <h2 id="current-contact-name">{contact.name || '(no name)'}</h2>
          <p className="muted">{[contact.title, contact.company].filter(Boolean).join(', ') || '—'}</p>
        </div>
        <p className="local-time">
          <span className="visually-hidden">Their local time: </span>
          <span className="clock">{localTime.time}</span>
          <span>
            {localTime.day} their time{localTime.guess ? ' (zone guessed from the number)' : ''}
          </span>
          <span className={item.window.open ? 'ok' : 'warn-text'}>
            {item.window.open ? '✓' : '⚠'} {item.window.text}
          </span>
          <span className="muted small">{localTime.zone}</span>
        </p>
      </header>

      <section aria-labelledby="numbers-title">
        <h3 id="numbers-title">Numbers</h3>
        {numbers.length === 0 ? (
          <p className="muted">No number to dial.</p>
        ) : (
          <ul className="numbers">
            {numbers.map((n) => {
              const chosen = item.number?.e164 === n.e164;
              const blocked = n.doNotCall || !n.valid;
              return (
                <li key={n.e164} className={chosen ? 'chosen' : undefined}>
                  <span className="kind">{n.kind}</span>
                  {blocked ? (
                    <span className="number struck">{readable(n.e164)}</span>
                  ) : (
                    <a className="number" href={telHref(n)}>
                      {readable(n.e164)}
                      {n.extension ? ` ext. ${n.extension}` : ''}
                    </a>
                  )}
                  {chosen && <span className="tag">Dial this one</span>}
                  {n.doNotCall && <span className="tag warn">Do not call</span>}
                  {!n.valid && <span className="tag warn">Not a working number</span>}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="say-title" className="say">
        <h3 id="say-title" className="visually-hidden">
          What to say
        </h3>
        <div className="scripts">
          <Script title="Opener" text={item.scripts.opener} limit={10} />
          <Script title="If a gatekeeper answers" text={item.scripts.gatekeeper} limit={20} />
          {voicemail.leave && item.scripts.voicemail !== null ? (
            <Script
              title={SCRIPT_NAMES[script.name] ?? 'Voicemail'}
              text={item.scripts.voicemail}
              limit={30}
              note={voicemail.why}
            />
          ) : (
            <div className="script">
              <h4>If you reach voicemail</h4>
              <p>Hang up without a message — {voicemail.why}</p>
            </div>
          )}
        </div>
      </section>

      <section aria-labelledby="recent-title">
        <h3 id="recent-title">Last calls</h3>
        {item.recent.length === 0 ? (
          <p className="muted">Never called before.</p>
        ) : (
          <ol className="plain recent">
            {item.recent.map((a) => (
              <li key={a.at}>
                <span className="muted small">{when(a.at)}</span> <strong>{a.words}</strong>
                {a.by ? <span className="muted small"> · by {a.by}</span> : null}
                {a.note ? <p className="notes">{a.note}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      {detail?.interests ? (
        <section aria-labelledby="interests-title">
          <h3 id="interests-title">Interests</h3>
          <p className="notes">{detail.interests}</p>
        </section>
      ) : null}

      {detail?.notes ? (
        <section aria-labelledby="notes-title">
          <h3 id="notes-title">Notes</h3>
          <p className="notes">{detail.notes}</p>
        </section>
      ) : null}
    </article>
  );
}
