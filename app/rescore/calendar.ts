/**
 * The instants the rescore walk looks at between events: the start of each day (UTC)
 * and of each week in the shop's time zone. Fixed by the calendar, never by when a
 * worker happens to run, so a replay and a live feed date things alike. Pure. Weeks are
 * the app's own (health/weeks.server.ts): Monday to Monday in the shop's zone, keyed by
 * the Monday.
 */
import { shiftWeek, startOfLocalDay, weekOf } from "../health/weeks.server";

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch. */
const FIRST_MONDAY = 4 * DAY_MS;

/** "YYYY-MM-DD" of the Monday starting the shop-zone week that contains `at`. */
export function weekKeyOf(at: number, timeZone: string): string {
  return weekOf(new Date(at), timeZone);
}

/** The instant the week with this key starts, in the shop's zone. */
export function weekStart(key: string, timeZone: string): number {
  return startOfLocalDay(key, timeZone).getTime();
}

/** Week boundaries in (from, to], each with the key of the week it closes. */
export function weekBoundaries(from: number, to: number, timeZone: string): { at: number; closes: string }[] {
  const out: { at: number; closes: string }[] = [];
  if (timeZone === "UTC" || timeZone === "Etc/UTC") {
    // UTC: Mondays are plain arithmetic (the walk asks for them at every rescore).
    let at = FIRST_MONDAY + Math.floor((from - FIRST_MONDAY) / WEEK_MS + 1) * WEEK_MS;
    for (; at <= to; at += WEEK_MS) out.push({ at, closes: new Date(at - WEEK_MS).toISOString().slice(0, 10) });
    return out;
  }
  let key = weekKeyOf(from, timeZone);
  for (;;) {
    const next = shiftWeek(key, 1);
    const at = weekStart(next, timeZone);
    if (at > to) return out;
    if (at > from) out.push({ at, closes: key });
    key = next;
  }
}

/** UTC midnights in (from, to]. */
export function dayStarts(from: number, to: number): number[] {
  const out: number[] = [];
  for (let at = Math.floor(from / DAY_MS) * DAY_MS + DAY_MS; at <= to; at += DAY_MS) out.push(at);
  return out;
}
