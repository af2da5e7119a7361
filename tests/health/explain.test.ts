import { describe, expect, it } from "vitest";
import { defaultHealthConfig as config, score, type SubscriberFacts } from "../../app/health";
import { oneFactorPerFact } from "../../app/health/explain";
import type { TimelineEvent } from "../../app/domain/timeline";
import { NOW, base, cancelled, created, decline, edit, facts, newCard, newFacts, order, paused, skip, ticket } from "./factory";

const texts = (events: TimelineEvent[], f: SubscriberFacts = facts()) => score(events, f, config, NOW).factors.map((x) => x.text);

describe("factor wording", () => {
  it("consecutive skips", () => {
    expect(texts(base(skip(40), skip(10)))).toContain("Skipped the last 2 deliveries");
  });

  it("a soft decline with its reason", () => {
    expect(texts(base(decline(3, "INSUFFICIENT_FUNDS")))).toEqual(["Card declined 3 days ago (insufficient funds), not yet recovered"]);
  });

  it("an expired card declined with no new card", () => {
    expect(texts(base(decline(12, "EXPIRED_PAYMENT_METHOD")))).toEqual(["Card expired and declined 12 days ago, no new card yet"]);
  });

  it("a hard decline after a new card", () => {
    expect(texts(base(decline(12, "EXPIRED_PAYMENT_METHOD"), newCard(2)))).toEqual([
      "Card declined 12 days ago (expired card), new card added, not yet recovered",
    ]);
  });

  it("repeated declines say how many", () => {
    expect(texts(base(decline(9, "INSUFFICIENT_FUNDS"), decline(6, "INSUFFICIENT_FUNDS"), decline(3, "INSUFFICIENT_FUNDS")))).toEqual([
      "Card declined 3 times, last 3 days ago (insufficient funds), not yet recovered",
    ]);
  });

  it("a pause", () => {
    expect(texts(base(paused(24)))).toEqual(["Paused for 24 days"]);
  });

  it("a downgrade in the shop currency", () => {
    expect(texts(base(edit(10, 60, 35)))).toEqual(["Downgraded from $60.00 to $35.00 a month 10 days ago"]);
    expect(texts(base(edit(10, 60, 35)), facts({ currency: "EUR" }))).toEqual(["Downgraded from €60.00 to €35.00 a month 10 days ago"]);
  });

  it("a card expiring before the next billing", () => {
    const f = facts({ cardExpiry: { month: 11, year: 2025 }, nextBillingAt: new Date("2025-12-03T10:00:00Z") });
    expect(texts(base(), f)).toEqual(["Card expires before the next billing on Dec 3"]);
  });

  it("a ticket in the first cycle and the tenure baseline", () => {
    expect(texts([created(45), ticket(30)], newFacts(45))).toEqual([
      "In their first 2 months",
      "Opened a service ticket in their first cycle",
    ]);
  });

  it("orders in a row", () => {
    const t = texts(base(order(150), order(120), order(90), order(60), order(30), ticket(3)));
    expect(t[0]).toBe("5 orders in a row");
    expect(t).toContain("Opened a service ticket 3 days ago");
  });

  it("a cancelled subscriber", () => {
    expect(texts(base(cancelled(10)))).toEqual(["Cancelled on Jun 5"]);
  });
});

describe("factor shares and order", () => {
  const r = score(
    base(skip(40), skip(10), decline(3, "INSUFFICIENT_FUNDS"), edit(20, 60, 35), ticket(4)),
    facts({ cardExpiry: { month: 6, year: 2025 }, nextBillingAt: new Date("2025-07-05T00:00:00Z") }),
    config,
    NOW,
  );

  it("shares sum to 1", () => {
    expect(r.factors.length).toBeGreaterThan(3);
    expect(r.factors.reduce((s, f) => s + f.share, 0)).toBeCloseTo(1, 6);
  });

  it("factors come biggest first", () => {
    const sizes = r.factors.map((f) => Math.abs(f.points));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it("risk factors carry negative points, helping factors positive", () => {
    const helped = score(base(order(30), ticket(3)), facts(), config, NOW).factors;
    expect(helped.find((f) => f.signal === "ordersInARow")!.points).toBeGreaterThan(0);
    expect(helped.find((f) => f.signal === "tickets")!.points).toBeLessThan(0);
  });
});

describe("each fact once", () => {
  it("a single skip is said once, not also as 1 of the last 2 deliveries", () => {
    const risks = score(base(order(40), skip(10)), facts(), config, NOW).factors.filter((f) => f.points < 0);
    expect(risks.map((f) => f.text)).toEqual(["Skipped the last delivery"]);
  });

  it("the skip rate is added to the run of skips only where it says more", () => {
    const t = texts(base(skip(130), order(100), order(70), order(40), skip(10)));
    expect(t.filter((x) => /Skipped/.test(x))).toEqual(["Skipped the last delivery, 2 of the last 5"]);
  });

  it("the merged fact carries the points of both and stays in order of strength", () => {
    const r = score(base(skip(40), skip(10), decline(3, "INSUFFICIENT_FUNDS")), facts(), config, NOW);
    const skips = r.factors.filter((f) => /Skipped/.test(f.text));
    expect(skips).toHaveLength(1);
    const sizes = r.factors.map((f) => Math.abs(f.points));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(r.factors.reduce((s, f) => s + f.share, 0)).toBeCloseTo(1, 6);
  });

  it("reasons stored before the merge are said once, by the strongest, strongest first", () => {
    const stored = [
      { signal: "skipRate" as const, points: -6, share: 0.2, text: "Skipped 1 of the last 2 deliveries" },
      { signal: "hardDecline" as const, points: -20, share: 0.5, text: "Card declined 3 days ago, no new card yet" },
      { signal: "consecutiveSkips" as const, points: -12, share: 0.3, text: "Skipped the last delivery" },
    ];
    expect(oneFactorPerFact(stored)).toEqual([
      { signal: "hardDecline", points: -20, share: 0.5, text: "Card declined 3 days ago, no new card yet" },
      { signal: "consecutiveSkips", points: -18, share: 0.5, text: "Skipped the last delivery" },
    ]);
  });

  it("a risk and a help are never merged", () => {
    const factors = [
      { signal: "tickets" as const, points: -5, share: 0.5, text: "Opened a service ticket 3 days ago" },
      { signal: "ordersInARow" as const, points: 5, share: 0.5, text: "5 orders in a row" },
    ];
    expect(oneFactorPerFact(factors)).toHaveLength(2);
  });
});
