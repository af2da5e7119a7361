/**
 * The settings page's "Fitted to your store" card: the store's latest weight fit in plain
 * figures, keeping or reverting it, and how many people the store can contact in a week.
 */
import { z } from "zod";
import prisma from "../../db.server";
import { forgetShopCache } from "../../cache.server";
import { latestFit, revertFit } from "../../health/fit/store-fit.server";
import type { Figures } from "../../health/fit/figures";
import { startRescore } from "../../rescore/runs.server";

export type FitCardData = {
  weeklyContacts: number | null;
  fit:
    | null
    | { id: string; status: "refused"; reason: string; cancelsWithSignals: number; needed: number; asOf: string }
    | { id: string; status: "adopted" | "kept" | "reverted"; reason: string; current: Figures; fitted: Figures; ceiling: Figures | null; changes: string[]; asOf: string; decidedAt: string | null };
};

export async function fitCard(shop: string): Promise<FitCardData> {
  const [row, settings] = await Promise.all([latestFit(shop), prisma.shopSettings.findUnique({ where: { shop }, select: { weeklyContacts: true } })]);
  const weeklyContacts = settings?.weeklyContacts ?? null;
  if (!row) return { weeklyContacts, fit: null };
  const m = JSON.parse(row.metrics) as Record<string, unknown>;
  const asOf = row.asOf.toISOString();
  if (row.status === "refused") {
    return { weeklyContacts, fit: { id: row.id, status: "refused", reason: row.reason, cancelsWithSignals: Number(m.cancelsWithSignals ?? 0), needed: Number(m.needed ?? 0), asOf } };
  }
  return {
    weeklyContacts,
    fit: {
      id: row.id,
      status: row.status as "adopted" | "kept" | "reverted",
      reason: row.reason,
      current: m.current as Figures,
      fitted: m.fitted as Figures,
      ceiling: (m.ceiling as Figures | undefined) ?? null,
      changes: (m.changes as string[] | undefined) ?? [],
      asOf,
      decidedAt: row.decidedAt?.toISOString() ?? null,
    },
  };
}

export type FitActionResult = { ok: true; message: string } | { ok: false; status: 400 | 404; error: string };

/** The merchant confirms the adopted weights: nothing changes but the decision time. */
export async function keepFit(shop: string, fitId: string, now = new Date()): Promise<FitActionResult> {
  const updated = await prisma.scoreFit.updateMany({ where: { id: fitId, shop, status: "adopted" }, data: { decidedAt: now } });
  return updated.count === 1 ? { ok: true, message: "Keeping the weights fitted to your store." } : { ok: false, status: 404, error: "That fit is not in use." };
}

export async function revertFitAction(shop: string, fitId: string, now = new Date()): Promise<FitActionResult> {
  const result = await revertFit(shop, fitId, now);
  return result.ok ? { ok: true, message: "Back to the previous weights. Rescoring every subscriber." } : { ok: false, status: 400, error: result.error };
}

export const weeklyContactsSchema = z.object({
  weeklyContacts: z
    .string()
    .trim()
    .transform((s) => (s === "" ? null : Number(s)))
    .refine((n) => n === null || (Number.isInteger(n) && n >= 1 && n <= 100_000), "Enter a whole number of people (1 or more), or leave it empty."),
});

/** Saves the capacity (empty = the bands as configured); the bands follow it, so everyone is rescored. */
export async function saveWeeklyContacts(shop: string, weeklyContacts: number | null, now = new Date()): Promise<string> {
  await prisma.shopSettings.upsert({ where: { shop }, create: { shop, weeklyContacts }, update: { weeklyContacts } });
  await forgetShopCache(shop);
  await startRescore(shop, "weekly contacts changed", now);
  return weeklyContacts === null ? "The bands are back to the thresholds you set." : `The at-risk list now holds about ${weeklyContacts} people.`;
}
