// Revenue saved is claimed only as the lift over the holdout: hand-made firings with known answers.
import { describe, expect, it } from "vitest";
import { revenueSaved, type SavedFiring } from "~/pages/reports/revenue-saved";
import { newcombeDifference } from "~/playbook/measure";

function group(triggerId: string, holdout: boolean, counts: Partial<Record<"retained" | "recovered" | "cancelled" | "churned" | "pending", number>>, monthlyValue = 20): SavedFiring[] {
  return Object.entries(counts).flatMap(([outcome, n]) =>
    Array.from({ length: n ?? 0 }, () => ({ triggerId, holdout, outcome: outcome as SavedFiring["outcome"], monthlyValue })),
  );
}

describe("revenue saved by plays", () => {
  const firings = [
    ...group("skips", false, { retained: 90, cancelled: 10, pending: 10 }),
    ...group("skips", true, { retained: 40, cancelled: 10 }),
    ...group("tiny", false, { retained: 10 }),
    ...group("tiny", true, { cancelled: 5 }),
  ];
  const r = revenueSaved(firings, { minPerGroup: 30 });
  const skips = r.triggers.find((t) => t.triggerId === "skips")!;

  it("counts only the lift over holdout as saved: (90% - 80%) of 100 played = 10 subscribers", () => {
    expect(skips.treated).toEqual({ decided: 100, stillSubscribed: 90, share: 0.9 });
    expect(skips.holdout).toEqual({ decided: 50, stillSubscribed: 40, share: 0.8 });
    if (skips.saved.kind !== "estimate") throw new Error("expected an estimate");
    expect(skips.saved.lift).toBeCloseTo(0.1);
    expect(skips.saved.subscribers).toBeCloseTo(10);
  });

  it("values the saved share at the played subscribers' monthly value: 10% of $2,000 = $200", () => {
    expect(skips.treatedMonthly).toBe(2000);
    if (skips.saved.kind !== "estimate") throw new Error("expected an estimate");
    expect(skips.saved.monthly).toBe(200);
  });

  it("carries the interval of the lift, not a bare number", () => {
    if (skips.saved.kind !== "estimate") throw new Error("expected an estimate");
    const d = newcombeDifference(90, 100, 40, 50);
    expect(skips.saved.liftLower).toBeCloseTo(d.lower);
    expect(skips.saved.subscribersUpper).toBeCloseTo(d.upper * 100);
    expect(skips.saved.monthlyLower).toBeLessThan(200);
    expect(skips.saved.monthlyUpper).toBeGreaterThan(200);
  });

  it("claims nothing for a trigger with too few closed outcomes, and leaves it out of the total", () => {
    const tiny = r.triggers.find((t) => t.triggerId === "tiny")!;
    expect(tiny.saved.kind).toBe("insufficient_sample");
    expect(r.total!.measuredTriggers).toBe(1);
    expect(r.total!.monthly).toBe(200);
  });

  it("keeps firings still inside their window out of every figure", () => {
    expect(r.pending).toBe(10);
    expect(skips.treated.decided).toBe(100);
  });

  it("saves nothing when the held-out subscribers stay just as often", () => {
    const same = revenueSaved([...group("a", false, { retained: 40, cancelled: 10 }), ...group("a", true, { retained: 40, cancelled: 10 })]);
    const saved = same.triggers[0].saved;
    if (saved.kind !== "estimate") throw new Error("expected an estimate");
    expect(saved.subscribers).toBeCloseTo(0);
    expect(saved.liftLower).toBeLessThan(0);
    expect(saved.liftUpper).toBeGreaterThan(0);
  });

  it("counts a recovered subscriber as still subscribed and a churned one as gone", () => {
    const r2 = revenueSaved([...group("w", false, { recovered: 30, churned: 10 }), ...group("w", true, { recovered: 20, churned: 20 })]);
    expect(r2.triggers[0].treated.share).toBe(0.75);
    expect(r2.triggers[0].holdout.share).toBe(0.5);
  });

  it("adds triggers' savings, with an interval wider than either's but narrower than their sum", () => {
    const two = revenueSaved([
      ...group("a", false, { retained: 90, cancelled: 10 }),
      ...group("a", true, { retained: 40, cancelled: 10 }),
      ...group("b", false, { retained: 80, cancelled: 20 }),
      ...group("b", true, { retained: 35, cancelled: 15 }),
    ]);
    const [a, b] = two.triggers.map((t) => t.saved);
    if (a.kind !== "estimate" || b.kind !== "estimate") throw new Error("expected estimates");
    expect(two.total!.subscribers).toBeCloseTo(a.subscribers + b.subscribers);
    const lowWidth = two.total!.subscribers - two.total!.subscribersLower;
    expect(lowWidth).toBeGreaterThan(Math.max(a.subscribers - a.subscribersLower, b.subscribers - b.subscribersLower));
    expect(lowWidth).toBeLessThan(a.subscribers - a.subscribersLower + (b.subscribers - b.subscribersLower));
  });

  it("has no total when no trigger has enough data", () => {
    expect(revenueSaved(group("x", false, { retained: 3 })).total).toBeNull();
  });
});
