/**
 * The score check: the store's score replayed at weekly checkpoints over the past half
 * year against who actually cancelled (validation.ts), and the weights that would have
 * ranked those cancels better, fitted on the same replay per group of subscribers
 * (weights-fit.ts). It takes seconds on a large store, so it is a job, not a page's work:
 * queued per shop when a rescore run finishes (and when a page finds nothing stored for
 * the current settings), it stores its result with the time it was computed, and the
 * reports and settings pages only read that.
 */
import { createHash } from "node:crypto";
import prisma from "../db.server";
import { readComputed, storeComputed } from "../cache.server";
import { enqueueAgain, notifyWorkers, type JobRecord } from "../queue/jobs.server";
import { thresholdCurve, type ThresholdCurve } from "../pages/reports/threshold";
import type { Weights } from "./config";
import { scoreWith } from "./score";
import { BASE_SCOPE, scopesOf } from "./settings-form";
import { shopScoring, type ShopScoring } from "./settings.server";
import { checkpoints, loadSubjectSample } from "./validate-shop.server";
import { backtest, type AtK, type CalibrationRow } from "./validation";
import { suggestWeights } from "./weights-fit";

export const SCORE_CHECK_QUEUE = "score-check" as const;
/** How far ahead a checkpoint looks for a cancellation. */
export const SCORE_CHECK_HORIZON_DAYS = 30;
const CHECKPOINT_WEEKS = 26;
/** Each finished rescore run (the daily one included) computes it again; this only bounds a shop that stopped. */
const KEPT_FOR_MS = 8 * 86_400_000;
const KEY_PREFIX = "score-check:";

export type AccuracyFigures =
  | {
      status: "ok";
      auc: number;
      atK: AtK;
      lift: number;
      calibration: CalibrationRow[];
      cancels: number;
      /** Weekly scores compared. */
      observations: number;
      /** The observations folded for the threshold simulator (the observations themselves are not kept). */
      curve: ThresholdCurve;
    }
  | { status: "not_enough_data"; cancels: number; minimum: number; message: string };

export type ScopeFit =
  | {
      scope: string;
      status: "ok";
      suggested: Weights;
      /** Null when the history cannot rank (no cancels or no stayers among the observations). */
      aucCurrent: number | null;
      aucSuggested: number | null;
      observations: number;
      churned: number;
    }
  | { scope: string; status: "not_enough_data"; message: string; observations: number; churned: number };

export interface ScoreCheck {
  /** ISO time the job computed it. */
  computedAt: string;
  horizonDays: number;
  /** Subscribers replayed, of how many the shop has (a stable sample on a large store). */
  sample: { subjects: number; of: number };
  accuracy: AccuracyFigures;
  /** One fit per group of subscribers of the settings page, in its order. */
  weights: ScopeFit[];
}

export type StoredScoreCheck = { status: "ready"; check: ScoreCheck } | { status: "computing" };

/** The settings a check was computed with: a check for other bands, weights or time zone is not shown. */
function keyFor(scoring: Pick<ShopScoring, "config" | "timeZone">): string {
  return KEY_PREFIX + createHash("sha1").update(JSON.stringify([scoring.config, scoring.timeZone])).digest("hex").slice(0, 16);
}

const finite = (n: number) => (Number.isFinite(n) ? Math.round(n * 1000) / 1000 : null);

/** Replays the shop's score once and derives both the accuracy figures and the weight fits from it. */
export async function computeScoreCheck(shop: string, now: Date, scoring: Pick<ShopScoring, "config" | "timeZone">): Promise<ScoreCheck> {
  const { config, timeZone } = scoring;
  const horizonDays = SCORE_CHECK_HORIZON_DAYS;
  const { subjects, total } = await loadSubjectSample(shop, timeZone, now);
  const replay = backtest(subjects, scoreWith(config), checkpoints(now, CHECKPOINT_WEEKS, horizonDays), horizonDays);
  const base = { computedAt: now.toISOString(), horizonDays, sample: { subjects: subjects.length, of: total } };
  if (replay.status !== "ok") {
    return {
      ...base,
      accuracy: { status: "not_enough_data", cancels: replay.cancels, minimum: replay.minimum, message: replay.message },
      weights: scopesOf(config).map((scope) => ({ scope, status: "not_enough_data", message: replay.message, observations: replay.observations, churned: replay.cancels })),
    };
  }
  const observations = replay.observations.map((o) => ({ signals: o.signals, churned: o.churned, segmentKey: o.segmentKey }));
  const weights: ScopeFit[] = [];
  for (const scope of scopesOf(config)) {
    // Each fit takes a while on a large store: let the process answer requests in between.
    await new Promise((resolve) => setImmediate(resolve));
    const fit = suggestWeights(observations, config, scope === BASE_SCOPE ? {} : { segment: scope });
    if (fit.status !== "ok") {
      weights.push({ scope, status: "not_enough_data", message: fit.message, observations: fit.observations, churned: fit.churned });
      continue;
    }
    const { suggestedWeights: suggested, aucCurrent, aucSuggested, churned } = fit;
    weights.push({ scope, status: "ok", suggested, aucCurrent: finite(aucCurrent), aucSuggested: finite(aucSuggested), observations: fit.observations, churned });
  }
  return {
    ...base,
    accuracy: {
      status: "ok",
      auc: replay.auc,
      atK: replay.atK,
      lift: replay.lift,
      calibration: replay.calibration,
      cancels: replay.cancels,
      observations: replay.observations.length,
      curve: thresholdCurve(replay.observations, horizonDays),
    },
    weights,
  };
}

/** The job: computes the check with the shop's settings as they are now and stores it under them. */
export async function runScoreCheck(shop: string, now: Date): Promise<ScoreCheck> {
  const scoring = await shopScoring(shop);
  const check = await computeScoreCheck(shop, now, scoring);
  await storeComputed(shop, keyFor(scoring), check, now, KEPT_FOR_MS);
  return check;
}

export const runScoreCheckJob = (job: JobRecord, now: Date) => runScoreCheck(job.shop, now).then(() => undefined);

/** Queues the shop's check (one job per shop: queued twice, it runs once; a finished one runs again). */
export async function queueScoreCheck(shop: string, now: Date): Promise<void> {
  await enqueueAgain(prisma, { queue: SCORE_CHECK_QUEUE, key: shop, shop, runAt: now });
  notifyWorkers(SCORE_CHECK_QUEUE);
}

/**
 * The stored check for the shop's current settings, or "computing" (and the job queued)
 * when there is none yet: after an install, or a change to the bands, weights or time zone.
 */
export async function readScoreCheck(shop: string, now: Date, scoring?: Pick<ShopScoring, "config" | "timeZone">): Promise<StoredScoreCheck> {
  const check = readComputed<ScoreCheck>(shop, keyFor(scoring ?? (await shopScoring(shop))), now);
  if (check) return { status: "ready", check };
  await queueScoreCheck(shop, now);
  return { status: "computing" };
}
