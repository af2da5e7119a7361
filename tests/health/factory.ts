/** A tiny factory for subscriber timelines, relative to a fixed `now`. */
import type { TimelineEvent, TimelineEventData, TimelineEventType } from "../../app/domain/timeline";
import type { SubscriberFacts } from "../../app/health";

export const NOW = new Date("2025-06-15T12:00:00Z");
const DAY = 86_400_000;

export function daysAgo(days: number, now: Date = NOW): Date {
  return new Date(now.getTime() - days * DAY);
}

export function daysFromNow(days: number, now: Date = NOW): Date {
  return new Date(now.getTime() + days * DAY);
}

/** One event `days` before `now` on contract "1" unless said otherwise. */
export function ev(
  type: TimelineEventType,
  days: number,
  data: TimelineEventData = {},
  contractId: string | null = "1",
  now: Date = NOW,
): TimelineEvent {
  return { type, occurredAt: daysAgo(days, now), contractId, data };
}

export const created = (days: number, contractId = "1") => ev("contract.created", days, {}, contractId);
export const skip = (days: number) => ev("cycle.skipped", days);
export const unskip = (days: number) => ev("cycle.unskipped", days);
export const order = (days: number, contractId = "1") => ev("billing.succeeded", days, {}, contractId);
export const decline = (days: number, errorCode: string, contractId = "1") =>
  ev("billing.failed", days, { errorCode }, contractId);
export const newCard = (days: number, month = 12, year = 2030) =>
  ev("payment_method.updated", days, { cardExpiryMonth: month, cardExpiryYear: year }, null);
export const edit = (days: number, from: number, to: number) =>
  ev("contract.edited", days, { fromMonthlyValue: from, toMonthlyValue: to });
export const ticket = (days: number) => ev("ticket.opened", days, { ticketSource: "gorgias", ticketSubject: "Where is my box?" }, null);
export const paused = (days: number) => ev("contract.paused", days);
export const cancelled = (days: number) => ev("contract.cancelled", days);

/** An established ($40/month, monthly, card valid for years) subscriber's facts. */
export function facts(over: Partial<SubscriberFacts> = {}): SubscriberFacts {
  return {
    firstSubscribedAt: daysAgo(400),
    monthlyValue: 40,
    nextBillingAt: daysFromNow(10),
    cardExpiry: { month: 12, year: 2030 },
    billingIntervalDays: 30,
    ...over,
  };
}

/** Facts of a subscriber who started `days` ago. */
export function newFacts(days: number, over: Partial<SubscriberFacts> = {}): SubscriberFacts {
  return facts({ firstSubscribedAt: daysAgo(days), ...over });
}

/** A quiet established subscriber: created 400 days ago, nothing since. */
export function base(...events: TimelineEvent[]): TimelineEvent[] {
  return [created(400), ...events];
}

/** Deterministic PRNG (mulberry32) so "random" tests never flake. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
