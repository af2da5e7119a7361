/**
 * The threshold simulator: "if we flagged everyone scoring below T, how many would we
 * flag each week, and how many of the past cancels would we have caught?" The backtest's
 * observations are too many to send to the browser, so they are folded into a small
 * curve (observations per score, and each cancel's lowest score in the weeks before it
 * cancelled); any threshold is then answered from the curve alone, instantly, with the
 * same answer simulateThreshold (app/health/validation.ts) gives from the observations.
 */
import type { CheckpointObservation, ThresholdSimulation } from "../../health/validation";

const DAY_MS = 86_400_000;
export const SCORE_MAX = 100;

export interface ThresholdCurve {
  horizonDays: number;
  checkpoints: number;
  /** Index s: observations with a score in [s, s+1); scores outside 0-100 are clamped. */
  scoreCounts: number[];
  /** Per cancel seen at a checkpoint within the horizon before cancelling: the lowest such score. */
  cancelLowestScores: number[];
}

const bucket = (score: number) => Math.max(0, Math.min(SCORE_MAX, Math.floor(score)));

export function thresholdCurve(observations: readonly CheckpointObservation[], horizonDays: number): ThresholdCurve {
  const horizonMs = horizonDays * DAY_MS;
  const checkpoints = new Set<number>();
  const scoreCounts = new Array<number>(SCORE_MAX + 1).fill(0);
  const lowest = new Map<number | string, number>();
  for (const o of observations) {
    const cp = o.checkpoint.getTime();
    checkpoints.add(cp);
    scoreCounts[bucket(o.score)]++;
    if (o.cancelledAt) {
      const c = o.cancelledAt.getTime();
      if (cp < c && c - cp <= horizonMs) lowest.set(o.subject, Math.min(lowest.get(o.subject) ?? Infinity, bucket(o.score)));
    }
  }
  return { horizonDays, checkpoints: checkpoints.size, scoreCounts, cancelLowestScores: [...lowest.values()].sort((a, b) => a - b) };
}

/** The simulation at a whole-number threshold (flagged = score below it). */
export function simulateFromCurve(curve: ThresholdCurve, threshold: number): ThresholdSimulation {
  const t = Math.floor(threshold);
  let flagged = 0;
  for (let s = 0; s < Math.min(t, curve.scoreCounts.length); s++) flagged += curve.scoreCounts[s];
  const caught = curve.cancelLowestScores.filter((s) => s < t).length;
  const cancels = curve.cancelLowestScores.length;
  return {
    threshold: t,
    horizonDays: curve.horizonDays,
    checkpoints: curve.checkpoints,
    flaggedPerCheckpoint: curve.checkpoints === 0 ? 0 : flagged / curve.checkpoints,
    cancels,
    caught,
    catchRate: cancels === 0 ? 0 : caught / cancels,
  };
}
