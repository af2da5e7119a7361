/**
 * Klaviyo metric names and event properties: a public contract. Merchants build flows
 * on "Lifeline: Skip Streak" and personalise emails with `skip_count`; renaming a
 * metric or a property silently breaks their flows. Define them here and only here,
 * and only ever add.
 */
import { formatMoneyTotals } from "../domain/money";
import type { ConditionType } from "./schema";
import type { Firing, SubscriberSnapshot } from "./types";

export interface MetricDefinition {
  name: string;
  description: string;
  /** The properties a flow for this metric typically personalises on (all events carry all of them). */
  properties: readonly string[];
}

/**
 * Every Lifeline event carries every one of these (null where not applicable), so a
 * flow can branch on band or show the reasons whichever metric started it.
 */
export const COMMON_EVENT_PROPERTIES = [
  "trigger",
  "trigger_name",
  "score",
  "band",
  "reasons",
  "contract_id",
  "next_billing_date",
  "monthly_value",
  "skip_count",
  "error_class",
  "error_code",
] as const;

export const LIFELINE_METRICS = {
  skipStreak: {
    name: "Lifeline: Skip Streak",
    description: "Skipped deliveries several times in a row; offer a frequency or product change.",
    properties: ["skip_count"],
  },
  paymentFailed: {
    name: "Lifeline: Payment Failed",
    description:
      "A billing attempt failed. error_class soft_decline: reassure, the retry usually works; hard_decline: ask for a new card.",
    properties: ["error_class", "error_code"],
  },
  cardExpiring: {
    name: "Lifeline: Card Expiring",
    description: "The card on file expires before the next billing date; ask for an update now.",
    properties: [],
  },
  serviceRecovery: {
    name: "Lifeline: Service Recovery",
    description: "Opened a support ticket in the first billing cycle; apologise and make it right.",
    properties: [],
  },
  cancelled: {
    name: "Lifeline: Cancelled",
    description: "Cancelled the subscription; start the win-back flow.",
    properties: ["skip_count"],
  },
  atRisk: {
    name: "Lifeline: At Risk",
    description: "Health score crossed into at risk (or worse).",
    properties: ["skip_count"],
  },
  onboardingCheck: {
    name: "Lifeline: Onboarding Check",
    description: "New subscriber before the second delivery; check the first box landed well.",
    properties: [],
  },
  loyaltyAsk: {
    name: "Lifeline: Loyalty Ask",
    description: "Long-standing subscriber who upgrades; ask for a referral or offer an upgrade.",
    properties: [],
  },
} as const satisfies Record<string, MetricDefinition>;

export type LifelineMetricKey = keyof typeof LIFELINE_METRICS;
export type LifelineMetricName = (typeof LIFELINE_METRICS)[LifelineMetricKey]["name"];

export const LIFELINE_METRIC_NAMES: readonly LifelineMetricName[] = Object.values(LIFELINE_METRICS).map(
  (m) => m.name,
);

/**
 * The metric a trigger on each condition sends, unless the merchant picks another: the
 * editor starts a new trigger with it and follows the condition while it is unchanged.
 * A long pause has no metric of its own: it is an at-risk moment.
 */
export const METRIC_FOR_CONDITION: Record<ConditionType, LifelineMetricName> = {
  consecutive_skips_at_least: LIFELINE_METRICS.skipStreak.name,
  payment_failed: LIFELINE_METRICS.paymentFailed.name,
  card_expires_before_next_billing: LIFELINE_METRICS.cardExpiring.name,
  service_ticket_in_first_cycle: LIFELINE_METRICS.serviceRecovery.name,
  contract_cancelled: LIFELINE_METRICS.cancelled.name,
  paused_longer_than: LIFELINE_METRICS.atRisk.name,
  entered_band: LIFELINE_METRICS.atRisk.name,
  score_dropped: LIFELINE_METRICS.atRisk.name,
  new_before_second_delivery: LIFELINE_METRICS.onboardingCheck.name,
  loyal_with_upgrades: LIFELINE_METRICS.loyaltyAsk.name,
};

/** Properties a Lifeline event carries. Names are snake_case, as Klaviyo templates expect. */
export interface LifelineEventProperties {
  trigger: string;
  trigger_name: string;
  score: number;
  band: SubscriberSnapshot["band"];
  reasons: string[];
  /** Shopify's subscription contract id, or null when none is known. */
  contract_id: string | null;
  /** YYYY-MM-DD (UTC), or null when nothing is scheduled. */
  next_billing_date: string | null;
  monthly_value: number;
  skip_count: number;
  error_class: string | null;
  error_code: string | null;
}

export interface BuiltEvent {
  properties: LifelineEventProperties;
  /** Deterministic per firing: Klaviyo keeps only the first event per profile+metric+unique_id. */
  uniqueId: string;
  /** The firing's time, not the send time, so a late retry still lands at the right moment. */
  time: Date;
}

/**
 * The unique_id of a firing's event. Built from trigger, subscriber and firing time,
 * so an outbox retry (or a worker crash after sending) can never produce two emails.
 */
export function firingUniqueId(firing: Pick<Firing, "triggerId" | "subscriberId" | "firedAt">): string {
  return `lifeline:${firing.triggerId}:${firing.subscriberId}:${firing.firedAt.getTime()}`;
}

export function buildEventProperties(snapshot: SubscriberSnapshot, firing: Firing, reasons: string[]): BuiltEvent {
  return {
    properties: {
      trigger: firing.triggerId,
      trigger_name: firing.triggerName,
      score: snapshot.score,
      band: snapshot.band,
      reasons: [...reasons],
      contract_id: snapshot.contractId,
      next_billing_date: snapshot.nextBillingAt ? snapshot.nextBillingAt.toISOString().slice(0, 10) : null,
      monthly_value: snapshot.monthlyValue,
      skip_count: snapshot.consecutiveSkips,
      error_class: snapshot.lastFailure?.failureClass ?? null,
      error_code: snapshot.lastFailure?.errorCode ?? null,
    },
    uniqueId: firingUniqueId(firing),
    time: firing.firedAt,
  };
}

/**
 * Profile properties kept current on every evaluation (the `klaviyo_profile` play), so
 * segments in Klaviyo can use the score without waiting for an event.
 */
export function buildProfileProperties(snapshot: SubscriberSnapshot): Record<string, string | number | null> {
  return {
    lifeline_score: snapshot.score,
    lifeline_band: snapshot.band,
    lifeline_segment: snapshot.segmentKey,
    lifeline_next_billing_date: snapshot.nextBillingAt ? snapshot.nextBillingAt.toISOString().slice(0, 10) : null,
  };
}

// ---- The weekly digest: to the store owner's own Klaviyo profile, not to a subscriber.
// Kept apart from LIFELINE_METRICS, which are the metrics a trigger may send to a subscriber.

export const WEEKLY_DIGEST_METRIC = {
  name: "Lifeline: Weekly At-Risk Digest",
  description: "Weekly, to the store owner's own profile: the top of this week's at-risk list.",
  properties: ["week", "subscriber_count", "monthly_value_at_risk", "currency", "monthly_value_by_currency", "monthly_value_text", "subscribers"],
} as const satisfies MetricDefinition;

/** How many of the week's at-risk subscribers the digest lists. */
export const DIGEST_TOP = 10;

export interface DigestSubscriber {
  name: string;
  monthly_value: number;
  currency: string;
  band: string | null;
  /** The score's first reason in plain words, or null when none was recorded. */
  top_reason: string | null;
}

export interface DigestEventProperties {
  /** The week's Monday, YYYY-MM-DD (shop time). */
  week: string;
  /** Everyone on the week's list, not only those listed. */
  subscriber_count: number;
  /** In the shop's currency (`currency`); amounts in other currencies are in monthly_value_by_currency. */
  monthly_value_at_risk: number;
  currency: string;
  monthly_value_by_currency: Record<string, number>;
  /** "$983.87 · A$120.00 · €45.00": the shop's currency first. */
  monthly_value_text: string;
  /** The first DIGEST_TOP, ranked by monthly value. */
  subscribers: DigestSubscriber[];
}

/** Klaviyo's unique_id for a shop's digest of a week, and its job's key on the "digest" queue: a retry, or a second worker, cannot send two. */
export function digestUniqueId(shop: string, weekKey: string): string {
  return `digest:${shop}:${weekKey}`;
}

/** The digest of a week's list to review: `totals` by currency, `top` its first rows by monthly value. */
export function buildDigestProperties(
  week: string,
  shopCurrency: string,
  list: { count: number; totals: Record<string, number> },
  top: readonly { name: string; monthlyValue: number; currency: string; band: string | null; reasons: readonly string[] }[],
): DigestEventProperties {
  return {
    week,
    subscriber_count: list.count,
    monthly_value_at_risk: list.totals[shopCurrency] ?? 0,
    currency: shopCurrency,
    monthly_value_by_currency: list.totals,
    monthly_value_text: formatMoneyTotals(list.totals, shopCurrency),
    subscribers: top.slice(0, DIGEST_TOP).map((r) => ({ name: r.name, monthly_value: r.monthlyValue, currency: r.currency, band: r.band, top_reason: r.reasons[0] ?? null })),
  };
}
