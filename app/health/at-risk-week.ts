/**
 * Who is "at risk this week": the one definition behind home, the at-risk list and its CSV,
 * the weekly digest, the demo summary and the customer page block. Pure: functions of rows
 * and `now`; the rows are read in at-risk-week-read.ts.
 *
 * - Subscribers still subscribed (health `live`) whose band is at risk or critical now.
 * - Plus those who crossed into at risk or critical during the week, by the time of the
 *   change (band_change `at`), while subscribed; if they are back to healthy or watch now,
 *   they are "recovered" and listed apart.
 * - A subscriber who has cancelled is counted as cancelled, never as at risk or critical.
 */
import { BAND_RANK, type Band } from "../playbook/types";

export const AT_RISK_BANDS: readonly Band[] = ["at_risk", "critical"];
export const isAtRiskBand = (band: string | null | undefined): boolean => band === "at_risk" || band === "critical";

/** Where a member of the week's list sits: the tabs of the at-risk list. */
export type WeekView = "review" | "snoozed" | "dismissed" | "recovered";
export const WEEK_VIEWS: readonly WeekView[] = ["review", "snoozed", "dismissed", "recovered"];

/** A subscriber's health as it stands (or at a past week's end). */
export interface HealthNow {
  subscriberId: string;
  band: Band;
  score: number;
  /** Still subscribed. */
  live: boolean;
  monthlyValue: number;
  currency: string | null;
}

/** A band_change history row. */
export interface BandMove {
  subscriberId: string;
  at: Date;
  band: Band;
  fromBand: Band | null;
  /** Still subscribed at the change. */
  live: boolean;
}

export interface AtRiskWeekMember {
  subscriberId: string;
  band: Band;
  score: number;
  monthlyValue: number;
  currency: string;
  /** Crossed into at risk or critical during the week: the band they came from (first crossing). */
  crossedFrom: Band | null;
  crossedAt: Date | null;
  /** Crossed in this week and back to healthy or watch now. */
  recovered: boolean;
}

const rank = (band: string | null | undefined) => BAND_RANK[(band ?? "healthy") as Band] ?? 0;

/** A move into at risk or critical from healthy or watch, while subscribed (at risk to critical is worse, not new). */
export function isCrossingIn(m: BandMove): boolean {
  return m.live && isAtRiskBand(m.band) && !isAtRiskBand(m.fromBand ?? "healthy");
}

/**
 * The week's members, highest monthly value first. `health` holds every live subscriber in
 * at risk or critical plus the health of everyone in `moves`; `moves` are the week's band changes.
 */
export function atRiskWeekMembers(health: readonly HealthNow[], moves: readonly BandMove[], shopCurrency: string): AtRiskWeekMember[] {
  const firstCrossing = new Map<string, BandMove>();
  for (const m of [...moves].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (isCrossingIn(m) && !firstCrossing.has(m.subscriberId)) firstCrossing.set(m.subscriberId, m);
  }
  const members: AtRiskWeekMember[] = [];
  const seen = new Set<string>();
  for (const h of health) {
    if (seen.has(h.subscriberId) || !h.live) continue;
    seen.add(h.subscriberId);
    const crossing = firstCrossing.get(h.subscriberId) ?? null;
    const atRiskNow = isAtRiskBand(h.band);
    if (!atRiskNow && !crossing) continue;
    members.push({
      subscriberId: h.subscriberId,
      band: h.band,
      score: h.score,
      monthlyValue: h.monthlyValue,
      currency: h.currency ?? shopCurrency,
      crossedFrom: crossing ? ((crossing.fromBand ?? "healthy") as Band) : null,
      crossedAt: crossing?.at ?? null,
      recovered: !atRiskNow,
    });
  }
  return members.sort(byValue);
}

/** Highest monthly value first; the lower score first between equals, then a stable id order. */
export function byValue(a: Pick<AtRiskWeekMember, "monthlyValue" | "score" | "subscriberId">, b: typeof a): number {
  return b.monthlyValue - a.monthlyValue || a.score - b.score || a.subscriberId.localeCompare(b.subscriberId);
}

/** The task in hand for a member, if any (open, or snoozed). */
export interface TaskInHand {
  status: string;
  snoozedUntil: Date | null;
}

/** Which tab a member is in: recovered first, then snoozed, then dismissed this week (no task left), else to review. */
export function viewOf(member: Pick<AtRiskWeekMember, "recovered">, task: TaskInHand | undefined, dismissedThisWeek: boolean, now: Date): WeekView {
  if (member.recovered) return "recovered";
  if (task?.status === "snoozed" && task.snoozedUntil && task.snoozedUntil > now) return "snoozed";
  if (!task && dismissedThisWeek) return "dismissed";
  return "review";
}

/** Monthly value by currency, each rounded to the cent: amounts in different currencies are never added. */
export type MoneyByCurrency = Record<string, number>;

export function moneyByCurrency(rows: readonly { monthlyValue: number; currency: string }[]): MoneyByCurrency {
  const cents: Record<string, number> = {};
  for (const r of rows) cents[r.currency] = (cents[r.currency] ?? 0) + Math.round(r.monthlyValue * 100);
  return Object.fromEntries(Object.entries(cents).map(([c, v]) => [c, v / 100]));
}

/** How the week moved, in subscribers still subscribed: each counted once per line. */
export interface WeekChanges {
  /** Crossed into at risk or critical. */
  enteredAtRisk: number;
  /** Moved to a worse band at least once. */
  worsened: number;
  improved: number;
  cancelled: number;
}

/**
 * The week's changes from its band changes (by the time of each change): only moves made
 * while subscribed, by subscribers still subscribed (`liveNow`); cancellations are their own line.
 */
export function weekChanges(moves: readonly BandMove[], liveNow: ReadonlySet<string>, cancelled: number): WeekChanges {
  const worsened = new Set<string>();
  const improved = new Set<string>();
  const entered = new Set<string>();
  for (const m of moves) {
    if (!m.live || !liveNow.has(m.subscriberId)) continue;
    const from = rank(m.fromBand);
    const to = rank(m.band);
    if (to > from) worsened.add(m.subscriberId);
    if (to < from) improved.add(m.subscriberId);
    if (isCrossingIn(m)) entered.add(m.subscriberId);
  }
  return { enteredAtRisk: entered.size, worsened: worsened.size, improved: improved.size, cancelled };
}
