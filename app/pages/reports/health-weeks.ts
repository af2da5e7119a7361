/**
 * Health over time: subscribers by band for each week, from the weekly snapshots.
 * Weeks with no snapshot stay in the series as zeros, so a gap shows as a gap.
 */
import type { Band } from "../../playbook/types";

export const HEALTH_WEEKS = 26;
const BANDS: readonly Band[] = ["healthy", "watch", "at_risk", "critical"];

export type BandWeek = { week: string; total: number } & Record<Band, number>;

export function bandWeeks(weekKeys: readonly string[], rows: readonly { periodKey: string; band: string; count: number }[]): BandWeek[] {
  const weeks = weekKeys.map((week): BandWeek => ({ week, total: 0, healthy: 0, watch: 0, at_risk: 0, critical: 0 }));
  const byKey = new Map(weeks.map((w) => [w.week, w]));
  for (const r of rows) {
    const w = byKey.get(r.periodKey);
    if (!w || !BANDS.includes(r.band as Band)) continue;
    w[r.band as Band] += r.count;
    w.total += r.count;
  }
  return weeks;
}

/** The weeks to show: from the first with any snapshot (at most `max` back) to the current one. */
export function trimLeadingEmpty(weeks: readonly BandWeek[], keepAtLeast = 1): BandWeek[] {
  const first = weeks.findIndex((w) => w.total > 0);
  if (first < 0) return weeks.slice(-keepAtLeast);
  return weeks.slice(Math.min(first, Math.max(0, weeks.length - keepAtLeast)));
}
