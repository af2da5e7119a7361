/**
 * The playbook's firing counts (last 30 and 90 days), read against when Lifeline started
 * acting for the store: plays go out only for what happens from a few days before install
 * (the live window), so on a store installed last week both counts hold every firing so far.
 * Saying so is what keeps two equal numbers from looking like a fault.
 */
import { formatDate } from "../shared/format";

const DAY_MS = 86_400_000;
export const FIRING_WINDOW_DAYS = [30, 90] as const;

/** The first instant Lifeline could have fired for this store: the live window before install. */
export function actingSince(installedAt: Date, liveWindowDays: number): Date {
  return new Date(installedAt.getTime() - liveWindowDays * DAY_MS);
}

/** A window of `days` ending now, by the firings' own time. */
export function windowStart(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** Which windows reach back past the start of acting, in a sentence; null when both are full. */
export function firingWindowsNote(now: Date, acting: Date, timeZone: string): string | null {
  const short = FIRING_WINDOW_DAYS.filter((days) => windowStart(now, days).getTime() < acting.getTime());
  if (short.length === 0) return null;
  const which = short.length === FIRING_WINDOW_DAYS.length ? "both counts start" : `the ${short[0]}-day count starts`;
  return `Lifeline started acting on ${formatDate(acting, timeZone)}, so ${which} there.`;
}
