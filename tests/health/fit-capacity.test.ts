import { describe, expect, it } from "vitest";
import { thresholdsForCapacity } from "../../app/health/fit/capacity";

const bands = { healthy: 80, watch: 62, atRisk: 42 };
const below = (scores: number[], t: number) => scores.filter((s) => s < t).length;

describe("bands sized to the people a store can contact in a week", () => {
  const scores = Array.from({ length: 500 }, (_, i) => (i * 37) % 100);

  it("puts about that many live subscribers in the at-risk and critical bands", () => {
    for (const contacts of [10, 40, 120]) {
      const t = thresholdsForCapacity(scores, contacts, bands);
      expect(Math.abs(below(scores, t.watch) - contacts)).toBeLessThanOrEqual(5);
      expect(t.atRisk).toBeLessThan(t.watch);
      expect(t.healthy).toBeGreaterThan(t.watch);
    }
  });

  it("keeps the at-risk threshold the same distance below the watch threshold", () => {
    const t = thresholdsForCapacity(scores, 100, bands);
    expect(t.watch - t.atRisk).toBe(Math.min(20, t.watch));
  });

  it("never lets the watch threshold reach the healthy one", () => {
    const t = thresholdsForCapacity(scores, 10_000, bands);
    expect(t.watch).toBe(79);
  });

  it("leaves the bands alone with no scores or no capacity", () => {
    expect(thresholdsForCapacity([], 20, bands)).toEqual(bands);
    expect(thresholdsForCapacity(scores, 0, bands)).toEqual(bands);
  });
});
