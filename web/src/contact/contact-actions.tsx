/** What a rep changes on a contact's page: put them in a campaign, and what they care about (the hook). */
import { type FormEvent, useState } from 'react';
import { describeError, post, request } from '../api/client.js';
import type { ContactDetail } from '../api/types.js';
import { useGet } from '../use-api.js';

type Message = { ok: boolean; text: string } | null;

function Said({ message }: { message: Message }) {
  if (!message) return null;
  return (
    <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'error-text'}>
      {message.ok ? '✓' : '⚠'} {message.text}
    </p>
  );
}

/** Campaigns the contact is not in yet, to enroll them in one. */
export function EnrollForm({ contact, onDone }: { contact: ContactDetail; onDone: () => void }) {
  const campaigns = useGet<{ campaigns: { id: number; name: string; archived: boolean }[] }>(
    '/api/v1/campaigns',
  );
  const [campaignId, setCampaignId] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const enrolled = new Set(contact.enrollments.map((e) => e.campaignId));
  const open =
    campaigns.state === 'ready'
      ? campaigns.data.campaigns.filter((c) => !c.archived && !enrolled.has(c.id))
      : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = open.find((c) => String(c.id) === campaignId);
    if (!chosen) return;
    setBusy(true);
    setMessage(null);
    try {
      await post('/api/v1/enrollments', { contactId: contact.id, campaignId: chosen.id });
      setMessage({ ok: true, text: `Enrolled in ${chosen.name}.` });
      setCampaignId('');
      onDone();
    } catch (error) {
      setMessage({ ok: false, text: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  if (campaigns.state === 'error') return <Said message={{ ok: false, text: campaigns.message }} />;
  return (
    <>
      <form className="field-row enroll" onSubmit={(e) => void submit(e)}>
        <div className="field grow">
          <label htmlFor="enroll-campaign">Enroll in a campaign</label>
          <select
            id="enroll-campaign"
            value={campaignId}
            onChange={(e) => setCampaignId(e.target.value)}
            disabled={campaigns.state === 'loading' || open.length === 0}
          >
            <option value="">
              {campaigns.state === 'loading'
                ? 'Loading campaigns…'
                : open.length === 0
                  ? 'Already in every campaign'
                  : 'Choose a campaign'}
            </option>
            {open.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy || campaignId === ''}>
          {busy ? 'Enrolling…' : 'Enroll'}
        </button>
      </form>
      <Said message={message} />
    </>
  );
}

/** The contact's interests: what the voicemail's personal hook is made of. */
export function InterestsForm({ contact, onDone }: { contact: ContactDetail; onDone: () => void }) {
  const [text, setText] = useState(contact.interests);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const changed = text.trim() !== contact.interests;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await request('PATCH', `/api/v1/contacts/${contact.id}`, { body: { interests: text } });
      setMessage({ ok: true, text: 'Interests saved.' });
      onDone();
    } catch (error) {
      setMessage({ ok: false, text: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack interests" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor="contact-interests">Interests</label>
        <textarea
          id="contact-interests"
          rows={3}
          maxLength={2000}
          value={text}
          aria-describedby="contact-interests-hint"
          onChange={(e) => setText(e.target.value)}
        />
        <span id="contact-interests-hint" className="muted small">
          What they care about: the voicemail’s personal hook is made from it.
        </span>
      </div>
      <p>
        <button type="submit" disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save interests'}
        </button>
      </p>
      <Said message={message} />
    </form>
  );
}
