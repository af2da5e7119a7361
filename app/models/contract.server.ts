import type { Prisma } from "@prisma/client";
import type { SubscriptionContractNode } from "../graphql/SubscriptionContractFields";
import { monthlyValue } from "../domain/monthly-value";
import { isNewerState, statusFromPayload } from "../domain/contract-state";
import { ensureSubscriber, recordCard } from "./subscriber.server";
import { appendEvents, type NewTimelineEvent } from "./timeline.server";

type Db = Prisma.TransactionClient;

export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

/** Whose contract this is, when it is known: one indexed read, for the billing and cycle webhooks. */
export async function subscriberIdOfContract(db: Db, shop: string, contractId: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ subscriberId: string }[]>`
    SELECT "subscriberId" FROM "Contract" WHERE "shop" = ${shop} AND "contractId" = ${contractId}`;
  return rows[0]?.subscriberId ?? null;
}

export async function findContract(db: Db, shop: string, contractId: string) {
  return db.contract.findUnique({ where: { shop_contractId: { shop, contractId } } });
}

/** Contract facts only the Admin API has: lines and prices, dates, the customer and their card. */
export function factsFromNode(node: SubscriptionContractNode) {
  const lines = node.lines.nodes.map((l) => ({
    title: l.title,
    variantTitle: l.variantTitle,
    quantity: l.quantity,
    price: Number(l.currentPrice.amount),
  }));
  return {
    currency: node.currencyCode,
    monthlyValue: monthlyValue(lines, node.deliveryPolicy.interval, node.deliveryPolicy.intervalCount),
    billingInterval: node.billingPolicy.interval,
    billingIntervalCount: node.billingPolicy.intervalCount,
    nextBillingAt: node.nextBillingDate ? new Date(node.nextBillingDate) : null,
    createdAtShopify: new Date(node.createdAt),
    lines: JSON.stringify(lines),
  };
}

/**
 * Keeps the events of a contract whose subscriber is not known yet (billing and cycle
 * payloads name only the contract). A redelivery writes the same source key: nothing new.
 */
export async function holdEvents(db: Db, shop: string, contractId: string, events: NewTimelineEvent[]): Promise<void> {
  for (const e of events) {
    await db.unattachedEvent.upsert({
      where: { shop_sourceKey: { shop, sourceKey: e.sourceKey } },
      create: { shop, contractId, type: e.type, occurredAt: e.occurredAt, data: JSON.stringify(e.data ?? {}), sourceKey: e.sourceKey },
      update: {},
    });
  }
}

/**
 * Moves a contract's held events onto its subscriber's timeline, once it is known whose
 * contract it is. They keep their source keys, so attaching twice adds nothing.
 */
export async function attachHeldEvents(db: Db, shop: string, contractId: string, subscriberId: string): Promise<void> {
  const held = await db.unattachedEvent.findMany({ where: { shop, contractId }, orderBy: { id: "asc" } });
  if (held.length === 0) return;
  await appendEvents(
    db,
    shop,
    subscriberId,
    held.map((h) => ({
      type: h.type as NewTimelineEvent["type"],
      occurredAt: h.occurredAt,
      contractId,
      data: JSON.parse(h.data) as NewTimelineEvent["data"],
      sourceKey: h.sourceKey,
    })),
  );
  await db.unattachedEvent.deleteMany({ where: { id: { in: held.map((h) => h.id) } } });
}

/** What a contract webhook itself says about the plan: its billing rhythm and currency. */
export function factsFromPayload(p: { currency_code?: string | null; billing_policy?: { interval: string; interval_count: number } | null }) {
  return {
    ...(p.currency_code ? { currency: p.currency_code } : {}),
    ...(p.billing_policy ? { billingInterval: p.billing_policy.interval.toUpperCase(), billingIntervalCount: p.billing_policy.interval_count } : {}),
  };
}

/**
 * Writes what the Admin API says about a contract (and its subscriber). Returns the
 * subscriber id and the contract's monthly value before this write, so the caller can
 * tell an edit from a no-op. Status is written only when the node's state is newer.
 */
export async function saveContractNode(
  db: Db,
  shop: string,
  node: SubscriptionContractNode,
  now: Date,
): Promise<{ subscriberId: string; previousValue: number | null; contractId: string }> {
  const contractId = numericId(node.id);
  const customerId = node.customer ? numericId(node.customer.id) : null;
  const existing = await findContract(db, shop, contractId);
  if (!customerId && !existing) throw new Error(`contract ${contractId} has no customer`);
  const subscriberId = customerId
    ? await ensureSubscriber(db, shop, customerId, node.customer ?? undefined)
    : existing!.subscriberId;
  const facts = factsFromNode(node);
  const updatedAt = new Date(node.updatedAt);
  const statusIsNewer = isNewerState(existing ? { revision: existing.statusRevision, at: existing.statusAt } : null, {
    revision: null,
    at: updatedAt,
  });
  await db.contract.upsert({
    where: { shop_contractId: { shop, contractId } },
    create: { shop, contractId, subscriberId, status: statusFromPayload(node.status), statusAt: updatedAt, ...facts, enrichedAt: now },
    update: { subscriberId, ...facts, enrichedAt: now, ...(statusIsNewer && !existing?.statusRevision ? { status: statusFromPayload(node.status), statusAt: updatedAt } : {}) },
  });
  await attachHeldEvents(db, shop, contractId, subscriberId);
  const instrument = node.customerPaymentMethod?.instrument;
  if (instrument && "expiryMonth" in instrument) {
    await recordCard(db, subscriberId, { month: instrument.expiryMonth, year: instrument.expiryYear }, updatedAt);
  }
  return { subscriberId, previousValue: existing?.monthlyValue ?? null, contractId };
}
