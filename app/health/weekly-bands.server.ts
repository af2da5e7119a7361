import prisma from "../db.server";
import { cached, forgetShopCache } from "../cache.server";

/** Subscribers per band in one week's snapshots (band name to count). */
export type WeekBandCounts = Map<string, number>;

/**
 * A finished week's snapshots change only when a rescore rewrites the history behind a
 * late event, and whatever rewrites them calls forgetWeeklyBandCounts; so their counts are
 * kept in the shared cache: a home page on a store of 100,000 subscribers then aggregates
 * only the current week, not twelve. The key lists the weeks, so next week asks for a new entry.
 */
const KEY_PREFIX = "weekly-bands:";
const FINISHED_WEEKS_TTL_MS = 7 * 86_400_000;

type StoredCounts = Record<string, Record<string, number>>;

async function countByBand(shop: string, weekKeys: string[]): Promise<StoredCounts> {
  if (weekKeys.length === 0) return {};
  const rows = await prisma.healthHistory.groupBy({
    by: ["periodKey", "band"],
    // Live subscribers only: someone who has cancelled is counted as cancelled, not as critical.
    where: { shop, kind: "weekly", live: true, periodKey: { in: weekKeys } },
    _count: { _all: true },
  });
  const counts: StoredCounts = Object.fromEntries(weekKeys.map((k) => [k, {}]));
  for (const r of rows) counts[r.periodKey][r.band] = r._count._all;
  return counts;
}

/** Counts by band for each week key asked for; weeks before `currentWeek` come from the shared cache once counted. */
export async function weeklyBandCounts(shop: string, weekKeys: string[], currentWeek: string, now: Date): Promise<Map<string, WeekBandCounts>> {
  const finished = weekKeys.filter((k) => k < currentWeek).sort();
  const [past, live] = await Promise.all<StoredCounts>([
    finished.length ? cached(shop, `${KEY_PREFIX}${finished.join(",")}`, { now, ttlMs: FINISHED_WEEKS_TTL_MS }, () => countByBand(shop, finished)) : {},
    countByBand(shop, weekKeys.filter((k) => k >= currentWeek)),
  ]);
  const all = { ...past, ...live };
  return new Map(weekKeys.map((k) => [k, new Map(Object.entries(all[k] ?? {}))]));
}

/**
 * The shop's weekly snapshots changed before the current week (history rewritten by a
 * rescore): the kept counts go, in every process. Nothing else kept for the shop does.
 */
export function forgetWeeklyBandCounts(shop: string): Promise<void> {
  return forgetShopCache(shop, KEY_PREFIX);
}
