import type Database from "better-sqlite3";
import { writeTransaction } from "../db-direct.server";
import { fetchCustomerIdentity } from "../shopify/admin-api.server";
import { ensureSubscriber, findSubscriberId, lacksIdentity } from "../models/subscriber.server";
import { PermanentError } from "../queue/errors";
import { enqueueManyDirect, type JobRecord } from "../queue/jobs.server";

export function customerEnrichmentKey(shop: string, customerId: string): string {
  return `customer:${shop}:${customerId}`;
}

/** Shopify's customer ids are numbers; a placeholder ("<source>:<vendor id>") is not one. */
const SHOPIFY_CUSTOMER_ID = /^\d+$/;

/**
 * Queues, in the caller's transaction, the fetch of a subscriber's name and email from
 * Shopify's customer record, when their events named only the customer id (Shopify Flow,
 * a subscription app's webhook) and nothing has told who they are yet. Once per customer:
 * a job already queued, done or dead is left as is.
 */
export function queueCustomerEnrichment(db: Database.Database, shop: string, subscriberId: string, customerId: string | null, now: Date): void {
  if (!customerId || !SHOPIFY_CUSTOMER_ID.test(customerId) || !lacksIdentity(db, subscriberId)) return;
  enqueueManyDirect(db, [{ queue: "enrich", key: customerEnrichmentKey(shop, customerId), shop, payload: { customerId }, runAt: now }]);
}

/**
 * Queue "enrich", one job per customer: name and email from Shopify's `customer(id:)`,
 * written as Shopify's word on who the subscriber is. Its own job, so an Admin API outage
 * delays the name on the page and nothing else; the job retries with the queue's backoff.
 */
export async function runCustomerEnrichmentJob(job: JobRecord): Promise<void> {
  const { customerId } = JSON.parse(job.payload) as { customerId: string };
  const customer = await fetchCustomerIdentity(job.shop, customerId);
  // Deleted at Shopify, or not this shop's: asking again cannot change that.
  if (!customer) throw new PermanentError(`customer ${customerId} is not known to Shopify`);
  await writeTransaction((db) => {
    // Only a subscriber still held: one erased since (shop/redact) is not brought back.
    if (!findSubscriberId(db, job.shop, customerId, null)) return;
    ensureSubscriber(db, job.shop, customerId, {
      email: customer.defaultEmailAddress?.emailAddress ?? null,
      firstName: customer.firstName,
      lastName: customer.lastName,
      displayName: customer.displayName,
    });
  });
}
