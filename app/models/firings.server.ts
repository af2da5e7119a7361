import type { Prisma } from "@prisma/client";
import type { Firing, RecentFiring, SubscriberSnapshot } from "../playbook/types";

type Db = Prisma.TransactionClient;

/** The subscriber's firings since `since`, holdout ones included (they count towards caps). */
export async function recentFirings(db: Db, shop: string, subscriberId: string, since: Date): Promise<RecentFiring[]> {
  const rows = await db.firing.findMany({
    where: { shop, subscriberId, firedAt: { gt: since } },
    select: { triggerKey: true, firedAt: true },
  });
  return rows.map((r) => ({ triggerId: r.triggerKey, firedAt: r.firedAt }));
}

/**
 * Records one firing. Unique by (shop, trigger, subscriber, firedAt): a rescore that is
 * retried with the same `now` finds the row it wrote before and changes nothing.
 */
export async function recordFiring(
  db: Db,
  shop: string,
  firing: Firing,
  snapshot: SubscriberSnapshot,
): Promise<{ id: string }> {
  return db.firing.upsert({
    where: {
      shop_triggerKey_subscriberId_firedAt: {
        shop,
        triggerKey: firing.triggerId,
        subscriberId: firing.subscriberId,
        firedAt: firing.firedAt,
      },
    },
    create: {
      shop,
      triggerKey: firing.triggerId,
      subscriberId: firing.subscriberId,
      firedAt: firing.firedAt,
      holdout: firing.holdout,
      reasons: JSON.stringify(firing.reasons),
      snapshot: JSON.stringify(snapshot),
      outcomeDueAt: firing.outcomeDueAt,
    },
    update: {},
    select: { id: true },
  });
}

/** The first action on a firing (a play delivered, a task worked); later ones keep the first time. */
export async function markFiringActed(db: Db, firingId: string, at: Date): Promise<void> {
  await db.firing.updateMany({ where: { id: firingId, actionAt: null }, data: { actionAt: at } });
}
