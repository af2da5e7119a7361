/** What the block shows, worked out from the app's answer. Plain functions, no UI. */

/** The app's /api/customer-health answer (app/models/customer-health.server.ts). */
export interface CustomerHealth {
  score: number | null;
  band: string | null;
  bandSince: string | null;
  scoredAt: string | null;
  reasons: { text: string; effect: "risk" | "helps" }[];
  /** Their place on this week's at-risk list: a tab of the list, "cancelled", or null when not on it. */
  thisWeek: "review" | "snoozed" | "dismissed" | "recovered" | "cancelled" | null;
  subscriberPath: string;
}

export type BadgeTone = "success" | "caution" | "warning" | "critical" | "neutral";

const BANDS: Record<string, { label: string; tone: BadgeTone }> = {
  healthy: { label: "Healthy", tone: "success" },
  watch: { label: "Watch", tone: "caution" },
  at_risk: { label: "At risk", tone: "warning" },
  critical: { label: "Critical", tone: "critical" },
};

export function bandBadge(band: string | null, thisWeek: CustomerHealth["thisWeek"] = null): { label: string; tone: BadgeTone } {
  // Someone who cancelled is counted as cancelled, never as critical.
  if (thisWeek === "cancelled") return { label: "Cancelled", tone: "neutral" };
  if (!band) return { label: "Not scored yet", tone: "neutral" };
  return BANDS[band] ?? { label: band, tone: "neutral" };
}

/** One line on this week's at-risk list, as the app's list counts them; null when they are not on it. */
export function weekLine(thisWeek: CustomerHealth["thisWeek"]): string | null {
  if (thisWeek === "review" || thisWeek === "snoozed" || thisWeek === "dismissed") return "On this week's at-risk list";
  if (thisWeek === "recovered") return "Became at risk this week, recovered since";
  return null;
}

/** "gid://shopify/Customer/123" → "123"; null for anything else. */
export function customerIdFrom(gid: string | undefined): string | null {
  const match = gid ? /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(gid) : null;
  return match ? match[1] : null;
}

/** The app's own page for the subscriber, as a link from the admin into the embedded app. */
export function appLink(subscriberPath: string): string {
  return `app:${subscriberPath}`;
}

export type Loaded =
  | { state: "loading" }
  | { state: "not_subscriber" }
  | { state: "error"; message: string }
  | { state: "ready"; health: CustomerHealth };

/** Reads the app's answer: 404 means the customer has no subscription the app knows of. */
export async function readHealth(response: Response): Promise<Loaded> {
  if (response.status === 404) return { state: "not_subscriber" };
  if (!response.ok) return { state: "error", message: `Lifeline could not load this customer's health (${response.status}).` };
  return { state: "ready", health: (await response.json()) as CustomerHealth };
}
