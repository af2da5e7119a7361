import type { SubscriberSnapshot } from "~/playbook/types";
import { triggerSchema, type TriggerDefinition, type TriggerInput } from "~/playbook/schema";

export const NOW = new Date("2025-06-02T12:00:00Z"); // a Monday
export const DAY = 86_400_000;
export const daysAgo = (n: number, from = NOW) => new Date(from.getTime() - n * DAY);
export const daysLater = (n: number, from = NOW) => new Date(from.getTime() + n * DAY);

/** A settled, healthy, mid-tenure subscriber: no trigger's condition holds. */
export function snap(over: Partial<SubscriberSnapshot> = {}): SubscriberSnapshot {
  return {
    subscriberId: "sub-1",
    contractId: "4242",
    segmentKey: "established:mid",
    tenureDays: 120,
    cycleIndex: 4,
    score: 82,
    band: "healthy",
    scoreSevenDaysAgo: 84,
    consecutiveSkips: 0,
    pausedDays: null,
    lastFailure: null,
    cardExpiresBeforeNextBilling: false,
    ticketInFirstCycle: false,
    cancelled: null,
    upgradesLast90Days: 0,
    ordersInARow: 4,
    monthlyValue: 40,
    nextBillingAt: new Date("2025-06-20T00:00:00Z"),
    ...over,
  };
}

export function trigger(over: Partial<TriggerInput> = {}): TriggerDefinition {
  return triggerSchema.parse({
    id: "skips",
    name: "Two skips",
    condition: { type: "consecutive_skips_at_least", n: 2 },
    cooldownDays: 14,
    priority: "normal",
    slaHours: 48,
    plays: [{ kind: "klaviyo_event", metric: "Lifeline: Skip Streak" }],
    outcomeWindowDays: 30,
    ...over,
  });
}
