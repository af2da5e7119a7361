/**
 * Turns a subscriber's timeline (plus a few facts) into signal values as of `now`.
 *
 * One forward pass over the events, oldest first; events after `now` are
 * ignored, which is what makes backtests free of look-ahead. Each event's
 * weight fades exponentially with its age (half-life per signal, see config).
 * Alongside the values it keeps the few details the explanation needs
 * ("declined 3 days ago (insufficient funds)"), so explaining costs no second pass.
 */
import type { FailureClass, TimelineEvent } from "../domain/timeline";
import { classifyFailure, normaliseErrorCode } from "../domain/failure-class";
import { decayRatesFor, type HealthConfig } from "./config";
import type { ComputedSignals, CountDetail, FailureDetail, SignalDetails, ValueChangeDetail } from "./signal-details";
import type { SignalValues, SubscriberFacts } from "./types";

const DAY_MS = 86_400_000;

export type { ComputedSignals, CountDetail, FailureDetail, SignalDetails, ValueChangeDetail } from "./signal-details";

interface Failure {
  at: number;
  contract: string | null;
  cls: FailureClass;
  code: string | null;
  softened: boolean;
  challenged: boolean;
}

const TERMINAL = new Set(["cancelled", "expired", "failed"]);

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

function emptyFailure(): FailureDetail {
  return { count: 0, lastAt: NaN, lastCode: null, lastClass: null, softenedHard: false, challenged: false };
}

export function computeSignals(
  timeline: readonly TimelineEvent[],
  facts: SubscriberFacts,
  config: HealthConfig,
  now: Date,
): ComputedSignals {
  const nowMs = now.getTime();
  const rate = decayRatesFor(config);
  const opts = config.signalOptions;
  const events = isChronological(timeline)
    ? timeline
    : [...timeline].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const decay = (k: number, at: number) => (k === 0 ? 1 : Math.exp((-k * (nowMs - at)) / DAY_MS));

  const firstMs = facts.firstSubscribedAt.getTime();
  const cycleMs = (facts.billingIntervalDays ?? opts.defaultBillingIntervalDays) * DAY_MS;

  // Contract state: status, when it was entered (for pause length and cancel date).
  const contracts = new Map<string, { status: string; at: number }>();
  const failures: Failure[] = [];
  let skipStreak = 0;
  let lastSkipAt = NaN;
  const outcomeSkip: boolean[] = [];
  const outcomeAt: number[] = [];
  let ordersStreak = 0;
  let lastOrderAt = NaN;
  let downgradeSum = 0;
  let upgradeSum = 0;
  let ticketSum = 0;
  let firstTicketSum = 0;
  let unskipSum = 0;
  const downgrades: ValueChangeDetail = { count: 0, lastAt: NaN, from: 0, to: 0 };
  const upgrades: ValueChangeDetail = { count: 0, lastAt: NaN, from: 0, to: 0 };
  const tickets: CountDetail = { count: 0, lastAt: NaN };
  const firstCycleTickets: CountDetail = { count: 0, lastAt: NaN };
  const unskips: CountDetail = { count: 0, lastAt: NaN };

  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const at = e.occurredAt.getTime();
    if (at > nowMs) break;
    const key = e.contractId ?? "";
    switch (e.type) {
      case "contract.created":
      case "contract.activated":
      case "contract.resumed":
        contracts.set(key, { status: "active", at });
        break;
      case "contract.paused": {
        // A repeated pause webhook must not restart the pause clock.
        const prev = contracts.get(key);
        if (prev?.status !== "paused") contracts.set(key, { status: "paused", at });
        break;
      }
      case "contract.cancelled":
        contracts.set(key, { status: "cancelled", at });
        break;
      case "contract.expired":
        contracts.set(key, { status: "expired", at });
        break;
      case "contract.failed":
        contracts.set(key, { status: "failed", at });
        break;
      case "contract.edited": {
        const from = e.data.fromMonthlyValue;
        const to = e.data.toMonthlyValue;
        if (from == null || to == null || from === to) break;
        const target = to < from ? downgrades : upgrades;
        target.count++;
        target.lastAt = at;
        target.from = from;
        target.to = to;
        if (to < from) downgradeSum += decay(rate.downgrade, at);
        else upgradeSum += decay(rate.upgrade, at);
        break;
      }
      case "cycle.skipped":
        skipStreak++;
        lastSkipAt = at;
        outcomeSkip.push(true);
        outcomeAt.push(at);
        break;
      case "cycle.unskipped": {
        skipStreak = 0;
        unskips.count++;
        unskips.lastAt = at;
        unskipSum += decay(rate.unskip, at);
        // The taken-back skip no longer counts towards the skip rate.
        for (let j = outcomeSkip.length - 1; j >= 0; j--) {
          if (outcomeSkip[j]) {
            outcomeSkip.splice(j, 1);
            outcomeAt.splice(j, 1);
            break;
          }
        }
        break;
      }
      case "billing.succeeded": {
        skipStreak = 0;
        ordersStreak++;
        lastOrderAt = at;
        outcomeSkip.push(false);
        outcomeAt.push(at);
        // A successful charge on the contract recovers its earlier failures; a
        // charge we cannot tie to a contract recovers all of them.
        let w = 0;
        for (let j = 0; j < failures.length; j++) {
          const f = failures[j];
          if (key !== "" && f.contract !== null && f.contract !== key) failures[w++] = f;
        }
        failures.length = w;
        break;
      }
      case "billing.failed":
      case "billing.challenged": {
        if (e.type === "billing.failed") ordersStreak = 0;
        const code = normaliseErrorCode(e.data.errorCode);
        // A challenge (3-D Secure) is recoverable by the customer without a new card.
        const cls: FailureClass = e.type === "billing.challenged" ? "soft_decline" : (e.data.failureClass ?? classifyFailure(code));
        failures.push({ at, contract: e.contractId, cls, code, softened: false, challenged: e.type === "billing.challenged" });
        break;
      }
      case "payment_method.added":
      case "payment_method.updated":
        // A new card does not prove the next charge works, but a hard decline
        // becomes as recoverable as a soft one.
        for (let j = 0; j < failures.length; j++) if (failures[j].cls === "hard_decline") failures[j].softened = true;
        break;
      case "ticket.opened":
        if (at - firstMs < cycleMs) {
          firstCycleTickets.count++;
          firstCycleTickets.lastAt = at;
          firstTicketSum += decay(rate.firstCycleTicket, at);
        } else {
          tickets.count++;
          tickets.lastAt = at;
          ticketSum += decay(rate.tickets, at);
        }
        break;
      default:
        break;
    }
  }

  // Cancelled only when every contract we have heard of has ended.
  let cancelledAt: number | null = null;
  let pausedSince: number | null = null;
  if (contracts.size > 0) {
    let allEnded = true;
    let endedAt = -Infinity;
    for (const c of contracts.values()) {
      if (TERMINAL.has(c.status)) endedAt = Math.max(endedAt, c.at);
      else allEnded = false;
      if (c.status === "paused" && (pausedSince === null || c.at < pausedSince)) pausedSince = c.at;
    }
    if (allEnded) cancelledAt = endedAt;
  }

  // Unresolved failures by class; softened hard declines count as soft.
  const hard = emptyFailure();
  const soft = emptyFailure();
  const other = emptyFailure();
  let hardSum = 0;
  let softSum = 0;
  let otherSum = 0;
  for (let j = 0; j < failures.length; j++) {
    const f = failures[j];
    let d: FailureDetail;
    if (f.cls === "hard_decline" && !f.softened) {
      d = hard;
      hardSum += decay(rate.hardDecline, f.at);
    } else if (f.cls === "hard_decline" || f.cls === "soft_decline") {
      d = soft;
      softSum += decay(rate.softDecline, f.at);
    } else {
      d = other;
      otherSum += decay(rate.otherFailure, f.at);
    }
    d.count++;
    d.lastAt = f.at;
    d.lastCode = f.code;
    d.lastClass = f.cls;
    d.softenedHard = f.softened;
    d.challenged = f.challenged;
  }

  // Skip rate over the last N cycle outcomes, fading with the latest skip's age.
  const n = outcomeSkip.length;
  const from = Math.max(0, n - opts.skipRateWindow);
  let skipped = 0;
  let latestSkipInWindow = NaN;
  for (let j = from; j < n; j++) {
    if (outcomeSkip[j]) {
      skipped++;
      latestSkipInWindow = outcomeAt[j];
    }
  }
  const cycles = n - from;
  const skipRate = skipped === 0 ? 0 : (skipped / cycles) * decay(rate.skipRate, latestSkipInWindow);

  // Card on file expires (end of its expiry month) before the next charge.
  let card: SignalDetails["card"] = null;
  if (facts.cardExpiry) {
    const expiresAt = Date.UTC(facts.cardExpiry.year, facts.cardExpiry.month, 1); // first instant after the expiry month
    const next = facts.nextBillingAt
      ? facts.nextBillingAt.getTime()
      : facts.billingIntervalDays != null
        ? nowMs + facts.billingIntervalDays * DAY_MS
        : null;
    const expired = expiresAt <= nowMs;
    if (expired || (next !== null && expiresAt <= next)) {
      card = { expiresAt, nextBillingAt: facts.nextBillingAt ? facts.nextBillingAt.getTime() : null, expired };
    }
  }

  const tenureDays = Math.max(0, (nowMs - firstMs) / DAY_MS);
  const pauseDays = pausedSince === null ? 0 : Math.max(0, (nowMs - pausedSince) / DAY_MS);

  const values: SignalValues = {
    consecutiveSkips: skipStreak === 0 ? 0 : Math.min(skipStreak, opts.maxConsecutiveSkips) * decay(rate.consecutiveSkips, lastSkipAt),
    skipRate,
    paused: pausedSince === null ? 0 : Math.min(1 + pauseDays / 30, opts.maxPauseUnits) * decay(rate.paused, pausedSince),
    hardDecline: Math.min(hardSum, opts.maxFailuresPerClass),
    softDecline: Math.min(softSum, opts.maxFailuresPerClass),
    otherFailure: Math.min(otherSum, opts.maxFailuresPerClass),
    downgrade: downgradeSum,
    tenure: Math.pow(2, -tenureDays / opts.tenureHalfLifeDays),
    cardExpiring: card ? 1 : 0,
    tickets: ticketSum,
    firstCycleTicket: firstTicketSum,
    ordersInARow: ordersStreak === 0 ? 0 : Math.min(ordersStreak, opts.maxOrdersInARow) * decay(rate.ordersInARow, lastOrderAt),
    upgrade: upgradeSum,
    unskip: unskipSum,
  };

  return {
    values,
    details: {
      skipStreak,
      lastSkipAt,
      skipWindow: { skipped, cycles },
      pausedSince,
      hard,
      soft,
      other,
      downgrades,
      upgrades,
      card,
      tickets,
      firstCycleTickets,
      tenureDays,
      ordersStreak,
      lastOrderAt,
      unskips,
    },
    cancelledAt,
  };
}
