/**
 * The home page's figures: how healthy the subscriber base is and how that moved over
 * the last weeks, what is at stake, what needs doing, and how far set-up has come.
 * Weeks are the shop's (Monday to Monday in its time zone), as on the at-risk list.
 */
import prisma from "../../db.server";
import type { Band } from "../../playbook/types";
import { currentWeek, recentWeekKeys, shiftWeek, weekWindow, type WeekWindow } from "../../health/weeks.server";
import { shopWeekContext, subscriptionAppOf } from "../../models/shop.server";
import { weeklyBandCounts } from "../../health/weekly-bands.server";
import { atRiskWeek, changesIn, topOfView, type WeekTopRow } from "../../health/at-risk-week.server";
import { moneyByCurrency, type MoneyByCurrency, type WeekChanges } from "../../health/at-risk-week";
import { sourceConnectionStatus } from "../../models/source-connection.server";
import type { SourceDefinition } from "../../sources/definition";
import { allSources } from "../../sources/registry.server";
import { lastEventOf, recentSubscriptionEvents } from "../../sources/status.server";
import { connectionView } from "../settings/sources.server";
import type { OnboardingState } from "./source-steps";

export const TREND_WEEKS = 12;
const BANDS: Band[] = ["healthy", "watch", "at_risk", "critical"];

export type BandCounts = Record<Band, number>;

export type { WeekChanges };
/** How many of this week's list home names. */
export const THIS_WEEK_TOP = 5;

export interface Dashboard {
  timeZone: string;
  currency: string;
  weekKey: string;
  /** Subscribers still subscribed, by band now; those who cancelled are only in `cancelled`. */
  bands: BandCounts;
  cancelled: number;
  unscored: number;
  trend: ({ week: string } & BandCounts)[];
  /** This week's list, not yet back to health: to review, snoozed and dismissed. */
  revenueAtRisk: { monthly: MoneyByCurrency; subscribers: number };
  /** The list's "To review" tab: how many, and the first by monthly value with their reasons. */
  thisWeek: { toReview: number; top: WeekTopRow[] };
  tasks: { open: number; overdue: number };
  plays: { sentThisWeek: number; heldOutThisWeek: number; failed: number };
  changes: { thisWeek: WeekChanges; lastWeek: WeekChanges };
  checklist: {
    /** `reason`: why the import failed for good, when it did. */
    backfill: { status: string; count: number; reason?: string };
    klaviyoConnected: boolean;
    /** Lifeline events have reached Klaviyo (a test event or a real play). */
    eventsReachedKlaviyo: boolean;
    /** A trigger of the default playbook was changed or switched off. */
    playbookReviewed: boolean;
  };
  /** Where the store's subscription events come from, and whether any came in the last day. */
  onboarding: OnboardingState;
}

const emptyBands = (): BandCounts => ({ healthy: 0, watch: 0, at_risk: 0, critical: 0 });

/**
 * Subscribers still subscribed with no score yet. A subscriber is marked dirty when created
 * and the mark is cleared only when its score is written, so the unscored are among the
 * dirty: read those by their index (CROSS JOIN keeps SQLite from walking the shop's
 * 100,000 subscribers instead), then probe each one's score by primary key.
 */
async function unscoredCount(shop: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS n FROM (SELECT id FROM Subscriber WHERE scoreDirtyAt > ${new Date(0)}) d CROSS JOIN Subscriber s
    WHERE s.id = d.id AND s.shop = ${shop} AND s.status != 'cancelled' AND NOT EXISTS (SELECT 1 FROM HealthScore h WHERE h.subscriberId = s.id)`;
  return Number(row?.n ?? 0);
}

/**
 * The checklist's subscription-app steps: the merchant's answer, the chosen app's connection
 * when Lifeline connects to it directly, Flow's last event otherwise, and the last day's events.
 */
export async function onboarding(shop: string, timeZone: string, now: Date, sources: readonly SourceDefinition[] = allSources()): Promise<OnboardingState> {
  const direct = sources.filter((s) => s.credentialFields.length > 0 && s.connector != null);
  const [app, recent, flowLast] = await Promise.all([
    subscriptionAppOf(shop),
    recentSubscriptionEvents(shop, now, sources),
    sources.some((s) => s.id === "flow") ? lastEventOf(shop, "flow") : null,
  ]);
  const chosen = direct.find((s) => s.id === app);
  const c = chosen ? await sourceConnectionStatus(shop, chosen.id) : null;
  return {
    subscriptionApp: app,
    direct: direct.map((s) => ({ id: s.id, name: s.name })),
    connection: c ? connectionView(c) : null,
    flow: { installed: sources.some((s) => s.id === "flow"), lastEventAt: flowLast },
    recentEvents: { count: recent.count, lastAt: recent.lastAt },
    timeZone,
  };
}

export async function dashboard(shop: string, now = new Date()): Promise<Dashboard> {
  const { timeZone, currency } = await shopWeekContext(shop);
  const week = currentWeek(now, timeZone);
  const lastWeek = weekWindow(shiftWeek(week.key, -1), timeZone);
  const trendKeys = recentWeekKeys(now, timeZone, TREND_WEEKS);

  const [bandRows, cancelled, unscored, trendRows, list, openTasks, overdueTasks, sent, heldOut, failed, shopRow, klaviyo, anySent, edited, thisWeek, previous, sources] =
    await Promise.all([
      prisma.healthScore.groupBy({ by: ["band"], where: { shop, live: true }, _count: { _all: true } }),
      prisma.healthScore.count({ where: { shop, live: false } }),
      unscoredCount(shop),
      // Finished weeks from their snapshots; this week's bar is the bands as they stand (the cards beside it).
      weeklyBandCounts(shop, trendKeys.filter((k) => k < week.key), week.key, now),
      atRiskWeek(shop, now),
      prisma.task.count({ where: { shop, OR: [{ status: "open" }, { status: "snoozed", snoozedUntil: { lte: now } }] } }),
      prisma.task.count({
        where: { shop, dueAt: { lt: now }, OR: [{ status: "open" }, { status: "snoozed", snoozedUntil: { lte: now } }] },
      }),
      // By the firing's time: a play the worker delivered late (or a replayed history) counts in the week it was for.
      prisma.playDelivery.count({ where: { shop, status: "sent", kind: "klaviyo_event", firing: { is: { firedAt: { gte: week.start, lt: week.end } } } } }),
      prisma.firing.count({ where: { shop, holdout: true, firedAt: { gte: week.start, lt: week.end } } }),
      prisma.playDelivery.count({ where: { shop, status: "failed" } }),
      prisma.shop.findUnique({ where: { shop }, select: { backfillStatus: true, backfillCount: true, backfillError: true } }),
      prisma.klaviyoConnection.findUnique({ where: { shop }, select: { shop: true } }),
      prisma.playDelivery.findFirst({ where: { shop, status: "sent", kind: "klaviyo_event" }, select: { id: true } }),
      prisma.trigger.findMany({ where: { shop }, select: { enabled: true, retiredAt: true, createdAt: true, updatedAt: true } }),
      changesIn(shop, week),
      changesIn(shop, lastWeek),
      onboarding(shop, timeZone, now),
    ]);

  const top = await topOfView(shop, list, "review", THIS_WEEK_TOP);
  const atRisk = list.members.filter((m) => m.view !== "recovered");
  const bands = emptyBands();
  for (const r of bandRows) if (r.band in bands) bands[r.band as Band] = r._count._all;
  const trend = trendKeys.map((key) => ({ week: key, ...emptyBands() }));
  const byWeek = new Map(trend.map((t) => [t.week, t]));
  for (const [key, counts] of trendRows) {
    const row = byWeek.get(key);
    if (row) for (const [band, n] of counts) if (BANDS.includes(band as Band)) row[band as Band] = n;
  }
  const nowBar = byWeek.get(week.key);
  if (nowBar) Object.assign(nowBar, bands);

  return {
    timeZone,
    currency,
    weekKey: week.key,
    bands,
    cancelled,
    unscored,
    trend,
    revenueAtRisk: { monthly: moneyByCurrency(atRisk), subscribers: atRisk.length },
    thisWeek: { toReview: list.counts.review, top },
    tasks: { open: openTasks, overdue: overdueTasks },
    plays: { sentThisWeek: sent, heldOutThisWeek: heldOut, failed },
    changes: { thisWeek, lastWeek: previous },
    checklist: {
      backfill: {
        status: shopRow?.backfillStatus ?? "pending",
        count: shopRow?.backfillCount ?? 0,
        ...(shopRow?.backfillStatus === "failed" ? { reason: shopRow.backfillError ?? "unknown error" } : {}),
      },
      klaviyoConnected: klaviyo != null,
      eventsReachedKlaviyo: anySent != null,
      // The seeded triggers are written once; any later save, switch-off or retirement is the merchant's.
      playbookReviewed: edited.some((t) => !t.enabled || t.retiredAt != null || t.updatedAt.getTime() - t.createdAt.getTime() > 1000),
    },
    onboarding: sources,
  };
}
