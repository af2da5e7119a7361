// The one fold of a timeline: a subscriber's state as of any instant, table-driven.
import { describe, expect, it } from "vitest";
import { foldTimeline, isResume, subscriberStatusOf, type SubscriberState } from "~/domain/fold";
import type { TimelineEvent, TimelineEventType } from "~/domain/timeline";

const T0 = Date.parse("2026-01-05T10:00:00Z");
const DAY = 86_400_000;

/** An event `day` days after T0, on contract "c1" unless told. */
function ev(day: number, type: TimelineEventType, data: TimelineEvent["data"] = {}, contractId: string | null = "c1"): TimelineEvent {
  return { type, occurredAt: new Date(T0 + day * DAY), contractId, data };
}

function fold(events: TimelineEvent[], asOfDay: number, cycleDays: number | null = 30): SubscriberState {
  return foldTimeline(events, new Date(T0 + asOfDay * DAY), { firstSubscribedAt: new Date(T0), cycleDays });
}

describe("contract status and the subscriber's status", () => {
  const cases: { name: string; events: TimelineEvent[]; asOf: number; contract: string | null; subscriber: string; cancelledAt: number | null; pausedSince: number | null }[] = [
    { name: "a new contract is active", events: [ev(0, "contract.created")], asOf: 1, contract: "active", subscriber: "active", cancelledAt: null, pausedSince: null },
    { name: "a pause holds from its first webhook, however often it repeats", events: [ev(0, "contract.created"), ev(10, "contract.paused"), ev(12, "contract.paused")], asOf: 20, contract: "paused", subscriber: "paused", cancelledAt: null, pausedSince: T0 + 10 * DAY },
    { name: "an activation after a pause resumes the contract", events: [ev(0, "contract.created"), ev(10, "contract.paused"), ev(40, "contract.activated")], asOf: 41, contract: "active", subscriber: "active", cancelledAt: null, pausedSince: null },
    { name: "a cancel ends it on its own date", events: [ev(0, "contract.created"), ev(30, "contract.cancelled")], asOf: 31, contract: "cancelled", subscriber: "cancelled", cancelledAt: T0 + 30 * DAY, pausedSince: null },
    { name: "events after the instant are not seen", events: [ev(0, "contract.created"), ev(30, "contract.cancelled")], asOf: 29, contract: "active", subscriber: "active", cancelledAt: null, pausedSince: null },
    { name: "a late-delivered pause is placed at its own time", events: [ev(0, "contract.created"), ev(40, "contract.activated"), ev(10, "contract.paused")], asOf: 41, contract: "active", subscriber: "active", cancelledAt: null, pausedSince: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const state = fold(c.events, c.asOf);
      expect(state.contracts.get("c1")?.status ?? null).toBe(c.contract);
      expect(subscriberStatusOf(state)).toBe(c.subscriber);
      expect(state.cancelledAt).toBe(c.cancelledAt);
      expect(state.pausedSince).toBe(c.pausedSince);
    });
  }

  it("is cancelled only when every contract has ended, as of the last one's end", () => {
    const events = [ev(0, "contract.created"), ev(1, "contract.created", {}, "c2"), ev(20, "contract.cancelled"), ev(25, "contract.expired", {}, "c2")];
    expect(fold(events, 22).cancelledAt).toBeNull();
    expect(fold(events, 26).cancelledAt).toBe(T0 + 25 * DAY);
  });

  it("names the live contract with the latest event, else the latest of any", () => {
    const events = [ev(0, "contract.created"), ev(1, "contract.created", {}, "c2"), ev(5, "cycle.skipped", {}, "c2"), ev(9, "contract.cancelled", {}, "c2")];
    expect(fold(events, 6).currentContractId).toBe("c2");
    expect(fold(events, 10).currentContractId).toBe("c1");
  });

  it("calls an activation a resume only when the contract was paused", () => {
    expect(isResume("paused")).toBe(true);
    expect(isResume("active")).toBe(false);
    expect(isResume(null)).toBe(false);
  });
});

describe("skips, charges and failures", () => {
  const cases: { name: string; events: TimelineEvent[]; skipStreak: number; ordersInARow: number; open: string[] }[] = [
    { name: "two skips in a row make a streak of two", events: [ev(0, "contract.created"), ev(30, "cycle.skipped"), ev(60, "cycle.skipped")], skipStreak: 2, ordersInARow: 0, open: [] },
    { name: "an unskip takes back one skip, not the streak", events: [ev(30, "cycle.skipped"), ev(60, "cycle.skipped"), ev(61, "cycle.unskipped")], skipStreak: 1, ordersInARow: 0, open: [] },
    { name: "a charge ends the streak", events: [ev(30, "cycle.skipped"), ev(60, "billing.succeeded")], skipStreak: 0, ordersInARow: 1, open: [] },
    { name: "a failure is open until a charge on its contract", events: [ev(30, "billing.failed", { errorCode: "INSUFFICIENT_FUNDS" }), ev(32, "billing.succeeded", {}, "c2")], skipStreak: 0, ordersInARow: 1, open: ["soft_decline"] },
    { name: "a charge on the contract settles it", events: [ev(30, "billing.failed", { errorCode: "card_declined" }), ev(33, "billing.succeeded")], skipStreak: 0, ordersInARow: 1, open: [] },
    { name: "a failure ends the run of orders", events: [ev(0, "billing.succeeded"), ev(30, "billing.succeeded"), ev(60, "billing.failed", { errorCode: "EXPIRED_PAYMENT_METHOD" })], skipStreak: 0, ordersInARow: 0, open: ["hard_decline"] },
    { name: "a challenge is a soft failure that keeps the run", events: [ev(0, "billing.succeeded"), ev(30, "billing.challenged")], skipStreak: 0, ordersInARow: 1, open: ["soft_decline"] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const state = fold(c.events, 100);
      expect(state.skipStreak).toBe(c.skipStreak);
      expect(state.ordersInARow).toBe(c.ordersInARow);
      expect(state.openFailures.map((f) => f.failureClass)).toEqual(c.open);
    });
  }

  it("softens a hard decline once a new card is added, and keeps the card", () => {
    const state = fold([ev(30, "billing.failed", { errorCode: "EXPIRED_PAYMENT_METHOD" }), ev(31, "payment_method.updated", { cardExpiryMonth: 4, cardExpiryYear: 2029 }, null)], 40);
    expect(state.openFailures[0]).toMatchObject({ failureClass: "hard_decline", softened: true });
    expect(state.card).toEqual({ month: 4, year: 2029 });
    expect(fold([ev(31, "payment_method.revoked", {}, null)], 40).card).toBeNull();
    expect(fold([], 40).card).toBeUndefined();
  });
});

describe("value changes and tickets", () => {
  it("keeps every value change with its direction", () => {
    const state = fold([ev(10, "contract.edited", { fromMonthlyValue: 40, toMonthlyValue: 30 }), ev(20, "contract.edited", { fromMonthlyValue: 30, toMonthlyValue: 30 }), ev(30, "contract.edited", { fromMonthlyValue: 30, toMonthlyValue: 50 })], 40);
    expect(state.valueChanges.map((c) => [c.from, c.to])).toEqual([
      [40, 30],
      [30, 50],
    ]);
  });

  it("counts a ticket in the first cycle by the subscriber's own cycle length, 30 days when unknown", () => {
    const events = [ev(0, "contract.created"), ev(10, "ticket.opened", {}, null)];
    expect(fold(events, 20, 7).tickets).toEqual([{ at: T0 + 10 * DAY, firstCycle: false }]);
    expect(fold(events, 20, 14).tickets[0].firstCycle).toBe(true);
    expect(fold(events, 20, null).tickets[0].firstCycle).toBe(true);
  });
});
