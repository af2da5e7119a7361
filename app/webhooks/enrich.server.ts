import prisma from "../db.server";
import { fetchContract } from "../shopify/admin-api.server";
import { saveContractNode } from "../models/contract.server";
import { refreshRollup } from "../models/subscriber.server";
import { markForRescore } from "../models/timeline.server";
import { PermanentError } from "../queue/errors";
import type { JobRecord } from "../queue/jobs.server";

/**
 * Queue "enrich", one job per contract: what only the Admin API knows (value, lines,
 * names, email, card, next billing). Its own job, so an Admin API outage delays these
 * facts and nothing else: the job fails and retries with the queue's backoff.
 */
export async function runEnrichmentJob(job: JobRecord, now: Date = new Date()): Promise<void> {
  const { contractId } = JSON.parse(job.payload) as { contractId: string };
  const node = await fetchContract(job.shop, contractId);
  if (!node) throw new PermanentError(`contract ${contractId} is not known to Shopify`);
  await prisma.$transaction(async (tx) => {
    const saved = await saveContractNode(tx, job.shop, node, now);
    await refreshRollup(tx, saved.subscriberId);
    await markForRescore(tx, saved.subscriberId);
  });
}
