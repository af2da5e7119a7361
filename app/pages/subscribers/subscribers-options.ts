// What the subscribers pages and their server model share: safe to import from the browser bundle.

export const PAGE_SIZE = 50;

export const SUBSCRIBER_BANDS = ["healthy", "watch", "at_risk", "critical"] as const;
export const SUBSCRIBER_STATUSES = ["active", "paused", "cancelled", "unknown"] as const;
export const TENURES = ["new", "established"] as const;
export const VALUES = ["high", "low"] as const;
export const SUBSCRIBER_SORTS = ["score", "value", "change"] as const;

/** The saved views, in tab order; the list opens on the first. */
export const SUBSCRIBER_VIEWS = ["active", "at_risk", "paused", "cancelled", "all"] as const;
export type SubscriberView = (typeof SUBSCRIBER_VIEWS)[number];
export const DEFAULT_VIEW: SubscriberView = "active";
export const VIEW_LABELS: Record<SubscriberView, string> = {
  active: "Active",
  at_risk: "At risk",
  paused: "Paused",
  cancelled: "Cancelled",
  all: "All",
};

export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];
export type SubscriberSort = (typeof SUBSCRIBER_SORTS)[number];
export type SortDirection = "asc" | "desc";

/** Worst first by default: lowest score, highest value, biggest drop. */
export function defaultDirection(sort: SubscriberSort): SortDirection {
  return sort === "value" ? "desc" : "asc";
}

export const STATUS_LABELS: Record<SubscriberStatus, string> = {
  active: "Active",
  paused: "Paused",
  cancelled: "Cancelled",
  unknown: "Not known yet",
};

// Contracts have two more states than subscribers.
const ANY_STATUS_LABELS: Record<string, string> = { ...STATUS_LABELS, expired: "Ended", failed: "Stopped after failed payments" };

export function statusLabel(status: string): string {
  return ANY_STATUS_LABELS[status] ?? status;
}

export const TENURE_LABELS: Record<(typeof TENURES)[number], string> = { new: "New", established: "Established" };
export const VALUE_LABELS: Record<(typeof VALUES)[number], string> = { high: "High value", low: "Lower value" };

/** "new:high" as the merchant reads it: "New, high value". */
export function segmentLabel(key: string | null | undefined): string {
  if (!key) return "";
  const [tenure, value] = key.split(":");
  const t = TENURE_LABELS[tenure as keyof typeof TENURE_LABELS] ?? tenure;
  const v = VALUE_LABELS[value as keyof typeof VALUE_LABELS] ?? value;
  return `${t}, ${v.toLowerCase()}`;
}

/** The sort picker: each sort in both directions, worded for what it means. */
export const SORT_OPTIONS: { label: string; value: `${SubscriberSort} ${SortDirection}`; directionLabel: string }[] = [
  { label: "Health score", value: "score asc", directionLabel: "Lowest first" },
  { label: "Health score", value: "score desc", directionLabel: "Highest first" },
  { label: "Monthly value", value: "value desc", directionLabel: "Highest first" },
  { label: "Monthly value", value: "value asc", directionLabel: "Lowest first" },
  { label: "Score change since last week", value: "change asc", directionLabel: "Biggest drop first" },
  { label: "Score change since last week", value: "change desc", directionLabel: "Biggest rise first" },
];

/** Timeline event types in words. */
export const EVENT_LABELS: Record<string, string> = {
  "contract.created": "Subscribed",
  "contract.activated": "Subscription activated",
  "contract.paused": "Paused the subscription",
  "contract.resumed": "Resumed the subscription",
  "contract.cancelled": "Cancelled the subscription",
  "contract.expired": "Subscription ended",
  "contract.failed": "Subscription stopped after failed payments",
  "contract.edited": "Changed the subscription",
  "cycle.skipped": "Skipped a delivery",
  "cycle.unskipped": "Un-skipped a delivery",
  "cycle.edited": "Changed a delivery",
  "billing.succeeded": "Payment went through",
  "billing.failed": "Payment failed",
  "billing.challenged": "Payment needs the customer's confirmation",
  "payment_method.added": "Added a payment method",
  "payment_method.updated": "Updated the payment method",
  "payment_method.revoked": "Removed the payment method",
  "ticket.opened": "Opened a support ticket",
};

export function eventLabel(type: string): string {
  return EVENT_LABELS[type] ?? type.replace(/[._]/g, " ");
}

export const PLAY_STATUS_LABELS: Record<string, string> = { pending: "Waiting to send", sent: "Sent", failed: "Could not be sent" };
export const PLAY_KIND_LABELS: Record<string, string> = { klaviyo_event: "Klaviyo flow event", klaviyo_profile: "Klaviyo profile update" };
export const OUTCOME_LABELS: Record<string, string> = {
  retained: "Stayed",
  recovered: "Recovered",
  cancelled: "Cancelled",
  churned: "Churned",
};
