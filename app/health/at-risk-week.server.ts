/**
 * "At risk this week" read from the app's database: the list, home's figures, the digest
 * and the customer page block all ask here. The rules are in at-risk-week.ts; the SQL in
 * at-risk-week-read.ts.
 */
import prisma from "../db.server";
import { shopWeekContext } from "../models/shop.server";
import { displayName, parseFactors, riskReasons } from "../pages/shared/subscriber-row";
import { currentWeek, weekWindow, type WeekWindow } from "./weeks.server";
import { weekChanges, type WeekChanges, type WeekView } from "./at-risk-week";
import { bandMovesIn, liveAmong, readAtRiskWeek, type AtRiskWeekResult, type SqlRead } from "./at-risk-week-read";

export const prismaSql: SqlRead = (sql, params) => prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);

export interface AtRiskWeek extends AtRiskWeekResult {
  week: WeekWindow;
  isCurrent: boolean;
  currentWeekKey: string;
  timeZone: string;
  currency: string;
}

/** The week's list (the current week unless `weekKey` names an earlier Monday), in the shop's time zone and currency. */
export async function atRiskWeek(shop: string, now: Date, weekKey?: string): Promise<AtRiskWeek> {
  const { timeZone, currency } = await shopWeekContext(shop);
  const current = currentWeek(now, timeZone);
  const week = weekKey && weekKey < current.key ? weekWindow(weekKey, timeZone) : current;
  const isCurrent = week.key === current.key;
  const result = await readAtRiskWeek(prismaSql, { shop, week, isCurrent, now, shopCurrency: currency });
  return { ...result, week, isCurrent, currentWeekKey: current.key, timeZone, currency };
}

/** The week's band changes and cancellations, in subscribers still subscribed. */
export async function changesIn(shop: string, week: WeekWindow): Promise<WeekChanges> {
  const [moves, cancels] = await Promise.all([
    bandMovesIn(prismaSql, shop, week),
    prisma.subscriberEvent.groupBy({
      by: ["subscriberId"],
      where: { shop, type: "contract.cancelled", occurredAt: { gte: week.start, lt: week.end } },
    }),
  ]);
  const live = await liveAmong(prismaSql, shop, [...new Set(moves.map((m) => m.subscriberId))]);
  return weekChanges(moves, live, cancels.length);
}

/** Where one subscriber stands this week: on the list (in which tab), cancelled, or not on it. */
export type WeekStanding = WeekView | "cancelled" | null;

export async function weekStandingOf(shop: string, subscriberId: string, now: Date): Promise<WeekStanding> {
  const health = await prisma.healthScore.findUnique({ where: { subscriberId }, select: { shop: true, live: true } });
  if (!health || health.shop !== shop) return null;
  if (!health.live) return "cancelled";
  const { timeZone, currency } = await shopWeekContext(shop);
  const week = currentWeek(now, timeZone);
  const result = await readAtRiskWeek(prismaSql, { shop, week, isCurrent: true, now, shopCurrency: currency, only: subscriberId });
  return result.members[0]?.view ?? null;
}

export interface WeekTopRow {
  subscriberId: string;
  name: string;
  monthlyValue: number;
  currency: string;
  band: string;
  crossedFrom: string | null;
  /** The strongest risk reasons, in plain words (the first is the one to say). */
  reasons: string[];
}

/** The first `n` of a tab by monthly value, with names and reasons: home's card and the digest. */
export async function topOfView(shop: string, list: AtRiskWeek, view: WeekView, n: number): Promise<WeekTopRow[]> {
  const top = list.members.filter((m) => m.view === view).slice(0, n);
  if (top.length === 0) return [];
  const rows = await prisma.subscriber.findMany({
    where: { shop, id: { in: top.map((m) => m.subscriberId) } },
    select: { id: true, displayName: true, firstName: true, lastName: true, email: true, health: { select: { factors: true } } },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return top.map((m) => {
    const s = byId.get(m.subscriberId);
    return {
      subscriberId: m.subscriberId,
      name: s ? displayName(s) : "Unnamed subscriber",
      monthlyValue: m.monthlyValue,
      currency: m.currency,
      band: m.band,
      crossedFrom: m.crossedFrom,
      reasons: riskReasons(parseFactors(s?.health?.factors)),
    };
  });
}
