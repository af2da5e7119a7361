import prisma from "../db.server";
import { deleteShopJobs, enqueue, notifyWorkers } from "../queue/jobs.server";
import { queueShopContextRead } from "./shop-context.server";

/**
 * A shop installed (or reinstalled) the app: record it, queue the read of its currency,
 * time zone and email, and the backfill of its existing contracts. The job keys carry the
 * install time, so a reinstall reads and backfills again while a repeated token exchange
 * for the same install does not.
 */
export async function onInstalled(shop: string, now: Date): Promise<void> {
  const existing = await prisma.shop.findUnique({ where: { shop } });
  const fresh = !existing || existing.uninstalledAt != null;
  const row = await prisma.shop.upsert({
    where: { shop },
    create: { shop, installedAt: now },
    update: fresh ? { installedAt: now, uninstalledAt: null, backfillStatus: "pending", backfillCount: 0 } : {},
  });
  await queueShopContextRead(shop, row.installedAt, now);
  if (row.backfillStatus === "done") return;
  await enqueue(prisma, {
    queue: "backfill",
    key: `${shop}:${row.installedAt.toISOString()}`,
    shop,
    payload: { after: null },
    runAt: now,
  });
  notifyWorkers("backfill");
}

/** app/uninstalled: the tokens are void; data stays until shop/redact. */
export async function onUninstalled(shop: string, now: Date): Promise<void> {
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.updateMany({ where: { shop }, data: { uninstalledAt: now } }),
  ]);
}

/**
 * shop/redact: every row the shop owns, in every table (a test checks that no table with
 * a shop column keeps a row). The job doing this keeps its own row until it completes.
 */
export async function eraseShopData(shop: string, keepJobId?: number): Promise<void> {
  await prisma.$transaction([
    prisma.cacheEntry.deleteMany({ where: { shop } }),
    prisma.playDelivery.deleteMany({ where: { shop } }),
    prisma.task.deleteMany({ where: { shop } }),
    prisma.firing.deleteMany({ where: { shop } }),
    prisma.healthHistory.deleteMany({ where: { shop } }),
    prisma.healthScore.deleteMany({ where: { shop } }),
    prisma.subscriberEvent.deleteMany({ where: { shop } }),
    prisma.contract.deleteMany({ where: { shop } }),
    prisma.subscriber.deleteMany({ where: { shop } }),
    prisma.dataRequest.deleteMany({ where: { shop } }),
    prisma.rescoreRun.deleteMany({ where: { shop } }),
    prisma.scoreFit.deleteMany({ where: { shop } }),
    prisma.trigger.deleteMany({ where: { shop } }),
    prisma.shopSettings.deleteMany({ where: { shop } }),
    prisma.klaviyoConnection.deleteMany({ where: { shop } }),
    prisma.helpdeskConnection.deleteMany({ where: { shop } }),
    prisma.sourceConnection.deleteMany({ where: { shop } }),
    prisma.webhookDelivery.deleteMany({ where: { shop } }),
    deleteShopJobs(shop, keepJobId),
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.deleteMany({ where: { shop } }),
  ]);
}

/** The shop's time zone and currency, which every weekly view and figure is read in. */
export async function shopWeekContext(shop: string): Promise<{ timeZone: string; currency: string }> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { timezone: true, currency: true } });
  return { timeZone: row?.timezone ?? "UTC", currency: row?.currency ?? "USD" };
}

/** The subscription app the merchant says the store runs (onboarding): which steps the checklist shows. */
export async function saveSubscriptionApp(shop: string, app: string): Promise<void> {
  await prisma.shop.upsert({ where: { shop }, create: { shop, subscriptionApp: app }, update: { subscriptionApp: app } });
}

export async function subscriptionAppOf(shop: string): Promise<string | null> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { subscriptionApp: true } });
  return row?.subscriptionApp ?? null;
}
