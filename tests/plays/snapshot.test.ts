import { describe, expect, it } from "vitest";
import { defaultHealthConfig, score, type SubscriberFacts } from "~/health";
import { snapshotFromJson, snapshotOf } from "~/playbook/snapshot";
import type { TimelineEvent } from "~/domain/timeline";
import {
  NOW,
  base,
  cancelled,
  created,
  daysAgo,
  daysFromNow,
  decline,
  edit,
  ev,
  facts,
  newFacts,
  order,
  paused,
  skip,
  ticket,
  unskip,
} from "../health/factory";

function snap(timeline: TimelineEvent[], f: SubscriberFacts = facts(), now = NOW, scoreSevenDaysAgo: number | null = null) {
  const result = score(timeline, f, defaultHealthConfig, now);
  return snapshotOf({ subscriberId: "sub-1", timeline, facts: f, result, scoreSevenDaysAgo, now });
}

describe("snapshotOf: counts read from the timeline", () => {
  it("counts skips in a row, and a successful order ends the streak", () => {
    expect(snap(base(order(70), skip(40), skip(10))).consecutiveSkips).toBe(2);
    expect(snap(base(skip(70), skip(40), order(10))).consecutiveSkips).toBe(0);
  });

  it("taking back a skip shortens the streak by one", () => {
    expect(snap(base(skip(40), skip(10), unskip(5))).consecutiveSkips).toBe(1);
  });

  it("counts paused days from when the pause began, and none once resumed", () => {
    expect(snap(base(paused(45))).pausedDays).toBe(45);
    expect(snap(base(paused(45), paused(20))).pausedDays).toBe(45); // a repeated pause webhook
    expect(snap(base(paused(45), ev("contract.resumed", 5))).pausedDays).toBeNull();
    expect(snap(base()).pausedDays).toBeNull();
  });

  it("keeps the latest unresolved failure with its class and code", () => {
    const s = snap(base(decline(10, "insufficient_funds"), decline(3, "EXPIRED_PAYMENT_METHOD")));
    expect(s.lastFailure).toEqual({ failureClass: "hard_decline", errorCode: "EXPIRED_PAYMENT_METHOD", at: daysAgo(3) });
  });

  it("a later successful charge on the same contract settles the failure; one on another contract does not", () => {
    expect(snap(base(decline(10, "INSUFFICIENT_FUNDS"), order(2))).lastFailure).toBeNull();
    expect(snap(base(created(300, "2"), decline(10, "INSUFFICIENT_FUNDS"), order(2, "2"))).lastFailure?.failureClass).toBe("soft_decline");
  });

  it("flags a card that runs out before the next billing", () => {
    const expiring = facts({ cardExpiry: { month: 6, year: 2025 }, nextBillingAt: daysFromNow(20) }); // ends 30 June, bills 5 July
    expect(snap(base(), expiring).cardExpiresBeforeNextBilling).toBe(true);
    expect(snap(base(), facts({ cardExpiry: { month: 7, year: 2025 }, nextBillingAt: daysFromNow(20) })).cardExpiresBeforeNextBilling).toBe(false);
    expect(snap(base(), facts({ cardExpiry: null })).cardExpiresBeforeNextBilling).toBe(false);
  });

  it("a ticket in the first billing cycle counts; one later does not", () => {
    const fresh = newFacts(20);
    expect(snap([created(20), ticket(10)], fresh).ticketInFirstCycle).toBe(true);
    expect(snap(base(ticket(10))).ticketInFirstCycle).toBe(false);
  });

  it("is cancelled when every contract has ended, with the date", () => {
    expect(snap(base(cancelled(4))).cancelled).toEqual({ at: daysAgo(4) });
    expect(snap(base()).cancelled).toBeNull();
  });

  it("counts upgrades in the last 90 days only", () => {
    expect(snap(base(edit(200, 20, 30), edit(60, 30, 40), edit(30, 40, 35))).upgradesLast90Days).toBe(1);
  });

  it("orders in a row, cycle index (successful billings + 1) and whole tenure days", () => {
    const s = snap(base(order(90), order(60), decline(45, "INSUFFICIENT_FUNDS"), order(30), order(1)));
    expect(s.ordersInARow).toBe(2);
    expect(s.cycleIndex).toBe(5);
    expect(s.tenureDays).toBe(400);
  });

  it("takes score, band and segment from the health result, and money facts from the facts", () => {
    const timeline = base(skip(20), skip(5));
    const result = score(timeline, facts(), defaultHealthConfig, NOW);
    const s = snap(timeline, facts(), NOW, 90);
    expect([s.score, s.band, s.segmentKey]).toEqual([result.score, result.band, result.segment.key]);
    expect(s.scoreSevenDaysAgo).toBe(90);
    expect([s.monthlyValue, s.nextBillingAt]).toEqual([40, daysFromNow(10)]);
  });

  it("ignores events after now (no look-ahead in dry runs)", () => {
    const timeline = base(skip(20), ev("cycle.skipped", -3));
    expect(snap(timeline).consecutiveSkips).toBe(1);
  });

  it("survives a JSON round trip with its dates", () => {
    const s = snap(base(decline(3, "EXPIRED_PAYMENT_METHOD"), cancelled(1)));
    expect(snapshotFromJson(JSON.stringify(s))).toEqual(s);
    expect(snapshotFromJson(null)).toBeNull();
  });
});

describe("snapshotOf: the contract a message names", () => {
  it("names the live contract, not an older one that was cancelled", () => {
    const timeline = [created(400, "1"), order(380, "1"), ev("contract.cancelled", 200, {}, "1"), created(150, "2"), order(30, "2")];
    expect(snap(timeline).contractId).toBe("2");
  });

  it("names the last contract when none is live", () => {
    expect(snap(base(order(60), cancelled(10))).contractId).toBe("1");
  });

  it("reads snapshots stored before contracts were named as naming none", () => {
    const stored = JSON.stringify({ ...snap(base(order(20))), contractId: undefined });
    expect(snapshotFromJson(stored)!.contractId).toBeNull();
  });
});
