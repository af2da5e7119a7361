import prisma from "../../db.server";
import { fetchContract } from "../../shopify/admin-api.server";
import { saveContractNode, subscriberIdOfContract } from "../../models/contract.server";
import { refreshRollup } from "../../models/subscriber.server";
import { PermanentError } from "../../queue/errors";

/**
 * The subscriber a contract belongs to. Billing and cycle webhooks name only the
 * contract; when it is not known yet (it can arrive before its create webhook), the
 * Admin API says whose it is.
 */
export async function subscriberForContract(shop: string, contractId: string, now: Date): Promise<string> {
  const known = await subscriberIdOfContract(prisma, shop, contractId);
  if (known) return known;
  const node = await fetchContract(shop, contractId);
  if (!node) throw new PermanentError(`contract ${contractId} is not known to Shopify`);
  return prisma.$transaction(async (tx) => {
    const saved = await saveContractNode(tx, shop, node, now);
    await refreshRollup(tx, saved.subscriberId);
    return saved.subscriberId;
  });
}
