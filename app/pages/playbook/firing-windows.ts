/**
 * The playbook's firing counts (last 30 and 90 days, by when each firing happened), read
 * against the store's first firing. Plays go out only for what happened in the last few
 * days (the live window), so a store whose history was imported at install has fired
 * only since then: both counts then hold every firing so far, and the page says so, to
 * keep two equal numbers from looking like a fault.
 */
import { formatDate } from "../shared/format";

const DAY_MS = 86_400_000;
export const FIRING_WINDOW_DAYS = [30, 90] as const;

/** A window of `days` ending now, by the firings' own time. */
export function windowStart(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** Which windows reach back past the store's first firing, in a sentence; null when none does (or nothing fired). */
export function firingWindowsNote(now: Date, firstFiredAt: Date | null, timeZone: string): string | null {
  if (!firstFiredAt) return null;
  const short = FIRING_WINDOW_DAYS.filter((days) => windowStart(now, days).getTime() < firstFiredAt.getTime());
  if (short.length === 0) return null;
  const which = short.length === FIRING_WINDOW_DAYS.length ? "both counts start" : `the ${short[0]}-day count starts`;
  return `The first firing was on ${formatDate(firstFiredAt, timeZone)}, so ${which} there.`;
}
