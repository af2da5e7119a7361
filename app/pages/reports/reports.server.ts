/**
 * The reports page's figures. Data access only: each report's math is a pure function
 * in this folder, fed here with plain rows of this shop. Score validation is read from
 * the score check a job computes (health/score-check.server.ts), in its own call.
 */
import prisma from "../../db.server";
import { cached } from "../../cache.server";
import { directDb } from "../../db-direct.server";
import type { Band } from "../../playbook/types";
import type { Outcome } from "../../playbook/measure";
import { triggerReport, type TriggerReportRow } from "../../playbook/outcomes.server";
import { snapshotFromJson } from "../../playbook/snapshot";
import { recentWeekKeys, currentWeek } from "../../health/weeks.server";
import { readScoreCheck } from "../../health/score-check.server";
import { shopScoring } from "../../health/settings.server";
import { weeklyBandCounts } from "../../health/weekly-bands.server";
import type { AtK, CalibrationRow, ThresholdSimulation } from "../../health/validation";
import { shopWeekContext } from "../../models/shop.server";
import { churnByTenure, type ChurnByTenure, type TenureSubject } from "./tenure";
import { cohortRetention, type CohortRetention } from "./cohorts";
import { bandWeeks, HEALTH_WEEKS, trimLeadingEmpty, type BandWeek } from "./health-weeks";
import { revenueSaved, type RevenueSaved } from "./revenue-saved";
import { simulateFromCurve, type ThresholdCurve } from "./threshold";
import { MIN_SAMPLE_PER_GROUP, VALIDATION_HORIZON_DAYS } from "./options";

export interface RevenueAtRisk {
  monthly: number;
  subscribers: number;
  byBand: { band: Band; subscribers: number; monthly: number }[];
}

export interface ReportsOverview {
  section: "overview";
  timeZone: string;
  currency: string;
  weekKey: string;
  tenure: ChurnByTenure;
  cohorts: CohortRetention;
  health: BandWeek[];
  revenueAtRisk: RevenueAtRisk;
  revenueSaved: RevenueSaved & { names: Record<string, string> };
  triggers: TriggerReportRow[];
}

/**
 * Churn by tenure and cohorts read every subscriber the shop ever had: on a large store
 * that is about half a second, for figures that move by the day. Both are kept in the
 * shared cache for a few minutes, so moving between report tabs is instant.
 */
const TENURE_CACHE_MS = 5 * 60_000;

function tenureFigures(shop: string, now: Date, timeZone: string): Promise<{ tenure: ChurnByTenure; cohorts: CohortRetention }> {
  return cached(shop, `reports:tenure:${timeZone}`, { now, ttlMs: TENURE_CACHE_MS }, async () => {
    const subjects = await readTenureSubjects(shop);
    return { tenure: churnByTenure(subjects, now), cohorts: cohortRetention(subjects, now, timeZone) };
  });
}

/** Every subscriber's signup and, for those who left, when they left (their last contract ending). */
async function readTenureSubjects(shop: string): Promise<TenureSubject[]> {
  // One pass over the shop's subscribers, on the direct connection (100,000 rows through
  // the ORM cost most of a second); the ending is looked up by the subscriber's timeline
  // index only for those who left.
  const rows = directDb()
    .prepare(
      `SELECT s."firstSubscribedAt" AS firstSubscribedAt, s."status" = 'cancelled' AS cancelled, s."updatedAt" AS updatedAt,
         CASE WHEN s."status" = 'cancelled' THEN
           (SELECT MAX(e."occurredAt") FROM "SubscriberEvent" e
            WHERE e."subscriberId" = s."id" AND e."type" IN ('contract.cancelled', 'contract.expired', 'contract.failed'))
         END AS endedAt
       FROM "Subscriber" s
       WHERE s."shop" = ? AND s."firstSubscribedAt" IS NOT NULL`,
    )
    .all(shop) as { firstSubscribedAt: string; cancelled: number; updatedAt: string; endedAt: string | null }[];
  return rows.map((r) => ({
    firstSubscribedAt: new Date(r.firstSubscribedAt),
    // A subscriber marked cancelled without an ending event on the timeline: the last change is the best we know.
    cancelledAt: r.cancelled ? new Date(r.endedAt ?? r.updatedAt) : null,
  }));
}

async function healthWeeks(shop: string, now: Date, timeZone: string): Promise<BandWeek[]> {
  const keys = recentWeekKeys(now, timeZone, HEALTH_WEEKS);
  const counts = await weeklyBandCounts(shop, keys, currentWeek(now, timeZone).key, now);
  const rows = [...counts].flatMap(([periodKey, bands]) => [...bands].map(([band, count]) => ({ periodKey, band, count })));
  return trimLeadingEmpty(
    bandWeeks(keys, rows),
    8,
  );
}

async function revenueAtRisk(shop: string): Promise<RevenueAtRisk> {
  const rows = await prisma.$queryRaw<{ band: Band; n: number | bigint; monthly: number | null }[]>`
    SELECT h.band AS band, COUNT(*) AS n, SUM(s.monthlyValue) AS monthly
    FROM HealthScore h JOIN Subscriber s ON s.id = h.subscriberId
    WHERE h.shop = ${shop} AND h.live = true AND h.band IN ('at_risk', 'critical')
    GROUP BY h.band`;
  const byBand = (["at_risk", "critical"] as const).map((band) => {
    const r = rows.find((x) => x.band === band);
    return { band, subscribers: Number(r?.n ?? 0), monthly: Math.round(Number(r?.monthly ?? 0) * 100) / 100 };
  });
  return {
    monthly: Math.round(byBand.reduce((n, b) => n + b.monthly, 0) * 100) / 100,
    subscribers: byBand.reduce((n, b) => n + b.subscribers, 0),
    byBand,
  };
}

async function savedByPlays(shop: string): Promise<RevenueSaved> {
  const firings = await prisma.firing.findMany({
    where: { shop },
    select: { triggerKey: true, holdout: true, outcome: true, snapshot: true },
  });
  return revenueSaved(
    firings.map((f) => ({
      triggerId: f.triggerKey,
      holdout: f.holdout,
      outcome: (f.outcome as Outcome | null) ?? "pending",
      // Only closed windows carry value in the estimate; the pending ones need no parsing.
      monthlyValue: f.outcome ? (snapshotFromJson(f.snapshot)?.monthlyValue ?? 0) : 0,
    })),
    { minPerGroup: MIN_SAMPLE_PER_GROUP },
  );
}

export async function reportsOverview(shop: string, now: Date): Promise<ReportsOverview> {
  const { timeZone, currency } = await shopWeekContext(shop);
  const [{ tenure, cohorts }, health, atRisk, saved, triggers] = await Promise.all([
    tenureFigures(shop, now, timeZone),
    healthWeeks(shop, now, timeZone),
    revenueAtRisk(shop),
    savedByPlays(shop),
    triggerReport(shop, { minSamplePerGroup: MIN_SAMPLE_PER_GROUP }),
  ]);
  const names = Object.fromEntries(triggers.map((t) => [t.triggerId, t.triggerName]));
  return {
    section: "overview",
    timeZone,
    currency,
    weekKey: currentWeek(now, timeZone).key,
    tenure,
    cohorts,
    health,
    revenueAtRisk: atRisk,
    revenueSaved: { ...saved, names },
    triggers,
  };
}

export type ScoreValidationReport =
  | {
      section: "validation";
      status: "ok";
      /** When the score check was computed (ISO), shown in the shop's time zone. */
      computedAt: string;
      timeZone: string;
      horizonDays: number;
      auc: number;
      atK: AtK;
      lift: number;
      calibration: CalibrationRow[];
      cancels: number;
      observations: number;
      /** Subscribers replayed, of how many the shop has (a stable sample on a large store). */
      sample: { subjects: number; of: number };
      /** The threshold a merchant flags at today: below the watch band. */
      currentThreshold: number;
      simulation: ThresholdSimulation;
      curve: ThresholdCurve;
    }
  | {
      section: "validation";
      status: "not_enough_data";
      computedAt: string;
      timeZone: string;
      sample: { subjects: number; of: number };
      horizonDays: number;
      cancels: number;
      minimum: number;
      message: string;
      currentThreshold: number;
    }
  | { section: "validation"; status: "computing"; horizonDays: number; currentThreshold: number };

/**
 * How well the score would have predicted this store's cancels, and the threshold simulator
 * at `threshold`: read from the score check a job computes after each rescore run
 * (health/score-check.server.ts), or "computing" while there is none for the current settings.
 */
export async function scoreValidationReport(shop: string, now: Date, threshold?: number): Promise<ScoreValidationReport> {
  const scoring = await shopScoring(shop);
  const currentThreshold = scoring.config.bands.watch;
  const stored = await readScoreCheck(shop, now, scoring);
  if (stored.status !== "ready") return { section: "validation", status: "computing", horizonDays: VALIDATION_HORIZON_DAYS, currentThreshold };
  const { computedAt, horizonDays, sample, accuracy } = stored.check;
  const { timeZone } = scoring;
  if (accuracy.status !== "ok") return { section: "validation", ...accuracy, computedAt, timeZone, sample, horizonDays, currentThreshold };
  const { status, ...figures } = accuracy;
  return {
    section: "validation",
    status,
    computedAt,
    timeZone,
    horizonDays,
    ...figures,
    sample,
    currentThreshold,
    simulation: simulateFromCurve(accuracy.curve, threshold ?? currentThreshold),
  };
}
