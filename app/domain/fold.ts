/**
 * The one fold of a subscriber's timeline: their state as of any instant.
 *
 * Every reader of "where does this subscriber stand" (the health signals, the
 * playbook's trigger snapshot, contract status, the rescore planner) maps this state;
 * none walks the events itself. One forward pass, oldest first; events after `asOf`
 * are ignored, which is what keeps backtests and replays free of look-ahead.
 * Pure: no clock, no I/O.
 */
import { classifyFailure, normaliseErrorCode } from "./failure-class";
import type { ContractStatus, FailureClass, TimelineEvent } from "./timeline";

const DAY_MS = 86_400_000;

/** The cycle length assumed wherever a subscriber's own is unknown. */
export const DEFAULT_CYCLE_DAYS = 30;

export interface ContractState {
  status: ContractStatus;
  /** When the contract entered this status (a repeated pause keeps the first). */
  since: number;
}

export interface OpenFailure {
  at: number;
  contractId: string | null;
  failureClass: FailureClass;
  errorCode: string | null;
  /** A hard decline after which a new card was added: as recoverable as a soft one. */
  softened: boolean;
  /** A 3-D Secure challenge rather than a decline. */
  challenged: boolean;
}

export interface ValueChange {
  at: number;
  from: number;
  to: number;
}

export interface SubscriberState {
  asOf: number;
  /** By contract id ("" for events that name none). */
  contracts: Map<string, ContractState>;
  /** When the last contract ended, if every contract we know of has ended. */
  cancelledAt: number | null;
  /** The earliest pause still in force. */
  pausedSince: number | null;
  /** Skips since the last successful charge; an unskip takes back one. */
  skipStreak: number;
  lastSkipAt: number;
  /** Each cycle's outcome in order: skipped, or charged. */
  cycleOutcomes: { skipped: boolean; at: number }[];
  /** Successful charges since the last failed one. */
  ordersInARow: number;
  lastOrderAt: number;
  successfulCharges: number;
  /** Failures no later charge on their contract has settled. */
  openFailures: OpenFailure[];
  valueChanges: ValueChange[];
  tickets: { at: number; firstCycle: boolean }[];
  unskips: number[];
  /** The card from the latest payment-method event, undefined when none was seen. */
  card: { month: number; year: number } | null | undefined;
  /** The live contract with the latest event, else the latest contract of any status. */
  currentContractId: string | null;
}

export interface FoldOptions {
  /** Start of tenure: tickets within the first cycle after it are first-cycle tickets. */
  firstSubscribedAt: Date;
  /** The subscriber's cycle length in days; DEFAULT_CYCLE_DAYS when unknown. */
  cycleDays?: number | null;
}

const ENDED: ReadonlySet<ContractStatus> = new Set(["cancelled", "expired", "failed"]);

/** One rule for a resume: an activation of a contract that is paused. */
export function isResume(statusBefore: ContractStatus | null | undefined): boolean {
  return statusBefore === "paused";
}

export function isLiveStatus(status: ContractStatus | null | undefined): boolean {
  return status === "active" || status === "paused";
}

/** True when the events are already oldest first, so the common case skips a sort. */
function isChronological(events: readonly TimelineEvent[]): boolean {
  let prev = -Infinity;
  for (let i = 0; i < events.length; i++) {
    const t = events[i].occurredAt.getTime();
    if (t < prev) return false;
    prev = t;
  }
  return true;
}

export function foldTimeline(timeline: readonly TimelineEvent[], asOf: Date, options: FoldOptions): SubscriberState {
  const asOfMs = asOf.getTime();
  const firstMs = options.firstSubscribedAt.getTime();
  const cycleMs = (options.cycleDays ?? DEFAULT_CYCLE_DAYS) * DAY_MS;
  const events = isChronological(timeline) ? timeline : [...timeline].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());

  const state: SubscriberState = {
    asOf: asOfMs,
    contracts: new Map(),
    cancelledAt: null,
    pausedSince: null,
    skipStreak: 0,
    lastSkipAt: NaN,
    cycleOutcomes: [],
    ordersInARow: 0,
    lastOrderAt: NaN,
    successfulCharges: 0,
    openFailures: [],
    valueChanges: [],
    tickets: [],
    unskips: [],
    card: undefined,
    currentContractId: null,
  };
  const { contracts } = state;
  // Each contract's latest event, for naming the contract the news is about.
  const lastEventAt = new Map<string, number>();
  let latestContract: string | null = null;

  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const at = e.occurredAt.getTime();
    if (at > asOfMs) break;
    const key = e.contractId ?? "";
    switch (e.type) {
      case "contract.created":
      case "contract.activated":
      case "contract.resumed":
        if (contracts.get(key)?.status !== "active") contracts.set(key, { status: "active", since: at });
        break;
      case "contract.paused":
        // A repeated pause webhook must not restart the pause clock.
        if (contracts.get(key)?.status !== "paused") contracts.set(key, { status: "paused", since: at });
        break;
      case "contract.cancelled":
      case "contract.expired":
      case "contract.failed": {
        const status = e.type.slice("contract.".length) as ContractStatus;
        if (contracts.get(key)?.status !== status) contracts.set(key, { status, since: at });
        break;
      }
      case "contract.edited": {
        const { fromMonthlyValue: from, toMonthlyValue: to } = e.data;
        if (from != null && to != null && from !== to) state.valueChanges.push({ at, from, to });
        break;
      }
      case "cycle.skipped":
        state.skipStreak++;
        state.lastSkipAt = at;
        state.cycleOutcomes.push({ skipped: true, at });
        break;
      case "cycle.unskipped": {
        // Taking back one skip shortens the streak by one; it does not erase the others.
        state.skipStreak = Math.max(0, state.skipStreak - 1);
        state.unskips.push(at);
        for (let j = state.cycleOutcomes.length - 1; j >= 0; j--) {
          if (state.cycleOutcomes[j].skipped) {
            state.cycleOutcomes.splice(j, 1);
            break;
          }
        }
        break;
      }
      case "billing.succeeded":
        state.skipStreak = 0;
        state.ordersInARow++;
        state.lastOrderAt = at;
        state.successfulCharges++;
        state.cycleOutcomes.push({ skipped: false, at });
        // A charge on the contract settles its earlier failures; one we cannot tie to a
        // contract settles them all.
        state.openFailures = state.openFailures.filter((f) => key !== "" && f.contractId !== null && f.contractId !== key);
        break;
      case "billing.failed":
      case "billing.challenged": {
        if (e.type === "billing.failed") state.ordersInARow = 0;
        const errorCode = normaliseErrorCode(e.data.errorCode);
        const challenged = e.type === "billing.challenged";
        // A 3-D Secure challenge is recoverable by the subscriber without a new card.
        const failureClass: FailureClass = challenged ? "soft_decline" : (e.data.failureClass ?? classifyFailure(errorCode));
        state.openFailures.push({ at, contractId: e.contractId, failureClass, errorCode, softened: false, challenged });
        break;
      }
      case "payment_method.added":
      case "payment_method.updated":
        // A new card does not prove the next charge works, but a hard decline becomes
        // as recoverable as a soft one.
        for (const f of state.openFailures) if (f.failureClass === "hard_decline") f.softened = true;
        if (e.data.cardExpiryMonth != null && e.data.cardExpiryYear != null) state.card = { month: e.data.cardExpiryMonth, year: e.data.cardExpiryYear };
        break;
      case "payment_method.revoked":
        state.card = null;
        break;
      case "ticket.opened":
        state.tickets.push({ at, firstCycle: at - firstMs < cycleMs });
        break;
      default:
        break;
    }
    if (e.contractId) {
      latestContract = e.contractId;
      lastEventAt.set(e.contractId, i);
    }
  }

  // Cancelled only when every contract we have heard of has ended.
  if (contracts.size > 0) {
    let allEnded = true;
    let endedAt = -Infinity;
    for (const c of contracts.values()) {
      if (ENDED.has(c.status)) endedAt = Math.max(endedAt, c.since);
      else allEnded = false;
      if (c.status === "paused" && (state.pausedSince === null || c.since < state.pausedSince)) state.pausedSince = c.since;
    }
    if (allEnded) state.cancelledAt = endedAt;
  }
  let latestLive: string | null = null;
  let latestLiveIndex = -1;
  for (const [id, index] of lastEventAt) {
    if (index > latestLiveIndex && isLiveStatus(contracts.get(id)?.status)) {
      latestLive = id;
      latestLiveIndex = index;
    }
  }
  state.currentContractId = latestLive ?? latestContract;
  return state;
}

/** A contract's status as of the fold, null when the timeline has never named it. */
export function contractStatusOf(state: SubscriberState, contractId: string): ContractStatus | null {
  return state.contracts.get(contractId)?.status ?? null;
}

/** The subscriber's status from their contracts': active beats paused beats ended. */
export function subscriberStatusOf(state: SubscriberState): "active" | "paused" | "cancelled" | "unknown" {
  let status: "active" | "paused" | "cancelled" | "unknown" = "unknown";
  for (const [key, c] of state.contracts) {
    if (key === "") continue;
    if (c.status === "active") return "active";
    if (c.status === "paused") status = "paused";
    else if (status === "unknown") status = "cancelled";
  }
  return status;
}
