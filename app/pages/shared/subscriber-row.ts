/**
 * How a subscriber reads in any list: their name, their Shopify admin page, the top risk
 * reasons, and the play suggested by their strongest risk factor. Pure: safe anywhere.
 */
import { oneFactorPerFact } from "../../health/explain";
import type { HealthFactor } from "../../health/types";

export interface Suggestion {
  /** What to do, in a few words. */
  label: string;
  /** Why, for the merchant reading the row. */
  detail: string;
}

const SUGGESTIONS: Partial<Record<HealthFactor["signal"], Suggestion>> = {
  consecutiveSkips: { label: "Offer a frequency change", detail: "They keep skipping: offer a longer interval or a different product." },
  skipRate: { label: "Offer a frequency change", detail: "They skip often: a slower rhythm may suit them better." },
  hardDecline: { label: "Ask them to update their card", detail: "The bank refused the card; retries will not fix it." },
  softDecline: { label: "Reassure them about the payment", detail: "The retry usually works; let them know nothing is lost." },
  otherFailure: { label: "Fix the billing problem", detail: "Billing failed for a reason on the store's side (stock, address, tax)." },
  cardExpiring: { label: "Ask them to update their card", detail: "The card expires before the next billing." },
  paused: { label: "Invite them to resume", detail: "A paused subscription drifts towards cancelling; offer a reason to come back." },
  downgrade: { label: "Ask what changed", detail: "They downgraded: a better-fitting plan can keep them." },
  tickets: { label: "Follow up on their support ticket", detail: "Make sure the problem they reported is solved." },
  firstCycleTicket: { label: "Apologise and make it right", detail: "A problem in the first box: reply personally and offer a make-good." },
  tenure: { label: "Check in on their first boxes", detail: "New subscribers cancel most; make sure the first box landed well." },
  cancelled: { label: "Start the win-back", detail: "They cancelled: ask why and offer a way back." },
};

const FALLBACK: Suggestion = { label: "Reach out before the next billing", detail: "Review their timeline and get in touch." };

/** The play for a subscriber, from their strongest risk factor. */
export function suggestedPlay(factors: readonly Pick<HealthFactor, "signal" | "points">[]): Suggestion {
  const strongest = [...factors].filter((f) => f.points < 0).sort((a, b) => a.points - b.points)[0];
  return (strongest && SUGGESTIONS[strongest.signal]) || FALLBACK;
}

export function parseFactors(json: string | null | undefined): HealthFactor[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as HealthFactor[]) : [];
  } catch {
    return [];
  }
}

/** The top risk reasons, in plain words, each fact once (scores stored before facts were merged say some twice). */
export function riskReasons(factors: readonly HealthFactor[], count = 3): string[] {
  return oneFactorPerFact(factors.filter((f) => f.points < 0))
    .slice(0, count)
    .map((f) => f.text);
}

/** Shopify admin's page for a customer. */
export function customerAdminUrl(shop: string, customerId: string): string {
  return `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}/customers/${customerId}`;
}

export function displayName(s: { displayName: string | null; firstName: string | null; lastName: string | null; email: string | null }): string {
  const full = [s.firstName, s.lastName].filter(Boolean).join(" ");
  return s.displayName || full || s.email || "Unnamed subscriber";
}
