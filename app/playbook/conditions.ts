/**
 * What each trigger condition means against one snapshot. Conditions are level
 * predicates; the evaluator turns them into edges (false -> true) so a subscriber who
 * stays at two skips is messaged once, not on every evaluation.
 */
import type { TriggerCondition } from "./schema";
import { BAND_RANK, type SubscriberSnapshot } from "./types";

/**
 * True while the condition holds. Every condition but `contract_cancelled` is false for
 * a cancelled subscriber: a "please update your card" or "you're at risk" play makes no
 * sense after the contract ended, and the win-back trigger owns that moment.
 */
export function conditionHolds(condition: TriggerCondition, s: SubscriberSnapshot): boolean {
  if (condition.type === "contract_cancelled") return s.cancelled !== null;
  if (s.cancelled !== null) return false;

  switch (condition.type) {
    case "consecutive_skips_at_least":
      return s.consecutiveSkips >= condition.n;
    case "payment_failed":
      return (
        s.lastFailure !== null &&
        (condition.failureClass === undefined || s.lastFailure.failureClass === condition.failureClass)
      );
    case "card_expires_before_next_billing":
      return s.cardExpiresBeforeNextBilling;
    case "service_ticket_in_first_cycle":
      return s.ticketInFirstCycle;
    case "paused_longer_than":
      return s.pausedDays !== null && s.pausedDays > condition.days;
    case "entered_band":
      return BAND_RANK[s.band] >= BAND_RANK[condition.band];
    case "score_dropped":
      return s.scoreSevenDaysAgo !== null && s.scoreSevenDaysAgo - s.score >= condition.points;
    case "new_before_second_delivery":
      return s.cycleIndex < 2 && s.tenureDays >= condition.minTenureDays;
    case "loyal_with_upgrades":
      return s.tenureDays >= condition.minTenureDays && s.upgradesLast90Days >= condition.minUpgrades;
  }
}

const BAND_LABEL = { healthy: "healthy", watch: "watch", at_risk: "at risk", critical: "critical" } as const;

/** Why the condition holds, in words a merchant (and a Klaviyo email) can show. */
export function describeCondition(condition: TriggerCondition, s: SubscriberSnapshot): string[] {
  switch (condition.type) {
    case "consecutive_skips_at_least":
      return [`Skipped ${s.consecutiveSkips} deliveries in a row`];
    case "payment_failed": {
      const f = s.lastFailure;
      if (!f) return ["Payment failed"];
      const kind = f.failureClass.replace("_", " ");
      return [`Payment failed (${kind}${f.errorCode ? `: ${f.errorCode}` : ""})`];
    }
    case "card_expires_before_next_billing":
      return ["Card on file expires before the next billing date"];
    case "service_ticket_in_first_cycle":
      return ["Opened a support ticket during the first billing cycle"];
    case "contract_cancelled":
      return ["Cancelled the subscription"];
    case "paused_longer_than":
      return [`Paused for ${s.pausedDays ?? 0} days`];
    case "entered_band":
      return [`Health score ${s.score} is now ${BAND_LABEL[s.band]}`];
    case "score_dropped":
      return [`Health score dropped ${(s.scoreSevenDaysAgo ?? s.score) - s.score} points in 7 days`];
    case "new_before_second_delivery":
      return [`New subscriber (${s.tenureDays} days) before their second delivery`];
    case "loyal_with_upgrades":
      return [`Subscribed ${s.tenureDays} days with ${s.upgradesLast90Days} upgrade(s) in the last 90 days`];
  }
}
