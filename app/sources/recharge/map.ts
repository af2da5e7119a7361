/**
 * Recharge's objects as records, for its webhooks and for the history import alike. An
 * event's key names the fact, not the delivery, wherever the object allows it
 * (`subscription:<id>:created`, `subscription:<id>:cancelled:<cancelled_at>`,
 * `charge:<id>:paid`), so an import that overlaps the webhooks adds nothing.
 * `topic` null means the object came from the API: the events its state implies.
 * Pure: no I/O, no clock.
 */
import { normaliseErrorCode } from "../../domain/failure-class";
import { monthlyValue } from "../../domain/monthly-value";
import type { ContractStatus } from "../../domain/timeline";
import type { SourceContractFacts, SourceCustomer, SourceEvent, SourceRecord } from "../types";
import { customerRef } from "./customer";
import { classifyRechargeFailure, latestAttemptMessage } from "./failure";
import { chargeObject, customerObject, parseObject as parse, type RechargeCharge, type RechargeSubscription, subscriptionObject } from "./schemas";

interface MapOptions {
  /** When this shop's webhooks began: an imported skip before it is history, after it the webhook's. */
  webhooksSince?: Date;
}

const iso = (d: Date) => d.toISOString();

// `_opts` is unused: a subscription's events have the same keys by webhook and by import.
export function recordsFromSubscription(subscription: unknown, customer: unknown | null, topic: string | null, _opts: MapOptions = {}): SourceRecord[] {
  const s = parse(subscriptionObject, subscription, "subscription");
  const c = customer == null ? null : parse(customerObject, customer, "customer");
  const events: SourceEvent[] = [{ type: "contract.created", occurredAt: s.created_at, key: `subscription:${s.id}:created` }];
  const at = s.updated_at;
  const stamp = iso(at);
  // Every view of a cancelled subscription names its cancellation, so a late or missing
  // subscription/cancelled still leaves it on the timeline, once.
  if (s.status === "cancelled" || topic === "subscription/cancelled") {
    const cancelledAt = s.cancelled_at ?? at;
    events.push({ type: "contract.cancelled", occurredAt: cancelledAt, key: `subscription:${s.id}:cancelled:${iso(cancelledAt)}`, data: { cancelReason: s.cancellation_reason } });
  }
  if (s.status === "expired") events.push({ type: "contract.expired", occurredAt: at, key: `subscription:${s.id}:expired` });
  switch (topic) {
    case "subscription/activated":
      // A resume after a pause or a reactivation after a cancel: apply tells them apart.
      events.push({ type: "contract.activated", occurredAt: at, key: `subscription:${s.id}:activated:${stamp}` });
      break;
    case "subscription/paused":
      events.push({ type: "contract.paused", occurredAt: at, key: `subscription:${s.id}:paused:${stamp}` });
      break;
    case "subscription/skipped":
      // The body names the subscription, not the skipped charge: the version names the skip.
      events.push({ type: "cycle.skipped", occurredAt: at, key: `subscription:${s.id}:skipped:${stamp}` });
      break;
    case "subscription/unskipped":
      events.push({ type: "cycle.unskipped", occurredAt: at, key: `subscription:${s.id}:unskipped:${stamp}` });
      break;
    case "subscription/deleted":
      // A deleted subscription has ended; when it was cancelled first, that cancellation stands for it.
      if (s.status !== "cancelled") events.push({ type: "contract.cancelled", occurredAt: at, key: `subscription:${s.id}:deleted`, data: { cancelReason: s.cancellation_reason ?? "deleted in Recharge" } });
      break;
    case null:
      // Imported: a pause in force is dated by the last change Recharge records.
      if (s.status === "paused") events.push({ type: "contract.paused", occurredAt: at, key: `subscription:${s.id}:paused:${stamp}` });
      break;
    default:
      break;
  }
  return [
    {
      contractId: s.id,
      customer: c ? customerRef(c) : { shopifyCustomerId: null, email: null, vendorCustomerId: s.customer_id },
      asOf: at,
      contract: contractFacts(s),
      events,
    },
  ];
}

export function recordsFromCharge(charge: unknown, topic: string | null, opts: MapOptions = {}): SourceRecord[] {
  const ch = parse(chargeObject, charge, "charge");
  const subscriptions = [...new Set(ch.line_items.filter((l) => l.purchase_item_type === "subscription" && l.purchase_item_id).map((l) => l.purchase_item_id!))];
  if (subscriptions.length === 0) return [];
  const customer: SourceCustomer = ch.customer ? customerRef(ch.customer) : { shopifyCustomerId: null, email: null, vendorCustomerId: null };
  const events = chargeEvents(ch, topic, opts);
  // A charge with no news (queued, or a skip the webhooks told) writes nothing.
  if (events.length === 0) return [];
  const asOf = events[0].occurredAt;
  // One record per subscription the charge bills; keys name the subscription only when there are several.
  return subscriptions.map((id) => ({
    contractId: id,
    customer,
    asOf,
    contract: ch.currency ? { currency: ch.currency } : {},
    events: subscriptions.length === 1 ? events : events.map((e) => ({ ...e, key: `${e.key}:subscription:${id}` })),
  }));
}

const PAID = new Set(["success", "refunded", "partially_refunded"]);

function chargeEvents(ch: RechargeCharge, topic: string | null, opts: MapOptions): SourceEvent[] {
  const paid = topic === "charge/paid" || (topic === null && PAID.has(ch.status));
  const failed = topic === "charge/failed" || topic === "charge/max_retries_reached" || (topic === null && ch.status === "error");
  if (paid) return [{ type: "billing.succeeded", occurredAt: ch.processed_at ?? ch.updated_at, key: `charge:${ch.id}:paid` }];
  if (failed) {
    const at = ch.last_charge_attempt ?? ch.updated_at;
    const errorCode = normaliseErrorCode(ch.error_type);
    const events: SourceEvent[] = [
      {
        type: "billing.failed",
        occurredAt: at,
        // Each retry is its own failure, named by its attempt's time.
        key: `charge:${ch.id}:failed:${iso(at)}`,
        data: { errorCode, failureClass: classifyRechargeFailure(ch.error_type, ch.error), errorMessage: latestAttemptMessage(ch.error) },
      },
    ];
    // Retries exhausted: no further attempt is expected, which is what Shopify's FAILED status says.
    if (topic === "charge/max_retries_reached" || errorCode === "CLOSED_MAX_RETRIES_REACHED") {
      events.push({ type: "contract.failed", occurredAt: at, key: `charge:${ch.id}:max_retries_reached` });
    }
    return events;
  }
  if (topic === null && ch.status === "skipped") {
    // After the webhooks began, subscription/skipped has already told it (under its own key).
    const at = ch.updated_at;
    if (opts.webhooksSince && at.getTime() >= opts.webhooksSince.getTime()) return [];
    return [{ type: "cycle.skipped", occurredAt: at, key: `charge:${ch.id}:skipped` }];
  }
  return [];
}

const STATUS: Record<string, ContractStatus> = { active: "active", paused: "paused", cancelled: "cancelled", expired: "expired" };
const INTERVAL: Record<string, string> = { day: "DAY", days: "DAY", week: "WEEK", weeks: "WEEK", month: "MONTH", months: "MONTH", year: "YEAR", years: "YEAR" };

function contractFacts(s: RechargeSubscription): SourceContractFacts {
  // An active subscription whose charge reached its retry limit bills no more until the card is fixed.
  const status = s.status === "active" && s.max_retries_reached ? "failed" : STATUS[s.status];
  const interval = s.order_interval_unit ? (INTERVAL[s.order_interval_unit.toLowerCase()] ?? null) : null;
  const count = s.order_interval_frequency;
  const line = { title: s.product_title ?? "Subscription", variantTitle: s.variant_title, quantity: s.quantity, price: s.price };
  return {
    ...(status ? { status } : {}),
    currency: s.presentment_currency ?? s.currency,
    billingInterval: interval,
    billingIntervalCount: count,
    monthlyValue: monthlyValue([line], interval, count),
    lines: [line],
    nextBillingAt: s.status === "active" ? s.next_charge_scheduled_at : null,
    createdAt: s.created_at,
  };
}

