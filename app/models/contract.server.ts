import type { Prisma } from "@prisma/client";
import type { SubscriptionContractNode } from "../graphql/SubscriptionContractFields";
import { monthlyValue } from "../domain/monthly-value";
import { isNewerState, statusFromPayload } from "../domain/contract-state";
import { ensureSubscriber, recordCard } from "./subscriber.server";

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
  const instrument = node.customerPaymentMethod?.instrument;
  if (instrument && "expiryMonth" in instrument) {
    await recordCard(db, subscriberId, { month: instrument.expiryMonth, year: instrument.expiryYear }, updatedAt);
  }
  return { subscriberId, previousValue: existing?.monthlyValue ?? null, contractId };
}
