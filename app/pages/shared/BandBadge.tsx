import { Badge } from "@shopify/polaris";

export type BandName = "healthy" | "watch" | "at_risk" | "critical";

export const BAND_LABELS: Record<BandName, string> = {
  healthy: "Healthy",
  watch: "Watch",
  at_risk: "At risk",
  critical: "Critical",
};

const TONES = { healthy: "success", watch: "attention", at_risk: "warning", critical: "critical" } as const;

export const BAND_ORDER: BandName[] = ["healthy", "watch", "at_risk", "critical"];

/** Colours for charts: the same families as the badges. */
export const BAND_COLORS: Record<BandName, string> = {
  healthy: "#29845a",
  watch: "#b28400",
  at_risk: "#e5781b",
  critical: "#c70a24",
};

export function bandLabel(band: string | null | undefined): string {
  return band && band in BAND_LABELS ? BAND_LABELS[band as BandName] : "Not scored yet";
}

export function BandBadge({ band }: { band: string | null | undefined }) {
  if (!band || !(band in TONES)) return <Badge>Not scored yet</Badge>;
  return <Badge tone={TONES[band as BandName]}>{BAND_LABELS[band as BandName]}</Badge>;
}
