/**
 * A family of stores that churn differently: each profile draws its own mechanics
 * (what precedes a cancel and how strongly, how payments fail and recover, plan and
 * tenure mix, the hazard's shape, store size), so a score can be judged on stores it
 * was not shaped on. The demo store is defaultProfile().
 */
import { PARAMS, type ChurnProfile } from "./params";
import { Rng, mixSeed } from "./random";
import type { ChurnCause } from "./types";

export type { ChurnProfile };

const PROFILE_SALT = 0x9f0f11e;

/** The demo store's mechanics (a copy: callers may change it). */
export function defaultProfile(): ChurnProfile {
  return structuredClone(PARAMS);
}

const round = (x: number, places = 4) => Math.round(x * 10 ** places) / 10 ** places;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** A deterministic store profile for `seed`: same seed, same mechanics. */
export function drawProfile(seed: number): ChurnProfile {
  const rng = new Rng(mixSeed(seed, PROFILE_SALT));
  const u = (lo: number, hi: number) => round(rng.uniform(lo, hi));
  const p = defaultProfile();

  // Who signs up and on what plan.
  p.storeSize = rng.int(1500, 8000);
  p.signupEarlyWeight = u(0.6, 1.9);
  const weekly = u(0, 0.35);
  const biweekly = u(0, 0.35);
  p.plans = [
    [{ interval: "week", intervalCount: 1 }, weekly],
    [{ interval: "week", intervalCount: 2 }, biweekly],
    [{ interval: "month", intervalCount: 1 }, round(1 - (weekly + biweekly) / 1.4)],
  ];
  p.fixedTermShare = u(0, 0.25);
  p.fixedTermCycles = [rng.int(2, 4), rng.int(5, 12)];

  // The hazard's shape: onboarding wave, lull, experience wave, each scaled on its own.
  const early = u(0.4, 1.7);
  const lull = u(0.5, 1.6);
  const late = u(0.4, 1.8);
  p.hazardByTenureMonth = PARAMS.hazardByTenureMonth.map((h, i) => round(h * (i < 3 ? early : i < 5 ? lull : late)));
  p.latentRiskSigma = u(0.3, 0.9);
  const onboarding = u(0.3, 0.9);
  p.earlyCauses = [["onboarding", onboarding], ["skip_fatigue", round((1 - onboarding) / 2)], ["price", round((1 - onboarding) / 2)]];
  const skipFatigue = u(0.05, 0.5);
  const price = u(0.05, 0.4);
  p.lateCauses = [["experience", round(Math.max(0.05, 1 - skipFatigue - price))], ["skip_fatigue", skipFatigue], ["price", price]];

  // What precedes a cancel, and how strongly.
  const skipStrength = u(0.1, 1.3);
  for (const cause of Object.keys(p.preCancelSkips) as ChurnCause[]) {
    const rule = p.preCancelSkips[cause];
    rule.share = round(clamp(rule.share * skipStrength, 0, 0.98));
    if (rule.max > 0 && rng.chance(0.4)) rule.max += 1;
  }
  p.silentCancelShare = rng.chance(0.5) ? u(0.3, 0.75) : u(0, 0.15);
  p.pauseBeforeCancelShare = u(0, 0.4);
  p.loyalPauseShare = u(0.01, 0.15);
  p.openPauseShare = u(0, 0.5);
  p.priceDowngradeShare = u(0.2, 0.95);
  p.loyalDowngradeShare = u(0, 0.08);
  p.ticketShare = u(0.01, 0.15);
  p.ticketMultiplier = u(1.2, 4);
  p.casualSkipRate = u(0.01, 0.08);
  p.habitualSkipperShare = u(0, 0.15);
  p.vacationSkipperShare = rng.chance(0.5) ? u(0.05, 0.25) : 0;
  p.vacationSkipRate = u(0.3, 0.55);
  p.vacationRiskMultiplier = u(0.1, 0.5);

  // Payments: how often cards decline, how often that recovers, and how cards lapse.
  p.softDeclinePerMonth = u(0.005, 0.06);
  p.hardDeclinePerMonth = u(0.0005, 0.01);
  p.softRetrySuccess = u(0.25, 0.7);
  p.hardActShare = u(0.15, 0.6);
  p.cardExpiryMonths = [1, rng.int(24, 60)];
  p.timelyCardUpdateShare = u(0.3, 0.85);
  return p;
}

/**
 * Stores the score's weights, signals and parameters may be chosen on. The held-out
 * stores below are reported only: they are never used to choose weights, signals or
 * parameters, so their figures say how the score does on a store nobody tuned it for.
 */
export const TUNING_PROFILE_SEEDS: readonly number[] = [101, 102, 103, 104, 105, 106, 107, 108];
export const HELD_OUT_PROFILE_SEEDS: readonly number[] = [901, 902, 903, 904, 905, 906, 907, 908, 909, 910];
