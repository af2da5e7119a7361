/**
 * Does a play work? Per trigger: how often it fired, how often someone acted on it,
 * how often acting led to a good outcome, how often the task turned out to be a false
 * alarm, and, the number that matters, retention lift over the holdout group with a
 * 95% interval. Small groups give intervals wide enough to mislead, so below a minimum
 * sample the answer is "insufficient_sample", not a number.
 */
import { CLOSE_REASONS, type CloseReason } from "./tasks";

/** "pending": the outcome window has not closed yet; such firings stay out of rates. */
export type Outcome = "retained" | "recovered" | "cancelled" | "churned" | "pending";

const GOOD: ReadonlySet<Outcome> = new Set(["retained", "recovered"]);
const BAD: ReadonlySet<Outcome> = new Set(["cancelled", "churned"]);

export interface FiringRecord {
  triggerId: string;
  holdout: boolean;
  /** Acted on, as actedOn() decides; absent = not yet. */
  actedOn?: boolean;
  outcome?: Outcome | null;
  /** When the outcome window closes (read for pending firings: when the first outcome comes). */
  outcomeDueAt?: Date | null;
  /** The reason code the task was closed with, for triggers that create tasks. */
  closeReason?: CloseReason | null;
}

/** Close reasons that mean a person worked the task. A false alarm, or a task closed for them, is not acting. */
const WORKED: ReadonlySet<string> = new Set<CloseReason>(["resolved", "subscriber_recovered", "could_not_reach", "churned_anyway"]);

/**
 * What "acted on" means on every page. A firing that gave the team a task is acted on
 * once someone worked it (closed it for a reason other than a false alarm); one that only
 * sends Klaviyo plays, once a play was delivered (the firing's first action).
 */
export function actedOn(firing: { task: { closeReason: string | null } | null; actionAt: Date | null }): boolean {
  if (firing.task) return firing.task.closeReason !== null && WORKED.has(firing.task.closeReason);
  return firing.actionAt !== null;
}

/** Fewest decided outcomes per group (played, held out) before a lift is claimed. */
export const MIN_OUTCOMES_PER_GROUP = 30;

export interface Proportion {
  successes: number;
  n: number;
  /** null when n is 0. */
  rate: number | null;
}

export type Lift =
  | {
      kind: "estimate";
      treatedRetention: number;
      holdoutRetention: number;
      /** treated - holdout, in proportion points (0.05 = +5 points). */
      difference: number;
      lower: number;
      upper: number;
      treatedN: number;
      holdoutN: number;
    }
  | { kind: "insufficient_sample"; treatedN: number; holdoutN: number; minPerGroup: number };

export interface TriggerMeasurement {
  triggerId: string;
  firings: number;
  treatedFirings: number;
  holdoutFirings: number;
  /** Treated firings acted on / treated firings. */
  triggerToAction: Proportion;
  /** Firings (either group) whose outcome window has closed. */
  decidedOutcomes: number;
  /** When the next pending outcome window closes; null when none is pending. */
  nextOutcomeAt: Date | null;
  /** Acted-on firings with a good outcome / acted-on firings with a decided outcome. */
  actionToOutcome: Proportion;
  /** Tasks closed as false_positive / tasks closed. */
  falsePositive: Proportion;
  closeReasons: Record<CloseReason, number>;
  lift: Lift;
}

export interface MeasureOptions {
  /** Fewest decided outcomes per group before lift is reported; default MIN_OUTCOMES_PER_GROUP. */
  minSamplePerGroup?: number;
  /** Normal quantile; default 1.959964 (95%). */
  z?: number;
}

const Z95 = 1.959964;

function proportion(successes: number, n: number): Proportion {
  return { successes, n, rate: n === 0 ? null : successes / n };
}

/** Wilson score interval for successes/n. */
export function wilsonInterval(successes: number, n: number, z = Z95): { lower: number; upper: number } {
  if (n === 0) return { lower: 0, upper: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval (method 10, 1998) for p1 - p2. Chosen over the
 * textbook Wald interval because retention rates sit near 0.8-0.95, where Wald
 * undercovers badly at the sample sizes a small store has.
 */
export function newcombeDifference(
  s1: number,
  n1: number,
  s2: number,
  n2: number,
  z = Z95,
): { difference: number; lower: number; upper: number } {
  const p1 = s1 / n1;
  const p2 = s2 / n2;
  const w1 = wilsonInterval(s1, n1, z);
  const w2 = wilsonInterval(s2, n2, z);
  const d = p1 - p2;
  return {
    difference: d,
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}

function isDecided(r: FiringRecord): boolean {
  return r.outcome != null && (GOOD.has(r.outcome) || BAD.has(r.outcome));
}

function emptyReasons(): Record<CloseReason, number> {
  return Object.fromEntries(CLOSE_REASONS.map((r) => [r, 0])) as Record<CloseReason, number>;
}

/** Measures one trigger's firings (records of other triggers are ignored). */
export function measureTrigger(
  triggerId: string,
  records: readonly FiringRecord[],
  options: MeasureOptions = {},
): TriggerMeasurement {
  const min = options.minSamplePerGroup ?? MIN_OUTCOMES_PER_GROUP;
  const z = options.z ?? Z95;
  const mine = records.filter((r) => r.triggerId === triggerId);
  const treated = mine.filter((r) => !r.holdout);
  const held = mine.filter((r) => r.holdout);

  const acted = treated.filter((r) => r.actedOn === true);
  const actedDecided = acted.filter(isDecided);
  const closed = treated.filter((r) => r.closeReason != null);
  const closeReasons = emptyReasons();
  for (const r of closed) closeReasons[r.closeReason as CloseReason]++;

  const decided = (group: FiringRecord[]) => group.filter(isDecided);
  const good = (group: FiringRecord[]) => group.filter((r) => GOOD.has(r.outcome as Outcome)).length;
  const treatedDecided = decided(treated);
  const heldDecided = decided(held);

  let lift: Lift;
  if (treatedDecided.length < min || heldDecided.length < min) {
    lift = { kind: "insufficient_sample", treatedN: treatedDecided.length, holdoutN: heldDecided.length, minPerGroup: min };
  } else {
    const s1 = good(treatedDecided);
    const s2 = good(heldDecided);
    const diff = newcombeDifference(s1, treatedDecided.length, s2, heldDecided.length, z);
    lift = {
      kind: "estimate",
      treatedRetention: s1 / treatedDecided.length,
      holdoutRetention: s2 / heldDecided.length,
      ...diff,
      treatedN: treatedDecided.length,
      holdoutN: heldDecided.length,
    };
  }

  let nextOutcome = Infinity;
  for (const r of mine) if (!isDecided(r) && r.outcomeDueAt) nextOutcome = Math.min(nextOutcome, r.outcomeDueAt.getTime());

  return {
    triggerId,
    firings: mine.length,
    treatedFirings: treated.length,
    holdoutFirings: held.length,
    triggerToAction: proportion(acted.length, treated.length),
    decidedOutcomes: treatedDecided.length + heldDecided.length,
    nextOutcomeAt: Number.isFinite(nextOutcome) ? new Date(nextOutcome) : null,
    actionToOutcome: proportion(good(actedDecided), actedDecided.length),
    falsePositive: proportion(closeReasons.false_positive, closed.length),
    closeReasons,
    lift,
  };
}

/** Measures every trigger that appears in the records, ordered by trigger id. */
export function measurePlaybook(records: readonly FiringRecord[], options: MeasureOptions = {}): TriggerMeasurement[] {
  const ids = [...new Set(records.map((r) => r.triggerId))].sort();
  return ids.map((id) => measureTrigger(id, records, options));
}
