import type Database from "better-sqlite3";
import { writeTransaction } from "../db-direct.server";
import { fetchContract } from "../shopify/admin-api.server";
import { saveContractNode } from "../models/contract.server";
import { refreshRollup } from "../models/subscriber.server";
import { appendEventsDirect, markForRescoreDirect } from "../models/timeline.server";
import { contractEventType } from "../domain/contract-state";
import { PermanentError } from "../queue/errors";
import { enqueueAgainDirect, enqueueManyDirect, type JobRecord } from "../queue/jobs.server";
import { runCustomerEnrichmentJob } from "./enrich-customer.server";

export function enrichmentKey(shop: string, contractId: string): string {
  return `enrich:${shop}:${contractId}`;
}

/**
 * Queues the contract's enrichment in the caller's transaction. `again`: the contract
 * changed at Shopify (created, updated), so facts fetched before are stale and a finished
 * job runs once more. Otherwise an enrichment already queued, done or dead is left as is.
 */
export function queueEnrichment(db: Database.Database, shop: string, contractId: string, now: Date, again: boolean): void {
  const job = { queue: "enrich" as const, key: enrichmentKey(shop, contractId), shop, payload: { contractId }, runAt: now };
  if (again) enqueueAgainDirect(db, job);
  else enqueueManyDirect(db, [job]);
}

/**
 * Queue "enrich", one job per contract: what only the Admin API knows (value, lines,
 * names, email, card, next billing, billing interval), and whose contract it is when no
 * contract webhook has said so yet. Its own job, so an Admin API outage delays these
 * facts and nothing else: the timeline and the score stand on the deliveries, and this
 * job fails and retries with the queue's backoff until the API answers.
 *
 * The value is known only here, so only here can an edit be seen: a change of monthly
 * value between two enrichments is a `contract.edited` event with both values.
 */
export async function runEnrichmentJob(job: JobRecord, now: Date = new Date()): Promise<void> {
  const payload = JSON.parse(job.payload) as { contractId?: string; customerId?: string };
  // A customer's identity alone (queued by the sources layer): see enrich-customer.server.ts.
  if (payload.customerId !== undefined && payload.contractId === undefined) return runCustomerEnrichmentJob(job);
  const contractId = payload.contractId!;
  const node = await fetchContract(job.shop, contractId);
  // Not Shopify's (or not readable by this app): retrying cannot change that.
  if (!node) throw new PermanentError(`contract ${contractId} is not known to Shopify`);
  await writeTransaction((db) => {
    const saved = saveContractNode(db, job.shop, node, now);
    const type = contractEventType("update", null, { from: saved.previousValue, to: saved.value });
    if (type === "contract.edited") {
      appendEventsDirect(db, job.shop, saved.subscriberId, [
        {
          type,
          // When Shopify last changed the contract: the edit's true time, even when the
          // enrichment runs late (after an outage).
          occurredAt: new Date(node.updatedAt),
          contractId,
          // Shopify's version of the contract names the edit: a rerun finds no change anyway.
          sourceKey: `contract:${contractId}:edited:${node.updatedAt}`,
          data: { fromMonthlyValue: saved.previousValue!, toMonthlyValue: saved.value },
        },
      ]);
    }
    refreshRollup(db, saved.subscriberId);
    // Value, identity or card may have changed: the score is out of date.
    markForRescoreDirect(db, saved.subscriberId);
  });
}
