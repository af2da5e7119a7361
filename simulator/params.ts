/**
 * The demo store's churn model: every behavioural parameter, with the reasoning behind it.
 * Other stores draw their own (profiles.ts); the functions that read them are in behaviour.ts.
 *
 * Shape, from what DTC subscription stores report:
 * - an onboarding wave: many subscribers leave in months 1-3, before the habit (or the
 *   outcome they bought for) forms;
 * - a quiet stretch in months 4-5 among those who stayed;
 * - a slower, rising experience wave after month 6 (boredom, over-supply, price).
 * Each subscriber carries a latent risk, so churn is predictable from their signals
 * (skips, downgrades, tickets, pauses) without being certain.
 */
import type { BillingInterval, ChurnCause } from "./types";

export const PARAMS = {
  /** Signup density over the window falls linearly from 1.5 to 0.5: earlier cohorts are bigger, giving tenure spread. */
  signupEarlyWeight: 1.5,
  plans: [
    [{ interval: "week", intervalCount: 1 }, 0.15],
    [{ interval: "week", intervalCount: 2 }, 0.25],
    [{ interval: "month", intervalCount: 1 }, 0.6],
  ] as [{ interval: BillingInterval; intervalCount: number }, number][],
  lineCounts: [[1, 0.6], [2, 0.3], [3, 0.1]] as [number, number][],
  /** Contracts presented in a currency other than the shop's. */
  foreignCurrencyShare: 0.1,
  foreignCurrencies: ["CAD", "GBP", "EUR", "AUD", "USD"],
  /** Subscribers who add a second subscription some weeks later. */
  secondContractShare: 0.08,
  secondContractDelayDays: [14, 200] as [number, number],
  /** When the first contract is cancelled, the second usually goes with it. */
  secondFollowsCancelShare: 0.7,
  /** Fixed-term (prepaid / gift) plans that expire after max_cycles. */
  fixedTermShare: 0.02,
  fixedTermCycles: [3, 6] as [number, number],
  /** Contracts whose selling plan sets min_cycles (Shopify sends null otherwise). */
  minCyclesShare: 0.3,

  /** Monthly voluntary-cancel hazard by tenure month (index 0 = month 1), for an average subscriber. */
  hazardByTenureMonth: [0.11, 0.095, 0.08, 0.027, 0.027, 0.037, 0.05, 0.058, 0.066, 0.074, 0.08, 0.085],
  /** Latent risk is lognormal with this sigma (mean 1): high enough that signals matter, low enough to keep the waves. */
  latentRiskSigma: 0.6,

  /** Service tickets in cycle 1 ("Box arrived damaged") raise cancel risk for a while. */
  ticketShare: 0.06,
  ticketMultiplier: 2.6,
  ticketMultiplierMonths: 3,
  ticketAfterMultiplier: 1.3,

  /** Why people cancel, by tenure. Early: never reached the outcome. Later: boredom, skipping, price. */
  earlyCauses: [["onboarding", 0.8], ["skip_fatigue", 0.1], ["price", 0.1]] as [ChurnCause, number][],
  lateCauses: [["experience", 0.5], ["skip_fatigue", 0.3], ["price", 0.2]] as [ChurnCause, number][],
  earlyCauseMonths: 3,

  /** Skips before a cancel: share of cancellers by cause who skip, and how many of the last cycles. */
  preCancelSkips: {
    onboarding: { share: 0.2, min: 1, max: 1 },
    experience: { share: 0.45, min: 1, max: 2 },
    skip_fatigue: { share: 0.92, min: 2, max: 3 },
    price: { share: 0.2, min: 1, max: 1 },
    service_issue: { share: 0.3, min: 1, max: 2 },
    payment_failure: { share: 0, min: 0, max: 0 },
  } as Record<ChurnCause, { share: number; min: number; max: number }>,
  /** Everyone skips now and then; some loyal subscribers skip a lot and still stay. */
  casualSkipRate: 0.03,
  habitualSkipperShare: 0.08,
  habitualSkipRate: 0.18,
  /** Share of skips undone before the billing date. */
  unskipShare: 0.15,

  /** Pauses: loyal ones end in a resume; some cancellers pause first and cancel while paused. */
  loyalPauseShare: 0.06,
  pauseBeforeCancelShare: 0.15,
  pauseDays: [21, 70] as [number, number],
  /** Loyal pauses that are never resumed: the subscriber stays paused, neither billed nor cancelled. */
  openPauseShare: 0,

  /** Edits: cancellers for price usually downgrade first; happy subscribers sometimes upgrade. */
  priceDowngradeShare: 0.75,
  loyalDowngradeShare: 0.03,
  upgradeShare: 0.08,
  /** Edits that change nothing priced (address, delivery day): update webhook, no value change. */
  cosmeticEditShare: 0.05,

  /** Chance per monthly-equivalent billing; scaled by cycle length so weekly plans aren't punished 4x. */
  softDeclinePerMonth: 0.022,
  hardDeclinePerMonth: 0.0025,
  inventoryPerMonth: 0.004,
  nullCodePerMonth: 0.0015,
  unknownCodePerMonth: 0.001,
  challengedPerMonth: 0.003,
  softCodes: [["INSUFFICIENT_FUNDS", 0.6], ["PAYMENT_METHOD_DECLINED", 0.4]] as [string, number][],
  hardCodes: [["INVALID_PAYMENT_METHOD", 0.6], ["CARD_NUMBER_INCORRECT", 0.4]] as [string, number][],
  /** Some apps/gateways send codes lower-case (the reference app does). */
  lowerCaseCodeShare: 0.25,
  /** Dunning: attempts in total (first + retries) before the contract fails. */
  dunningAttempts: 3,
  /** Retry success for soft declines: 1 - 0.5^2 = 75% recover within dunning. */
  softRetrySuccess: 0.5,
  inventoryRetrySuccess: 0.7,
  otherRetrySuccess: 0.6,
  /** Hard declines recover only if the subscriber fixes their card (~35-40% of hard-decline episodes end recovered). */
  hardActShare: 0.37,
  challengeCompletesShare: 0.85,
  /** Billing-attempt payloads sometimes carry id null (Shopify's own samples do). */
  nullAttemptIdShare: 0.5,

  /** Card expiry 1-60 months after signup; a share update their card before it lapses. */
  cardExpiryMonths: [1, 60] as [number, number],
  timelyCardUpdateShare: 0.58,

  /** Voluntary cancels with no warning at all: no skips, pause or downgrade before them. */
  silentCancelShare: 0,
  /** Subscribers who skip often (travel, seasons) and rarely leave: their latent risk is scaled down. */
  vacationSkipperShare: 0,
  vacationSkipRate: 0.4,
  vacationRiskMultiplier: 0.25,

  /** Subscribers when the caller doesn't say how many. */
  storeSize: 2000,
};

/** Every behavioural parameter of one store; PARAMS is the demo store's. */
export type ChurnProfile = typeof PARAMS;
