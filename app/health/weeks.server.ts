/**
 * Weeks as the merchant lives them: Monday to Monday in the shop's time zone. The
 * weekly history is keyed by the week's Monday (weekOf), and the pages turn such a
 * key into the two instants that bound it, so "this week" means the same thing in
 * the score history, the at-risk list and the dashboard.
 */
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

const zoneValid = new Map<string, boolean>();

/** The zone, or UTC when the time-zone database does not know it. */
function safeZone(timeZone: string): string {
  let valid = zoneValid.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    if (zoneValid.size > 1000) zoneValid.clear();
    zoneValid.set(timeZone, valid);
  }
  return valid ? timeZone : "UTC";
}

const QUARTER_HOUR_MS = 15 * 60_000;
/**
 * Zone offsets by quarter hour of UTC: every zone's offset changes only at a quarter
 * hour, so the memo is exact. It holds only what the time-zone database says (a pure
 * function's results, never the app's data), so it cannot go stale between processes.
 */
const offsetMemo = new Map<string, Map<number, number>>();
const MEMO_LIMIT = 200_000;

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return 0;
  const bucket = Math.floor(at / QUARTER_HOUR_MS);
  let memo = offsetMemo.get(timeZone);
  if (!memo) offsetMemo.set(timeZone, (memo = new Map()));
  const known = memo.get(bucket);
  if (known !== undefined) return known;
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
  const probe = bucket * QUARTER_HOUR_MS;
  const p = Object.fromEntries(f.formatToParts(new Date(probe)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  const offset = wall - probe;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(bucket, offset);
  return offset;
}

/** The Monday (YYYY-MM-DD) of the week containing `at`, in the shop's time zone. */
export function weekOf(at: Date, timeZone: string): string {
  const local = new Date(at.getTime() + zoneOffset(at.getTime(), safeZone(timeZone)));
  const day = (local.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - day)).toISOString().slice(0, 10);
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
