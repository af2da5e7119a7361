/**
 * Health configuration: how many points each signal is worth, how fast signals
 * fade, where the bands start, and per-segment overrides. The defaults are meant
 * to be sensible for a store that never opened the settings page.
 */
import { z } from "zod";
import { SIGNAL_NAMES, type SignalName } from "./types";
import { DEFAULT_CYCLE_DAYS } from "../domain/fold";

export type Direction = "risk" | "positive";

/**
 * Direction is fixed per signal rather than carried by the sign of a weight, so
 * a merchant editing weights can only say "how much", never flip a signal's
 * meaning by accident.
 */
/** Whether each signal takes points off (a risk) or adds them; what each means is in settings-form.ts (SIGNAL_HELP). */
export const SIGNALS: Record<SignalName, { direction: Direction }> = {
  consecutiveSkips: { direction: "risk" },
  skipRate: { direction: "risk" },
  paused: { direction: "risk" },
  hardDecline: { direction: "risk" },
  softDecline: { direction: "risk" },
  otherFailure: { direction: "risk" },
  downgrade: { direction: "risk" },
  tenure: { direction: "risk" },
  cardExpiring: { direction: "risk" },
  tickets: { direction: "risk" },
  firstCycleTicket: { direction: "risk" },
  ordersInARow: { direction: "positive" },
  upgrade: { direction: "positive" },
  unskip: { direction: "positive" },
};

export type Weights = Record<SignalName, number>;

export interface BandThresholds {
  /** score >= healthy -> healthy */
  healthy: number;
  /** score >= watch -> watch */
  watch: number;
  /** score >= atRisk -> at_risk, below -> critical */
  atRisk: number;
}

export interface SegmentOverride {
  weights?: Partial<Weights>;
  bands?: Partial<BandThresholds>;
}

export interface HealthConfig {
  /** Points per unit of each signal (>= 0; direction comes from SIGNALS). */
  weights: Weights;
  /** Half-life in days of each signal's events; null = does not fade. */
  halfLifeDays: Record<SignalName, number | null>;
  bands: BandThresholds;
  segments: {
    /** Subscribers with less tenure than this are "new"... */
    newMaxTenureDays: number;
    /** ...as are those with fewer completed billing cycles than this. */
    newMinCycles: number;
    /** Monthly value at or above this is "high" (shop currency). */
    highValueMonthly: number;
  };
  /**
   * Keyed "tenure:value" with "*" wildcards ("new:*", "*:high", "new:high").
   * Applied from least to most specific: "*:*", "tenure:*", "*:value", "tenure:value".
   */
  overrides: Record<string, SegmentOverride>;
  signalOptions: {
    /** Recent cycles (skips + successful orders) the skip rate looks at. */
    skipRateWindow: number;
    /** Days for the tenure baseline risk to halve. */
    tenureHalfLifeDays: number;
    /** Cycle length assumed when the subscriber's is unknown. */
    defaultBillingIntervalDays: number;
    /** Caps keep one runaway signal from owning the score. */
    maxConsecutiveSkips: number;
    maxFailuresPerClass: number;
    maxOrdersInARow: number;
    maxPauseUnits: number;
  };
}

export const defaultHealthConfig: HealthConfig = {
  weights: {
    // Calibrated against simulated stores' cancellations: a pause and a skip streak are
    // the strongest warnings a subscriber gives; see docs/BENCHMARKS.md for the check.
    consecutiveSkips: 14,
    skipRate: 15,
    paused: 25,
    hardDecline: 30,
    softDecline: 16,
    otherFailure: 6,
    downgrade: 18,
    tenure: 12,
    cardExpiring: 18,
    tickets: 4,
    firstCycleTicket: 10,
    ordersInARow: 1.5,
    upgrade: 6,
    unskip: 3,
  },
  halfLifeDays: {
    consecutiveSkips: 45,
    skipRate: 60,
    paused: null,
    hardDecline: 30,
    softDecline: 14,
    otherFailure: 14,
    downgrade: 45,
    tenure: null,
    cardExpiring: null,
    tickets: 30,
    firstCycleTicket: 45,
    ordersInARow: 60,
    upgrade: 45,
    unskip: 30,
  },
  bands: { healthy: 80, watch: 62, atRisk: 42 },
  segments: { newMaxTenureDays: 90, newMinCycles: 3, highValueMonthly: 60 },
  overrides: {
    // Early churn is the most common churn: a new subscriber's baseline risk and a
    // complaint before the first box has even settled weigh more.
    "new:*": { weights: { tenure: 18, firstCycleTicket: 15 } },
    // High-value subscribers are worth a look sooner.
    "*:high": { bands: { healthy: 85, watch: 66 } },
  },
  signalOptions: {
    skipRateWindow: 6,
    tenureHalfLifeDays: 60,
    defaultBillingIntervalDays: DEFAULT_CYCLE_DAYS,
    maxConsecutiveSkips: 4,
    maxFailuresPerClass: 3,
    maxOrdersInARow: 12,
    maxPauseUnits: 6,
  },
};

// ---------------------------------------------------------------------------
// Validation

const points = z
  .number({ invalid_type_error: "must be a number" })
  .finite("must be a finite number")
  .min(0, "must be 0 or more (the signal's direction is fixed; use 0 to ignore it)")
  .max(100, "must be 100 or less");
const threshold = z.number({ invalid_type_error: "must be a number" }).min(0, "must be 0 or more").max(100, "must be 100 or less");
const halfLife = z.number({ invalid_type_error: "must be a number of days or null" }).positive("must be more than 0 days, or null for no fading").nullable();
const positiveInt = z.number({ invalid_type_error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1");

const signalRecord = <T extends z.ZodTypeAny>(t: T) =>
  z.object(Object.fromEntries(SIGNAL_NAMES.map((s) => [s, t.optional()])) as Record<SignalName, z.ZodOptional<T>>).strict();

const bandsPartial = z
  .object({ healthy: threshold.optional(), watch: threshold.optional(), atRisk: threshold.optional() })
  .strict();

const OVERRIDE_KEY = /^(new|established|\*):(high|low|\*)$/;

/** Accepts any subset of HealthConfig; missing parts come from the defaults. */
const inputSchema = z
  .object({
    weights: signalRecord(points).optional(),
    halfLifeDays: signalRecord(halfLife).optional(),
    bands: bandsPartial.optional(),
    segments: z
      .object({
        newMaxTenureDays: z.number().min(0, "must be 0 or more").optional(),
        newMinCycles: z.number().int("must be a whole number").min(0, "must be 0 or more").optional(),
        highValueMonthly: z.number().min(0, "must be 0 or more").optional(),
      })
      .strict()
      .optional(),
    overrides: z
      .record(
        z.string().regex(OVERRIDE_KEY, 'must look like "new:high", "established:*" or "*:low"'),
        z.object({ weights: signalRecord(points).optional(), bands: bandsPartial.optional() }).strict(),
      )
      .optional(),
    signalOptions: z
      .object({
        skipRateWindow: positiveInt.optional(),
        tenureHalfLifeDays: z.number().positive("must be more than 0 days").optional(),
        defaultBillingIntervalDays: z.number().positive("must be more than 0 days").optional(),
        maxConsecutiveSkips: positiveInt.optional(),
        maxFailuresPerClass: positiveInt.optional(),
        maxOrdersInARow: positiveInt.optional(),
        maxPauseUnits: positiveInt.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type HealthConfigInput = z.input<typeof inputSchema>;

export type ParseConfigResult = { ok: true; config: HealthConfig } | { ok: false; errors: string[] };

function bandErrors(where: string, b: BandThresholds): string[] {
  const errors: string[] = [];
  if (!(b.healthy > b.watch)) errors.push(`${where}healthy threshold (${b.healthy}) must be above the watch threshold (${b.watch})`);
  if (!(b.watch > b.atRisk)) errors.push(`${where}watch threshold (${b.watch}) must be above the at-risk threshold (${b.atRisk})`);
  return errors;
}

/**
 * Validates a (possibly partial) stored config and fills the rest from the
 * defaults. Errors are sentences a settings form can show next to the field.
 */
export function parseHealthConfig(input: unknown): ParseConfigResult {
  const parsed = inputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)),
    };
  }
  const p = parsed.data;
  const d = defaultHealthConfig;
  const config: HealthConfig = {
    weights: { ...d.weights, ...stripUndefined(p.weights) },
    halfLifeDays: { ...d.halfLifeDays, ...stripUndefined(p.halfLifeDays) },
    bands: { ...d.bands, ...stripUndefined(p.bands) },
    segments: { ...d.segments, ...stripUndefined(p.segments) },
    // A stored overrides object replaces the default overrides entirely, so a
    // merchant can remove a default override by saving {}.
    overrides: p.overrides ? (p.overrides as Record<string, SegmentOverride>) : d.overrides,
    signalOptions: { ...d.signalOptions, ...stripUndefined(p.signalOptions) },
  };
  const errors = bandErrors("", config.bands);
  // Every segment's effective thresholds must be ordered too, or some score
  // would have no band.
  for (const key of SEGMENT_KEYS) {
    const b = resolveBands(config, key);
    const same = b.healthy === config.bands.healthy && b.watch === config.bands.watch && b.atRisk === config.bands.atRisk;
    if (!same) errors.push(...bandErrors(`Segment ${key}: `, b));
  }
  return errors.length ? { ok: false, errors } : { ok: true, config };
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

// ---------------------------------------------------------------------------
// Segment resolution

export const SEGMENT_KEYS = ["new:high", "new:low", "established:high", "established:low"] as const;
export type SegmentKey = (typeof SEGMENT_KEYS)[number];

/** Override keys that apply to a segment, least specific first. */
export function overrideKeysFor(segmentKey: string): string[] {
  const [tenure, value] = segmentKey.split(":");
  return ["*:*", `${tenure}:*`, `*:${value}`, segmentKey];
}

export function resolveWeights(config: HealthConfig, segmentKey: string): Weights {
  const w = { ...config.weights };
  for (const k of overrideKeysFor(segmentKey)) Object.assign(w, stripUndefined(config.overrides[k]?.weights));
  return w;
}

export function resolveBands(config: HealthConfig, segmentKey: string): BandThresholds {
  const b = { ...config.bands };
  for (const k of overrideKeysFor(segmentKey)) Object.assign(b, stripUndefined(config.overrides[k]?.bands));
  return b;
}

export interface ResolvedSegmentConfig {
  weights: Weights;
  bands: BandThresholds;
}

// Scoring 100k subscribers with one config must not resolve overrides 100k
// times; configs are treated as immutable once scored with.
const compiled = new WeakMap<HealthConfig, Map<string, ResolvedSegmentConfig>>();
const decayCache = new WeakMap<HealthConfig, Record<SignalName, number>>();

export function resolvedFor(config: HealthConfig, segmentKey: string): ResolvedSegmentConfig {
  let bySegment = compiled.get(config);
  if (!bySegment) {
    bySegment = new Map();
    compiled.set(config, bySegment);
  }
  let r = bySegment.get(segmentKey);
  if (!r) {
    r = { weights: resolveWeights(config, segmentKey), bands: resolveBands(config, segmentKey) };
    bySegment.set(segmentKey, r);
  }
  return r;
}

/** Decay rate per day (ln 2 / half-life) of each signal; 0 for signals that do not fade. */
export function decayRatesFor(config: HealthConfig): Record<SignalName, number> {
  let rates = decayCache.get(config);
  if (!rates) {
    rates = {} as Record<SignalName, number>;
    for (const s of SIGNAL_NAMES) {
      const h = config.halfLifeDays[s];
      rates[s] = h == null ? 0 : Math.LN2 / h;
    }
    decayCache.set(config, rates);
  }
  return rates;
}
