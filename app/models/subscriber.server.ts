import type { Prisma } from "@prisma/client";
import { rollupStatus } from "../domain/contract-state";

type Db = Prisma.TransactionClient;

export interface SubscriberIdentity {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string | null;
}

/** The subscriber for a Shopify customer, created on first sight. Returns its id. */
export async function ensureSubscriber(db: Db, shop: string, customerId: string, identity?: SubscriberIdentity): Promise<string> {
  const fields = identity
    ? {
        email: identity.email ?? null,
        firstName: identity.firstName ?? null,
        lastName: identity.lastName ?? null,
        displayName: identity.displayName ?? null,
      }
    : {};
  const row = await db.subscriber.upsert({
    where: { shop_customerId: { shop, customerId } },
    create: { shop, customerId, ...fields },
    // A redacted subscriber stays redacted: identity is never written back.
    update: identity ? fields : {},
    select: { id: true, redactedAt: true },
  });
  if (row.redactedAt && identity) {
    await db.subscriber.update({
      where: { id: row.id },
      data: { email: null, firstName: null, lastName: null, displayName: null },
    });
  }
  return row.id;
}

/** Recomputes what a subscriber's contracts say about them: status, value, next billing, start. */
export async function refreshRollup(db: Db, subscriberId: string): Promise<void> {
  const contracts = await db.contract.findMany({
    where: { subscriberId },
    select: { status: true, monthlyValue: true, currency: true, nextBillingAt: true, createdAtShopify: true },
  });
  const active = contracts.filter((c) => c.status === "active");
  // A paused subscriber is still worth what their paused plan bills: that is the revenue at risk.
  const valued = active.length > 0 ? active : contracts.filter((c) => c.status === "paused");
  const next = active
    .map((c) => c.nextBillingAt)
    .filter((d): d is Date => d != null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const started = contracts
    .map((c) => c.createdAtShopify)
    .filter((d): d is Date => d != null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  await db.subscriber.update({
    where: { id: subscriberId },
    data: {
      status: rollupStatus(contracts.map((c) => c.status)),
      monthlyValue: Math.round(valued.reduce((s, c) => s + (c.monthlyValue ?? 0), 0) * 100) / 100,
      currency: contracts.find((c) => c.currency)?.currency ?? null,
      nextBillingAt: next ?? null,
      ...(started ? { firstSubscribedAt: started } : {}),
      // Value, status or next billing may have changed: the score is out of date.
      scoreDirtyAt: new Date(),
    },
  });
}

/** Keeps the newest card on file; an older delivery arriving late changes nothing. */
export async function recordCard(
  db: Db,
  subscriberId: string,
  card: { month: number; year: number } | null,
  at: Date,
): Promise<void> {
  await db.subscriber.updateMany({
    where: { id: subscriberId, OR: [{ cardUpdatedAt: null }, { cardUpdatedAt: { lte: at } }] },
    data: { cardExpiryMonth: card?.month ?? null, cardExpiryYear: card?.year ?? null, cardUpdatedAt: at },
  });
}
