/**
 * The next billing date a merchant is shown. Shopify's billing webhooks do not say the
 * next date, so the one stored can have gone by (billed or skipped since it was read):
 * it moves on by whole billing intervals, on the calendar (the 31st of a month bills on
 * the last day of a shorter month and returns to the 31st), to the first date after now.
 * Pure: safe in the browser bundle and in tests.
 */

export interface BillingContract {
  status: string;
  billingInterval: string | null;
  billingIntervalCount: number | null;
  nextBillingAt: Date | string | null;
}

const DAY_MS = 86_400_000;

/** `date` plus `n` intervals; months and years on the calendar, keeping the day of the month where the month has it. */
function addIntervals(date: Date, interval: string, n: number): Date | null {
  switch (interval.toUpperCase()) {
    case "DAY":
      return new Date(date.getTime() + n * DAY_MS);
    case "WEEK":
      return new Date(date.getTime() + 7 * n * DAY_MS);
    case "MONTH":
    case "YEAR": {
      const months = interval.toUpperCase() === "YEAR" ? 12 * n : n;
      const y = date.getUTCFullYear();
      const m = date.getUTCMonth() + months;
      const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      const day = Math.min(date.getUTCDate(), lastDay);
      return new Date(Date.UTC(y, m, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
    }
    default:
      return null;
  }
}

/**
 * The first billing after `now`: `next` itself while it is ahead, else `next` moved on by
 * whole intervals. Null when there is no date, or it has gone by and the interval is unknown
 * (a date in the past is never shown as the next billing).
 */
export function nextBillingAfter(next: Date | string | null, interval: string | null, count: number | null, now: Date): Date | null {
  if (!next) return null;
  const start = new Date(next);
  if (Number.isNaN(start.getTime())) return null;
  if (start.getTime() > now.getTime()) return start;
  const every = count && count > 0 ? count : 1;
  if (!interval || !addIntervals(start, interval, every)) return null;
  // A first guess from the average interval length, then exact steps on the calendar.
  const approxDays = { DAY: 1, WEEK: 7, MONTH: 30.44, YEAR: 365.25 }[interval.toUpperCase() as "DAY"] * every;
  let k = Math.max(1, Math.floor((now.getTime() - start.getTime()) / (approxDays * DAY_MS)) - 1);
  let at = addIntervals(start, interval, k * every)!;
  while (at.getTime() > now.getTime() && k > 1) at = addIntervals(start, interval, --k * every)!;
  while (at.getTime() <= now.getTime()) at = addIntervals(start, interval, ++k * every)!;
  return at;
}

/**
 * A subscriber's next billing: the soonest of their active contracts' next billings, each
 * moved past now; null (not scheduled) unless they are active. A contract without its own
 * date bills on the subscriber's date.
 */
export function subscriberNextBilling(
  status: string,
  subscriberNext: Date | string | null,
  contracts: readonly BillingContract[],
  now: Date,
): Date | null {
  if (status !== "active") return null;
  const active = contracts.filter((c) => c.status === "active");
  const dates = active
    .map((c) => nextBillingAfter(c.nextBillingAt ?? subscriberNext, c.billingInterval, c.billingIntervalCount, now))
    .filter((d): d is Date => d !== null);
  if (active.length === 0 && subscriberNext && new Date(subscriberNext).getTime() > now.getTime()) return new Date(subscriberNext);
  return dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null;
}
