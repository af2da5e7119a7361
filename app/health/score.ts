/**
 * score(): 100 minus risk points plus positive points, clamped to 0..100.
 * Points = weight x signal value, with the weight resolved for the subscriber's
 * segment. Every score carries its explanation.
 */
import type { TimelineEvent } from "../domain/timeline";
import { SIGNALS, resolvedFor, type BandThresholds, type HealthConfig, type Weights } from "./config";
import { factorText, oneFactorPerFact, skipsText } from "./explain";
import { factsAt, factsRewinder } from "./facts-at";
import { segmentOf } from "./segments";
import { signalsFromState } from "./signals";
import { foldTimeline, type SubscriberState } from "../domain/fold";
import { SIGNAL_NAMES, type Band, type HealthFactor, type HealthResult, type SignalValues, type SubscriberFacts } from "./types";

/** +1 for signals that help, -1 for risk signals, in SIGNAL_NAMES order. */
const SIGN = SIGNAL_NAMES.map((s) => (SIGNALS[s].direction === "positive" ? 1 : -1));

/**
 * Factors worth less than half a point cannot move the rounded score on their
 * own (a one-year tenure's residual risk, a skip from last year) and are not
 * listed; shares are of the listed factors.
 */
const MIN_FACTOR_POINTS = 0.5;

export function bandFor(score: number, bands: BandThresholds): Band {
  if (score >= bands.healthy) return "healthy";
  if (score >= bands.watch) return "watch";
  if (score >= bands.atRisk) return "at_risk";
  return "critical";
}

/** Signed points of one signal: negative for risk. */
export function signalPoints(signal: (typeof SIGNAL_NAMES)[number], value: number, weights: Weights): number {
  return (SIGNALS[signal].direction === "positive" ? 1 : -1) * weights[signal] * value;
}

/**
 * The score for given signal values and weights, without explanation. Used by
 * backtests and weight fitting to re-score stored observations cheaply.
 */
export function scoreFromSignals(values: SignalValues, weights: Weights): number {
  let total = 100;
  for (let i = 0; i < SIGNAL_NAMES.length; i++) {
    const s = SIGNAL_NAMES[i];
    total += SIGN[i] * weights[s] * values[s];
  }
  return Math.min(100, Math.max(0, Math.round(total)));
}

/**
 * Scores one subscriber as of `now`. Events after `now` are ignored.
 *
 * Cancelled subscribers (every known contract cancelled, expired or failed) are
 * scored 0 / critical with a single "Cancelled on <date>" factor, so lists that
 * include them sort them last and say why; their signals are still returned.
 */
export function score(
  timeline: readonly TimelineEvent[],
  facts: SubscriberFacts,
  config: HealthConfig,
  now: Date,
): HealthResult {
  return scoreState(foldFor(timeline, facts, config, now), facts, config, now);
}

function foldFor(timeline: readonly TimelineEvent[], facts: SubscriberFacts, config: HealthConfig, now: Date): SubscriberState {
  return foldTimeline(timeline, now, { firstSubscribedAt: facts.firstSubscribedAt, cycleDays: facts.billingIntervalDays ?? config.signalOptions.defaultBillingIntervalDays });
}

/** score() of an already folded timeline (domain/fold.ts): for walks that look at many instants between the same events. */
export function scoreState(state: SubscriberState, facts: SubscriberFacts, config: HealthConfig, now: Date, explain = true): HealthResult {
  const nowMs = now.getTime();
  const { values, details, cancelledAt } = signalsFromState(state, facts, config, now);
  const segment = segmentOf(facts, now, config);
  const { weights, bands } = resolvedFor(config, segment.key);

  if (cancelledAt !== null) {
    return {
      score: 0,
      band: "critical",
      segment,
      factors: explain ? [{ signal: "cancelled", points: -100, share: 1, text: factorText("cancelled", details, facts, nowMs, cancelledAt) }] : [],
      signals: values,
      cancelledAt: new Date(cancelledAt),
    };
  }

  let total = 100;
  let absTotal = 0;
  const factors: HealthFactor[] = [];
  for (let i = 0; i < SIGNAL_NAMES.length; i++) {
    const s = SIGNAL_NAMES[i];
    const v = values[s];
    if (v === 0) continue;
    const points = SIGN[i] * weights[s] * v;
    total += points;
    if (!explain || Math.abs(points) < MIN_FACTOR_POINTS) continue;
    absTotal += Math.abs(points);
    factors.push({ signal: s, points, share: 0, text: "" });
  }
  factors.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  for (const f of factors) {
    f.share = f.points === 0 ? 0 : Math.abs(f.points) / absTotal;
    f.text = factorText(f.signal, details, facts, nowMs);
  }

  const s = Math.min(100, Math.max(0, Math.round(total)));
  const listed = oneFactorPerFact(factors, (fact) => (fact === "skips" ? skipsText(details) : null));
  return { score: s, band: bandFor(s, bands), segment, factors: listed, signals: values, cancelledAt: null };
}

/**
 * The score as it stood at `at`, judged with what was known then: facts rewound from
 * the latest ones (factsAt), events after `at` unseen. The rescore walk, the dry run and
 * the backtest all score a past instant this way. At or after `now` the latest facts hold.
 */
export function scoreAsOf(
  timeline: readonly TimelineEvent[],
  latest: SubscriberFacts,
  config: HealthConfig,
  at: Date,
  now: Date,
): HealthResult {
  return at.getTime() >= now.getTime() ? score(timeline, latest, config, now) : score(timeline, factsAt(latest, timeline, at), config, at);
}

/**
 * scoreAsOf() for many instants of one subscriber, cheaply: the timeline is folded once
 * per stretch between events and the facts rewound once per stretch, so looking at every
 * day and week of a year costs little more than looking at its events.
 */
export function scorerAsOf(
  timeline: readonly TimelineEvent[],
  latest: SubscriberFacts,
  config: HealthConfig,
  now: Date,
  /** false: score and band only, no factors (a walk's past instants need no words). */
  explain = true,
): WalkScorer {
  const nowMs = now.getTime();
  const times = timeline.map((e) => e.occurredAt.getTime());
  const sorted = times.every((t, i) => i === 0 || times[i - 1] <= t);
  if (!sorted) {
    const plain = (at: Date) => scoreAsOf(timeline, latest, config, at, now);
    const factsOfAt = (at: Date) => (at.getTime() >= nowMs ? latest : factsAt(latest, timeline, at));
    return Object.assign(plain, { factsAt: factsOfAt, stateAt: (at: Date) => foldFor(timeline, factsOfAt(at), config, at.getTime() >= nowMs ? now : at) });
  }
  // Folds by how many events they saw: the same count means the same fold, only time has
  // passed, so each stretch between events is folded once however often it is looked at
  // (a look and the score a week before it often share one).
  const folds = new Map<number, SubscriberState>();
  const rewind = factsRewinder(latest, timeline);
  const countAt = (atMs: number) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const foldAt = (at: Date, facts: SubscriberFacts): SubscriberState => {
    const n = countAt(at.getTime());
    let state = folds.get(n);
    if (!state) {
      if (folds.size >= 64) folds.clear();
      state = foldFor(timeline, facts, config, at);
      folds.set(n, state);
    }
    return state;
  };
  // The state as of now, folded once however often it is asked for.
  let nowState: SubscriberState | null = null;
  const stateNow = () => (nowState ??= foldFor(timeline, latest, config, now));
  const stateAt = (at: Date): SubscriberState => (at.getTime() >= nowMs ? stateNow() : foldAt(at, rewind(at)));
  const factsOfAt = (at: Date) => (at.getTime() >= nowMs ? latest : rewind(at));
  const scorer = (at: Date) => {
    if (at.getTime() >= nowMs) return scoreState(stateNow(), latest, config, now);
    const facts = rewind(at);
    return scoreState(foldAt(at, facts), facts, config, at, explain);
  };
  return Object.assign(scorer, { factsAt: factsOfAt, stateAt });
}

/** A walk's scorer, with the facts and the fold it scored from at each instant. */
export interface WalkScorer {
  (at: Date): HealthResult;
  factsAt(at: Date): SubscriberFacts;
  stateAt(at: Date): SubscriberState;
}

/** score() with the config fixed, in the shape backtest() takes. */
export function scoreWith(config: HealthConfig) {
  return (timeline: readonly TimelineEvent[], facts: SubscriberFacts, now: Date): HealthResult =>
    score(timeline, facts, config, now);
}
