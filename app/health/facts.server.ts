import type { Contract, Subscriber } from "@prisma/client";
import type { SubscriberFacts } from "./types";
import { rollNextBillingForward } from "./facts-at";

const DAYS: Record<string, number> = { DAY: 1, WEEK: 7, MONTH: 30, YEAR: 365 };

/** A subscriber's facts for scoring, from what the database holds now. */
export function factsOf(
  subscriber: Pick<Subscriber, "firstSubscribedAt" | "createdAt" | "monthlyValue" | "nextBillingAt" | "cardExpiryMonth" | "cardExpiryYear" | "currency">,
  contracts: Pick<Contract, "status" | "billingInterval" | "billingIntervalCount">[],
  timeZone: string,
  now: Date,
): SubscriberFacts {
  const live = contracts.find((c) => c.status === "active") ?? contracts[0];
  const unit = live?.billingInterval ? DAYS[live.billingInterval.toUpperCase()] : undefined;
  const intervalDays = unit ? unit * (live?.billingIntervalCount ?? 1) : null;
  return {
    firstSubscribedAt: subscriber.firstSubscribedAt ?? subscriber.createdAt,
    monthlyValue: subscriber.monthlyValue,
    // Billing webhooks do not carry the next date: a date gone by moves on by the interval.
    nextBillingAt: rollNextBillingForward(subscriber.nextBillingAt, intervalDays, now),
    cardExpiry:
      subscriber.cardExpiryMonth && subscriber.cardExpiryYear
        ? { month: subscriber.cardExpiryMonth, year: subscriber.cardExpiryYear }
        : null,
    billingIntervalDays: intervalDays,
    currency: subscriber.currency ?? "USD",
    timeZone,
  };
}
