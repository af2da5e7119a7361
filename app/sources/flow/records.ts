/**
 * One run of the Flow action as a SourceRecord: who (Shopify's customer id), which
 * contract (Shopify's own contract id), the contract's facts as of `occurred_at`, and
 * the timeline event the kind means, with the same data the Shopify path's webhooks
 * give it. Pure: a function of the request body alone.
 */
import { classifyFailure, normaliseErrorCode } from "../../domain/failure-class";
import { perMonth } from "../../domain/monthly-value";
import type { TimelineEventData } from "../../domain/timeline";
import { SourcePayloadError, type SourceContractFacts, type SourceEvent, type SourceRecord } from "../types";
import { FLOW_CUSTOMER_KEY, FLOW_EVENT_KINDS, isFlowEventKind, type FlowEventKind, type KindMeaning } from "./kinds";
import {
  contractStatus,
  currency,
  date,
  decimal,
  integer,
  interval,
  normaliseKind,
  propertiesOf,
  shopifyId,
  text,
  type FlowProperties,
} from "./properties";

export function flowRecords(topic: string, payload: unknown): SourceRecord[] {
  const kind = normaliseKind(topic);
  if (!isFlowEventKind(kind)) throw new SourcePayloadError(`event ${JSON.stringify(topic)} is not a kind Lifeline records`);
  const meaning: KindMeaning = FLOW_EVENT_KINDS[kind];
  const p = propertiesOf(payload);

  const customerId = shopifyId(p, FLOW_CUSTOMER_KEY, "Customer");
  if (!customerId) throw new SourcePayloadError(`${FLOW_CUSTOMER_KEY} is missing: the workflow must name the customer`);
  const contractId = shopifyId(p, "contract_id", "SubscriptionContract");
  if (!contractId && !meaning.customerLevel) throw new SourcePayloadError("contract_id is missing");
  const occurredAt = date(p, "occurred_at");
  if (!occurredAt) throw new SourcePayloadError("occurred_at is missing");
  const card = cardOf(p, kind);

  const events: SourceEvent[] = [];
  if (meaning.event) {
    const about = meaning.customerLevel ? `customer:${customerId}` : contractId;
    events.push({ type: meaning.event, occurredAt, key: eventKey(p, kind, about!, occurredAt), data: dataOf(p, kind, card) });
  }
  return [
    {
      contractId: meaning.customerLevel ? null : contractId,
      customer: { shopifyCustomerId: customerId, email: null, vendorCustomerId: null },
      asOf: occurredAt,
      contract: meaning.customerLevel ? undefined : factsOf(p, kind, meaning, occurredAt),
      events,
      card,
    },
  ];
}

/**
 * What makes the event unique: one creation per contract, however many workflows report
 * it; otherwise the kind, the contract (or customer) and the time (and the cycle), so two
 * workflows reporting the same event add it once. A resend is already one delivery.
 */
function eventKey(p: FlowProperties, kind: FlowEventKind, about: string, occurredAt: Date): string {
  if (kind === "created") return `contract:${about}:created`;
  const cycle = kind === "skipped" || kind === "unskipped" ? [text(p, "cycle_index") ?? ""] : [];
  return [kind, about, occurredAt.toISOString(), ...cycle].join(":");
}

/** What the run says about the contract as of its time. A fact left empty is not said. */
function factsOf(p: FlowProperties, kind: FlowEventKind, meaning: KindMeaning, occurredAt: Date): SourceContractFacts {
  const facts: SourceContractFacts = {};
  const status = contractStatus(p, "status") ?? meaning.status;
  if (status) facts.status = status;
  const money = currency(p, "currency");
  if (money) facts.currency = money;
  const every = interval(p, "billing_interval");
  const count = integer(p, "billing_interval_count", 1, 1000);
  if (every) facts.billingInterval = every;
  if (count !== null) facts.billingIntervalCount = count;
  const amount = decimal(p, "amount");
  // On a billing kind the amount is what was charged (shipping, tax, one-offs): not the plan's worth.
  if (meaning.pricesContract && amount !== null) facts.monthlyValue = Math.round(amount * perMonth(every, count) * 100) / 100;
  const next = date(p, "next_billing_date");
  if (next) facts.nextBillingAt = next;
  // The contract's start is the subscriber's tenure: a creation is its own start; any run may name it.
  const started = date(p, "contract_created_at") ?? (kind === "created" ? occurredAt : null);
  if (started) facts.createdAt = started;
  return facts;
}

function dataOf(p: FlowProperties, kind: FlowEventKind, card: { month: number; year: number } | null | undefined): TimelineEventData {
  switch (kind) {
    case "billing_failed": {
      const errorCode = normaliseErrorCode(text(p, "error_code"));
      return { errorCode, failureClass: classifyFailure(errorCode), errorMessage: text(p, "reason") };
    }
    case "skipped":
    case "unskipped": {
      const cycleIndex = integer(p, "cycle_index", 0, 1_000_000);
      return cycleIndex === null ? {} : { cycleIndex };
    }
    case "payment_method_added":
    case "payment_method_updated":
      return card ? { cardExpiryMonth: card.month, cardExpiryYear: card.year } : {};
    case "cancelled": {
      const reason = text(p, "reason");
      return reason ? { cancelReason: reason } : {};
    }
    default:
      return {};
  }
}

/**
 * The card on file the run names: its expiry, for the payment-method kinds (null: the
 * card was removed). Undefined: the run says nothing about the card.
 */
function cardOf(p: FlowProperties, kind: FlowEventKind): { month: number; year: number } | null | undefined {
  if (kind === "payment_method_revoked") return null;
  if (kind !== "payment_method_added" && kind !== "payment_method_updated" && kind !== "payment_method_expiring") return undefined;
  const month = integer(p, "card_expiry_month", 1, 12);
  let year = integer(p, "card_expiry_year", 0, 2200);
  // A two-digit year (as printed on a card) is this century's.
  if (year !== null && year < 100) year += 2000;
  if (year !== null && year < 2000) throw new SourcePayloadError(`card_expiry_year is not a year: ${year}`);
  if ((month === null) !== (year === null)) throw new SourcePayloadError("card_expiry_month and card_expiry_year come together");
  if (month === null || year === null) {
    if (kind === "payment_method_expiring") throw new SourcePayloadError("payment_method_expiring needs card_expiry_month and card_expiry_year");
    return undefined;
  }
  return { month, year };
}
