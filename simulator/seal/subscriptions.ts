/**
 * A simulated subscriber's contracts as Seal sends them: the flat subscription body of the
 * captured subscription/created (../shared/fixtures/seal/subscription-created.partial.json),
 * with the same keys and value types, as of any moment of the subscriber's history; and the
 * webhooks their facts become (created, updated, cancelled).
 *
 * Where the capture is silent the simulator chooses, and says so: Seal's statuses are only
 * ACTIVE, PAUSED and CANCELLED, so an expired or failed contract reads CANCELLED; paused_on
 * stays filled after a resume (as cancelled_on does after a cancellation); every change adds
 * an activity log entry; settled billing attempts stay in billing_attempts with status
 * "succeeded" or "failed" beside the next one scheduled (status ""). Skips, 3-D Secure
 * challenges and card events have no Seal shape in the capture and are not sent.
 */
import { CONTRACT_ID_BASE, cycleDate } from "../subscriber-history";
import type { SimCard, SimFact, SimLine, SimulatedContract, SimulatedSubscriber } from "../types";

export type SealTopic = "subscription/created" | "subscription/updated" | "subscription/cancelled";

export interface SealDelivery {
  topic: SealTopic;
  /** When it happened; Seal sends no time header, so this is also when it is sent. */
  at: Date;
  body: Record<string, unknown>;
}

const SEAL_ID_BASE = 8_400_000;
const ATTEMPT_ID_BASE = 79_000_000;
const ITEM_ID_BASE = 19_800_000;

export const sealIdOf = (c: SimulatedContract) => SEAL_ID_BASE + (c.id - CONTRACT_ID_BASE);

/** Seal's ISO time with the shop's offset, to the second ("2025-11-11T16:52:28+01:00"). */
function sealTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + 3_600_000).toISOString().slice(0, 19) + "+01:00";
}
/** The activity log's "2025-11-11 15:52:43", UTC. */
const logTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

const interval = (c: SimulatedContract) => `${c.intervalCount} ${c.interval}${c.intervalCount === 1 ? "" : "s"}`;

/** The body of contract `ci` after every fact up to and including time `at`. */
export function sealSubscriptionAt(sub: SimulatedSubscriber, ci: number, at: number): Record<string, unknown> {
  const c = sub.contracts[ci];
  let status = "ACTIVE";
  let pausedOn = "";
  let cancelledOn = "";
  let lines: SimLine[] = c.lines;
  let card: SimCard | null = null;
  const attempts: Record<string, unknown>[] = [];
  const log: { content: string; created: string }[] = [];
  let settled = 0;
  for (const f of sub.facts) {
    if (f.at > at) break;
    if (f.kind === "payment_method" && f.topic !== "revoke") card = f.card;
    if (!("contract" in f) || f.contract !== ci) continue;
    const entry = logEntry(f);
    if (entry) log.push({ content: entry, created: logTime(f.at) });
    if (f.kind === "contract") {
      if (f.topic === "pause") {
        status = "PAUSED";
        pausedOn = sealTime(f.at);
      } else if (f.topic === "activate") {
        status = "ACTIVE";
      } else if (f.topic !== "create") {
        status = "CANCELLED";
        cancelledOn = sealTime(f.at);
      }
    } else if (f.kind === "edit") {
      lines = f.lines;
    } else if (f.kind === "billing" && f.topic !== "challenged") {
      settled++;
      attempts.push({
        id: ATTEMPT_ID_BASE + (c.id - CONTRACT_ID_BASE) * 1000 + attempts.length,
        date: sealTime(f.at),
        status: f.topic === "success" ? "succeeded" : "failed",
        order_id: f.orderId == null ? "" : String(f.orderId),
        error_code: f.errorCode ?? "",
        error_message: f.errorMessage ?? "",
      });
    }
  }
  if (status !== "CANCELLED") {
    attempts.push({
      id: ATTEMPT_ID_BASE + (c.id - CONTRACT_ID_BASE) * 1000 + attempts.length,
      date: sealTime(cycleDate(c, settled + 1)),
      status: "",
      order_id: "",
      error_code: "",
      error_message: "",
    });
  }
  const value = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  return {
    id: sealIdOf(c),
    customer_id: String(sub.customerId),
    email: sub.email,
    status,
    order_placed: sealTime(c.createdAt.getTime()),
    order_id: String(c.originOrderId),
    total_value: Math.round(value * 100) / 100,
    currency: c.currency,
    first_name: sub.firstName,
    last_name: sub.lastName,
    delivery_interval: interval(c),
    billing_interval: interval(c),
    subscription_type: 2,
    internal_id: 1000 + (c.id - CONTRACT_ID_BASE),
    shopify_graphql_subscription_contract_id: String(c.id),
    payment_method_id: card?.token ?? "",
    card_brand: card?.brand ?? "",
    card_expiry_month: card ? String(card.month) : "",
    card_expiry_year: card ? String(card.year) : "",
    card_last_digits: card?.lastDigits ?? "",
    items: lines.map((l, i) => ({
      id: ITEM_ID_BASE + (c.id - CONTRACT_ID_BASE) * 10 + i,
      product_id: String(9_661_070_000_000 + i),
      variant_id: String(49_692_077_000_000 + i),
      title: l.title,
      variant_sku: `SIM${i + 1}`,
      quantity: l.quantity,
      price: l.price.toFixed(2),
      final_price: l.price.toFixed(2),
      final_amount: Math.round(l.price * l.quantity * 100) / 100,
      selling_plan_id: "3311436023",
      selling_plan_name: "Subscribe and save",
    })),
    billing_attempts: attempts,
    admin_note: "",
    note: "",
    note_attributes: [],
    cancellation_reason: "",
    cancelled_on: cancelledOn,
    paused_on: pausedOn,
    tags: [],
    log,
  };
}

function logEntry(f: SimFact): string | null {
  if (f.kind === "contract") {
    if (f.topic === "create") return 'The "New Subscription" e-mail was sent to the customer.';
    if (f.topic === "pause") return "The subscription was paused.";
    if (f.topic === "activate") return "The subscription was activated.";
    return "The subscription was cancelled.";
  }
  if (f.kind === "edit") return "The subscription items were changed.";
  if (f.kind === "billing" && f.topic !== "challenged") return f.topic === "success" ? "Billing attempt succeeded." : "Billing attempt failed.";
  return null;
}

/** The webhooks a subscriber's history sends, in the order it happened. */
export function sealDeliveriesFor(sub: SimulatedSubscriber): SealDelivery[] {
  const out: SealDelivery[] = [];
  for (const f of sub.facts) {
    const topic = topicOf(f);
    if (!topic || !("contract" in f)) continue;
    out.push({ topic, at: new Date(f.at), body: sealSubscriptionAt(sub, f.contract, f.at) });
  }
  return out;
}

function topicOf(f: SimFact): SealTopic | null {
  if (f.kind === "contract") return f.topic === "create" ? "subscription/created" : f.topic === "pause" || f.topic === "activate" ? "subscription/updated" : "subscription/cancelled";
  if (f.kind === "edit" || (f.kind === "billing" && f.topic !== "challenged")) return "subscription/updated";
  return null;
}
