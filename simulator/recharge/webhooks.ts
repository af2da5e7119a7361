/**
 * A simulated store's history as Recharge would tell it: the webhooks in the order things
 * happened, and the objects its API would list at any moment. Derived from the same facts
 * as the Shopify deliveries, so a Recharge-only store and the Shopify path can be compared.
 * Where Recharge cannot say what Shopify says, the difference is deliberate and listed:
 * - no 3-D Secure challenge state: a challenged attempt sends nothing; its outcome does;
 * - the customer object has no card, only has_valid_payment_method: a card added or renewed
 *   is customer/payment_method_updated, and its expiry is in the customer's payment methods
 *   (payment-methods.ts, listed by the API); the old card's removal after a replacement sends
 *   nothing (the customer still has a valid method);
 * - each attempt's cause is in the charge's `error` log (processor wording), with error_type
 *   null: Recharge's error_type values beyond CLOSED_MAX_RETRIES_REACHED are not in the
 *   samples. Dunning exhausted is charge/max_retries_reached (error_type CLOSED_MAX_RETRIES_REACHED),
 *   the subscription left active with max_retries_reached 1;
 * - an expiry is subscription/updated with status "expired" (which topic Recharge sends is not documented);
 * - a cancellation carries a cancellation_reason; the first checkout charge is not a webhook
 *   (the Shopify path has no billing event for the origin order either);
 * - Recharge's timestamps are whole seconds.
 */
import { createHash, createHmac } from "node:crypto";
import { cycleDate } from "../subscriber-history";
import type { SimulatedStore } from "../store";
import type { ChurnCause, SimFact, SimulatedSubscriber } from "../types";
import {
  chargeObject,
  customerObject,
  rechargeChargeId,
  rechargeCustomerId,
  rechargeSubscriptionId,
  subscriptionObject,
  type ChargeState,
  type CustomerState,
  type SubscriptionState,
} from "./objects";
import { applyCardFact, paymentMethodObject } from "./payment-methods";

export interface RechargeWebhook {
  topic: string;
  /** The object under its resource's name; subscription topics include the customer (included_objects). */
  body: Record<string, unknown>;
  at: Date;
}

export interface RechargeState {
  customers: Record<string, unknown>[];
  subscriptions: Record<string, unknown>[];
  charges: Record<string, unknown>[];
  payment_methods: Record<string, unknown>[];
}

/** What a processor says for each of the simulator's Shopify codes; the words keep the failure's class. */
const PROCESSOR_MESSAGE: Record<string, string> = {
  INSUFFICIENT_FUNDS: "Your card has insufficient funds.",
  PAYMENT_METHOD_DECLINED: "Your card was declined.",
  AUTHENTICATION_ERROR: "Your card was declined. This transaction requires authentication.",
  EXPIRED_PAYMENT_METHOD: "Your card has expired.",
  INVALID_PAYMENT_METHOD: "Invalid payment method: the card on file can no longer be charged.",
  CARD_NUMBER_INCORRECT: "Your card number is incorrect.",
};

function processorMessage(code: string | null, s: SubscriptionState): string | null {
  if (code == null) return null;
  const c = code.toUpperCase();
  if (c === "INSUFFICIENT_INVENTORY") return `Inventory unavailable ${s.lines[0].variantTitle ?? s.lines[0].title} requested qty. 1, inventory was: 0`;
  return PROCESSOR_MESSAGE[c] ?? "Billing attempt could not be completed.";
}

const CANCELLATION_REASON: Record<ChurnCause, string> = {
  price: "This is too expensive",
  skip_fatigue: "I already have more than I need",
  experience: "I no longer use this product",
  onboarding: "I no longer use this product",
  service_issue: "Other reason",
  payment_failure: "Max number of charge attempts reached",
};

interface Replay {
  customer: CustomerState | null;
  subscriptions: SubscriptionState[];
  charges: ChargeState[];
}

/** One subscriber's facts up to `untilMs`, as Recharge's state; `emit` receives each webhook as it would be sent. */
function replay(sub: SimulatedSubscriber, untilMs: number, emit: ((w: RechargeWebhook) => void) | null): Replay {
  const out: Replay = { customer: null, subscriptions: [], charges: [] };
  const open: (ChargeState | null)[] = [];
  const counters: number[] = [];
  const skips: Map<number, ChargeState>[] = [];
  const removed = new Set<ChargeState>();

  const nextCharge = (s: SubscriptionState, c: number, t: number): number | null => {
    if (s.status !== "active" || s.maxRetriesReached) return null;
    for (let k = 1; k < 10_000; k++) {
      const at = cycleDate(s.contract, k);
      if (at > t && !skips[c]?.has(k)) return at;
    }
    return null;
  };
  const touch = (s: SubscriptionState, c: number, at: number) => {
    s.updatedAt = at;
    s.nextChargeAt = nextCharge(s, c, at);
  };
  const send = (topic: string, at: number, body: () => Record<string, unknown>) => emit?.({ topic, body: body(), at: new Date(at) });
  const subscriptionBody = (s: SubscriptionState, at: number) => () => ({ subscription: subscriptionObject(s), customer: customerObject(out.customer!, at) });
  const newCharge = (s: SubscriptionState, c: number, at: number, status: ChargeState["status"], scheduledAt = at): ChargeState => {
    counters[c] = (counters[c] ?? 0) + 1;
    const ch: ChargeState = { id: rechargeChargeId(s.contract, counters[c]), subscription: s, status, createdAt: at, updatedAt: at, scheduledAt, processedAt: null, attempts: [], errorType: null, orderId: null, lines: s.lines };
    out.charges.push(ch);
    return ch;
  };

  function applyFact(f: Exclude<SimFact, { kind: "payment_method" | "ticket" }>, s: SubscriptionState, c: number) {
    const customer = out.customer!;
    const setStatus = (status: SubscriptionState["status"]) => {
      if (s.status === "active" && status !== "active") customer.active--;
      if (s.status !== "active" && status === "active") customer.active++;
      s.status = status;
      customer.updatedAt = f.at;
    };
    switch (f.kind) {
      case "contract":
        if (f.topic === "activate") {
          setStatus("active");
          touch(s, c, f.at);
          send("subscription/activated", f.at, subscriptionBody(s, f.at));
        } else if (f.topic === "pause") {
          setStatus("paused");
          touch(s, c, f.at);
          send("subscription/paused", f.at, subscriptionBody(s, f.at));
        } else if (f.topic === "cancel") {
          setStatus("cancelled");
          s.cancelledAt = f.at;
          const cause = sub.truth.contractId === String(s.contract.id) ? sub.truth.cause : null;
          s.cancellationReason = cause ? CANCELLATION_REASON[cause] : "Other reason";
          touch(s, c, f.at);
          send("subscription/cancelled", f.at, subscriptionBody(s, f.at));
        } else if (f.topic === "expire") {
          setStatus("expired");
          touch(s, c, f.at);
          send("subscription/updated", f.at, subscriptionBody(s, f.at));
        } else if (f.topic === "fail") {
          const ch = open[c];
          s.maxRetriesReached = true;
          touch(s, c, f.at);
          if (!ch) return;
          ch.errorType = "CLOSED_MAX_RETRIES_REACHED";
          ch.updatedAt = f.at;
          open[c] = null;
          customer.inDunning--;
          customer.updatedAt = f.at;
          send("charge/max_retries_reached", f.at, () => ({ charge: chargeObject(ch) }));
        }
        return;
      case "edit": {
        const swapped = f.lines[0]?.title !== s.lines[0]?.title;
        s.lines = f.lines;
        touch(s, c, f.at);
        send(swapped ? "subscription/swapped" : "subscription/updated", f.at, subscriptionBody(s, f.at));
        return;
      }
      case "cycle": {
        skips[c] ??= new Map();
        if (f.topic === "skip") {
          skips[c].set(f.cycleIndex, newCharge(s, c, f.at, "skipped", f.cycleEnd));
          touch(s, c, f.at);
          send("subscription/skipped", f.at, subscriptionBody(s, f.at));
        } else {
          const skipped = skips[c].get(f.cycleIndex);
          // Unskipped, the charge is queued again: the API lists charges that happened, so it leaves the list.
          if (skipped) removed.add(skipped);
          skips[c].delete(f.cycleIndex);
          touch(s, c, f.at);
          send("subscription/unskipped", f.at, subscriptionBody(s, f.at));
        }
        return;
      }
      case "billing": {
        if (f.topic === "challenged") return;
        let ch = open[c];
        if (f.topic === "success") {
          ch ??= newCharge(s, c, f.at, "success");
          if (ch.status === "error") customer.inDunning--;
          Object.assign(ch, { status: "success", processedAt: f.at, updatedAt: f.at, orderId: f.orderId, lines: s.lines });
          open[c] = null;
          touch(s, c, f.at);
          const paid = ch;
          send("charge/paid", f.at, () => ({ charge: chargeObject(paid) }));
        } else {
          if (!ch) {
            ch = newCharge(s, c, f.at, "error");
            open[c] = ch;
            customer.inDunning++;
            customer.updatedAt = f.at;
          }
          ch.attempts.push({ at: f.at, message: processorMessage(f.errorCode, s) });
          ch.updatedAt = f.at;
          const failed = ch;
          send("charge/failed", f.at, () => ({ charge: chargeObject(failed) }));
        }
        return;
      }
    }
  }

  for (const f of sub.facts) {
    if (f.at > untilMs) break;
    out.customer ??= { sub, createdAt: f.at, updatedAt: f.at, card: null, methods: [], inDunning: 0, active: 0, total: 0 };
    const customer = out.customer;
    if (f.kind === "payment_method") {
      customer.card = applyCardFact(customer.methods, sub, f);
      if (f.topic === "revoke") continue;
      customer.updatedAt = f.at;
      send("customer/payment_method_updated", f.at, () => ({ customer: customerObject(customer, f.at) }));
      continue;
    }
    if (f.kind === "ticket") continue;
    const c = f.contract;
    if (f.kind === "contract" && f.topic === "create") {
      const contract = sub.contracts[c];
      const s: SubscriptionState = { contract, customer, status: "active", createdAt: f.at, updatedAt: f.at, cancelledAt: null, cancellationReason: null, lines: contract.lines, maxRetriesReached: false, nextChargeAt: null };
      out.subscriptions[c] = s;
      touch(s, c, f.at);
      customer.total++;
      customer.active++;
      customer.updatedAt = f.at;
      send("subscription/created", f.at, subscriptionBody(s, f.at));
      continue;
    }
    const s = out.subscriptions[c];
    if (!s) continue;
    applyFact(f, s, c);
  }

  out.charges = out.charges.filter((ch) => !removed.has(ch));
  return out;
}

/** One subscriber's Recharge webhooks, oldest first. */
export function rechargeWebhooksFor(sub: SimulatedSubscriber, untilMs = Infinity): RechargeWebhook[] {
  const hooks: RechargeWebhook[] = [];
  replay(sub, untilMs, (w) => hooks.push(w));
  return hooks;
}

/** The whole store's Recharge webhooks in the order they happened (ties: subscriber, then fact order). */
export function rechargeWebhooks(store: SimulatedStore): RechargeWebhook[] {
  const all = store.subscribers.flatMap((sub) => rechargeWebhooksFor(sub, store.end.getTime()));
  return all.map((w, i) => ({ w, i })).sort((a, b) => a.w.at.getTime() - b.w.at.getTime() || a.i - b.i).map((e) => e.w);
}

/**
 * What Recharge's API would list at `asOf`: customers, subscriptions, the charges that
 * have happened (success, error, skipped) and the customers' payment methods, each in
 * ascending id order. Upcoming queued charges are not listed.
 */
export function rechargeStateAt(store: SimulatedStore, asOf: Date): RechargeState {
  const at = asOf.getTime();
  const state: RechargeState = { customers: [], subscriptions: [], charges: [], payment_methods: [] };
  for (const sub of store.subscribers) {
    const r = replay(sub, at, null);
    if (!r.customer) continue;
    state.customers.push(customerObject(r.customer, at));
    for (const m of r.customer.methods) state.payment_methods.push(paymentMethodObject(m, sub, rechargeCustomerId(sub)));
    for (const s of r.subscriptions) if (s) state.subscriptions.push(subscriptionObject(s));
    for (const ch of r.charges) state.charges.push(chargeObject(ch));
  }
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a.id) - Number(b.id);
  state.customers.sort(byId);
  state.subscriptions.sort(byId);
  state.charges.sort(byId);
  state.payment_methods.sort(byId);
  return state;
}

/** The headers Recharge signs a delivery with at `sentAt`: both schemes, as fixtures/recharge/SOURCES.md describes them. */
export function rechargeSignatureHeaders(rawBody: string, clientSecret: string, sentAt: Date): Record<string, string> {
  const t = Math.floor(sentAt.getTime() / 1000);
  return {
    "X-Recharge-Webhook-Timestamp": String(t),
    "X-Recharge-Webhook-Signature": `t=${t},v1=${createHmac("sha256", clientSecret).update(`${t}.${rawBody}`).digest("hex")}`,
    "X-Recharge-Hmac-Sha256": createHash("sha256").update(clientSecret).update(rawBody).digest("hex"),
  };
}

export { rechargeCustomerId, rechargeSubscriptionId };
