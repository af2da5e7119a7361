/**
 * Retention by signup cohort: subscribers grouped by the calendar month they signed
 * up (in the shop's time zone), and the share still subscribed 1, 2, 3, 6 and 12
 * months later. A cell is filled only once everyone in the cohort has had that long,
 * so a young cohort is never compared on a partial count: the table is a triangle.
 */
import { MONTH_MS, monthKeyer } from "./months";
import type { TenureSubject } from "./tenure";

export const RETENTION_MONTHS = [1, 2, 3, 6, 12] as const;
/** Cohorts shown, newest last. */
export const COHORT_LIMIT = 13;

export interface CohortRow {
  /** YYYY-MM */
  cohort: string;
  size: number;
  /** Per RETENTION_MONTHS: the count still subscribed, or null while the cohort is too young. */
  stillSubscribed: (number | null)[];
  /** The same as shares of `size`. */
  retention: (number | null)[];
}

export interface CohortRetention {
  months: readonly number[];
  cohorts: CohortRow[];
  /** Per RETENTION_MONTHS: every filled cell pooled, weighted by cohort size; null when none is filled. */
  average: (number | null)[];
}

export function cohortRetention(
  subjects: readonly TenureSubject[],
  now: Date,
  timeZone: string,
  opts: { limit?: number; months?: readonly number[] } = {},
): CohortRetention {
  const months = opts.months ?? RETENTION_MONTHS;
  const groups = new Map<string, TenureSubject[]>();
  const monthOf = monthKeyer(timeZone);
  for (const s of subjects) {
    if (s.firstSubscribedAt.getTime() > now.getTime()) continue;
    const key = monthOf(s.firstSubscribedAt);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(s);
  }
  const keys = [...groups.keys()].sort().slice(-(opts.limit ?? COHORT_LIMIT));
  const pooled = months.map(() => ({ kept: 0, size: 0 }));
  const cohorts = keys.map((cohort) => {
    const members = groups.get(cohort)!;
    const latestSignup = Math.max(...members.map((m) => m.firstSubscribedAt.getTime()));
    const stillSubscribed = months.map((k, i) => {
      if (latestSignup + k * MONTH_MS > now.getTime()) return null;
      const kept = members.filter((m) => m.cancelledAt == null || m.cancelledAt.getTime() > m.firstSubscribedAt.getTime() + k * MONTH_MS).length;
      pooled[i].kept += kept;
      pooled[i].size += members.length;
      return kept;
    });
    return { cohort, size: members.length, stillSubscribed, retention: stillSubscribed.map((n) => (n == null ? null : n / members.length)) };
  });
  return { months, cohorts, average: pooled.map((p) => (p.size === 0 ? null : p.kept / p.size)) };
}
