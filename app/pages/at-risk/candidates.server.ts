/**
 * Who is on a week's at-risk list: subscribers whose score is at risk or critical (for a
 * past week: whose weekly snapshot was), plus anyone who crossed into those bands during
 * the week, even if they have since recovered. Cancelled subscribers are left off the
 * current week: there is no one left to save, and the win-back play handles them.
 */
import prisma from "../../db.server";
import type { WeekWindow } from "../../health/weeks.server";
import { BAND_RANK, type Band } from "../../playbook/types";
import { AT_RISK_BANDS } from "./at-risk-options";

export interface Candidate {
  id: string;
  monthlyValue: number;
  score: number | null;
  band: Band | null;
  crossedFrom: Band | null;
}

export async function candidatesFor(shop: string, week: WeekWindow, isCurrent: boolean): Promise<Map<string, Candidate>> {
  const bands = [...AT_RISK_BANDS];
  const candidates = new Map<string, Candidate>();
  if (isCurrent) {
    const rows = await prisma.$queryRaw<{ id: string; monthlyValue: number; score: number; band: Band }[]>`
      SELECT s.id AS id, s.monthlyValue AS monthlyValue, h.score AS score, h.band AS band
      FROM HealthScore h JOIN Subscriber s ON s.id = h.subscriberId
      WHERE h.shop = ${shop} AND h.live = true AND h.band IN ('at_risk', 'critical')`;
    for (const r of rows) candidates.set(r.id, { id: r.id, monthlyValue: Number(r.monthlyValue), score: Number(r.score), band: r.band, crossedFrom: null });
  } else {
    const rows = await prisma.$queryRaw<{ id: string; monthlyValue: number; score: number; band: Band }[]>`
      SELECT s.id AS id, s.monthlyValue AS monthlyValue, w.score AS score, w.band AS band
      FROM HealthHistory w JOIN Subscriber s ON s.id = w.subscriberId
      WHERE w.shop = ${shop} AND w.kind = 'weekly' AND w.periodKey = ${week.key} AND w.live = true AND w.band IN ('at_risk', 'critical')`;
    for (const r of rows) candidates.set(r.id, { id: r.id, monthlyValue: Number(r.monthlyValue), score: Number(r.score), band: r.band, crossedFrom: null });
  }

  const crossings = await prisma.healthHistory.findMany({
    // A cancellation is counted as cancelled, never as a crossing into critical.
    where: { shop, kind: "band_change", live: true, at: { gte: week.start, lt: week.end }, band: { in: bands } },
    orderBy: { at: "asc" },
    select: { subscriberId: true, band: true, fromBand: true, score: true },
  });
  const worse = crossings.filter((c) => BAND_RANK[c.band as Band] > BAND_RANK[(c.fromBand ?? "healthy") as Band]);
  const missing = [...new Set(worse.map((c) => c.subscriberId).filter((id) => !candidates.has(id)))];
  const extra = missing.length
    ? await prisma.subscriber.findMany({
        where: { shop, id: { in: missing }, ...(isCurrent ? { status: { not: "cancelled" } } : {}) },
        select: { id: true, monthlyValue: true, health: { select: { score: true, band: true } } },
      })
    : [];
  for (const s of extra) {
    const last = worse.filter((c) => c.subscriberId === s.id).at(-1)!;
    const now = isCurrent ? s.health : null;
    candidates.set(s.id, {
      id: s.id,
      monthlyValue: s.monthlyValue,
      score: now?.score ?? last.score,
      band: (now?.band ?? last.band) as Band,
      crossedFrom: null,
    });
  }
  for (const c of worse) {
    const candidate = candidates.get(c.subscriberId);
    // The first crossing of the week says where they came from.
    if (candidate && candidate.crossedFrom === null) candidate.crossedFrom = (c.fromBand ?? "healthy") as Band;
  }
  return candidates;
}
