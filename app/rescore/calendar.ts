/**
 * The instants the rescore walk looks at between events: the start of each day (UTC)
 * and of each week in the shop's time zone. Fixed by the calendar, never by when a
 * worker happens to run, so a replay and a live feed date things alike. Pure.
 */
const DAY_MS = 86_400_000;

/** Formatters by zone: building one costs far more than using it (they hold no data). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
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
    formatters.set(timeZone, f);
  }
  return f;
}

/** The shop-zone offset from UTC at `at`, in ms (local = utc + offset). */
function zoneOffsetMs(at: number, timeZone: string): number {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return 0;
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
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

const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch. */
const FIRST_MONDAY = 4 * DAY_MS;

/** Week boundaries in (from, to], each with the key of the week it closes. */
export function weekBoundaries(from: number, to: number, timeZone: string): { at: number; closes: string }[] {
  const out: { at: number; closes: string }[] = [];
  if (zoneOffsetMs(from, timeZone) === 0 && zoneOffsetMs(to, timeZone) === 0 && (timeZone === "UTC" || timeZone === "Etc/UTC")) {
    // UTC: Mondays are plain arithmetic.
    let at = FIRST_MONDAY + Math.floor((from - FIRST_MONDAY) / WEEK_MS + 1) * WEEK_MS;
    for (; at <= to; at += WEEK_MS) out.push({ at, closes: new Date(at - WEEK_MS).toISOString().slice(0, 10) });
    return out;
  }
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
