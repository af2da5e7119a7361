/**
 * The shop's currency, time zone and owner email, as Shopify holds them: read through the
 * Admin API after install (a job for the shopify worker, intake/shop-context.server.ts, so a
 * failure there is retried and never blocks the install) and kept current by the shop/update
 * webhook (intake/topics/shop.server.ts). Weeks, digest hours and due
 * dates are read in the time zone; totals in the currency; the digest goes to the email.
 */
import { z } from "zod";
import prisma from "../db.server";
import { enqueue, notifyWorkers } from "../queue/jobs.server";

export const SHOP_CONTEXT_QUEUE = "shop_context";

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const shopContextSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  timezone: z.string().min(1).refine(isTimeZone),
  email: z.string().trim().email().nullable().catch(null),
});
export type ShopContext = z.infer<typeof shopContextSchema>;

/**
 * Stores the context read at `asOf`, unless a newer reading is already stored (a late
 * webhook, or an install read that finished after a later shop/update). Returns whether it did.
 */
export async function saveShopContext(shop: string, context: ShopContext, asOf: Date): Promise<boolean> {
  const { count } = await prisma.shop.updateMany({
    where: { shop, OR: [{ contextSyncedAt: null }, { contextSyncedAt: { lte: asOf } }] },
    data: { currency: context.currency, timezone: context.timezone, email: context.email, contextSyncedAt: asOf },
  });
  return count > 0;
}

/** After install: one read per install (keyed by the install time), retried by the queue until Shopify answers. */
export async function queueShopContextRead(shop: string, installedAt: Date, now: Date): Promise<void> {
  await enqueue(prisma, { queue: SHOP_CONTEXT_QUEUE, key: `${shop}:${installedAt.toISOString()}`, shop, payload: {}, runAt: now });
  notifyWorkers(SHOP_CONTEXT_QUEUE);
}
