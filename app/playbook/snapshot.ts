/**
 * From a scored subscriber to the snapshot triggers are evaluated against. The health
 * score's signals fade with time, but trigger conditions speak in plain counts ("two
 * skips in a row", "paused 30 days"), so the counts are read from the timeline here,
 * from the one fold of the timeline (domain/fold.ts), and only score, band and segment
 * come from the health result.
 * Pure: events after `now` are ignored, which keeps dry runs free of look-ahead.
 */
import { foldTimeline, type SubscriberState } from "../domain/fold";
import type { TimelineEvent } from "../domain/timeline";
import type { HealthResult, SubscriberFacts } from "../health/types";
import type { SubscriberSnapshot } from "./types";

const DAY_MS = 86_400_000;
const UPGRADE_WINDOW_DAYS = 90;

export interface SnapshotInput {
  subscriberId: string;
  timeline: readonly TimelineEvent[];
  facts: SubscriberFacts;
  result: HealthResult;
  scoreSevenDaysAgo: number | null;
  now: Date;
}

export function snapshotOf(input: SnapshotInput): SubscriberSnapshot {
  const state = foldTimeline(input.timeline, input.now, { firstSubscribedAt: input.facts.firstSubscribedAt, cycleDays: input.facts.billingIntervalDays });
  return snapshotFromState(state, input);
}

/** The snapshot of a folded timeline (see domain/fold.ts): the counts triggers speak in. */
export function snapshotFromState(state: SubscriberState, input: Omit<SnapshotInput, "timeline">): SubscriberSnapshot {
  const { facts, result, now } = input;
  const nowMs = now.getTime();
  const firstMs = facts.firstSubscribedAt.getTime();
  const last = state.openFailures.at(-1);
  let upgrades = 0;
  for (const c of state.valueChanges) if (c.to > c.from && nowMs - c.at <= UPGRADE_WINDOW_DAYS * DAY_MS) upgrades++;
  return {
    subscriberId: input.subscriberId,
    contractId: state.currentContractId,
    segmentKey: result.segment.key,
    tenureDays: Math.max(0, Math.floor((nowMs - firstMs) / DAY_MS)),
    cycleIndex: state.successfulCharges + 1,
    score: result.score,
    band: result.band,
    scoreSevenDaysAgo: input.scoreSevenDaysAgo,
    consecutiveSkips: state.skipStreak,
    pausedDays: state.pausedSince === null ? null : Math.max(0, Math.floor((nowMs - state.pausedSince) / DAY_MS)),
    lastFailure: last ? { failureClass: last.failureClass, errorCode: last.errorCode, at: new Date(last.at) } : null,
    cardExpiresBeforeNextBilling: cardExpiresBeforeNextBilling(facts, nowMs),
    ticketInFirstCycle: state.tickets.some((t) => t.firstCycle),
    cancelled: result.cancelledAt ? { at: result.cancelledAt } : null,
    upgradesLast90Days: upgrades,
    ordersInARow: state.ordersInARow,
    monthlyValue: facts.monthlyValue,
    nextBillingAt: facts.nextBillingAt,
  };
}

/** The card runs out (end of its expiry month) before the next charge, or already has. */
function cardExpiresBeforeNextBilling(facts: SubscriberFacts, nowMs: number): boolean {
  if (!facts.cardExpiry) return false;
  // Months are 1-based, so this is the first instant after the expiry month.
  const expiresAt = Date.UTC(facts.cardExpiry.year, facts.cardExpiry.month, 1);
  if (expiresAt <= nowMs) return true;
  const next = facts.nextBillingAt
    ? facts.nextBillingAt.getTime()
    : facts.billingIntervalDays != null
      ? nowMs + facts.billingIntervalDays * DAY_MS
      : null;
  return next !== null && expiresAt <= next;
}

/** Snapshots are stored as JSON (HealthScore.snapshot, Firing.snapshot): dates come back as strings. */
export function snapshotFromJson(json: string | null | undefined): SubscriberSnapshot | null {
  if (!json) return null;
  const raw = JSON.parse(json) as SubscriberSnapshot & Record<string, unknown>;
  if (!raw || typeof raw !== "object" || typeof raw.subscriberId !== "string") return null;
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    ...raw,
    // Snapshots stored before contracts were named carry none.
    contractId: typeof raw.contractId === "string" ? raw.contractId : null,
    nextBillingAt: date(raw.nextBillingAt),
    lastFailure: raw.lastFailure ? { ...raw.lastFailure, at: new Date(raw.lastFailure.at as unknown as string) } : null,
    cancelled: raw.cancelled ? { at: new Date(raw.cancelled.at as unknown as string) } : null,
  };
}
