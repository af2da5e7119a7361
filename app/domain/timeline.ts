/**
 * The subscriber timeline: the domain events that webhooks (and, later, helpdesk
 * tickets) become. Every later stage (health score, triggers, reports) reads these,
 * never raw payloads. Pure types and helpers only: no I/O.
 */

/** Why a billing attempt failed, in the terms a retention play cares about. */
export type FailureClass = "soft_decline" | "hard_decline" | "inventory" | "other";

export type ContractStatus = "active" | "paused" | "cancelled" | "expired" | "failed";

export type TimelineEventType =
  | "contract.created"
  | "contract.activated"
  | "contract.paused"
  | "contract.resumed"
  | "contract.cancelled"
  | "contract.expired"
  | "contract.failed"
  | "contract.edited"
  | "cycle.skipped"
  | "cycle.unskipped"
  | "cycle.edited"
  | "billing.succeeded"
  | "billing.failed"
  | "billing.challenged"
  | "payment_method.added"
  | "payment_method.updated"
  | "payment_method.revoked"
  | "ticket.opened";

/** Extra facts some event types carry. All optional: a field is set only where the type says so. */
export interface TimelineEventData {
  /** contract.edited: monthly value before and after, in the contract's currency. */
  fromMonthlyValue?: number;
  toMonthlyValue?: number;
  /** billing.failed: Shopify's error code as sent (upper-cased), and its class. */
  errorCode?: string | null;
  failureClass?: FailureClass;
  errorMessage?: string | null;
  /** contract.cancelled: the reason the subscriber or the source gave, when it says. */
  cancelReason?: string | null;
  /** cycle.*: which billing cycle of the contract. */
  cycleIndex?: number;
  /** payment_method.*: card expiry, when the instrument is a card. */
  cardExpiryMonth?: number;
  cardExpiryYear?: number;
  /** ticket.opened: where the ticket came from and its subject. */
  ticketSource?: string;
  ticketSubject?: string;
}

export interface TimelineEvent {
  type: TimelineEventType;
  /** When it happened at Shopify (X-Shopify-Triggered-At), not when we received it. */
  occurredAt: Date;
  /** Shopify's numeric contract id as a string; null for customer-level events. */
  contractId: string | null;
  data: TimelineEventData;
}

export const STATUS_BY_EVENT: Partial<Record<TimelineEventType, ContractStatus>> = {
  "contract.created": "active",
  "contract.activated": "active",
  "contract.resumed": "active",
  "contract.paused": "paused",
  "contract.cancelled": "cancelled",
  "contract.expired": "expired",
  "contract.failed": "failed",
};

/** Events sorted oldest first; ties keep their given order. */
export function chronological(events: readonly TimelineEvent[]): TimelineEvent[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}
