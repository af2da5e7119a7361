/**
 * The "Subscriber health band changed" Shopify Flow trigger: what Lifeline sends when a
 * subscriber's band changes. Pure. The field keys must match the [[settings.fields]] of
 * extensions/health-band-changed/shopify.extension.toml (a test reads the two side by side).
 */
import type { Band, HealthFactor } from "../health/types";

/** The trigger's handle in its shopify.extension.toml. */
export const FLOW_TRIGGER_HANDLE = "health-band-changed";

/** Flow shows these to the merchant and compares them in conditions: the app's own band names. */
export const FLOW_BAND_WORDS: Record<Band, string> = {
  healthy: "Healthy",
  watch: "Watch",
  at_risk: "At risk",
  critical: "Critical",
};

/** The custom fields' keys (Flow allows letters and spaces only). */
export const FLOW_FIELD_KEYS = ["Health score", "Band", "Previous band", "Top reason", "Monthly value"] as const;

const BAND_RANK: Record<Band, number> = { healthy: 0, watch: 1, at_risk: 2, critical: 3 };

export interface BandChange {
  /** Shopify's numeric customer id, as stored on the subscriber. */
  customerId: string;
  score: number;
  band: string;
  fromBand: string;
  /** The new score's factors, strongest first. */
  factors: readonly HealthFactor[];
  monthlyValue: number;
}

/** The outbox row's body: the mutation's variables, fixed when the change happened. */
export interface FlowTriggerJob {
  subscriberId: string;
  handle: string;
  payload: Record<string, string | number>;
}

/**
 * The payload Flow expects: `customer_id` (numeric) for the customer reference, then each
 * custom field under its key. Null when the customer id is not a Shopify numeric id.
 */
export function bandChangePayload(change: BandChange): Record<string, string | number> | null {
  if (!/^\d{1,19}$/.test(change.customerId)) return null;
  return {
    customer_id: Number(change.customerId),
    "Health score": change.score,
    Band: bandWords(change.band),
    "Previous band": bandWords(change.fromBand),
    "Top reason": topReason(change),
    "Monthly value": Math.round(change.monthlyValue * 100) / 100,
  };
}

/** One trigger per subscriber and band change: a rescore retried with the same change finds it queued. */
export function flowJobKey(shop: string, subscriberId: string, changedAt: string): string {
  return `${shop}:${subscriberId}:band_change:${changedAt}`;
}

function bandWords(band: string): string {
  return FLOW_BAND_WORDS[band as Band] ?? band;
}

/** The strongest factor pulling the way the band moved: a risk when it got worse, a strength when it got better. */
function topReason(change: BandChange): string {
  const worse = (BAND_RANK[change.band as Band] ?? 0) > (BAND_RANK[change.fromBand as Band] ?? 0);
  const pulling = change.factors.filter((f) => (worse ? f.points < 0 : f.points > 0));
  const strongest = [...pulling].sort((a, b) => Math.abs(b.points) - Math.abs(a.points))[0] ?? change.factors[0];
  return strongest?.text ?? "";
}
