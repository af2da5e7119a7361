import prisma from "../db.server";

/** Subscribers per band in one week's snapshots (band name to count). */
export type WeekBandCounts = Map<string, number>;

/**
 * A finished week's snapshots never change (scores are snapshotted into the week they
 * were computed in), so their counts are kept per process: a home page on a store of
 * 100,000 subscribers then aggregates only the current week, not twelve.
 */
const finishedWeeks = new Map<string, Map<string, WeekBandCounts>>();

/** Counts by band for each week key asked for; weeks before `currentWeek` come from the cache once read. */
export async function weeklyBandCounts(shop: string, weekKeys: string[], currentWeek: string): Promise<Map<string, WeekBandCounts>> {
  const cached = finishedWeeks.get(shop) ?? new Map<string, WeekBandCounts>();
  const missing = weekKeys.filter((k) => k >= currentWeek || !cached.has(k));
  const rows = missing.length
    ? await prisma.healthHistory.groupBy({
        by: ["periodKey", "band"],
        where: { shop, kind: "weekly", periodKey: { in: missing } },
        _count: { _all: true },
      })
    : [];
  const fresh = new Map<string, WeekBandCounts>(missing.map((k) => [k, new Map()]));
  for (const r of rows) fresh.get(r.periodKey)?.set(r.band, r._count._all);
  for (const [k, counts] of fresh) if (k < currentWeek) cached.set(k, counts);
  finishedWeeks.set(shop, cached);
  return new Map(weekKeys.map((k) => [k, fresh.get(k) ?? cached.get(k)!]));
}

/** The shop's data was erased: forget what was counted for it. */
export function forgetWeeklyBandCounts(shop: string): void {
  finishedWeeks.delete(shop);
}
