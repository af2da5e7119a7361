/**
 * A trigger in the merchant's words: what makes it fire, for whom, and what it does.
 * Used by the playbook pages; pure, so safe in the browser bundle.
 */
import type { Lift } from "./measure";
import type { OutcomeKind } from "./outcome";
import type { Play, TriggerCondition } from "./schema";

const BAND_WORDS = { healthy: "healthy", watch: "watch", at_risk: "at risk", critical: "critical" } as const;
const FAILURE_WORDS = {
  soft_decline: "soft decline, the retry usually works",
  hard_decline: "hard decline, the card must be updated",
  inventory: "out of stock",
  other: "other reason",
} as const;

export function conditionInWords(condition: TriggerCondition): string {
  switch (condition.type) {
    case "consecutive_skips_at_least":
      return `Skipped ${condition.n} or more deliveries in a row`;
    case "payment_failed":
      return condition.failureClass ? `A payment failed (${FAILURE_WORDS[condition.failureClass]})` : "A payment failed (any reason)";
    case "card_expires_before_next_billing":
      return "The card on file expires before the next billing date";
    case "service_ticket_in_first_cycle":
      return "Opened a support ticket during the first billing cycle";
    case "contract_cancelled":
      return "Cancelled the subscription";
    case "paused_longer_than":
      return `Paused for more than ${condition.days} days`;
    case "entered_band":
      return condition.band === "critical"
        ? "Health score became critical"
        : `Health score became ${BAND_WORDS[condition.band]} or worse`;
    case "score_dropped":
      return `Health score dropped ${condition.points} or more points in 7 days`;
    case "new_before_second_delivery":
      return condition.minTenureDays > 0
        ? `New subscriber, ${condition.minTenureDays} days in and before the second delivery`
        : "New subscriber, before the second delivery";
    case "loyal_with_upgrades":
      return `Subscribed ${condition.minTenureDays}+ days with ${condition.minUpgrades}+ upgrade${condition.minUpgrades === 1 ? "" : "s"} in the last 90 days`;
  }
}

const TENURE_WORDS: Record<string, string> = { new: "New", established: "Established" };
const VALUE_WORDS: Record<string, string> = { high: "high value", low: "low value" };

/** "Every subscriber", "New, high value", "Established, any value"; unusual patterns as written. */
export function segmentsInWords(segments: readonly string[] | undefined): string {
  if (!segments || segments.length === 0) return "Every subscriber";
  return segments
    .map((pattern) => {
      const [tenure, value, ...rest] = pattern.split(":");
      if (rest.length > 0 || value === undefined) return pattern === "*" ? "Every subscriber" : pattern;
      const t = tenure === "*" ? null : TENURE_WORDS[tenure];
      const v = value === "*" ? null : VALUE_WORDS[value];
      if ((tenure !== "*" && !t) || (value !== "*" && !v)) return pattern;
      if (!t && !v) return "Every subscriber";
      if (!t) return `Any tenure, ${v}`;
      return v ? `${t}, ${v}` : `${t}, any value`;
    })
    .join(" or ");
}

export function playInWords(play: Play): string {
  switch (play.kind) {
    case "klaviyo_event":
      return `Klaviyo event "${play.metric}"`;
    case "klaviyo_profile":
      return "Update Klaviyo profile properties";
    case "task":
      return `Task: ${play.suggestedAction}`;
  }
}

export const PRIORITY_LABELS = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" } as const;

/** "4 hours", "3 days", "1 week": SLAs are set in hours but read better rounded up to days. */
export function slaInWords(hours: number): string {
  if (hours % 168 === 0) return hours === 168 ? "1 week" : `${hours / 168} weeks`;
  if (hours % 24 === 0) return hours === 24 ? "1 day" : `${hours / 24} days`;
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

/** How soon a trigger's task is due: "Due within 2 days". */
export function dueInWords(slaHours: number): string {
  return `Due within ${slaInWords(slaHours)}`;
}

export interface LiftInWords {
  /** "Cancelled 4 points less often than the held-out group" */
  headline: string;
  /** The two groups' rates behind it, and whether the difference is more than chance. */
  detail: string;
  /** Whether the 95% interval leaves zero out: better, worse, or not yet told apart. */
  verdict: "better" | "worse" | "unclear" | "too_few";
}

const pct = (share: number) => `${Math.round(share * 100)}%`;
const points = (share: number) => {
  const n = Math.round(Math.abs(share) * 100);
  return `${n} point${n === 1 ? "" : "s"}`;
};

/**
 * Lift over the held-out group in a store owner's words. A win-back's good outcome is
 * coming back; every other trigger's is not cancelling. Lift is in percentage points
 * of the two groups' shares (0.04 = "4 points").
 */
export function liftInWords(lift: Lift, kind: OutcomeKind): LiftInWords {
  if (lift.kind === "insufficient_sample") {
    return {
      headline: "Not enough outcomes yet",
      detail: `${lift.treatedN} played and ${lift.holdoutN} held out have an outcome; ${lift.minPerGroup} of each are needed to compare.`,
      verdict: "too_few",
    };
  }
  const verdict = lift.lower > 0 ? "better" : lift.upper < 0 ? "worse" : "unclear";
  const sure =
    verdict === "better"
      ? "More than chance: the play helps."
      : verdict === "worse"
        ? "More than chance: the play does worse than no play."
        : "Not yet more than chance.";
  const same = Math.round(Math.abs(lift.difference) * 100) === 0;
  if (kind === "winback") {
    return {
      headline: same
        ? "Came back as often as the held-out group"
        : `Came back ${points(lift.difference)} ${lift.difference > 0 ? "more" : "less"} often than the held-out group`,
      detail: `${pct(lift.treatedRetention)} came back after the play, ${pct(lift.holdoutRetention)} of those held out (${lift.treatedN} and ${lift.holdoutN} outcomes). ${sure}`,
      verdict,
    };
  }
  return {
    headline: same
      ? "Cancelled as often as the held-out group"
      : `Cancelled ${points(lift.difference)} ${lift.difference > 0 ? "less" : "more"} often than the held-out group`,
    detail: `${pct(1 - lift.treatedRetention)} cancelled after the play, ${pct(1 - lift.holdoutRetention)} of those held out (${lift.treatedN} and ${lift.holdoutN} outcomes). ${sure}`,
    verdict,
  };
}
