/**
 * What signals.ts remembers besides the values: the few facts an explanation
 * needs (counts, when, which error code), gathered in the same pass.
 */
import type { FailureClass } from "../domain/timeline";
import type { SignalValues } from "./types";

export interface FailureDetail {
  /** Unresolved failures counted in this class. */
  count: number;
  /** Epoch ms of the latest one; NaN when none. */
  lastAt: number;
  lastCode: string | null;
  lastClass: FailureClass | null;
  /** softDecline only: the latest counted failure was a hard decline softened by a new card. */
  softenedHard: boolean;
  /** The latest counted failure was a billing.challenged (needs authentication). */
  challenged: boolean;
}

export interface ValueChangeDetail {
  count: number;
  lastAt: number;
  from: number;
  to: number;
}

export interface CountDetail {
  count: number;
  lastAt: number;
}

export interface SignalDetails {
  skipStreak: number;
  lastSkipAt: number;
  skipWindow: { skipped: number; cycles: number };
  /** Epoch ms the current pause began; null when not paused. */
  pausedSince: number | null;
  hard: FailureDetail;
  soft: FailureDetail;
  other: FailureDetail;
  downgrades: ValueChangeDetail;
  upgrades: ValueChangeDetail;
  /** Set only when the card expires before the next billing (or already has). */
  card: { expiresAt: number; nextBillingAt: number | null; expired: boolean } | null;
  tickets: CountDetail;
  firstCycleTickets: CountDetail;
  tenureDays: number;
  ordersStreak: number;
  lastOrderAt: number;
  unskips: CountDetail;
}

export interface ComputedSignals {
  values: SignalValues;
  details: SignalDetails;
  /** Epoch ms when the last contract ended, when every known contract has ended; else null. */
  cancelledAt: number | null;
}
