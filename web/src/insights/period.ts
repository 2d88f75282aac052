/**
 * The period picker's arithmetic: presets turned into local calendar dates, and those dates
 * into the instants the stats API takes (`from` inclusive, `to` exclusive: the day after).
 */
export const PRESETS = ['7d', '30d', '90d', 'month', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_WORDS: Record<Preset, string> = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  month: 'This month',
  custom: 'Chosen dates',
};

/** A local calendar date as YYYY-MM-DD. */
export function dateKey(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function addDays(key: string, days: number): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return dateKey(new Date(y, m - 1, d + days));
}

/** The first and last day (both included) a preset covers, counting today. */
export function presetDays(preset: Exclude<Preset, 'custom'>, today: Date): { first: string; last: string } {
  const last = dateKey(today);
  switch (preset) {
    case '7d':
      return { first: addDays(last, -6), last };
    case '30d':
      return { first: addDays(last, -29), last };
    case '90d':
      return { first: addDays(last, -89), last };
    case 'month':
      return { first: `${last.slice(0, 8)}01`, last };
  }
}

/** The API's period for local days first…last: midnight of first to midnight after last, in this browser's zone. */
export function periodQuery(first: string, last: string): { from: string; to: string } | null {
  const start = localMidnight(first);
  const end = localMidnight(addDays(last, 1));
  if (start === null || end === null || start >= end) return null;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

function localMidnight(key: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** "37 %" (whole percent) or "—" when there is nothing to divide by. */
export function percent(rate: number | null): string {
  if (rate === null) return '—';
  const p = rate * 100;
  return `${p < 10 && p !== 0 && p !== Math.round(p) ? p.toFixed(1) : Math.round(p)} %`;
}
