/**
 * The insights' plots, drawn with Observable Plot (one well-kept library that draws plain SVG
 * from data, with the scales, axes and legends a reader expects; loaded only when the plots
 * show, so the first download stays small): reachability by the contact's local hour and
 * weekday, the share reached by attempt k, and each attempt's yield against a fresh prospect's
 * first dial. Every plot has a description for screen readers, its numbers as a table, and
 * SVG and PNG downloads for a client report.
 */
import * as Plot from '@observablehq/plot';
import { type ReactNode, useEffect, useRef } from 'react';
import type { StatsJson } from '../api/types.js';
import { percent } from './period.js';

type Stats = StatsJson;

/** Below this many dials a heatmap cell reads "too few", not a rate. */
export const MIN_CELL_DIALS = 5;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export default function LearnedPlots({ stats }: { stats: Stats }) {
  const names = new Map(stats.advisor.map((a) => [a.campaignId, a.campaign]));
  return (
    <section className="stack" aria-labelledby="plots-title">
      <h2 id="plots-title">When people answer, and when to stop</h2>
      <HeatmapFigure stats={stats} />
      <FirstConnectFigure stats={stats} names={names} />
      {stats.advisor.map((a) => (
        <AdvisorFigure key={a.campaignId} advice={a} />
      ))}
    </section>
  );
}

function HeatmapFigure({ stats }: { stats: Stats }) {
  const cells = stats.heatmap.map((c) => ({
    ...c,
    day: DAYS[c.weekday - 1]!,
    rate: c.dials >= MIN_CELL_DIALS ? c.conversations / c.dials : null,
  }));
  if (cells.length === 0)
    return <p className="muted">No dials in this period: nothing to show by hour yet.</p>;
  const best = cells.filter((c) => c.rate !== null).sort((a, b) => b.rate! - a.rate!)[0];
  const description =
    `Connect rate by the contact's local hour and weekday, over ${cells.length} hours with dials.` +
    (best ? ` Best: ${best.day} ${best.hour}:00, ${percent(best.rate)} of ${best.dials} dials.` : '') +
    ` Hours with fewer than ${MIN_CELL_DIALS} dials are marked too few.`;
  return (
    <PlotFigure
      id="heatmap"
      title="Connect rate by the contact's local time"
      description={description}
      draw={(width) =>
        Plot.plot({
          width,
          marginLeft: 40,
          x: { label: 'Local hour', type: 'band', domain: hoursSpanned(cells) },
          y: { label: null, domain: DAYS },
          color: { type: 'linear', scheme: 'blues', label: 'Connect rate', legend: true, tickFormat: '.0%' },
          marks: [
            Plot.cell(cells, { x: 'hour', y: 'day', fill: (d) => d.rate ?? undefined, inset: 0.5 }),
            Plot.cell(
              cells.filter((c) => c.rate === null),
              { x: 'hour', y: 'day', fill: '#eee', inset: 0.5 },
            ),
            Plot.text(cells, {
              x: 'hour',
              y: 'day',
              text: (d) => (d.rate === null ? '·' : `${Math.round(d.rate * 100)}`),
              fill: (d) => (d.rate !== null && d.rate > 0.3 ? 'white' : 'black'),
            }),
          ],
        })
      }
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Hour</th>
              <th scope="col" className="num">
                Dials
              </th>
              <th scope="col" className="num">
                Conversations
              </th>
              <th scope="col" className="num">
                Rate
              </th>
            </tr>
          </thead>
          <tbody>
            {cells.map((c) => (
              <tr key={`${c.weekday}-${c.hour}`}>
                <td>{c.day}</td>
                <td>{c.hour}:00</td>
                <td className="num">{c.dials}</td>
                <td className="num">{c.conversations}</td>
                <td className="num">{c.rate === null ? 'too few' : percent(c.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** Every hour from the first to the last with dials, so a gap shows as a gap. */
function hoursSpanned(cells: readonly { hour: number }[]): number[] {
  const hours = cells.map((c) => c.hour);
  const out: number[] = [];
  for (let h = Math.min(...hours); h <= Math.max(...hours); h++) out.push(h);
  return out;
}

function FirstConnectFigure({ stats, names }: { stats: Stats; names: Map<number, string> }) {
  const points = stats.firstConnect
    .filter((p) => p.share !== null)
    .map((p) => ({ ...p, campaign: names.get(p.campaignId) ?? `Campaign ${p.campaignId}` }));
  if (points.length === 0) return null;
  const lastOf = new Map(points.map((p) => [p.campaignId, p]));
  const description = `Share of people reached by attempt k, per campaign; people still being worked are not counted as failures. ${[
    ...lastOf.values(),
  ]
    .map((p) => `${p.campaign}: ${percent(p.share)} by attempt ${p.attempt}`)
    .join('; ')}.`;
  return (
    <PlotFigure
      id="first-connect"
      title="Reached by attempt k"
      description={description}
      draw={(width) =>
        Plot.plot({
          width,
          height: 260,
          x: { label: 'Attempt', tickFormat: 'd', ticks: Math.max(...points.map((p) => p.attempt)) },
          y: { label: 'Reached', domain: [0, 1], tickFormat: '.0%', grid: true },
          color: { legend: true },
          marks: [
            Plot.line(points, { x: 'attempt', y: 'share', stroke: 'campaign', curve: 'step-after' }),
            Plot.dot(points, { x: 'attempt', y: 'share', fill: 'campaign' }),
          ],
        })
      }
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col" className="num">
                Attempt
              </th>
              <th scope="col" className="num">
                Still unreached before it
              </th>
              <th scope="col" className="num">
                Reached by it
              </th>
              <th scope="col" className="num">
                Reached so far
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={`${p.campaignId}-${p.attempt}`}>
                <td>{p.campaign}</td>
                <td className="num">{p.attempt}</td>
                <td className="num">{p.atRisk}</td>
                <td className="num">{p.reached}</td>
                <td className="num">{percent(p.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

type Advice = Stats['advisor'][number];

export function AdvisorFigure({ advice }: { advice: Advice }) {
  const rows = advice.byAttempt.filter((y) => y.yield !== null);
  const fresh = rows.find((y) => y.attempt === 1);
  if (!fresh) return null;
  const limit = advice.recommendedLimit;
  const tried = Math.max(...rows.map((y) => y.attempt));
  const description =
    `${advice.campaign}: conversations per dial at each attempt to people not yet reached, with 95 % intervals, against ${percent(fresh.yield)} for a first dial to someone new.` +
    (limit === null
      ? ' Too few later attempts yet to suggest an attempt limit.'
      : limit < tried
        ? ` Suggested attempt limit: ${limit}; attempt ${limit + 1} reaches people credibly less often than a first dial.`
        : ` No attempt so far reaches people credibly less often than a first dial: the calls support at least ${limit} attempts.`);
  return (
    <PlotFigure
      id={`advisor-${advice.campaignId}`}
      title={`Yield per attempt: ${advice.campaign}`}
      description={description}
      draw={(width) =>
        Plot.plot({
          width,
          height: 260,
          x: { label: 'Attempt', tickFormat: 'd', ticks: rows.length },
          y: { label: 'Conversations per dial', tickFormat: '.0%', grid: true },
          marks: [
            Plot.ruleY([fresh.yield!], { stroke: '#888', strokeDasharray: '4,3' }),
            Plot.ruleX(rows, { x: 'attempt', y1: (d) => d.interval?.low, y2: (d) => d.interval?.high }),
            Plot.dot(rows, {
              x: 'attempt',
              y: 'yield',
              r: 4,
              fill: (d) => (limit !== null && d.attempt > limit ? '#c0392b' : '#2563eb'),
            }),
          ],
        })
      }
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col" className="num">
                Attempt
              </th>
              <th scope="col" className="num">
                Dials
              </th>
              <th scope="col" className="num">
                Conversations
              </th>
              <th scope="col" className="num">
                Appointments
              </th>
              <th scope="col" className="num">
                Yield (95 % interval)
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((y) => (
              <tr key={y.attempt}>
                <td className="num">{y.attempt}</td>
                <td className="num">{y.dials}</td>
                <td className="num">{y.conversations}</td>
                <td className="num">{y.appointments}</td>
                <td className="num">
                  {percent(y.yield)}
                  {y.interval ? ` (${percent(y.interval.low)}–${percent(y.interval.high)})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** A plot with its description, its numbers as a table, and downloads. */
function PlotFigure(props: {
  id: string;
  title: string;
  description: string;
  draw: (width: number) => SVGSVGElement | HTMLElement;
  table: ReactNode;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const { draw } = props;
  useEffect(() => {
    const node = holder.current;
    if (!node) return;
    // As wide as the card, but never so narrow that the labels collide: a phone scrolls it.
    const plot = draw(Math.max(360, node.clientWidth));
    node.replaceChildren(plot);
    return () => plot.remove();
  }, [draw]);
  const downloadSvg = () => {
    const node = lastSvg(holder.current);
    if (node) save(new Blob([serialize(node)], { type: 'image/svg+xml' }), `${props.id}.svg`);
  };
  const downloadPng = () => {
    const node = lastSvg(holder.current);
    if (!node) return;
    const { width, height } = node.getBoundingClientRect();
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = width * 2;
      canvas.height = height * 2;
      const g = canvas.getContext('2d')!;
      g.fillStyle = 'white';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => blob && save(blob, `${props.id}.png`));
    };
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(serialize(node))}`;
  };
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  return (
    <figure className="card plot" aria-labelledby={titleId} aria-describedby={descId} data-plot={props.id}>
      <h3 id={titleId}>{props.title}</h3>
      <div
        ref={holder}
        className="plot-canvas"
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
      />
      <figcaption id={descId} className="muted small">
        {props.description}
      </figcaption>
      <div className="plot-actions">
        <button type="button" onClick={downloadSvg}>
          Download SVG
        </button>
        <button type="button" onClick={downloadPng}>
          Download PNG
        </button>
      </div>
      <details>
        <summary>Show the numbers as a table</summary>
        {props.table}
      </details>
    </figure>
  );
}

/** The plot's own SVG (the last one: a legend's swatches come first). */
function lastSvg(holder: HTMLElement | null): SVGSVGElement | null {
  const all = holder?.querySelectorAll<SVGSVGElement>('svg');
  return all && all.length > 0 ? all[all.length - 1]! : null;
}

function serialize(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(copy);
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
