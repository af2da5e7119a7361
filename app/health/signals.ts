/**
 * Turns a subscriber's timeline (plus a few facts) into signal values as of `now`.
 *
 * One forward pass over the events, oldest first; events after `now` are
 * ignored, which is what makes backtests free of look-ahead. Each event's
 * weight fades exponentially with its age (half-life per signal, see config).
 * Alongside the values it keeps the few details the explanation needs
 * ("declined 3 days ago (insufficient funds)"), so explaining costs no second pass.
 */
import type { TimelineEvent } from "../domain/timeline";
import { foldTimeline, type SubscriberState } from "../domain/fold";
import { decayRatesFor, type HealthConfig } from "./config";
import type { ComputedSignals, CountDetail, FailureDetail, SignalDetails, ValueChangeDetail } from "./signal-details";
import type { SignalValues, SubscriberFacts } from "./types";

const DAY_MS = 86_400_000;

export type { ComputedSignals, CountDetail, FailureDetail, SignalDetails, ValueChangeDetail } from "./signal-details";

function emptyFailure(): FailureDetail {
  return { count: 0, lastAt: NaN, lastCode: null, lastClass: null, softenedHard: false, challenged: false };
}

export function computeSignals(
  timeline: readonly TimelineEvent[],
  facts: SubscriberFacts,
  config: HealthConfig,
  now: Date,
): ComputedSignals {
  const state = foldTimeline(timeline, now, {
    firstSubscribedAt: facts.firstSubscribedAt,
    cycleDays: facts.billingIntervalDays ?? config.signalOptions.defaultBillingIntervalDays,
  });
  return signalsFromState(state, facts, config, now);
}

/** The signal values of a folded timeline (see domain/fold.ts), decayed to `now`. */
export function signalsFromState(state: SubscriberState, facts: SubscriberFacts, config: HealthConfig, now: Date): ComputedSignals {
  const nowMs = now.getTime();
  const rate = decayRatesFor(config);
  const opts = config.signalOptions;
  const decay = (k: number, at: number) => (k === 0 ? 1 : Math.exp((-k * (nowMs - at)) / DAY_MS));
  const firstMs = facts.firstSubscribedAt.getTime();

  let downgradeSum = 0;
  let upgradeSum = 0;
  const downgrades: ValueChangeDetail = { count: 0, lastAt: NaN, from: 0, to: 0 };
  const upgrades: ValueChangeDetail = { count: 0, lastAt: NaN, from: 0, to: 0 };
  for (const c of state.valueChanges) {
    const target = c.to < c.from ? downgrades : upgrades;
    target.count++;
    target.lastAt = c.at;
    target.from = c.from;
    target.to = c.to;
    if (c.to < c.from) downgradeSum += decay(rate.downgrade, c.at);
    else upgradeSum += decay(rate.upgrade, c.at);
  }
  let ticketSum = 0;
  let firstTicketSum = 0;
  const tickets: CountDetail = { count: 0, lastAt: NaN };
  const firstCycleTickets: CountDetail = { count: 0, lastAt: NaN };
  for (const t of state.tickets) {
    const target = t.firstCycle ? firstCycleTickets : tickets;
    target.count++;
    target.lastAt = t.at;
    if (t.firstCycle) firstTicketSum += decay(rate.firstCycleTicket, t.at);
    else ticketSum += decay(rate.tickets, t.at);
  }
  let unskipSum = 0;
  const unskips: CountDetail = { count: state.unskips.length, lastAt: state.unskips.at(-1) ?? NaN };
  for (const at of state.unskips) unskipSum += decay(rate.unskip, at);
  const skipStreak = state.skipStreak;
  const lastSkipAt = state.lastSkipAt;
  const ordersStreak = state.ordersInARow;
  const lastOrderAt = state.lastOrderAt;
  const cancelledAt = state.cancelledAt;
  const pausedSince = state.pausedSince;

  // Unresolved failures by class; softened hard declines count as soft.
  const hard = emptyFailure();
  const soft = emptyFailure();
  const other = emptyFailure();
  let hardSum = 0;
  let softSum = 0;
  let otherSum = 0;
  for (const f of state.openFailures) {
    let d: FailureDetail;
    if (f.failureClass === "hard_decline" && !f.softened) {
      d = hard;
      hardSum += decay(rate.hardDecline, f.at);
    } else if (f.failureClass === "hard_decline" || f.failureClass === "soft_decline") {
      d = soft;
      softSum += decay(rate.softDecline, f.at);
    } else {
      d = other;
      otherSum += decay(rate.otherFailure, f.at);
    }
    d.count++;
    d.lastAt = f.at;
    d.lastCode = f.errorCode;
    d.lastClass = f.failureClass;
    d.softenedHard = f.softened;
    d.challenged = f.challenged;
  }

  // Skip rate over the last N cycle outcomes, fading with the latest skip's age.
  const outcomes = state.cycleOutcomes;
  const n = outcomes.length;
  const from = Math.max(0, n - opts.skipRateWindow);
  let skipped = 0;
  let latestSkipInWindow = NaN;
  for (let j = from; j < n; j++) {
    if (outcomes[j].skipped) {
      skipped++;
      latestSkipInWindow = outcomes[j].at;
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
