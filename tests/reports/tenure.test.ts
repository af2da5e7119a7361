// Churn by tenure on a handful of subscribers whose months are known by construction.
import { describe, expect, it } from "vitest";
import { churnByTenure, readTenure, type Stage } from "~/pages/reports/tenure";
import { MONTH_MS } from "~/pages/reports/months";

const START = new Date("2025-01-01T00:00:00Z");
const after = (months: number, from = START) => new Date(from.getTime() + months * MONTH_MS);
const NOW = after(20);

const subjects = [
  { firstSubscribedAt: START, cancelledAt: after(0.5) }, // month 1
  { firstSubscribedAt: START, cancelledAt: after(2.5) }, // month 3
  { firstSubscribedAt: START, cancelledAt: after(6.2) }, // month 7
  { firstSubscribedAt: START, cancelledAt: null }, // 20 months and counting
  { firstSubscribedAt: after(-0.5, NOW), cancelledAt: null }, // half a month in
];

describe("churn by tenure", () => {
  const t = churnByTenure(subjects, NOW);

  it("puts each cancellation in the month of tenure it happened in", () => {
    expect(t.buckets.map((b) => b.cancelled)).toEqual([1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(t.cancels).toBe(3);
  });

  it("counts who reached each month, with month 12 and later together", () => {
    expect(t.buckets.map((b) => b.reached)).toEqual([5, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1]);
    expect(t.buckets.at(-1)!.label).toBe("12+");
  });

  it("rates each month by the subscriber-months lived in it, partial months by their fraction", () => {
    expect(t.buckets[0].exposureMonths).toBeCloseTo(4); // 0.5 + 1 + 1 + 1 + 0.5
    expect(t.buckets[0].monthlyCancelRate).toBeCloseTo(0.25);
    expect(t.buckets[6].exposureMonths).toBeCloseTo(1.2); // 0.2 + 1
    expect(t.buckets[11].exposureMonths).toBeCloseTo(9); // the long-timer's months 12 to 20
  });

  it("splits the cancellations into onboarding (1-3), between (4-5) and experience (6+)", () => {
    expect(t.onboarding.cancelled).toBe(2);
    expect(t.onboarding.share).toBeCloseTo(2 / 3);
    expect(t.between.cancelled).toBe(0);
    expect(t.experience.share).toBeCloseTo(1 / 3);
  });

  it("gives the months' and the stages' shares as whole percentages that each add up to 100", () => {
    // One cancel in each of three months: 33% each, rounded alone, adds to 99.
    expect(t.buckets.map((b) => b.sharePercent)).toEqual([34, 0, 33, 0, 0, 0, 33, 0, 0, 0, 0, 0]);
    expect([t.onboarding.percent, t.between.percent, t.experience.percent]).toEqual([67, 0, 33]);
    // Eight cancels, 5 in onboarding, 1 between, 2 later: 62.5 / 12.5 / 25, rounded alone, adds to 101.
    const eight = [0.5, 0.5, 0.5, 0.5, 0.5, 3.5, 6.5, 6.5].map((m) => ({ firstSubscribedAt: START, cancelledAt: after(m) }));
    const split = churnByTenure(eight, NOW);
    expect([split.onboarding.share, split.between.share, split.experience.share].map((s) => Math.round(s! * 100))).toEqual([63, 13, 25]);
    expect([split.onboarding.percent, split.between.percent, split.experience.percent]).toEqual([63, 12, 25]);
    expect(split.buckets.reduce((n, b) => n + (b.sharePercent ?? 0), 0)).toBe(100);
  });

  it("says there is too little to read with only a few cancellations", () => {
    expect(t.reading).toMatch(/^Only 3 cancellations so far/);
  });

  it("ignores a cancellation that lies after now", () => {
    const later = churnByTenure([{ firstSubscribedAt: START, cancelledAt: after(25) }], NOW);
    expect(later.cancels).toBe(0);
    expect(later.buckets[11].exposureMonths).toBeCloseTo(9);
  });
});

describe("the one-line reading", () => {
  const stage = (cancelled: number, share: number, exposureMonths: number): Stage => ({
    cancelled,
    share,
    percent: Math.round(share * 100),
    exposureMonths,
    monthlyCancelRate: cancelled / exposureMonths,
  });

  it("names both waves when early cancels dominate and the rate climbs again after month 6", () => {
    const reading = readTenure({ cancels: 100, onboarding: stage(70, 0.7, 700), between: stage(5, 0.05, 250), experience: stage(25, 0.25, 400) });
    expect(reading).toMatch(/70% of cancellations come in months 1-3/);
    expect(reading).toMatch(/rises again after month 6/);
  });

  it("points at onboarding alone when the later rate stays flat", () => {
    const reading = readTenure({ cancels: 100, onboarding: stage(80, 0.8, 700), between: stage(10, 0.1, 250), experience: stage(10, 0.1, 250) });
    expect(reading).toMatch(/never reached the outcome they subscribed for/);
    expect(reading).not.toMatch(/after month 6/);
  });

  it("points at the experience when most cancels come after month 6", () => {
    const reading = readTenure({ cancels: 50, onboarding: stage(10, 0.2, 700), between: stage(5, 0.1, 250), experience: stage(35, 0.7, 900) });
    expect(reading).toMatch(/^70% of cancellations come after month 6: the product or service wears thin/);
  });
});
