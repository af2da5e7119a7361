/**
 * Reconstructs a subscriber's facts as they were at an earlier moment, from
 * their latest facts and their timeline. Backtests need this: scoring last
 * spring's subscriber with today's card and today's plan would leak the future.
 */
import type { TimelineEvent } from "../domain/timeline";
import type { SubscriberFacts } from "./types";

const DAY_MS = 86_400_000;

/**
 * Best-effort facts as of `at`:
 * - monthlyValue: today's value with every later plan edit undone (edits carry
 *   from/to values). Contracts added or ended after `at` cannot be undone, so for
 *   cancelled subscribers `latest` should be their facts as they cancelled.
 * - cardExpiry: the card from the last payment-method event at or before `at`;
 *   today's card if none changed since; null (unknown) if it changed but we never
 *   saw the earlier card.
 * - nextBillingAt: one interval after the last successful charge (or the start
 *   of tenure), rolled forward past `at`; null without a known interval.
 */
export function factsAt(latest: SubscriberFacts, timeline: readonly TimelineEvent[], at: Date): SubscriberFacts {
  const atMs = at.getTime();
  let monthlyValue = latest.monthlyValue;
  let cardBefore: SubscriberFacts["cardExpiry"] = null;
  let cardChangedAfter = false;
  let anchor = latest.firstSubscribedAt.getTime();

  for (const e of timeline) {
    const t = e.occurredAt.getTime();
    if (t > atMs) {
      if (e.type === "contract.edited" && e.data.fromMonthlyValue != null && e.data.toMonthlyValue != null) {
        monthlyValue += e.data.fromMonthlyValue - e.data.toMonthlyValue;
      } else if (e.type === "payment_method.added" || e.type === "payment_method.updated") {
        cardChangedAfter = true;
      }
      continue;
    }
    if ((e.type === "payment_method.added" || e.type === "payment_method.updated") && e.data.cardExpiryMonth != null && e.data.cardExpiryYear != null) {
      cardBefore = { month: e.data.cardExpiryMonth, year: e.data.cardExpiryYear };
    } else if (e.type === "billing.succeeded" && t > anchor) {
      anchor = t;
    }
  }

  const nextBillingAt = nextBillingAfter(anchor, latest.billingIntervalDays, atMs);

  return {
    ...latest,
    monthlyValue: Math.max(0, monthlyValue),
    cardExpiry: cardBefore ?? (cardChangedAfter ? null : latest.cardExpiry),
    nextBillingAt,
  };
}

/**
 * factsAt() for many instants of one subscriber: the events' part (value edits undone,
 * the card then, the last charge) is worked out once per stretch between events; only
 * the next billing date is stepped per instant. Same answers as factsAt().
 */
export function factsRewinder(latest: SubscriberFacts, timeline: readonly TimelineEvent[]): (at: Date) => SubscriberFacts {
  const times = timeline.map((e) => e.occurredAt.getTime());
  let cachedCount = -1;
  let base: SubscriberFacts | null = null;
  let anchor = latest.firstSubscribedAt.getTime();
  return (at) => {
    const atMs = at.getTime();
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= atMs) lo = mid + 1;
      else hi = mid;
    }
    if (lo !== cachedCount || !base) {
      base = factsAt(latest, timeline, at);
      cachedCount = lo;
      anchor = latest.firstSubscribedAt.getTime();
      for (let i = 0; i < lo; i++) {
        const e = timeline[i];
        if (e.type === "billing.succeeded" && times[i] > anchor) anchor = times[i];
      }
      return base;
    }
    return { ...base, nextBillingAt: nextBillingAfter(anchor, latest.billingIntervalDays, atMs) };
  };
}

function nextBillingAfter(anchor: number, interval: number | null, atMs: number): Date | null {
  if (interval == null || interval <= 0) return null;
  const step = interval * DAY_MS;
  const steps = Math.max(1, Math.ceil((atMs - anchor) / step));
  let next = anchor + steps * step;
  if (next <= atMs) next += step;
  return new Date(next);
}

/**
 * A next billing date that has passed was billed (or skipped) since it was read from
 * Shopify: the next one is a whole number of intervals later. Unknown intervals stay as is.
 */
export function rollNextBillingForward(next: Date | null, intervalDays: number | null, now: Date): Date | null {
  if (!next || !intervalDays || intervalDays <= 0 || next.getTime() > now.getTime()) return next;
  const step = intervalDays * DAY_MS;
  const periods = Math.floor((now.getTime() - next.getTime()) / step) + 1;
  return new Date(next.getTime() + periods * step);
}
