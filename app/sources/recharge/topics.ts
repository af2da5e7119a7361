/**
 * The Recharge webhook topics Lifeline reads, and each one's body as records. A body is
 * the object under its resource's name (`{"subscription": {...}}`), with the customer
 * alongside when the webhook was registered with `included_objects: ["customer"]`.
 * Pure: no I/O.
 */
import { SourcePayloadError, type SourceRecord } from "../types";
import { recordsFromPaymentMethodUpdate } from "./customer";
import { recordsFromCharge, recordsFromSubscription } from "./map";
import { chargeBody, customerBody, parseObject, subscriptionBody } from "./schemas";

export const SUBSCRIPTION_TOPICS = [
  "subscription/created",
  "subscription/activated",
  "subscription/cancelled",
  "subscription/paused",
  "subscription/skipped",
  "subscription/unskipped",
  "subscription/updated",
  "subscription/swapped",
  "subscription/deleted",
] as const;
export const CHARGE_TOPICS = ["charge/paid", "charge/failed", "charge/max_retries_reached"] as const;
export const CUSTOMER_TOPICS = ["customer/payment_method_updated"] as const;
export const RECHARGE_TOPICS: readonly string[] = [...SUBSCRIPTION_TOPICS, ...CHARGE_TOPICS, ...CUSTOMER_TOPICS];

/** The objects each topic's webhook should include, for the connector's registration. */
export function includedObjects(topic: string): string[] {
  return topic.startsWith("subscription/") ? ["customer"] : [];
}

export function rechargeRecords(topic: string, payload: unknown): SourceRecord[] {
  const resource = topic.split("/")[0];
  if (resource === "subscription") {
    const body = parseObject(subscriptionBody, payload, "body");
    return recordsFromSubscription(body.subscription, body.customer ?? null, topic);
  }
  if (resource === "charge") return recordsFromCharge(parseObject(chargeBody, payload, "body").charge, topic);
  if (topic === "customer/payment_method_updated") return recordsFromPaymentMethodUpdate(parseObject(customerBody, payload, "body").customer);
  throw new SourcePayloadError(`topic ${topic} is not one Lifeline reads`);
}
