/**
 * A store's weights fitted to its own history, at most once a month: the score replayed at
 * weekly checkpoints (validate-shop.server.ts), fitted and judged (fit-store-weights.ts), the
 * outcome kept as a ScoreFit row. An adopted fit writes its weights into the shop's health
 * config, keeping the config it replaced in the row so a revert restores it, and rescores.
 */
import prisma from "../../db.server";
import { forgetShopCache } from "../../cache.server";
import { enqueueAgain, notifyWorkers, type JobRecord } from "../../queue/jobs.server";
import { startRescore } from "../../rescore/runs.server";
import type { HealthConfigInput } from "../config";
import { scoreWith } from "../score";
import { shopScoring } from "../settings.server";
import { checkpoints, loadSubjectSample } from "../validate-shop.server";
import { backtest } from "../validation";
import { fitStoreWeights, type StoreFitOptions, type StoreFitResult } from "./fit-store-weights";

export const SCORE_FIT_QUEUE = "score-fit" as const;
const HORIZON_DAYS = 30;
const CHECKPOINT_WEEKS = 30;
const DUE_AFTER_MS = 30 * 86_400_000;

/** The first instant of the asOf's month (UTC): one fit per shop and month. */
const monthOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

export interface StoreFitOutcome {
  fitId: string;
  status: string;
  result: StoreFitResult | null;
  /** True when this month's fit already existed and nothing was done again. */
  existing: boolean;
}

/** Fits the shop's weights on its history as of `now` (idempotent per shop and month). */
export async function runStoreFit(shop: string, now: Date, options: StoreFitOptions = {}): Promise<StoreFitOutcome> {
  const month = monthOf(now);
  const done = await prisma.scoreFit.findFirst({ where: { shop, asOf: { gte: month } }, orderBy: { createdAt: "desc" } });
  if (done) return { fitId: done.id, status: done.status, result: null, existing: true };

  const scoring = await shopScoring(shop);
  const { subjects } = await loadSubjectSample(shop, scoring.timeZone, now);
  const replay = backtest(subjects, scoreWith(scoring.config), checkpoints(now, CHECKPOINT_WEEKS, HORIZON_DAYS), HORIZON_DAYS, { minimumCancels: 0 });
  const observations =
    replay.status === "ok"
      ? replay.observations.map((o) => ({ subject: o.subject, checkpoint: o.checkpoint, signals: o.signals, churned: o.churned, segmentKey: o.segmentKey }))
      : [];
  const result = fitStoreWeights(observations, scoring.config, { horizonDays: HORIZON_DAYS, ...options });

  const settings = await prisma.shopSettings.findUnique({ where: { shop }, select: { healthConfig: true } });
  const previous: HealthConfigInput = settings?.healthConfig ? (JSON.parse(settings.healthConfig) as HealthConfigInput) : {};
  const adopt = result.status === "fitted" && result.decision === "adopt";
  const metrics =
    result.status === "fitted"
      ? { current: result.current, fitted: result.fitted, ceiling: result.ceiling, changes: result.changes, ...result.history }
      : { cancelsWithSignals: result.cancelsWithSignals, needed: result.needed, ...(result.history ?? {}) };

  const fit = await prisma.$transaction(async (tx) => {
    const row = await tx.scoreFit.create({
      data: {
        shop,
        status: result.status === "refused" ? "refused" : adopt ? "adopted" : "kept",
        reason: result.reason,
        fittedWeights: result.status === "fitted" ? JSON.stringify(result.fittedWeights) : null,
        previousConfig: JSON.stringify(previous),
        metrics: JSON.stringify(metrics),
        asOf: now,
        decidedAt: now,
      },
    });
    if (adopt && result.status === "fitted") {
      const healthConfig = JSON.stringify({ ...previous, weights: { ...previous.weights, ...result.fittedWeights } });
      await tx.shopSettings.upsert({ where: { shop }, create: { shop, healthConfig }, update: { healthConfig } });
    }
    return row;
  });
  if (adopt) {
    await forgetShopCache(shop);
    await startRescore(shop, "weights fitted to the store", now);
  }
  return { fitId: fit.id, status: fit.status, result, existing: false };
}

export type RevertResult = { ok: true; runId: string } | { ok: false; error: string };

/** Puts back the config an adopted fit replaced, and rescores. Reverting twice does nothing more. */
export async function revertFit(shop: string, fitId: string, now: Date): Promise<RevertResult> {
  const fit = await prisma.scoreFit.findFirst({ where: { id: fitId, shop } });
  if (!fit) return { ok: false, error: "That fit was not found." };
  if (fit.status !== "adopted") return { ok: false, error: fit.status === "reverted" ? "Those weights were already put back." : "That fit did not change the weights." };
  const healthConfig = fit.previousConfig ?? "{}";
  await prisma.$transaction([
    prisma.shopSettings.upsert({ where: { shop }, create: { shop, healthConfig }, update: { healthConfig } }),
    prisma.scoreFit.update({ where: { id: fit.id }, data: { status: "reverted", revertedAt: now } }),
  ]);
  await forgetShopCache(shop);
  const runId = await startRescore(shop, "fitted weights reverted", now);
  return { ok: true, runId };
}

/** The shop's latest fit, for the settings page. */
export async function latestFit(shop: string) {
  return prisma.scoreFit.findFirst({ where: { shop }, orderBy: { createdAt: "desc" } });
}

/** Queues a fit when the shop's last one is older than 30 days (or there is none). */
export async function queueStoreFitIfDue(shop: string, now: Date): Promise<boolean> {
  const last = await latestFit(shop);
  if (last && now.getTime() - last.asOf.getTime() < DUE_AFTER_MS) return false;
  await enqueueAgain(prisma, { queue: SCORE_FIT_QUEUE, key: shop, shop, runAt: now });
  notifyWorkers(SCORE_FIT_QUEUE);
  return true;
}

export const runStoreFitJob = (job: JobRecord, now: Date) => runStoreFit(job.shop, now).then(() => undefined);
