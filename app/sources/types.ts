/**
 * The sources layer: a store's own subscription app (Recharge, Seal, ...) or Shopify Flow
 * as the origin of subscription events. Each source lives in its own folder
 * (app/sources/<id>/) and turns its vendor's wire format into `SourceRecord`s: the same
 * timeline events the Shopify path produces, with what the payload says about the
 * contract and whose it is. Pure types only: no I/O.
 */
import type { ContractStatus, TimelineEventData, TimelineEventType } from "../domain/timeline";

/** Who an event is about, as the vendor names them. Matched by Shopify customer id, else email. */
export interface SourceCustomer {
  /** Shopify's numeric customer id, when the vendor carries it (Recharge's external_customer_id.ecommerce). */
  shopifyCustomerId: string | null;
  email: string | null;
  /** The vendor's own customer id: names the subscriber until Shopify's id is known. */
  vendorCustomerId: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export interface SourceLine {
  title: string;
  variantTitle: string | null;
  quantity: number;
  /** Price per delivery, in the contract's currency. */
  price: number;
}

/** What a payload says about the contract as it stands at `asOf`. Absent fields are not known here. */
export interface SourceContractFacts {
  status?: ContractStatus;
  currency?: string | null;
  /** Billing rhythm in Shopify's terms: DAY | WEEK | MONTH | YEAR. */
  billingInterval?: string | null;
  billingIntervalCount?: number | null;
  /** Monthly value of the contract in its currency; a change is a `contract.edited`. */
  monthlyValue?: number | null;
  lines?: SourceLine[];
  nextBillingAt?: Date | null;
  createdAt?: Date | null;
}

/** One timeline event from the vendor, unique by `key` within the source. */
export interface SourceEvent {
  type: TimelineEventType;
  occurredAt: Date;
  /** The vendor's own ids that make this event unique (object id, topic, version). */
  key: string;
  data?: TimelineEventData;
}

/** One payload's worth of news about one contract (or one customer, when contractId is null). */
export interface SourceRecord {
  /** The vendor's id of the subscription (Recharge subscription id, Shopify contract id through Flow). */
  contractId: string | null;
  customer: SourceCustomer;
  /** When the payload's view of the contract was true (the object's updated_at). */
  asOf: Date;
  contract?: SourceContractFacts;
  events: SourceEvent[];
  /** The card on file, when the payload names it. */
  card?: { month: number; year: number } | null;
}

/** A vendor payload that cannot become events: kept in the inbox and dead-lettered with this reason. */
export class SourcePayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourcePayloadError";
  }
}
