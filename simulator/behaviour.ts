/**
 * The churn model's mechanics: signups, latent risk, and when (and why) a contract is
 * cancelled, each read from a store's ChurnProfile (params.ts holds the demo store's).
 */
import { DAY, MONTH } from "./options";
import type { ChurnProfile } from "./params";
import type { Rng } from "./random";
import type { BillingInterval, ChurnCause } from "./types";

export { PARAMS, type ChurnProfile } from "./params";

export function cycleMonths(interval: BillingInterval, intervalCount: number): number {
  return interval === "week" ? (intervalCount * 7 * DAY) / MONTH : intervalCount;
}

/** Line value per delivery scaled to a month. */
export function monthlyValue(lines: readonly { price: number; quantity: number }[], interval: BillingInterval, intervalCount: number): number {
  let perDelivery = 0;
  for (const l of lines) perDelivery += l.price * l.quantity;
  const perMonth = interval === "week" ? (perDelivery * 52) / 12 / intervalCount : perDelivery / intervalCount;
  return Math.round(perMonth * 100) / 100;
}

/** Fraction of the window at which someone signs up, from the falling linear density. */
export function signupFraction(rng: Rng, p: ChurnProfile): number {
  const a = p.signupEarlyWeight;
  const b = 2 * (a - 1); // density a - b*u integrates to 1 on [0, 1]
  const r = rng.next();
  return b === 0 ? r : (a - Math.sqrt(a * a - 2 * b * r)) / b;
}

/** A lognormal multiplier with mean 1. */
export function latentRisk(rng: Rng, p: ChurnProfile): number {
  const s = p.latentRiskSigma;
  return Math.exp(s * rng.normal() - (s * s) / 2);
}

function baseHazard(p: ChurnProfile, month: number): number {
  const h = p.hazardByTenureMonth;
  return h[Math.min(month, h.length) - 1];
}

function drawCause(rng: Rng, p: ChurnProfile, month: number): ChurnCause {
  return rng.weighted(month <= p.earlyCauseMonths ? p.earlyCauses : p.lateCauses);
}

export interface VoluntaryCancel {
  at: number;
  cause: ChurnCause;
  /** Nothing warns of it: no skips, pause or downgrade first. */
  silent?: boolean;
}

/**
 * When (if ever, before endMs) this contract would be cancelled voluntarily, and why.
 * Month by month: the tenure hazard times the subscriber's latent risk, times the
 * ticket effect while it lasts. Ticket-driven excess risk is attributed to service.
 */
export function drawVoluntaryCancel(
  rng: Rng,
  p: ChurnProfile,
  createdAt: number,
  endMs: number,
  risk: number,
  ticketAt: number | null,
): VoluntaryCancel | null {
  for (let month = 1; ; month++) {
    const from = createdAt + (month - 1) * MONTH;
    if (from >= endMs) return null;
    let mult = 1;
    if (ticketAt != null && from + MONTH > ticketAt) {
      const monthsSince = (from - ticketAt) / MONTH;
      mult = monthsSince < p.ticketMultiplierMonths ? p.ticketMultiplier : p.ticketAfterMultiplier;
    }
    const hazard = baseHazard(p, month) * risk * mult;
    if (!rng.chance(1 - Math.exp(-hazard))) continue;
    let at = from + rng.next() * MONTH;
    let cause = drawCause(rng, p, month);
    if (mult > 1 && rng.chance((mult - 1) / mult)) {
      cause = "service_issue";
      if (at <= ticketAt!) at = ticketAt! + rng.uniform(0.5, 7) * DAY;
    }
    if (at >= endMs) return null;
    // Drawn only when the profile has silent cancels, so the default store's streams are untouched.
    return p.silentCancelShare > 0 && rng.chance(p.silentCancelShare) ? { at, cause, silent: true } : { at, cause };
  }
}
