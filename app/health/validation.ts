/**
 * Does the score predict churn? Pure math over scores and outcomes, plus a
 * backtest that replays history at checkpoints without looking ahead.
 *
 * Orientation throughout: a LOWER score means MORE risk. An AUC of 1 means every
 * subscriber who cancelled scored below every one who stayed; 0.5 is a coin flip.
 */
import type { TimelineEvent } from "../domain/timeline";
import { factsAt as rewindFacts } from "./facts-at";
import type { Band, HealthResult, SignalValues, SubscriberFacts } from "./types";

const DAY_MS = 86_400_000;

/**
 * Area under the ROC curve for "low score predicts churn" (Mann-Whitney U):
 * the chance a random churner scores below a random stayer, ties counting 0.5.
 * NaN when there are no churners or no stayers (nothing to rank).
 */
export function auc(scores: readonly number[], churned: readonly boolean[]): number {
  const n = scores.length;
  if (churned.length !== n) throw new Error(`auc: ${n} scores but ${churned.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let stayers = 0;
  let stayerRankSum = 0;
  // Average 1-based ranks across ties.
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const avgRank = (i + j + 2) / 2;
    for (let m = i; m <= j; m++) {
      if (!churned[order[m]]) {
        stayers++;
        stayerRankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const churners = n - stayers;
  if (churners === 0 || stayers === 0) return NaN;
  // U counts (stayer, churner) pairs where the stayer scored higher.
  const u = stayerRankSum - (stayers * (stayers + 1)) / 2;
  return u / (stayers * churners);
}

/** Churn labels ordered riskiest (lowest score) first; ties keep input order. */
export function rankByRisk(scores: readonly number[], churned: readonly boolean[]): boolean[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[a] - scores[b] || a - b)
    .map((i) => churned[i]);
}

export interface AtK {
  k: number;
  /** Of the k flagged, the share who churned. */
  precision: number;
  /** Of all churners, the share among the k flagged. */
  recall: number;
  /** Churners among all ranked. */
  baseRate: number;
  /** precision / baseRate: how many times better than flagging k at random. */
  lift: number;
}

/** Precision, recall and lift when acting on the top k of a riskiest-first ranking. */
export function atK(ranked: readonly boolean[], k: number): AtK {
  const n = ranked.length;
  const kk = Math.max(0, Math.min(n, Math.floor(k)));
  let total = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    if (ranked[i]) {
      total++;
      if (i < kk) hits++;
    }
  }
  const precision = kk === 0 ? 0 : hits / kk;
  const baseRate = n === 0 ? 0 : total / n;
  return { k: kk, precision, recall: total === 0 ? 0 : hits / total, baseRate, lift: baseRate === 0 ? 0 : precision / baseRate };
}

export interface CalibrationRow {
  band: Band;
  subscribers: number;
  churned: number;
  /** null when the band is empty. */
  churnRate: number | null;
}

const BANDS: Band[] = ["healthy", "watch", "at_risk", "critical"];

/** Churn rate per band: a good score shows it rising from healthy to critical. */
export function calibration(bands: readonly Band[], churned: readonly boolean[]): CalibrationRow[] {
  const rows = BANDS.map((band) => ({ band, subscribers: 0, churned: 0, churnRate: null as number | null }));
  const idx: Record<Band, number> = { healthy: 0, watch: 1, at_risk: 2, critical: 3 };
  for (let i = 0; i < bands.length; i++) {
    const r = rows[idx[bands[i]]];
    r.subscribers++;
    if (churned[i]) r.churned++;
  }
  for (const r of rows) r.churnRate = r.subscribers === 0 ? null : r.churned / r.subscribers;
  return rows;
}

export interface CheckpointObservation {
  /** Identifies the subscriber across checkpoints. */
  subject: number | string;
  checkpoint: Date;
  score: number;
  cancelledAt: Date | null;
}

export interface ThresholdSimulation {
  threshold: number;
  horizonDays: number;
  checkpoints: number;
  /** Average subscribers below the threshold per checkpoint (per week with weekly checkpoints). */
  flaggedPerCheckpoint: number;
  /** Cancels with at least one checkpoint inside the horizon before cancelling. */
  cancels: number;
  /** Of those, cancels flagged (score below threshold) at such a checkpoint. */
  caught: number;
  catchRate: number;
}

/**
 * "If we had flagged everyone scoring below `threshold`": workload per checkpoint
 * and how many past cancels would have been flagged within `horizonDays` before
 * they cancelled.
 */
export function simulateThreshold(
  observations: readonly CheckpointObservation[],
  threshold: number,
  horizonDays: number,
): ThresholdSimulation {
  const horizonMs = horizonDays * DAY_MS;
  const checkpoints = new Set<number>();
  let flagged = 0;
  const seen = new Map<number | string, boolean>(); // subject -> caught
  for (const o of observations) {
    const cp = o.checkpoint.getTime();
    checkpoints.add(cp);
    const isFlagged = o.score < threshold;
    if (isFlagged) flagged++;
    if (o.cancelledAt) {
      const c = o.cancelledAt.getTime();
      if (cp < c && c - cp <= horizonMs) seen.set(o.subject, (seen.get(o.subject) ?? false) || isFlagged);
    }
  }
  let caught = 0;
  for (const v of seen.values()) if (v) caught++;
  return {
    threshold,
    horizonDays,
    checkpoints: checkpoints.size,
    flaggedPerCheckpoint: checkpoints.size === 0 ? 0 : flagged / checkpoints.size,
    cancels: seen.size,
    caught,
    catchRate: seen.size === 0 ? 0 : caught / seen.size,
  };
}

// ---------------------------------------------------------------------------
// Backtest

export interface BacktestSubject {
  /** Used in observations; defaults to the subject's index. */
  id?: string;
  timeline: readonly TimelineEvent[];
  /** Latest known facts (for cancelled subscribers: as they were when cancelling). */
  facts: SubscriberFacts;
  cancelledAt: Date | null;
  /**
   * A planned end that is not a cancel (a fixed-term plan that ran its course): nothing
   * to predict after it, and nothing to count as churn.
   */
  endedAt?: Date | null;
}

/** Anything that scores like score() with a fixed config; see scoreWith(). */
export type ScoreAt = (
  timeline: readonly TimelineEvent[],
  facts: SubscriberFacts,
  now: Date,
) => Pick<HealthResult, "score" | "band" | "signals" | "segment"> & { cancelledAt?: Date | null };

export interface BacktestOptions {
  /** Below this many distinct cancels the numbers are noise; default 20. */
  minimumCancels?: number;
  /** Facts as of a checkpoint; default rewinds the latest facts along the timeline (facts-at.ts). */
  factsAt?: (subject: BacktestSubject, checkpoint: Date) => SubscriberFacts;
  /** Share of observations treated as "flagged" for precision/recall; default 0.1. */
  topFraction?: number;
}

export interface BacktestObservation extends CheckpointObservation {
  band: Band;
  segmentKey: string;
  signals: SignalValues;
  /** Cancelled within the horizon after the checkpoint. */
  churned: boolean;
}

export type BacktestResult =
  | {
      status: "ok";
      horizonDays: number;
      auc: number;
      atK: AtK;
      lift: number;
      calibration: CalibrationRow[];
      observations: BacktestObservation[];
      /** Distinct subscribers who cancelled within the horizon of some checkpoint. */
      cancels: number;
    }
  | { status: "not_enough_data"; cancels: number; minimum: number; observations: number; message: string };

/** Index of the first event after `t` in an oldest-first list. */
function upperBound(events: readonly TimelineEvent[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].occurredAt.getTime() <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Replays history: at each checkpoint, scores every subscriber active then using
 * only events at or before the checkpoint, and labels the observation churned if
 * they cancelled within `horizonDays` after it. Observations from all checkpoints
 * are pooled. Checkpoints should be at least `horizonDays` before the data was
 * captured, or later cancels are missing from the labels.
 */
export function backtest(
  subjects: readonly BacktestSubject[],
  scoreAt: ScoreAt,
  checkpoints: readonly Date[],
  /** Typically 30 or 60. */
  horizonDays: number,
  options: BacktestOptions = {},
): BacktestResult {
  const minimum = options.minimumCancels ?? 20;
  const factsFor = options.factsAt ?? ((s: BacktestSubject, cp: Date) => rewindFacts(s.facts, s.timeline, cp));
  const horizonMs = horizonDays * DAY_MS;
  const observations: BacktestObservation[] = [];
  const cancelled = new Set<number | string>();

  subjects.forEach((subject, index) => {
    const id = subject.id ?? index;
    const sorted = [...subject.timeline].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    const cancelMs = subject.cancelledAt ? subject.cancelledAt.getTime() : null;
    const endMs = subject.endedAt ? subject.endedAt.getTime() : null;
    for (const checkpoint of checkpoints) {
      const cp = checkpoint.getTime();
      if (subject.facts.firstSubscribedAt.getTime() > cp) continue;
      if (cancelMs !== null && cancelMs <= cp) continue;
      if (endMs !== null && endMs <= cp) continue;
      const past = sorted.slice(0, upperBound(sorted, cp));
      const r = scoreAt(past, factsFor(subject, checkpoint), checkpoint);
      // Between an earlier cancel and a later return there is no subscription to predict for.
      if (r.cancelledAt) continue;
      const churned = cancelMs !== null && cancelMs - cp <= horizonMs;
      if (churned) cancelled.add(id);
      observations.push({
        subject: id,
        checkpoint,
        score: r.score,
        band: r.band,
        segmentKey: r.segment.key,
        signals: r.signals,
        churned,
        cancelledAt: subject.cancelledAt,
      });
    }
  });

  if (cancelled.size < minimum) {
    return {
      status: "not_enough_data",
      cancels: cancelled.size,
      minimum,
      observations: observations.length,
      message: `Only ${cancelled.size} subscriber${cancelled.size === 1 ? "" : "s"} cancelled in the period checked; at least ${minimum} are needed before accuracy numbers mean anything.`,
    };
  }

  const scores = observations.map((o) => o.score);
  const labels = observations.map((o) => o.churned);
  const k = Math.max(1, Math.ceil((options.topFraction ?? 0.1) * observations.length));
  const top = atK(rankByRisk(scores, labels), k);
  return {
    status: "ok",
    horizonDays,
    auc: auc(scores, labels),
    atK: top,
    lift: top.lift,
    calibration: calibration(
      observations.map((o) => o.band),
      labels,
    ),
    observations,
    cancels: cancelled.size,
  };
}
