/**
 * The Flow action "Record subscription event in Lifeline": the event kinds a workflow
 * may send in its `event` field, what each becomes on the timeline, and the action's
 * field keys as they arrive in `properties`. extensions/record-subscription-event
 * declares the same keys (tests/extensions/flow-action.test.ts keeps the two in step).
 * Pure data: no I/O.
 */
import type { ContractStatus, TimelineEventType } from "../../domain/timeline";

/** What a kind does: the timeline event it adds (none: facts only), and the contract's status after it. */
export interface KindMeaning {
  event: TimelineEventType | null;
  status?: ContractStatus;
  /** Customer-level, as Shopify's payment-method webhooks are: the event names no contract. */
  customerLevel?: boolean;
  /** `amount` is the contract's price (with its interval, its monthly value), not a charge. */
  pricesContract?: boolean;
}

export const FLOW_EVENT_KINDS = {
  created: { event: "contract.created", status: "active", pricesContract: true },
  // An activation right after a pause is a resume: the timeline relabels activations from
  // the order of status events, so either word lands as the Shopify path's would.
  activated: { event: "contract.activated", status: "active", pricesContract: true },
  resumed: { event: "contract.resumed", status: "active", pricesContract: true },
  paused: { event: "contract.paused", status: "paused", pricesContract: true },
  cancelled: { event: "contract.cancelled", status: "cancelled" },
  expired: { event: "contract.expired", status: "expired" },
  // The last dunning retry failed and the contract stopped billing: Shopify's FAILED status.
  retries_exhausted: { event: "contract.failed", status: "failed" },
  skipped: { event: "cycle.skipped" },
  unskipped: { event: "cycle.unskipped" },
  billing_succeeded: { event: "billing.succeeded" },
  billing_failed: { event: "billing.failed" },
  billing_challenged: { event: "billing.challenged" },
  payment_method_added: { event: "payment_method.added", customerLevel: true },
  payment_method_updated: { event: "payment_method.updated", customerLevel: true },
  payment_method_revoked: { event: "payment_method.revoked", customerLevel: true },
  // No timeline event of its own: the card's expiry is recorded, and the score reads it.
  payment_method_expiring: { event: null, customerLevel: true },
  // The contract's new price: a change of monthly value between two views is a contract.edited.
  edited: { event: null, pricesContract: true },
} as const satisfies Record<string, KindMeaning>;

export type FlowEventKind = keyof typeof FLOW_EVENT_KINDS;

export const FLOW_KIND_NAMES = Object.keys(FLOW_EVENT_KINDS) as FlowEventKind[];

export function isFlowEventKind(kind: string): kind is FlowEventKind {
  return Object.prototype.hasOwnProperty.call(FLOW_EVENT_KINDS, kind);
}

/** The extension's handle: Flow names the action by it in every request. */
export const FLOW_ACTION_HANDLE = "record-subscription-event";

/** The commerce-object field customer_reference arrives as `customer_id`. */
export const FLOW_CUSTOMER_KEY = "customer_id";

/** The action's own fields, by key, as `properties` carries them. */
export const FLOW_FIELD_KEYS = [
  "event",
  "contract_id",
  "occurred_at",
  "status",
  "error_code",
  "reason",
  "amount",
  "currency",
  "billing_interval",
  "billing_interval_count",
  "next_billing_date",
  "contract_created_at",
  "cycle_index",
  "card_expiry_month",
  "card_expiry_year",
] as const;

export type FlowFieldKey = (typeof FLOW_FIELD_KEYS)[number];
