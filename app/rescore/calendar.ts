/**
 * The instants the rescore walk looks at between events: the start of each day (UTC)
 * and of each week in the shop's time zone. Fixed by the calendar, never by when a
 * worker happens to run, so a replay and a live feed date things alike. Pure.
 */
const DAY_MS = 86_400_000;

/** The shop-zone offset from UTC at `at`, in ms (local = utc + offset). */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return local - Math.floor(at / 1000) * 1000;
}

/** The instant of local midnight starting the given calendar day in `timeZone`. */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  // Twice: the offset at the guess may differ from the offset at the answer across a DST change.
  let at = guess - zoneOffsetMs(guess, timeZone);
  at = guess - zoneOffsetMs(at, timeZone);
  return at;
}

/** "YYYY-MM-DD" of the Monday starting the shop-zone week that contains `at`. */
export function weekKeyOf(at: number, timeZone: string): string {
  const local = new Date(at + zoneOffsetMs(at, timeZone));
  const weekday = (local.getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - weekday));
  return monday.toISOString().slice(0, 10);
}

/** The instant the week with this key starts, in the shop's zone. */
export function weekStart(key: string, timeZone: string): number {
  const [y, m, d] = key.split("-").map(Number);
  return zonedMidnight(y, m, d, timeZone);
}

export function nextWeekKey(key: string): string {
  const [y, m, d] = key.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 7)).toISOString().slice(0, 10);
}

/** Week boundaries in (from, to], each with the key of the week it closes. */
export function weekBoundaries(from: number, to: number, timeZone: string): { at: number; closes: string }[] {
  const out: { at: number; closes: string }[] = [];
  let key = weekKeyOf(from, timeZone);
  for (;;) {
    const next = nextWeekKey(key);
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
