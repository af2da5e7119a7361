/**
 * Segments let a store treat a two-week-old subscriber differently from a
 * two-year one, and a $120/month subscriber differently from a $15 one.
 */
import type { HealthConfig } from "./config";
import type { Segment, SubscriberFacts, TenureSegment, ValueSegment } from "./types";

const DAY_MS = 86_400_000;

export function tenureDays(facts: SubscriberFacts, now: Date): number {
  return Math.max(0, (now.getTime() - facts.firstSubscribedAt.getTime()) / DAY_MS);
}

/**
 * New = tenure under `newMaxTenureDays`, or fewer than `newMinCycles` completed
 * cycles (a quarterly subscriber is still new after 100 days: they have had one box).
 */
export function tenureSegment(facts: SubscriberFacts, now: Date, config: HealthConfig): TenureSegment {
  const days = tenureDays(facts, now);
  if (days < config.segments.newMaxTenureDays) return "new";
  const interval = facts.billingIntervalDays;
  if (interval != null && interval > 0 && Math.floor(days / interval) < config.segments.newMinCycles) return "new";
  return "established";
}

export function valueSegment(facts: SubscriberFacts, config: HealthConfig): ValueSegment {
  return facts.monthlyValue >= config.segments.highValueMonthly ? "high" : "low";
}

// Four possible segments: share the objects instead of allocating per score.
const SEGMENTS: Record<string, Segment> = {};
for (const t of ["new", "established"] as const) {
  for (const v of ["high", "low"] as const) SEGMENTS[`${t}:${v}`] = Object.freeze({ tenure: t, value: v, key: `${t}:${v}` });
}

export function segmentOf(facts: SubscriberFacts, now: Date, config: HealthConfig): Segment {
  return SEGMENTS[`${tenureSegment(facts, now, config)}:${valueSegment(facts, config)}`];
}
