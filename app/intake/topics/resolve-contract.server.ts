import prisma from "../../db.server";
import { holdEvents, subscriberIdOfContract } from "../../models/contract.server";
import { appendEvents, type NewTimelineEvent } from "../../models/timeline.server";
import { queueEnrichment } from "../enrich.server";

/**
 * Records a contract's events on its subscriber's timeline. Billing and cycle webhooks
 * name only the contract: when it is not known yet (it can arrive before its create
 * webhook, or predate the install), the events are held and the contract's enrichment
 * is queued to learn whose it is; they join the timeline as soon as either a contract
 * webhook or the Admin API says. Nothing here waits for the Admin API.
 */
export async function recordContractEvents(shop: string, contractId: string, events: NewTimelineEvent[], now: Date): Promise<void> {
  const known = await subscriberIdOfContract(prisma, shop, contractId);
  if (known) return appendEvents(prisma, shop, known, events);
  await prisma.$transaction(async (tx) => {
    // Read again in the transaction: the contract may have become known meanwhile.
    const subscriberId = await subscriberIdOfContract(tx, shop, contractId);
    if (subscriberId) return appendEvents(tx, shop, subscriberId, events);
    await holdEvents(tx, shop, contractId, events);
    await queueEnrichment(tx, shop, contractId, now, false);
  });
}
