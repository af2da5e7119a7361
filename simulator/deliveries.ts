/**
 * A subscriber's facts as the webhooks Shopify would send: topic, header values and
 * a body with exactly the keys and value types of Shopify's payloads.
 */
import { SECOND, resolveOptions, shopTime } from "./options";
import { Rng, mixSeed } from "./random";
import type { SimFact, SimulatedContract, SimulatedDelivery, SimulatedSubscriber, SimulatorInput } from "./types";

const DELIVERY_SALT = 0xde1;
/** Revision ids are large opaque numbers at Shopify; ours grow per contract. */
const REVISION_BASE = 40_000_000_000;

const CONTRACT_STATUS: Record<string, string> = {
  create: "active",
  activate: "active",
  pause: "paused",
  cancel: "cancelled",
  fail: "failed",
  expire: "expired",
};

const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;

function contractPayload(sub: SimulatedSubscriber, c: SimulatedContract, status: string, revision: number): Record<string, unknown> {
  return {
    admin_graphql_api_customer_id: gid("Customer", sub.customerId),
    admin_graphql_api_id: gid("SubscriptionContract", c.id),
    admin_graphql_api_origin_order_id: gid("Order", c.originOrderId),
    billing_policy: {
      interval: c.interval,
      interval_count: c.intervalCount,
      max_cycles: c.maxCycles,
      min_cycles: c.minCycles,
    },
    currency_code: c.currency,
    customer_id: sub.customerId,
    delivery_policy: { interval: c.interval, interval_count: c.intervalCount },
    id: c.id,
    origin_order_id: c.originOrderId,
    revision_id: String(REVISION_BASE + (c.id % 1_000_000) * 1000 + revision),
    status,
  };
}

/** Topic and body for one fact; null for facts Shopify doesn't send (helpdesk tickets). */
export function webhookFor(sub: SimulatedSubscriber, f: SimFact): { topic: string; payload: Record<string, unknown> } | null {
  switch (f.kind) {
    case "contract":
      return {
        topic: `subscription_contracts/${f.topic}`,
        payload: contractPayload(sub, sub.contracts[f.contract], CONTRACT_STATUS[f.topic], f.revision),
      };
    case "edit":
      // Shopify's update payload carries no lines or prices; the app must ask the Admin API.
      return { topic: "subscription_contracts/update", payload: contractPayload(sub, sub.contracts[f.contract], f.status, f.revision) };
    case "cycle":
      return {
        topic: `subscription_billing_cycles/${f.topic}`,
        payload: {
          billing_attempt_expected_date: shopTime(f.cycleEnd),
          contract_edit: null,
          cycle_end_at: shopTime(f.cycleEnd),
          cycle_index: f.cycleIndex,
          cycle_start_at: shopTime(f.cycleStart),
          edited: true,
          skipped: f.topic === "skip",
          subscription_contract_id: sub.contracts[f.contract].id,
        },
      };
    case "billing": {
      const contractId = sub.contracts[f.contract].id;
      return {
        topic: `subscription_billing_attempts/${f.topic}`,
        payload: {
          id: f.attemptId,
          admin_graphql_api_id: f.attemptId == null ? null : gid("SubscriptionBillingAttempt", f.attemptId),
          idempotency_key: f.idempotencyKey,
          order_id: f.orderId,
          admin_graphql_api_order_id: f.orderId == null ? null : gid("Order", f.orderId),
          subscription_contract_id: contractId,
          admin_graphql_api_subscription_contract_id: gid("SubscriptionContract", contractId),
          // A challenged attempt waits on the customer.
          ready: f.topic !== "challenged",
          error_message: f.errorMessage,
          error_code: f.errorCode,
        },
      };
    }
    case "payment_method":
      return {
        topic: `customer_payment_methods/${f.topic}`,
        payload: {
          admin_graphql_api_customer_id: gid("Customer", sub.customerId),
          admin_graphql_api_id: gid("CustomerPaymentMethod", f.card.token),
          customer_id: sub.customerId,
          instrument_type: "CustomerCreditCard",
          payment_instrument: {
            brand: f.card.brand,
            last_digits: f.card.lastDigits,
            month: f.card.month,
            name: f.card.name,
            year: f.card.year,
          },
          token: f.card.token,
        },
      };
    case "ticket":
      return null;
  }
}

/**
 * One subscriber's deliveries in the order things happened, each sent within
 * seconds. No duplicates or lateness here; the store adds those.
 */
export function deliveriesFor(sub: SimulatedSubscriber, input: SimulatorInput): SimulatedDelivery[] {
  const seed = resolveOptions(input).seed;
  const rng = new Rng(mixSeed(seed, sub.index, DELIVERY_SALT));
  const out: SimulatedDelivery[] = [];
  for (const f of sub.facts) {
    const hook = webhookFor(sub, f);
    if (!hook) continue;
    out.push({
      topic: hook.topic,
      webhookId: rng.uuid(),
      eventId: rng.uuid(),
      triggeredAt: new Date(f.at).toISOString(),
      sendAt: new Date(f.at + Math.round(rng.uniform(0.3, 8) * SECOND)).toISOString(),
      payload: hook.payload,
    });
  }
  return out;
}
