/**
 * Where a contact's calling window stands right now, in words for the call card: "Inside their
 * calling hours until 17:00 (2 h 40 min left)" or "Outside their calling hours (09:00–17:00)".
 * Pure: the time is a parameter.
 */
import { formatHhmm, localParts } from '../time/zoned.js';
import { type CallingContext, callingWindowsOn } from './calling-hours.js';

export interface WindowState {
  open: boolean;
  /** When the window in force closes; null when outside it. */
  closesAt: number | null;
  text: string;
}

export function windowState(ctx: CallingContext, now: number): WindowState {
  const today = localParts(now, ctx.zone).dateKey;
  const current = callingWindowsOn(today, ctx).find((w) => w.start <= now && now < w.end);
  if (!current) {
    return {
      open: false,
      closesAt: null,
      text: `Outside their calling hours (${ctx.window.start}–${ctx.window.end} their time)`,
    };
  }
  const left = Math.round((current.end - now) / 60_000);
  const hours = Math.floor(left / 60);
  const minutes = left % 60;
  const remaining = hours > 0 ? `${hours} h${minutes > 0 ? ` ${minutes} min` : ''}` : `${minutes} min`;
  return {
    open: true,
    closesAt: current.end,
    text: `Inside their calling hours until ${formatHhmm(localParts(current.end, ctx.zone).minutesOfDay)} (${remaining} left)`,
  };
}
