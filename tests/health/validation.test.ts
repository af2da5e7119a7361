import { describe, expect, it } from "vitest";
import { atK, auc, calibration, rankByRisk, simulateThreshold } from "../../app/health";
import { rng } from "./factory";

describe("auc (lower score = more risk)", () => {
  it("is 1 when every churner scores below every stayer", () => {
    expect(auc([10, 20, 80, 90], [true, true, false, false])).toBe(1);
  });

  it("is 0 when every churner scores above every stayer", () => {
    expect(auc([10, 20, 80, 90], [false, false, true, true])).toBe(0);
  });

  it("is 0.5 when all scores tie", () => {
    expect(auc([50, 50, 50, 50], [true, false, true, false])).toBe(0.5);
  });

  it("counts a tied pair as half", () => {
    // pairs (churner, stayer): (10,50) win, (50,50) half, (50,90) win, (10,90) win -> 3.5 / 4
    expect(auc([10, 50, 50, 90], [true, true, false, false])).toBe(0.875);
  });

  it("is about 0.5 for random scores", () => {
    const r = rng(42);
    const scores = Array.from({ length: 2000 }, () => Math.round(r() * 100));
    const churned = Array.from({ length: 2000 }, () => r() < 0.2);
    expect(Math.abs(auc(scores, churned) - 0.5)).toBeLessThan(0.05);
  });

  it("is NaN with nobody churned", () => {
    expect(auc([1, 2], [false, false])).toBeNaN();
  });
});

describe("precision and recall at k", () => {
  // Riskiest first: 2 of the top 3 churned, 3 churners among 10.
  const ranked = [true, false, true, false, false, true, false, false, false, false];

  it("computes precision, recall and lift on a hand-made ranking", () => {
    const r = atK(ranked, 3);
    expect(r.precision).toBeCloseTo(2 / 3, 10);
    expect(r.recall).toBeCloseTo(2 / 3, 10);
    expect(r.baseRate).toBeCloseTo(0.3, 10);
    expect(r.lift).toBeCloseTo(2 / 3 / 0.3, 10);
  });

  it("ranks riskiest (lowest score) first", () => {
    expect(rankByRisk([90, 10, 50], [false, true, false])).toEqual([true, false, false]);
  });
});

describe("calibration by band", () => {
  it("counts subscribers and churn per band", () => {
    const rows = calibration(["healthy", "healthy", "watch", "critical", "critical"], [false, false, true, true, false]);
    expect(rows).toEqual([
      { band: "healthy", subscribers: 2, churned: 0, churnRate: 0 },
      { band: "watch", subscribers: 1, churned: 1, churnRate: 1 },
      { band: "at_risk", subscribers: 0, churned: 0, churnRate: null },
      { band: "critical", subscribers: 2, churned: 1, churnRate: 0.5 },
    ]);
  });
});

describe("threshold simulator", () => {
  const w = (n: number) => new Date(Date.UTC(2025, 0, 1 + 7 * n));
  const cancelA = new Date(Date.UTC(2025, 0, 20)); // 5 days after week 2
  const cancelB = new Date(Date.UTC(2025, 0, 20));
  const obs = [
    { subject: "a", checkpoint: w(0), score: 80, cancelledAt: cancelA },
    { subject: "a", checkpoint: w(1), score: 70, cancelledAt: cancelA },
    { subject: "a", checkpoint: w(2), score: 40, cancelledAt: cancelA },
    { subject: "b", checkpoint: w(0), score: 90, cancelledAt: cancelB },
    { subject: "b", checkpoint: w(1), score: 85, cancelledAt: cancelB },
    { subject: "b", checkpoint: w(2), score: 80, cancelledAt: cancelB },
    { subject: "c", checkpoint: w(0), score: 50, cancelledAt: null },
    { subject: "c", checkpoint: w(1), score: 50, cancelledAt: null },
    { subject: "c", checkpoint: w(2), score: 50, cancelledAt: null },
  ];

  it("counts flagged per week and cancels caught within the horizon", () => {
    const r = simulateThreshold(obs, 55, 30);
    expect(r.checkpoints).toBe(3);
    expect(r.flaggedPerCheckpoint).toBeCloseTo(4 / 3, 10); // c every week, a once
    expect(r.cancels).toBe(2);
    expect(r.caught).toBe(1);
    expect(r.catchRate).toBe(0.5);
  });

  it("does not count a flag outside the horizon as caught", () => {
    const r = simulateThreshold(obs, 55, 3); // week 2 is 5 days before the cancel
    expect(r.caught).toBe(0);
  });
});
