import type { WebhookDelivery } from "@prisma/client";
import prisma from "../db.server";
import type { JobRecord } from "../queue/jobs.server";
import { PermanentError, describeError } from "../queue/errors";
import { normaliseTopic, type Topic } from "./payloads";
import type { DeliveryContext } from "./context";
import { handleContract } from "./topics/contracts.server";
import { handleBillingAttempt, handleBillingCycle } from "./topics/billing.server";
import { handlePaymentMethod } from "./topics/payment-methods.server";
import { handleCustomerRedact, handleDataRequest, handleShopRedact } from "./topics/privacy.server";
import { handleHelpdeskTicket } from "./topics/helpdesk.server";
import { handleShopUpdate } from "./topics/shop.server";
import { onUninstalled } from "../models/shop.server";
import { splitSourceTopic } from "../sources/registry.server";
import { handleSourceDelivery } from "../sources/process.server";

type Handler = (ctx: DeliveryContext, job: JobRecord) => Promise<void>;

const HANDLERS: Record<Topic, Handler> = {
  "subscription_contracts/create": (c) => handleContract(c, "create"),
  "subscription_contracts/update": (c) => handleContract(c, "update"),
  "subscription_contracts/activate": (c) => handleContract(c, "activate"),
  "subscription_contracts/pause": (c) => handleContract(c, "pause"),
  "subscription_contracts/cancel": (c) => handleContract(c, "cancel"),
  "subscription_contracts/expire": (c) => handleContract(c, "expire"),
  "subscription_contracts/fail": (c) => handleContract(c, "fail"),
  "subscription_billing_attempts/success": (c) => handleBillingAttempt(c, "success"),
  "subscription_billing_attempts/failure": (c) => handleBillingAttempt(c, "failure"),
  "subscription_billing_attempts/challenged": (c) => handleBillingAttempt(c, "challenged"),
  "subscription_billing_cycles/skip": (c) => handleBillingCycle(c, "skip"),
  "subscription_billing_cycles/unskip": (c) => handleBillingCycle(c, "unskip"),
  "subscription_billing_cycle_edits/create": (c) => handleBillingCycle(c, "edit"),
  "subscription_billing_cycle_edits/update": (c) => handleBillingCycle(c, "edit"),
  "subscription_billing_cycle_edits/delete": (c) => handleBillingCycle(c, "edit"),
  "customer_payment_methods/create": (c) => handlePaymentMethod(c, "create"),
  "customer_payment_methods/update": (c) => handlePaymentMethod(c, "update"),
  "customer_payment_methods/revoke": (c) => handlePaymentMethod(c, "revoke"),
  "app/uninstalled": (c) => onUninstalled(c.shop, c.now),
  "shop/update": (c) => handleShopUpdate(c),
  "customers/data_request": (c) => handleDataRequest(c),
  "customers/redact": (c) => handleCustomerRedact(c),
  "shop/redact": (c, job) => handleShopRedact(c, job.id),
  "helpdesk/ticket_created": (c) => handleHelpdeskTicket(c),
};

/**
 * The worker's handler for one inbox delivery. Any failure is written on the delivery
 * too, so the inbox shows why a delivery has not taken effect; the job decides retries.
 * `batch` holds the deliveries read for the job's whole batch (prefetchDeliveries).
 */
export async function processDeliveryJob(job: JobRecord, batch?: PrefetchedDeliveries, now: Date = new Date()): Promise<void> {
  const deliveryKey = deliveryKeyOf(job);
  const delivery =
    batch?.take(job.key) ??
    (await prisma.webhookDelivery.findUnique({
      where: { shop_deliveryKey: { shop: job.shop, deliveryKey } },
    }));
  if (!delivery) return; // erased by shop/redact since it was queued: nothing left to do
  try {
    const fromSource = splitSourceTopic(delivery.topic);
    const topic = fromSource ? null : normaliseTopic(delivery.topic);
    if (!topic && !fromSource) throw new PermanentError(`unknown topic ${delivery.topic}`);
    let payload: unknown;
    try {
      payload = JSON.parse(delivery.body);
    } catch (error) {
      throw new PermanentError(`body is not valid JSON: ${(error as Error).message}`);
    }
    const ctx: DeliveryContext = {
      shop: delivery.shop,
      topic: topic ?? delivery.topic,
      deliveryKey: delivery.deliveryKey,
      occurredAt: delivery.triggeredAt ?? delivery.receivedAt,
      payload,
      now,
    };
    // A subscription app's delivery (Recharge, Seal, Flow): its source reads it.
    if (fromSource) await handleSourceDelivery(ctx, fromSource.source, fromSource.topic);
    else await HANDLERS[topic!](ctx, job);
    // A redaction changes what the rest of the batch read beforehand: read it again.
    if (topic === "shop/redact" || topic === "customers/redact") batch?.forgetShop(delivery.shop);
    // Marked processed with the rest of its batch: markDeliveriesProcessed.
  } catch (error) {
    await prisma.webhookDelivery.updateMany({ where: { id: delivery.id }, data: { error: describeError(error) } });
    throw error;
  }
}

/** A webhook job's key is "<shop>:<delivery key>" (see intake). */
function deliveryKeyOf(job: JobRecord): string {
  return job.key.slice(job.shop.length + 1);
}

/** The delivery keys of a batch's webhook jobs, by shop. */
function deliveryKeysByShop(jobs: JobRecord[]): Map<string, string[]> {
  const byShop = new Map<string, string[]>();
  for (const job of jobs) {
    if (job.queue !== "webhook") continue;
    const keys = byShop.get(job.shop);
    if (keys) keys.push(deliveryKeyOf(job));
    else byShop.set(job.shop, [deliveryKeyOf(job)]);
  }
  return byShop;
}

/** A batch's deliveries, read before its jobs run; each is taken once. */
export interface PrefetchedDeliveries {
  take(jobKey: string): WebhookDelivery | undefined;
  /** Drops the shop's rows (a redaction just changed them): its later jobs read afresh. */
  forgetShop(shop: string): void;
}

/** Reads a batch's deliveries, one query per shop, for the worker to hand to each job. */
export async function prefetchDeliveries(jobs: JobRecord[]): Promise<PrefetchedDeliveries> {
  const rows = new Map<string, WebhookDelivery>();
  for (const [shop, keys] of deliveryKeysByShop(jobs)) {
    const found = await prisma.webhookDelivery.findMany({ where: { shop, deliveryKey: { in: keys } } });
    for (const row of found) rows.set(`${row.shop}:${row.deliveryKey}`, row);
  }
  return {
    take(jobKey) {
      const row = rows.get(jobKey);
      rows.delete(jobKey);
      return row;
    },
    forgetShop(shop) {
      for (const [key, row] of rows) if (row.shop === shop) rows.delete(key);
    },
  };
}

/** The deliveries behind these finished webhook jobs have taken effect: one write per batch. */
export async function markDeliveriesProcessed(jobs: JobRecord[], now: Date): Promise<void> {
  for (const [shop, keys] of deliveryKeysByShop(jobs)) {
    await prisma.webhookDelivery.updateMany({ where: { shop, deliveryKey: { in: keys } }, data: { processedAt: now, error: null } });
  }
}
