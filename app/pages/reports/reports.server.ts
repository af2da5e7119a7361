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
import { atRiskWeek } from "../../health/at-risk-week.server";
import { moneyByCurrency, type MoneyByCurrency } from "../../health/at-risk-week";
import type { AtK, CalibrationRow, ThresholdSimulation } from "../../health/validation";
import { shopWeekContext } from "../../models/shop.server";
import { churnByTenure, type ChurnByTenure, type TenureSubject } from "./tenure";
import { cohortRetention, type CohortRetention } from "./cohorts";
import { bandWeeks, HEALTH_WEEKS, trimLeadingEmpty, type BandWeek } from "./health-weeks";
import { revenueSaved, type RevenueSaved } from "./revenue-saved";
import { simulateFromCurve, type ThresholdCurve } from "./threshold";
import { MIN_SAMPLE_PER_GROUP, VALIDATION_HORIZON_DAYS } from "./options";

/** Monthly value by currency (never added across currencies). */
export interface RevenueAtRisk {
  monthly: MoneyByCurrency;
  subscribers: number;
  byBand: { band: Band; subscribers: number; monthly: MoneyByCurrency }[];
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
  triggers: ReportTrigger[];
}

/** A trigger's figures as the page gets them (times as ISO strings). */
export type ReportTrigger = Omit<TriggerReportRow, "nextOutcomeAt"> & { nextOutcomeAt: string | null };

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

/** This week's list, less those back to health: the same figure as home's. */
async function revenueAtRisk(shop: string): Promise<RevenueAtRisk> {
  const atRisk = (await atRiskWeek(shop, new Date())).members.filter((m) => m.view !== "recovered");
  const byBand = (["at_risk", "critical"] as const).map((band) => {
    const rows = atRisk.filter((m) => m.band === band);
    return { band, subscribers: rows.length, monthly: moneyByCurrency(rows) };
  });
  return { monthly: moneyByCurrency(atRisk), subscribers: atRisk.length, byBand };
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
    // The same figures as the playbook page, from the same call.
    triggerReport(shop),
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
    triggers: triggers.map((t) => ({ ...t, nextOutcomeAt: t.nextOutcomeAt?.toISOString() ?? null })),
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
