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

/**
 * Per customer, the stretches of the Shopify path's history that Recharge cannot tell the
 * same way (simulator/recharge/webhooks.ts):
 * - a 3-D Secure challenge: Recharge has no challenge state, while the Shopify path counts the
 *   challenge as an open failure until a charge of the contract goes through;
 * - the end of dunning: Recharge dates it by the last failed attempt, where Shopify's FAILED
 *   comes hours later. It may then be learnt a delivery week earlier, so that week's scoring
 *   walks its history (from the week's first delivery, `weekOf` the last attempt) with the
 *   contract already failed; and the week Shopify's FAILED falls in may keep a snapshot that
 *   Recharge's earlier end does not. From the close of that week on, both agree.
 * In whole seconds, as the history lines are.
 */
export async function stretchesRechargeCannotTell(shop: string, weekOf: (ms: number) => number): Promise<Map<string, [number, number][]>> {
  const events = await prisma.subscriberEvent.findMany({
    where: { shop, type: { in: ["billing.challenged", "billing.succeeded", "billing.failed", "contract.failed"] } },
    orderBy: { occurredAt: "asc" },
    select: { type: true, occurredAt: true, contractId: true, subscriber: { select: { customerId: true } } },
  });
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
  const out = new Map<string, [number, number][]>();
  const add = (customer: string, from: number, to: number) => out.set(customer, [...(out.get(customer) ?? []), [from, to]]);
  events.forEach((e, i) => {
    const sameContract = (o: (typeof events)[number]) => o.contractId === e.contractId && o.subscriber.customerId === e.subscriber.customerId;
    if (e.type === "billing.challenged") {
      const paid = events.slice(i + 1).find((o) => sameContract(o) && o.type === "billing.succeeded");
      add(e.subscriber.customerId, seconds(e.occurredAt), paid ? seconds(paid.occurredAt) : Infinity);
    } else if (e.type === "contract.failed") {
      const last = events.slice(0, i).reverse().find((o) => sameContract(o) && o.type === "billing.failed");
      add(e.subscriber.customerId, weekOf((last ?? e).occurredAt.getTime()), weekCloseAfter(e.occurredAt.getTime()));
    }
  });
  return out;
}

const DAY = 86_400_000;

/** The close of the calendar week (Monday to Monday, UTC, as the weekly snapshots run) that `ms` falls in. */
function weekCloseAfter(ms: number): number {
  const d = new Date(ms);
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY;
  return monday + 7 * DAY;
}

/** Whether a history line ("customer kind period ...") is dated inside one of its customer's stretches; a weekly snapshot is dated by its week's close. */
export function insideStretch(line: string, stretches: Map<string, [number, number][]>): boolean {
  const [customer, kind, period] = line.split(" ");
  const at = kind === "weekly" ? Date.parse(`${period}T00:00:00Z`) + 7 * DAY : Date.parse(period);
  return (stretches.get(customer) ?? []).some(([from, to]) => at >= from && at <= to);
}
