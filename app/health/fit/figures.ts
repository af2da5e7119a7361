/**
 * How well one set of weights ranks a set of weekly observations: AUC, the share of
 * cancels caught in the riskiest 10%, and the share caught on the at-risk list (the
 * at-risk and critical bands, below the watch threshold of the subscriber's group).
 */
import { resolveBands, resolveWeights, type HealthConfig, type Weights } from "../config";
import { scoreFromSignals } from "../score";
import type { SignalValues } from "../types";
import { atK, auc, rankByRisk } from "../validation";

export interface FitObservation {
  subject: number | string;
  checkpoint: Date;
  signals: SignalValues;
  /** Cancelled within the horizon after the checkpoint. */
  churned: boolean;
  segmentKey?: string;
}

export interface Figures {
  auc: number;
  /** Of the cancels (observations that cancelled within the horizon), the share in the riskiest 10%. */
  catchRateTop10: number;
  /** Of the cancels, the share in the at-risk and critical bands. */
  catchRateList: number;
  /** Observations on the at-risk list, per checkpoint week: the workload. */
  listPerWeek: number;
}

const TOP_FRACTION = 0.1;

/** The config with new base weights; segment overrides stay as they are. */
export function withWeights(config: HealthConfig, weights: Weights): HealthConfig {
  return { ...config, weights: { ...weights } };
}

export function figuresFor(observations: readonly FitObservation[], config: HealthConfig): Figures {
  const weightsBy = new Map<string, Weights>();
  const watchBy = new Map<string, number>();
  const scores: number[] = [];
  const labels: boolean[] = [];
  let onList = 0;
  let caughtOnList = 0;
  let cancels = 0;
  const weeks = new Set<number>();
  for (const o of observations) {
    const key = o.segmentKey ?? "established:low";
    let w = weightsBy.get(key);
    if (!w) weightsBy.set(key, (w = o.segmentKey ? resolveWeights(config, key) : config.weights));
    let watch = watchBy.get(key);
    if (watch === undefined) watchBy.set(key, (watch = o.segmentKey ? resolveBands(config, key).watch : config.bands.watch));
    const s = scoreFromSignals(o.signals, w);
    scores.push(s);
    labels.push(o.churned);
    weeks.add(o.checkpoint.getTime());
    if (o.churned) cancels++;
    if (s < watch) {
      onList++;
      if (o.churned) caughtOnList++;
    }
  }
  const k = Math.max(1, Math.ceil(TOP_FRACTION * observations.length));
  return {
    auc: auc(scores, labels),
    catchRateTop10: atK(rankByRisk(scores, labels), k).recall,
    catchRateList: cancels === 0 ? 0 : caughtOnList / cancels,
    listPerWeek: weeks.size === 0 ? 0 : onList / weeks.size,
  };
}
