/**
 * Shapes shared by the playbook core. The app maps its health results onto
 * `SubscriberSnapshot`; everything in app/playbook/ is pure and takes `now` as an
 * argument so that evaluation, dry runs and tests agree to the millisecond.
 */
import type { FailureClass } from "../domain/timeline";
import type { Play, Priority } from "./schema";

export type Band = "healthy" | "watch" | "at_risk" | "critical";

/** Bands in order of concern: "entered_band" means this rank or worse. */
export const BAND_RANK: Record<Band, number> = { healthy: 0, watch: 1, at_risk: 2, critical: 3 };

/**
 * One subscriber (one subscription contract) as the health stage sees it at one
 * moment.
 */
export interface SubscriberSnapshot {
  subscriberId: string;
  /** Shopify's id of the contract the news is about: the live contract with the latest event, else the latest one. */
  contractId: string | null;
  /** e.g. "new:high"; trigger segment filters match against it. */
  segmentKey: string;
  tenureDays: number;
  /** Completed billing cycles, the checkout order included: 1 means one delivery so far. */
  cycleIndex: number;
  score: number;
  band: Band;
  scoreSevenDaysAgo: number | null;
  consecutiveSkips: number;
  /** null when not paused. */
  pausedDays: number | null;
  /** The latest unresolved billing failure, if any. */
  lastFailure: { failureClass: FailureClass; errorCode: string | null; at: Date } | null;
  cardExpiresBeforeNextBilling: boolean;
  ticketInFirstCycle: boolean;
  cancelled: { at: Date } | null;
  upgradesLast90Days: number;
  ordersInARow: number;
  monthlyValue: number;
  nextBillingAt: Date | null;
}

/** A past firing of a trigger for the subscriber being evaluated (holdout ones included). */
export interface RecentFiring {
  triggerId: string;
  firedAt: Date;
}

export interface PlaybookCaps {
  /** Most firings (treated and holdout alike) one subscriber may get in any 7-day window. */
  maxPlaysPerWeek: number;
}

export type SuppressionReason = "cooldown" | "weekly_cap" | "segment";

/** A decision to run a trigger's plays for one subscriber, now. */
export interface Firing {
  triggerId: string;
  triggerName: string;
  subscriberId: string;
  firedAt: Date;
  /** In the holdout group: recorded for measurement, treatment plays withheld. */
  holdout: boolean;
  /** The plays to execute: for a holdout firing only those marked `runInHoldout`. */
  plays: Play[];
  owner: string;
  priority: Priority;
  slaHours: number;
  /** When a task created by this firing breaches its SLA. */
  dueAt: Date;
  /** When the firing's outcome (retained / cancelled ...) should be read. */
  outcomeDueAt: Date;
  /** Human-readable reasons the condition holds, e.g. "Skipped 2 deliveries in a row". */
  reasons: string[];
}

export interface EvaluationResult {
  fire: Firing[];
  suppressed: { triggerId: string; reason: SuppressionReason }[];
}
