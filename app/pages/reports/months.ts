/**
 * Months for the reports. Tenure is measured in average months (30.4375 days), so
 * "month 3 of tenure" means the same length for every subscriber whatever day they
 * signed up; cohorts are the calendar month of signup in the shop's time zone.
 */
export const MONTH_MS = 30.4375 * 86_400_000;

const monthFormats = new Map<string, Intl.DateTimeFormat>();

function monthFormat(timeZone: string): Intl.DateTimeFormat {
  let f = monthFormats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" });
    } catch {
      f = new Intl.DateTimeFormat("en-CA", { timeZone: "UTC", year: "numeric", month: "2-digit" });
    }
    monthFormats.set(timeZone, f);
  }
  return f;
}

/** The calendar month of `at` in `timeZone`, as YYYY-MM. */
export function monthKey(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(monthFormat(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

const DAY_MS = 86_400_000;

/**
 * monthKey for many instants: a UTC day whose two ends fall in the same local month lies
 * wholly in it (a month changes at most once a day), so most instants need no formatting.
 * A store of 100,000 subscribers then costs a few hundred formats, not 100,000.
 */
export function monthKeyer(timeZone: string): (at: Date) => string {
  const days = new Map<number, string | null>();
  return (at) => {
    const day = Math.floor(at.getTime() / DAY_MS);
    let month = days.get(day);
    if (month === undefined) {
      const start = monthKey(new Date(day * DAY_MS), timeZone);
      month = start === monthKey(new Date((day + 1) * DAY_MS - 1), timeZone) ? start : null;
      days.set(day, month);
    }
    return month ?? monthKey(at, timeZone);
  };
}

/** Whole months of tenure completed between `from` and `to` (0 during the first month). */
export function monthsBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / MONTH_MS);
}
