/** The install's read of the shop's currency, time zone and email (queued by onInstalled). */
import type { JobRecord } from "../queue/jobs.server";
import { PermanentError } from "../queue/errors";
import { fetchShopContext } from "../shopify/admin-api.server";
import { saveShopContext, shopContextSchema } from "../models/shop-context.server";

/** A refusal or an outage throws, and the queue retries with backoff; an answer that makes no sense is final. */
export async function runShopContextJob(job: JobRecord, now: Date = new Date()): Promise<void> {
  const node = await fetchShopContext(job.shop);
  const parsed = shopContextSchema.safeParse({ currency: node.currencyCode, timezone: node.ianaTimezone, email: node.email });
  if (!parsed.success) throw new PermanentError(`Shopify's shop context for ${job.shop} is not usable: ${parsed.error.issues[0]?.message}`);
  await saveShopContext(job.shop, parsed.data, now);
}
