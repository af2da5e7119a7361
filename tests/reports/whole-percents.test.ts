// Shares shown side by side add up to 100%, never 99% or 101%.
import { describe, expect, it } from "vitest";
import { wholePercents } from "~/pages/reports/whole-percents";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("whole percents", () => {
  it("adds to 100 where rounding each share would give 101", () => {
    // 62.5 / 12.5 / 25, rounded one by one: 63 + 13 + 25 = 101. The tie for the one point goes to the first.
    const counts = [5, 1, 2];
    expect(counts.map((c) => Math.round((c / 8) * 100))).toEqual([63, 13, 25]);
    expect(wholePercents(counts)).toEqual([63, 12, 25]);
  });

  it("adds to 100 where rounding each share would give 99", () => {
    expect(sum([1, 1, 1].map((c) => Math.round((c / 3) * 100)))).toBe(99);
    expect(wholePercents([1, 1, 1])).toEqual([34, 33, 33]);
  });

  it("gives the missing points to the largest remainders", () => {
    // 41.67 / 33.33 / 25: the first share's .67 takes the one point missing.
    expect(wholePercents([5, 4, 3])).toEqual([42, 33, 25]);
  });

  it("always adds to 100 over many uneven splits", () => {
    for (let seed = 1; seed < 200; seed++) {
      const counts = Array.from({ length: 12 }, (_, i) => ((seed * (i + 7) * 31) % 97) + 1);
      expect(sum(wholePercents(counts)!)).toBe(100);
    }
  });

  it("keeps exact shares and zeros as they are, and has nothing to say about nothing", () => {
    expect(wholePercents([1, 1, 0, 2])).toEqual([25, 25, 0, 50]);
    expect(wholePercents([0, 0])).toBeNull();
    expect(wholePercents([])).toBeNull();
  });
});
