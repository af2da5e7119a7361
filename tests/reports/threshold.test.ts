// The threshold simulator answers from a folded curve exactly as it would from every observation.
import { describe, expect, it } from "vitest";
import { simulateThreshold, type CheckpointObservation } from "~/health/validation";
import { simulateFromCurve, thresholdCurve } from "~/pages/reports/threshold";

const DAY = 86_400_000;
const W1 = new Date("2026-03-02T00:00:00Z");
const W2 = new Date(W1.getTime() + 7 * DAY);
const obs = (subject: string, checkpoint: Date, score: number, cancelledAt: Date | null = null): CheckpointObservation => ({ subject, checkpoint, score, cancelledAt });
const cancelA = new Date(W2.getTime() + 10 * DAY);

const observations = [
  // a: cancels 10 days after week 2; scored 60 then 40
  obs("a", W1, 60, cancelA),
  obs("a", W2, 40, cancelA),
  // b: cancels 100 days later: outside a 30-day horizon, not a cancel to catch
  obs("b", W1, 20, new Date(W1.getTime() + 100 * DAY)),
  obs("c", W1, 80),
  obs("c", W2, 90),
  obs("d", W2, 54.5, new Date(W2.getTime() + 3 * DAY)),
];

describe("threshold simulator", () => {
  const curve = thresholdCurve(observations, 30);

  it("keeps each cancel's lowest score in the horizon before it cancelled", () => {
    expect(curve.checkpoints).toBe(2);
    expect(curve.cancelLowestScores).toEqual([40, 54]);
  });

  it("flags below the threshold and catches cancels flagged at least once", () => {
    expect(simulateFromCurve(curve, 55)).toMatchObject({ flaggedPerCheckpoint: 1.5, cancels: 2, caught: 2, catchRate: 1 });
    expect(simulateFromCurve(curve, 45)).toMatchObject({ flaggedPerCheckpoint: 1, caught: 1, catchRate: 0.5 });
    expect(simulateFromCurve(curve, 0)).toMatchObject({ flaggedPerCheckpoint: 0, caught: 0 });
  });

  it("agrees with the full simulation at every threshold", () => {
    for (let t = 0; t <= 101; t++) expect(simulateFromCurve(curve, t)).toEqual(simulateThreshold(observations, t, 30));
  });
});
