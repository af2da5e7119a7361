/**
 * Weeks as the merchant lives them: Monday to Monday in the shop's time zone. The
 * weekly history is keyed by the week's Monday (weekOf), and the pages turn such a
 * key into the two instants that bound it, so "this week" means the same thing in
 * the score history, the at-risk list and the dashboard.
 */
import { weekOf } from "./facts.server";

export interface WeekWindow {
  /** The week's Monday, YYYY-MM-DD: the periodKey of weekly history rows. */
  key: string;
  /** Monday 00:00 in the shop's time zone. */
  start: Date;
  /** The next Monday 00:00 (exclusive). */
  end: Date;
}

const WEEK_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

function partsOf(key: string): [number, number, number] {
  const m = WEEK_KEY.exec(key);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${key}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** A valid YYYY-MM-DD that falls on a Monday. */
export function isWeekKey(value: string): boolean {
  if (!WEEK_KEY.test(value)) return false;
  const [y, m, d] = partsOf(value);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && t.getUTCDay() === 1;
}

/** The week `weeks` weeks after (or before, when negative) `key`. */
export function shiftWeek(key: string, weeks: number): string {
  const [y, m, d] = partsOf(key);
  return new Date(Date.UTC(y, m - 1, d + 7 * weeks)).toISOString().slice(0, 10);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    offsetFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) starts in `timeZone`. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const zone = safeZone(timeZone);
  const [y, m, d] = partsOf(day);
  const wall = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the first guess can differ from the offset at midnight across a DST change.
  let t = wall - zoneOffset(wall, zone);
  t = wall - zoneOffset(t, zone);
  return new Date(t);
}

export function weekWindow(key: string, timeZone: string): WeekWindow {
  return { key, start: startOfLocalDay(key, timeZone), end: startOfLocalDay(shiftWeek(key, 1), timeZone) };
}

export function currentWeek(now: Date, timeZone: string): WeekWindow {
  return weekWindow(weekOf(now, safeZone(timeZone)), timeZone);
}

/** The last `count` week keys ending with the one containing `now`, oldest first. */
export function recentWeekKeys(now: Date, timeZone: string, count: number): string[] {
  const current = weekOf(now, safeZone(timeZone));
  return Array.from({ length: count }, (_, i) => shiftWeek(current, i - count + 1));
}
