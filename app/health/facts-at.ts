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

  let nextBillingAt: Date | null = null;
  const interval = latest.billingIntervalDays;
  if (interval != null && interval > 0) {
    const step = interval * DAY_MS;
    const steps = Math.max(1, Math.ceil((atMs - anchor) / step));
    let next = anchor + steps * step;
    if (next <= atMs) next += step;
    nextBillingAt = new Date(next);
  }

  return {
    ...latest,
    monthlyValue: Math.max(0, monthlyValue),
    cardExpiry: cardBefore ?? (cardChangedAfter ? null : latest.cardExpiry),
    nextBillingAt,
  };
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
