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

/**
 * Every weekly snapshot and band change, as "customer kind period score band live", sorted.
 * Band changes to the second: Shopify's Admin API dates a contract's edit in whole seconds
 * (updatedAt), while a Flow run or a vendor's payload may carry the instant itself.
 */
export async function historyLines(shop: string): Promise<string[]> {
  const rows = await prisma.healthHistory.findMany({ where: { shop }, select: { kind: true, periodKey: true, score: true, band: true, live: true, subscriber: { select: { customerId: true } } } });
  const period = (kind: string, key: string) => (kind === "band_change" ? key.replace(/\.\d{3}Z$/, "Z") : key);
  return rows.map((r) => `${r.subscriber.customerId} ${r.kind} ${period(r.kind, r.periodKey)} ${r.score} ${r.band} ${r.live}`).sort();
}

/** Customers with a value edit on their timeline: the Shopify path learns an edit's value from the Admin API, later. */
export async function customersWithEdits(shop: string): Promise<Set<string>> {
  const rows = await prisma.subscriberEvent.findMany({ where: { shop, type: "contract.edited" }, select: { subscriber: { select: { customerId: true } } } });
  return new Set(rows.map((r) => r.subscriber.customerId));
}
