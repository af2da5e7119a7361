// Lift and due times in a store owner's words (describe.ts).
import { describe, expect, it } from "vitest";
import { dueInWords, liftInWords } from "~/playbook/describe";
import type { Lift } from "~/playbook/measure";

const estimate = (treated: number, holdout: number, lower: number, upper: number): Lift => ({
  kind: "estimate",
  treatedRetention: treated,
  holdoutRetention: holdout,
  difference: treated - holdout,
  lower,
  upper,
  treatedN: 120,
  holdoutN: 40,
});

describe("lift in words", () => {
  it("says how much less often the played group cancelled, and whether that is more than chance", () => {
    const words = liftInWords(estimate(0.9, 0.86, 0.01, 0.08), "retention");
    expect(words.headline).toBe("Cancelled 4 points less often than the held-out group");
    expect(words.detail).toBe("10% cancelled after the play, 14% of those held out (120 and 40 outcomes). More than chance: the play helps.");
    expect(words.verdict).toBe("better");
  });

  it("says so when the played group cancelled more often, and when the interval still crosses zero", () => {
    const words = liftInWords(estimate(0.8, 0.83, -0.12, 0.05), "payment");
    expect(words.headline).toBe("Cancelled 3 points more often than the held-out group");
    expect(words.detail).toMatch(/Not yet more than chance\.$/);
    expect(words.verdict).toBe("unclear");
  });

  it("reads a win-back by who came back", () => {
    const words = liftInWords(estimate(0.2, 0.1, 0.02, 0.18), "winback");
    expect(words.headline).toBe("Came back 10 points more often than the held-out group");
    expect(words.detail).toMatch(/^20% came back after the play, 10% of those held out/);
  });

  it("gives the counts still needed instead of a number on a small sample", () => {
    const words = liftInWords({ kind: "insufficient_sample", treatedN: 3, holdoutN: 1, minPerGroup: 30 }, "retention");
    expect(words).toEqual({
      headline: "Not enough outcomes yet",
      detail: "3 played and 1 held out have an outcome; 30 of each are needed to compare.",
      verdict: "too_few",
    });
  });

  it("uses one point in the singular", () => {
    expect(liftInWords(estimate(0.91, 0.9, -0.05, 0.07), "retention").headline).toBe("Cancelled 1 point less often than the held-out group");
  });
});

describe("due in words", () => {
  it("rounds hours up to days and weeks as people say them", () => {
    expect(dueInWords(4)).toBe("Due within 4 hours");
    expect(dueInWords(48)).toBe("Due within 2 days");
    expect(dueInWords(168)).toBe("Due within 1 week");
  });
});
