// The rule a merchant might use without a score: anyone who skipped one of their last two
// cycles, or had a payment fail or opened a ticket in the last 30 days, is at risk.
import type { ScoreAt } from "../../app/health/validation";

const DAY_MS = 86_400_000;

/** Wraps a scorer (for its segment and signals) with the rule's verdict: 0 if it fires, else 100. */
export function ruleOfThumb(scoreAt: ScoreAt): ScoreAt {
  return (timeline, facts, now) => {
    const r = scoreAt(timeline, facts, now);
    const t = now.getTime();
    const cycleMs = (facts.billingIntervalDays ?? 30) * DAY_MS;
    const fires = timeline.some((e) => {
      const age = t - e.occurredAt.getTime();
      if (age < 0) return false;
      if (e.type === "cycle.skipped") return age <= 2 * cycleMs;
      return (e.type === "billing.failed" || e.type === "ticket.opened") && age <= 30 * DAY_MS;
    });
    return { ...r, score: fires ? 0 : 100, band: fires ? "critical" : "healthy" };
  };
}
