import { describe, expect, it } from "vitest";
import { holdoutBucket, isHoldout } from "~/playbook/holdout";
import { measureTrigger, newcombeDifference, wilsonInterval, type FiringRecord } from "~/playbook/measure";

describe("holdout assignment", () => {
  it("is stable for the same shop, trigger and subscriber", () => {
    const first = holdoutBucket("shop-1", "skip-streak", "gid://shopify/SubscriptionContract/42");
    for (let i = 0; i < 5; i++) {
      expect(holdoutBucket("shop-1", "skip-streak", "gid://shopify/SubscriptionContract/42")).toBe(first);
    }
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(100);
  });

  it.each([10, 25, 50])("holds out close to %i%% of 10,000 sequential ids", (percent) => {
    let held = 0;
    for (let i = 0; i < 10_000; i++) if (isHoldout("shop-1", "skip-streak", String(1000 + i), percent)) held++;
    // Binomial sd at 50% is 50 on 10,000: allow about 4 sd.
    expect(Math.abs(held - percent * 100)).toBeLessThan(200);
  });

  it("is independent across triggers and treats 0% as nobody", () => {
    let both = 0;
    for (let i = 0; i < 10_000; i++) {
      if (isHoldout("s", "a", String(i), 10) && isHoldout("s", "b", String(i), 10)) both++;
    }
    expect(both).toBeGreaterThan(50); // ~1% expected if independent
    expect(both).toBeLessThan(160);
    expect(isHoldout("s", "a", "1", 0)).toBe(false);
  });
});

describe("measurement", () => {
  it("Wilson and Newcombe match the published example (56/70 vs 48/80)", () => {
    const w = wilsonInterval(56, 70);
    expect(w.lower).toBeCloseTo(0.6918, 3);
    expect(w.upper).toBeCloseTo(0.8770, 3);
    const d = newcombeDifference(56, 70, 48, 80);
    expect(d.difference).toBeCloseTo(0.2, 6);
    expect(d.lower).toBeCloseTo(0.0524, 3);
    expect(d.upper).toBeCloseTo(0.3339, 3);
  });

  const make = (n: number, over: Partial<FiringRecord>): FiringRecord[] =>
    Array.from({ length: n }, () => ({ triggerId: "t", holdout: false, ...over }));

  it("reports lift with a 95% interval once both groups have enough decided outcomes", () => {
    const records = [
      ...make(36, { actedOn: true, outcome: "retained" }),
      ...make(4, { actedOn: true, outcome: "cancelled", closeReason: "churned_anyway" }),
      ...make(10, { outcome: "pending", closeReason: "false_positive" }),
      ...make(21, { holdout: true, outcome: "retained" }),
      ...make(9, { holdout: true, outcome: "churned" }),
      ...make(3, { triggerId: "other", outcome: "retained" }),
    ];
    const m = measureTrigger("t", records);
    expect(m.firings).toBe(80);
    expect(m.treatedFirings).toBe(50);
    expect(m.holdoutFirings).toBe(30);
    expect(m.triggerToAction).toEqual({ successes: 40, n: 50, rate: 0.8 });
    expect(m.actionToOutcome).toEqual({ successes: 36, n: 40, rate: 0.9 });
    expect(m.falsePositive).toEqual({ successes: 10, n: 14, rate: 10 / 14 });
    expect(m.closeReasons.churned_anyway).toBe(4);
    expect(m.lift.kind).toBe("estimate");
    if (m.lift.kind !== "estimate") return;
    expect(m.lift.treatedRetention).toBeCloseTo(0.9);
    expect(m.lift.holdoutRetention).toBeCloseTo(0.7);
    expect(m.lift.difference).toBeCloseTo(0.2);
    expect(m.lift.lower).toBeLessThan(0.2);
    expect(m.lift.upper).toBeGreaterThan(0.2);
    expect(m.lift.lower).toBeGreaterThan(0);
  });

  it("says insufficient_sample when either group is below the minimum (configurable)", () => {
    const records = [...make(100, { outcome: "retained" }), ...make(29, { holdout: true, outcome: "retained" })];
    expect(measureTrigger("t", records).lift).toEqual({ kind: "insufficient_sample", treatedN: 100, holdoutN: 29, minPerGroup: 30 });
    expect(measureTrigger("t", records, { minSamplePerGroup: 20 }).lift.kind).toBe("estimate");
    expect(measureTrigger("none", records).triggerToAction.rate).toBeNull();
  });
});
