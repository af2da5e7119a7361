import prisma from "../../db.server";
import { weekStandingOf, type WeekStanding } from "../../health/at-risk-week.server";
import { parseFactors } from "../shared/subscriber-row";

/** What the block on Shopify's customer page shows: the health at a glance, nothing personal. */
export interface CustomerHealth {
  /** null until the subscriber is scored for the first time. */
  score: number | null;
  band: string | null;
  bandSince: string | null;
  scoredAt: string | null;
  /** The three factors that move the score most, in plain words. */
  reasons: { text: string; effect: "risk" | "helps" }[];
  /** Where they stand on this week's at-risk list (its tab), "cancelled", or null when not on it. */
  thisWeek: WeekStanding;
  /** The subscriber's page in the app. */
  subscriberPath: string;
}

/**
 * The health of the shop's subscriber who is Shopify customer `customerId`, or null when the
 * shop has no such subscriber (never subscribed, another shop's customer, or erased on request).
 */
export async function customerHealth(shop: string, customerId: string, now = new Date()): Promise<CustomerHealth | null> {
  const s = await prisma.subscriber.findUnique({
    where: { shop_customerId: { shop, customerId } },
    select: { id: true, redactedAt: true, health: { select: { score: true, band: true, bandSince: true, computedAt: true, factors: true } } },
  });
  if (!s || s.redactedAt) return null;
  const factors = parseFactors(s.health?.factors);
  const thisWeek = await weekStandingOf(shop, s.id, now);
  return {
    score: s.health?.score ?? null,
    band: s.health?.band ?? null,
    bandSince: s.health?.bandSince.toISOString() ?? null,
    scoredAt: s.health?.computedAt.toISOString() ?? null,
    reasons: [...factors]
      .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
      .slice(0, 3)
      .map((f) => ({ text: f.text, effect: f.points < 0 ? ("risk" as const) : ("helps" as const) })),
    thisWeek,
    subscriberPath: `/app/subscribers/${encodeURIComponent(s.id)}`,
  };
}
