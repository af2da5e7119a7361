/**
 * From a scored subscriber to the snapshot triggers are evaluated against. The health
 * score's signals fade with time, but trigger conditions speak in plain counts ("two
 * skips in a row", "paused 30 days"), so the counts are read from the timeline here,
 * in one forward pass, and only score, band and segment come from the health result.
 * Pure: events after `now` are ignored, which keeps dry runs free of look-ahead.
 */
import { classifyFailure, normaliseErrorCode } from "../domain/failure-class";
import type { FailureClass, TimelineEvent } from "../domain/timeline";
import type { HealthResult, SubscriberFacts } from "../health/types";
import type { SubscriberSnapshot } from "./types";

const DAY_MS = 86_400_000;
const UPGRADE_WINDOW_DAYS = 90;
/** The cycle length assumed when the subscriber's is unknown (as the health score assumes). */
const DEFAULT_CYCLE_DAYS = 30;

export interface SnapshotInput {
  subscriberId: string;
  timeline: readonly TimelineEvent[];
  facts: SubscriberFacts;
  result: HealthResult;
  scoreSevenDaysAgo: number | null;
  now: Date;
}

interface OpenFailure {
  at: number;
  contract: string | null;
  failureClass: FailureClass;
  errorCode: string | null;
}

export function snapshotOf(input: SnapshotInput): SubscriberSnapshot {
  const { facts, result, now } = input;
  const nowMs = now.getTime();
  const firstMs = facts.firstSubscribedAt.getTime();
  const cycleMs = (facts.billingIntervalDays ?? DEFAULT_CYCLE_DAYS) * DAY_MS;
  const events = [...input.timeline].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());

  const contracts = new Map<string, { status: string; at: number }>();
  let failures: OpenFailure[] = [];
  let skips = 0;
  let orders = 0;
  let billings = 0;
  let upgrades = 0;
  let ticketInFirstCycle = false;

  for (const e of events) {
    const at = e.occurredAt.getTime();
    if (at > nowMs) break;
    const key = e.contractId ?? "";
    switch (e.type) {
      case "contract.created":
      case "contract.activated":
      case "contract.resumed":
        contracts.set(key, { status: "active", at });
        break;
      case "contract.paused":
        // A repeated pause webhook must not restart the pause clock.
        if (contracts.get(key)?.status !== "paused") contracts.set(key, { status: "paused", at });
        break;
      case "contract.cancelled":
      case "contract.expired":
      case "contract.failed":
        contracts.set(key, { status: e.type.slice("contract.".length), at });
        break;
      case "contract.edited": {
        const { fromMonthlyValue: from, toMonthlyValue: to } = e.data;
        if (from != null && to != null && to > from && nowMs - at <= UPGRADE_WINDOW_DAYS * DAY_MS) upgrades++;
        break;
      }
      case "cycle.skipped":
        skips++;
        break;
      case "cycle.unskipped":
        // Taking back one skip shortens the streak by one; it does not erase the others.
        skips = Math.max(0, skips - 1);
        break;
      case "billing.succeeded":
        skips = 0;
        orders++;
        billings++;
        // A charge on the contract settles its earlier failures; one we cannot tie to a
        // contract settles them all.
        failures = failures.filter((f) => key !== "" && f.contract !== null && f.contract !== key);
        break;
      case "billing.failed":
      case "billing.challenged": {
        if (e.type === "billing.failed") orders = 0;
        const errorCode = normaliseErrorCode(e.data.errorCode);
        // A 3-D Secure challenge is recoverable by the subscriber without a new card.
        const failureClass: FailureClass =
          e.type === "billing.challenged" ? "soft_decline" : (e.data.failureClass ?? classifyFailure(errorCode));
        failures.push({ at, contract: e.contractId, failureClass, errorCode });
        break;
      }
      case "ticket.opened":
        if (at - firstMs < cycleMs) ticketInFirstCycle = true;
        break;
      default:
        break;
    }
  }

  const last = failures.at(-1);
  return {
    subscriberId: input.subscriberId,
    contractId: currentContract(events, contracts, nowMs),
    segmentKey: result.segment.key,
    tenureDays: Math.max(0, Math.floor((nowMs - firstMs) / DAY_MS)),
    cycleIndex: billings + 1,
    score: result.score,
    band: result.band,
    scoreSevenDaysAgo: input.scoreSevenDaysAgo,
    consecutiveSkips: skips,
    pausedDays: pausedDays(contracts, nowMs),
    lastFailure: last ? { failureClass: last.failureClass, errorCode: last.errorCode, at: new Date(last.at) } : null,
    cardExpiresBeforeNextBilling: cardExpiresBeforeNextBilling(facts, nowMs),
    ticketInFirstCycle,
    cancelled: result.cancelledAt ? { at: result.cancelledAt } : null,
    upgradesLast90Days: upgrades,
    ordersInARow: orders,
    monthlyValue: facts.monthlyValue,
    nextBillingAt: facts.nextBillingAt,
  };
}

/** The contract a message should name: the live one with the latest event, else the latest of any. */
function currentContract(events: readonly TimelineEvent[], contracts: Map<string, { status: string }>, nowMs: number): string | null {
  let latestLive: string | null = null;
  let latest: string | null = null;
  for (const e of events) {
    if (e.occurredAt.getTime() > nowMs) break;
    if (!e.contractId) continue;
    latest = e.contractId;
    const status = contracts.get(e.contractId)?.status;
    if (status === "active" || status === "paused") latestLive = e.contractId;
  }
  return latestLive ?? latest;
}

/** Whole days since the earliest pause still in force; null when nothing is paused. */
function pausedDays(contracts: Map<string, { status: string; at: number }>, nowMs: number): number | null {
  let since: number | null = null;
  for (const c of contracts.values()) {
    if (c.status === "paused" && (since === null || c.at < since)) since = c.at;
  }
  return since === null ? null : Math.max(0, Math.floor((nowMs - since) / DAY_MS));
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
