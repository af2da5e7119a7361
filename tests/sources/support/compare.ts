// What two shops' at-risk lists say, in the terms a merchant reads them: who, how healthy,
// why, and what they are worth. Ids differ between shops and are left out.
import { weeklyAtRisk } from "~/pages/at-risk/week-list.server";
import prisma from "~/db.server";

export interface ListEntry {
  customer: string;
  name: string;
  band: string | null;
  score: number | null;
  monthlyValue: number;
  reasons: string[];
}

export async function atRiskEntries(shop: string, now: Date): Promise<ListEntry[]> {
  const list = await weeklyAtRisk(shop, { all: true }, now);
  return list.rows
    .map((r) => ({ customer: r.customerId, name: r.name, band: r.band, score: r.score, monthlyValue: r.monthlyValue, reasons: r.reasons }))
    .sort((a, b) => a.customer.localeCompare(b.customer));
}

/** Every subscriber's band and score now, by Shopify customer id. */
export async function bandsByCustomer(shop: string): Promise<Record<string, { band: string | null; score: number | null; status: string }>> {
  const rows = await prisma.subscriber.findMany({ where: { shop }, select: { customerId: true, status: true, health: { select: { band: true, score: true } } } });
  return Object.fromEntries(rows.map((r) => [r.customerId, { band: r.health?.band ?? null, score: r.health?.score ?? null, status: r.status }]));
}
