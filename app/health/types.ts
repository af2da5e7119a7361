/**
 * Shapes shared by the health-scoring core. Everything here is plain data so a
 * result can be stored, sent to the browser or compared in a backtest as is.
 */

/**
 * Every feature the score looks at. Risk signals subtract points, positive
 * signals add them (see SIGNALS in config.ts for the direction of each).
 */
export const SIGNAL_NAMES = [
  "consecutiveSkips",
  "skipRate",
  "paused",
  "hardDecline",
  "softDecline",
  "otherFailure",
  "downgrade",
  "tenure",
  "cardExpiring",
  "tickets",
  "firstCycleTicket",
  "ordersInARow",
  "upgrade",
  "unskip",
] as const;

export type SignalName = (typeof SIGNAL_NAMES)[number];

export type SignalValues = Record<SignalName, number>;

/** What we know about a subscriber beyond the event timeline, as of `now`. */
export interface SubscriberFacts {
  /** Start of tenure. */
  firstSubscribedAt: Date;
  /** Sum of the active contracts' monthly value, in the shop currency. */
  monthlyValue: number;
  nextBillingAt: Date | null;
  /** The card currently on file; null when unknown or not a card. */
  cardExpiry: { month: number; year: number } | null;
  /** Typical cycle length in days (7, 14, 30...). */
  billingIntervalDays: number | null;
  /** ISO 4217 code used in explanations; defaults to "USD". */
  currency?: string;
  /** IANA zone used for calendar dates in explanations; defaults to "UTC". */
  timeZone?: string;
}

export type Band = "healthy" | "watch" | "at_risk" | "critical";

export type TenureSegment = "new" | "established";
export type ValueSegment = "high" | "low";

export interface Segment {
  tenure: TenureSegment;
  value: ValueSegment;
  /** "new:high", "established:low", ... */
  key: string;
}

/** A factor is a signal, or the terminal "cancelled" state which overrides all signals. */
export type FactorName = SignalName | "cancelled";

export interface HealthFactor {
  signal: FactorName;
  /** Negative = adds risk, positive = helps. */
  points: number;
  /** This factor's part of the total absolute points, 0..1. */
  share: number;
  /** Plain words a merchant understands. */
  text: string;
}

export interface HealthResult {
  /** Integer 0..100, 100 = healthy. */
  score: number;
  band: Band;
  segment: Segment;
  /** Sorted by |points| descending: top contributors first. */
  factors: HealthFactor[];
  /** Raw (decayed) feature values; used by validation and weight fitting. */
  signals: SignalValues;
  /** When every contract had ended; such subscribers score 0 / critical. */
  cancelledAt: Date | null;
}
