/**
 * Insights: does calling pay? The period's dials, conversations, voicemails, callbacks and
 * appointments, the pace inside call blocks, a table per campaign (and per person for a
 * manager) and the voicemail experiment's arms side by side — every share with its count, so
 * nobody reads 50 % off two calls.
 */
import { type FormEvent, lazy, Suspense, useMemo, useState } from 'react';
import { query } from '../api/client.js';
import type { StatsJson } from '../api/types.js';
import { useSession } from '../session.js';
import { useGet } from '../use-api.js';
import { PRESET_WORDS, PRESETS, type Preset, percent, periodQuery, presetDays } from './period.js';
import './insights.css';

// Plot and its d3 parts load only once there are stats to draw.
const LearnedPlots = lazy(() => import('./plots.js'));

type Rate = StatsJson['totals']['conversationRate'];
type Experiment = StatsJson['experiments'][number];

interface Filters {
  preset: Preset;
  first: string;
  last: string;
  campaignId: string;
  userId: string;
}

export default function InsightsPage() {
  const { user } = useSession();
  const initial = presetDays('30d', new Date());
  const [filters, setFilters] = useState<Filters>({ preset: '30d', ...initial, campaignId: '', userId: '' });
  const [draft, setDraft] = useState<Filters>(filters);
  const period = periodQuery(filters.first, filters.last);
  const path = period
    ? `/api/v1/stats${query({ ...period, campaignId: filters.campaignId, userId: filters.userId })}`
    : null;
  const stats = useGet<StatsJson>(path);
  const campaigns = useGet<{ campaigns: { id: number; name: string }[] }>('/api/v1/campaigns');
  const people = useGet<{ users: { id: number; name: string; email: string; teamId: number | null }[] }>(
    user.role === 'rep' ? null : '/api/v1/users',
  );
  const team = useMemo(
    () =>
      people.state === 'ready'
        ? people.data.users.filter((u) => user.role === 'admin' || u.teamId === user.teamId)
        : [],
    [people, user],
  );

  const pick = (preset: Preset) => {
    setDraft((d) =>
      preset === 'custom' ? { ...d, preset } : { ...d, preset, ...presetDays(preset, new Date()) },
    );
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const draftValid = periodQuery(draft.first, draft.last) !== null;

  return (
    <div className="stack">
      <h1>Insights</h1>
      <form className="card period-form" onSubmit={apply} aria-label="Period and filters">
        <div className="field">
          <label htmlFor="insights-preset">Period</label>
          <select id="insights-preset" value={draft.preset} onChange={(e) => pick(e.target.value as Preset)}>
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {PRESET_WORDS[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="insights-from">From</label>
          <input
            id="insights-from"
            type="date"
            value={draft.first}
            onChange={(e) => setDraft({ ...draft, preset: 'custom', first: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="insights-to">To (included)</label>
          <input
            id="insights-to"
            type="date"
            value={draft.last}
            onChange={(e) => setDraft({ ...draft, preset: 'custom', last: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="insights-campaign">Campaign</label>
          <select
            id="insights-campaign"
            value={draft.campaignId}
            onChange={(e) => setDraft({ ...draft, campaignId: e.target.value })}
          >
            <option value="">All campaigns</option>
            {campaigns.state === 'ready'
              ? campaigns.data.campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))
              : null}
          </select>
        </div>
        {user.role === 'rep' ? null : (
          <div className="field">
            <label htmlFor="insights-user">Person</label>
            <select
              id="insights-user"
              value={draft.userId}
              onChange={(e) => setDraft({ ...draft, userId: e.target.value })}
            >
              <option value="">{user.role === 'admin' ? 'Everyone' : 'Your team'}</option>
              {team.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name || u.email}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="primary" disabled={!draftValid}>
          Show
        </button>
        {draftValid ? null : (
          <p className="error-text" role="alert">
            ⚠ The period must end on or after the day it starts.
          </p>
        )}
      </form>
      {stats.state === 'loading' ? <p aria-busy="true">Loading…</p> : null}
      {stats.state === 'error' ? (
        <p className="error-text" role="alert">
          ⚠ {stats.message}
        </p>
      ) : null}
      {stats.state === 'ready' ? (
        <>
          <InsightsReport stats={stats.data} showPeople={user.role !== 'rep'} />
          <Suspense fallback={<p aria-busy="true">Loading the plots…</p>}>
            <LearnedPlots stats={stats.data} />
          </Suspense>
        </>
      ) : null}
    </div>
  );
}

/** A share as "3 of 8" with a bar and the percent; the bar is decoration, the words carry it. */
export function Share({ rate }: { rate: Rate }) {
  const width = rate.rate === null ? 0 : Math.round(rate.rate * 100);
  return (
    <span className="share">
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${width}%` }} />
      </span>
      <span className="n">
        {percent(rate.rate)}{' '}
        <span className="muted small">
          ({rate.count} of {rate.of})
        </span>
      </span>
    </span>
  );
}

const duration = (h: number) =>
  h < 1 ? `${Math.round(h * 60)} min` : `${h < 10 ? h.toFixed(1) : Math.round(h)} h`;

export function InsightsReport({ stats, showPeople }: { stats: StatsJson; showPeople: boolean }) {
  const t = stats.totals;
  const from = new Date(stats.period.from).toLocaleDateString();
  const to = new Date(new Date(stats.period.to).getTime() - 1).toLocaleDateString();
  return (
    <>
      <section aria-labelledby="insights-totals" className="stack">
        <h2 id="insights-totals">
          {from} – {to}
        </h2>
        <dl className="headline">
          <div>
            <dt>Dials</dt>
            <dd>{t.dials}</dd>
          </div>
          <div>
            <dt>Conversations</dt>
            <dd>
              {t.conversations}
              <small>{percent(t.conversationRate.rate)} of dials</small>
            </dd>
          </div>
          <div>
            <dt>Voicemails left</dt>
            <dd>{t.voicemailsLeft}</dd>
          </div>
          <div>
            <dt>Callbacks received</dt>
            <dd>
              {t.callbacksReceived}
              <small>
                {t.callbacksFromVoicemail} earned by a voicemail · {percent(t.callbackRate.rate)} of
                voicemails
              </small>
            </dd>
          </div>
          <div>
            <dt>Appointments set</dt>
            <dd>
              {t.appointmentsSet}
              <small>{percent(t.appointmentRate.rate)} of conversations</small>
            </dd>
          </div>
          <div>
            <dt>Dials per hour of block time</dt>
            <dd>
              {t.dialsPerHour === null ? '—' : Math.round(t.dialsPerHour)}
              <small>
                {t.dialsInBlocks} dials in {duration(t.hours)} over {t.blocks}{' '}
                {t.blocks === 1 ? 'block' : 'blocks'}
              </small>
            </dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="insights-campaigns">
        <h2 id="insights-campaigns">By campaign</h2>
        {stats.campaigns.length === 0 ? (
          <p className="muted">No calls in this period.</p>
        ) : (
          <CountsTable
            caption="Calls by campaign"
            first="Campaign"
            rows={stats.campaigns.map((c) => ({ key: String(c.campaignId), name: c.campaign, counts: c }))}
          />
        )}
      </section>

      {showPeople && stats.users.length > 0 ? (
        <section className="card" aria-labelledby="insights-people">
          <h2 id="insights-people">By person</h2>
          <CountsTable
            caption="Calls by person"
            first="Person"
            rows={stats.users.map((u) => ({ key: String(u.userId), name: u.user, counts: u }))}
          />
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="insights-experiment">
        <h2 id="insights-experiment">Voicemail or no voicemail</h2>
        {stats.experiments.length === 0 ? (
          <p className="muted">
            No campaign ran the voicemail experiment in this period. Set a campaign’s voicemail policy to
            “experiment” and each enrollment is assigned, at random, to leave messages or not.
          </p>
        ) : (
          stats.experiments.map((e) => <ExperimentTable key={e.campaignId} experiment={e} />)
        )}
      </section>
    </>
  );
}

type CountRow = {
  key: string;
  name: string;
  counts: Omit<StatsJson['campaigns'][number], 'campaignId' | 'campaign'>;
};

function CountsTable({ caption, first, rows }: { caption: string; first: string; rows: CountRow[] }) {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col" className="num">
            Dials
          </th>
          <th scope="col">Conversations</th>
          <th scope="col" className="num">
            Voicemails
          </th>
          <th scope="col">Callbacks per voicemail</th>
          <th scope="col" className="num">
            Callbacks (all)
          </th>
          <th scope="col" className="num">
            Appointments
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, name, counts: c }) => (
          <tr key={key}>
            <th scope="row">{name}</th>
            <td className="num">{c.dials}</td>
            <td>
              <Share rate={c.conversationRate} />
            </td>
            <td className="num">{c.voicemailsLeft}</td>
            <td>
              <Share rate={c.callbackRate} />
            </td>
            <td className="num">{c.callbacksReceived}</td>
            <td className="num">{c.appointmentsSet}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const ARM_WORDS = { leave: 'Leaves a voicemail', skip: 'Hangs up instead' } as const;

export function verdictWords(e: Experiment, what: 'callbacks' | 'conversations'): string {
  const c = e[what];
  const thing = what === 'callbacks' ? 'called back' : 'were reached live';
  const gap = c.difference === null ? '' : ` (${Math.abs(Math.round(c.difference * 1000) / 10)} points)`;
  switch (c.verdict) {
    case 'too_few':
      return `Too few to tell who ${thing} more: each arm needs 30 people dialled (now ${e.leave.enrollments} and ${e.skip.enrollments}).`;
    case 'no_events':
      return `Nothing to compare yet: nobody ${thing} on either side (${e.leave.enrollments} and ${e.skip.enrollments} people dialled).`;
    case 'no_clear_difference':
      return `No clear difference in who ${thing}${gap}.`;
    case 'leave_better':
      return `More people ${thing} when a voicemail was left${gap}.`;
    case 'skip_better':
      return `More people ${thing} when no voicemail was left${gap}.`;
  }
}

function ExperimentTable({ experiment: e }: { experiment: Experiment }) {
  const id = `experiment-${e.campaignId}`;
  return (
    <div>
      <h3 id={id}>{e.campaign}</h3>
      <table className="table" aria-labelledby={id}>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col" className="num">
              People dialled
            </th>
            <th scope="col" className="num">
              Dials
            </th>
            <th scope="col" className="num">
              Voicemails
            </th>
            <th scope="col">Called back</th>
            <th scope="col">Reached live</th>
          </tr>
        </thead>
        <tbody>
          {[e.leave, e.skip].map((arm) => (
            <tr key={arm.arm}>
              <th scope="row">{ARM_WORDS[arm.arm]}</th>
              <td className="num">{arm.enrollments}</td>
              <td className="num">{arm.dials}</td>
              <td className="num">{arm.voicemailsLeft}</td>
              <td>
                <Share rate={arm.callbackRate} />
              </td>
              <td>
                <Share rate={arm.conversationRate} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="verdict">{verdictWords(e, 'callbacks')}</p>
      <p className="verdict">{verdictWords(e, 'conversations')}</p>
    </div>
  );
}
