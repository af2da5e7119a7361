/**
 * The score settings form, as plain data: which groups of subscribers can have their own
 * bands and weights, how each field is named in the form, and how a submitted form becomes
 * a stored config (HealthConfigInput). Pure and browser-safe: the page renders from the
 * same names the server validates, so a field error lands next to its field.
 */
import { defaultHealthConfig, parseHealthConfig, type BandThresholds, type HealthConfig, type HealthConfigInput, type SegmentOverride } from "./config";
import { SIGNAL_NAMES, type SignalName } from "./types";

export const BAND_KEYS = ["healthy", "watch", "atRisk"] as const;
export type BandKey = (typeof BAND_KEYS)[number];
export const BAND_FIELD_LABELS: Record<BandKey, string> = { healthy: "Healthy from", watch: "Watch from", atRisk: "At risk from" };

/** "all" is the store-wide config; the others are override keys of HealthConfig.overrides. */
export const BASE_SCOPE = "all";
export const STANDARD_SCOPES = [BASE_SCOPE, "new:*", "established:*", "*:high", "*:low"] as const;

const TENURE_WORDS: Record<string, string> = { new: "new", established: "established" };
const VALUE_WORDS: Record<string, string> = { high: "high-value", low: "lower-value" };

export function scopeLabel(scope: string): string {
  if (scope === BASE_SCOPE || scope === "*:*") return scope === BASE_SCOPE ? "All subscribers" : "Every segment";
  const [tenure, value] = scope.split(":");
  const words = [value !== "*" ? VALUE_WORDS[value] : null, tenure !== "*" ? TENURE_WORDS[tenure] : null].filter(Boolean).join(", ");
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} subscribers`;
}

/** The scopes a page shows: the standard ones plus any other override the stored config has. */
export function scopesOf(config: Pick<HealthConfig, "overrides">): string[] {
  const extra = Object.keys(config.overrides).filter((k) => !(STANDARD_SCOPES as readonly string[]).includes(k)).sort();
  return [...STANDARD_SCOPES, ...extra];
}

export const fieldName = (scope: string, part: "bands" | "weights", key: string) => `${scope}|${part}.${key}`;
export const SEGMENT_FIELDS = ["newMaxTenureDays", "newMinCycles", "highValueMonthly"] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];
export const segmentFieldName = (key: SegmentField) => `segments.${key}`;

export const SIGNAL_LABELS: Record<SignalName, string> = {
  consecutiveSkips: "Skips in a row",
  skipRate: "Share of recent deliveries skipped",
  paused: "Paused",
  hardDecline: "Card declined (must be updated)",
  softDecline: "Payment failed (will be retried)",
  otherFailure: "Billing failed (stock, address, other)",
  downgrade: "Downgraded",
  tenure: "Still new",
  cardExpiring: "Card expires before next billing",
  tickets: "Support tickets",
  firstCycleTicket: "Support ticket in the first cycle",
  ordersInARow: "Orders in a row",
  upgrade: "Upgraded",
  unskip: "Took back a skip",
};

/**
 * What each weight means, for the store owner setting it: what the signal is, how the
 * points are counted, and why it matters. Said here only; the settings page shows it
 * under each weight.
 */
export const SIGNAL_HELP: Record<SignalName, string> = {
  consecutiveSkips:
    "Points off for each delivery skipped in a row. A run of skips is often the first sign that a subscriber is losing interest.",
  skipRate:
    "Points off for skipping on and off: the full weight when every recent delivery was skipped, part of it for some. Catches the skips a run in a row misses.",
  paused:
    "Points off while the subscription is paused, and more for every further month of pause. The longer a pause lasts, the less likely they come back.",
  hardDecline:
    "Points off for each declined card not yet replaced. The bank refused it, so the subscription stops unless they enter a new card.",
  softDecline:
    "Points off for each failed payment not yet recovered. Retries usually work, but until one does the next box is in doubt.",
  otherFailure:
    "Points off for each billing that failed for another reason (out of stock, address, other) and is not yet sorted out. The subscriber missed a box.",
  downgrade:
    "Points off each time a subscriber lowers their order to fewer items or a cheaper plan. People often cut back before they cancel.",
  tenure:
    "Points off for being new: the full weight on the first day, less the longer they stay. Most cancellations come in the first months.",
  cardExpiring:
    "Points off when the card on file expires before the next billing. Unless they update it, the next payment will fail.",
  tickets:
    "Points off for each support ticket after the first billing cycle. Repeated problems wear down a subscriber's patience.",
  firstCycleTicket:
    "Points off for each support ticket in the first billing cycle. A problem with the first order is a common reason new subscribers leave.",
  ordersInARow:
    "Points back for each order in a row that went through. A steady run of deliveries is the surest sign that someone is staying.",
  upgrade: "Points back each time a subscriber adds to their order or moves to a bigger plan. People who add rarely leave soon after.",
  unskip: "Points back each time they take back a skip. Changing their mind to get the delivery shows they still want it.",
};

export function signalHelp(signal: SignalName): string {
  return SIGNAL_HELP[signal];
}

export type ScoreFormResult = { ok: true; input: HealthConfigInput } | { ok: false; fieldErrors: Record<string, string>; formError: string | null };

const ORDER_ERROR = "Bands must go down in order: healthy above watch above at risk.";

function number(raw: string, { min, max, integer }: { min: number; max?: number; integer?: boolean }): number | string {
  const text = raw.trim();
  const value = Number(text);
  const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  if (text === "" || !Number.isFinite(value)) return `Enter a number ${range}.`;
  if (value < min || (max !== undefined && value > max)) return `Enter a number ${range}.`;
  if (integer && !Number.isInteger(value)) return "Enter a whole number.";
  return value;
}

/**
 * Applies the submitted fields to the stored config. A field that is not in the form is
 * left as stored; an empty field of a segment override removes it (the segment then uses
 * the store-wide value); a store-wide field must have a value.
 */
export function applyScoreForm(stored: HealthConfigInput | null, fields: Record<string, string>): ScoreFormResult {
  const input: HealthConfigInput = structuredClone(stored ?? {});
  const overrides: Record<string, SegmentOverride> = structuredClone((input.overrides as Record<string, SegmentOverride> | undefined) ?? defaultHealthConfig.overrides);
  const fieldErrors: Record<string, string> = {};

  for (const [name, raw] of Object.entries(fields)) {
    const segment = /^segments\.(newMaxTenureDays|newMinCycles|highValueMonthly)$/.exec(name);
    if (segment) {
      const key = segment[1] as SegmentField;
      const v = number(raw, { min: 0, integer: key === "newMinCycles" });
      if (typeof v === "string") fieldErrors[name] = v;
      else input.segments = { ...input.segments, [key]: v };
      continue;
    }
    const m = /^([^|]+)\|(bands|weights)\.(\w+)$/.exec(name);
    if (!m) continue;
    const [, scope, partName, key] = m;
    const part = partName as "bands" | "weights";
    const known = part === "bands" ? (BAND_KEYS as readonly string[]).includes(key) : (SIGNAL_NAMES as readonly string[]).includes(key);
    if (!known) continue;
    if (scope !== BASE_SCOPE && raw.trim() === "") {
      const o = overrides[scope];
      if (o?.[part]) delete (o[part] as Record<string, number>)[key];
      continue;
    }
    const v = number(raw, { min: 0, max: 100 });
    if (typeof v === "string") {
      fieldErrors[name] = v;
    } else if (scope === BASE_SCOPE) {
      if (part === "bands") input.bands = { ...input.bands, [key]: v };
      else input.weights = { ...input.weights, [key]: v };
    } else {
      const o = (overrides[scope] ??= {});
      o[part] = { ...o[part], [key]: v };
    }
  }
  // Drop overrides left with nothing in them.
  for (const [k, o] of Object.entries(overrides)) {
    for (const part of ["bands", "weights"] as const) if (o[part] && Object.keys(o[part]!).length === 0) delete o[part];
    if (!o.bands && !o.weights) delete overrides[k];
  }
  input.overrides = overrides;
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, formError: null };

  // Band order, per scope, so the error sits on the scope whose numbers are out of order.
  const base = { ...defaultHealthConfig.bands, ...input.bands } as BandThresholds;
  // A group without bands of its own shares the store-wide ones, and their error.
  for (const scope of [BASE_SCOPE, ...Object.keys(overrides).filter((k) => overrides[k].bands)]) {
    const b = scope === BASE_SCOPE ? base : { ...base, ...overrides[scope].bands };
    if (!(b.healthy > b.watch)) fieldErrors[fieldName(scope, "bands", "healthy")] = ORDER_ERROR;
    if (!(b.watch > b.atRisk)) fieldErrors[fieldName(scope, "bands", "watch")] = ORDER_ERROR;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, formError: null };

  // The last word is the config's own validation (it also checks every combined segment).
  const parsed = parseHealthConfig(input);
  if (!parsed.ok) return { ok: false, fieldErrors: {}, formError: parsed.errors.join(" ") };
  return { ok: true, input };
}
