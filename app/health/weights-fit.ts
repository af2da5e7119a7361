/**
 * Suggests point weights from a store's own history.
 *
 * Method, in words a merchant's analyst can check:
 * 1. Each backtest observation is a row of signal values and a yes/no "cancelled
 *    within the horizon".
 * 2. Signals are standardised (mean 0, standard deviation 1) so the penalty and
 *    the step size treat them alike; signals that never varied are left alone.
 * 3. An L2-regularised logistic regression is fitted by plain batch gradient
 *    descent from zero: deterministic, no randomness, same answer every run.
 * 4. A coefficient is "log-odds of cancelling per unit of the signal". Those are
 *    converted to points with one shared scale, chosen so the suggested weights
 *    move the score as much in total (per standard deviation of each signal) as
 *    the current weights do. Signals whose fitted direction disagrees with their
 *    meaning (e.g. "orders in a row" going with cancelling) are suggested at 0.
 * 5. Current and suggested weights are both scored on the same observations and
 *    their AUCs reported side by side. The fit's intercept is not used: the score
 *    still starts at 100.
 */
import { SIGNALS, resolveWeights, overrideKeysFor, type HealthConfig, type Weights } from "./config";
import { scoreFromSignals } from "./score";
import { SIGNAL_NAMES, type SignalName, type SignalValues } from "./types";
import { auc } from "./validation";
import { fitTowardsPrior } from "./fit/logistic";

export interface FitObservation {
  signals: SignalValues;
  churned: boolean;
  segmentKey?: string;
}

export interface FitOptions {
  /** L2 strength on standardised coefficients; default 0.01. */
  lambda?: number;
  /** Gradient steps; default 2000 (stops earlier once converged). */
  iterations?: number;
  /**
   * Fit only observations of this segment ("new:high", or a wildcard "new:*")
   * and compare against that segment's effective weights.
   */
  segment?: string;
  /** Points per unit of log-odds when the current weights give no scale (all zero); default 10. */
  fallbackPointsPerLogOdds?: number;
}

export interface WeightSuggestion {
  signal: SignalName;
  direction: "risk" | "positive";
  current: number;
  suggested: number;
  /** Fitted log-odds of cancelling per unit of the signal (positive = more churn). */
  coefficient: number;
  /** Why a suggestion is what it is, when not obvious. */
  note: string | null;
}

export type WeightFitResult =
  | {
      status: "ok";
      suggestions: WeightSuggestion[];
      suggestedWeights: Weights;
      /** AUC of the current and the suggested weights on the same observations. */
      aucCurrent: number;
      aucSuggested: number;
      observations: number;
      churned: number;
      iterations: number;
    }
  | { status: "not_enough_data"; observations: number; churned: number; message: string };

function matchesSegment(key: string | undefined, pattern: string): boolean {
  if (key === undefined) return false;
  return overrideKeysFor(key).includes(pattern);
}

/** Effective weights of a segment, or of a wildcard group ("new:*": base, "*:*", then "new:*"). */
function weightsForPattern(config: HealthConfig, pattern: string): Weights {
  if (!pattern.includes("*")) return resolveWeights(config, pattern);
  const w = { ...config.weights };
  for (const k of pattern === "*:*" ? ["*:*"] : ["*:*", pattern]) {
    for (const [s, v] of Object.entries(config.overrides[k]?.weights ?? {})) if (v !== undefined) w[s as SignalName] = v;
  }
  return w;
}

export function suggestWeights(
  all: readonly FitObservation[],
  config: HealthConfig,
  options: FitOptions = {},
): WeightFitResult {
  const lambda = options.lambda ?? 0.01;
  const maxIter = options.iterations ?? 2000;
  const segment = options.segment;
  const current = segment ? weightsForPattern(config, segment) : config.weights;
  const obs = segment ? all.filter((o) => matchesSegment(o.segmentKey, segment)) : all;

  const n = obs.length;
  let positives = 0;
  for (const o of obs) if (o.churned) positives++;
  if (positives === 0 || positives === n) {
    return {
      status: "not_enough_data",
      observations: n,
      churned: positives,
      message: "Weights can only be fitted when the history has both subscribers who cancelled and subscribers who stayed.",
    };
  }

  // Standardise; keep only signals that vary.
  const d = SIGNAL_NAMES.length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const s = SIGNAL_NAMES[j];
    let sum = 0;
    for (let i = 0; i < n; i++) sum += obs[i].signals[s];
    mean[j] = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (obs[i].signals[s] - mean[j]) ** 2;
    sd[j] = Math.sqrt(sq / n);
  }
  const used = [...Array(d).keys()].filter((j) => sd[j] > 1e-12);
  const m = used.length;
  const x = new Float64Array(n * m);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = obs[i].churned ? 1 : 0;
    for (let u = 0; u < m; u++) {
      const j = used[u];
      x[i * m + u] = (obs[i].signals[SIGNAL_NAMES[j]] - mean[j]) / sd[j];
    }
  }

  // Batch gradient descent from zero (a prior of zero is the plain L2 penalty).
  const { beta, iterations: iter } = fitTowardsPrior(x, y, m, new Float64Array(m), lambda, maxIter);

  // One shared points-per-log-odds scale (see step 4 above).
  let currentSpread = 0;
  let fittedSpread = 0;
  for (let u = 0; u < m; u++) {
    const s = SIGNAL_NAMES[used[u]];
    currentSpread += current[s] * sd[used[u]];
    fittedSpread += Math.abs(beta[u]);
  }
  const scale = currentSpread > 0 && fittedSpread > 0 ? currentSpread / fittedSpread : options.fallbackPointsPerLogOdds ?? 10;

  const suggestedWeights = { ...current };
  const suggestions: WeightSuggestion[] = SIGNAL_NAMES.map((s, j) => {
    const direction = SIGNALS[s].direction;
    const u = used.indexOf(j);
    if (u < 0) {
      return { signal: s, direction, current: current[s], suggested: current[s], coefficient: 0, note: "Never varied in this history; kept as is." };
    }
    const coefficient = beta[u] / sd[j];
    const towardsChurn = direction === "risk" ? coefficient : -coefficient;
    const suggested = towardsChurn > 0 ? Math.round(towardsChurn * scale * 10) / 10 : 0;
    suggestedWeights[s] = suggested;
    const note =
      towardsChurn > 0
        ? null
        : direction === "risk"
          ? "In this history it did not go with cancelling; suggested 0."
          : "In this history it did not go with staying; suggested 0.";
    return { signal: s, direction, current: current[s], suggested, coefficient, note };
  });

  const labels = obs.map((o) => o.churned);
  return {
    status: "ok",
    suggestions,
    suggestedWeights,
    aucCurrent: auc(
      obs.map((o) => scoreFromSignals(o.signals, current)),
      labels,
    ),
    aucSuggested: auc(
      obs.map((o) => scoreFromSignals(o.signals, suggestedWeights)),
      labels,
    ),
    observations: n,
    churned: positives,
    iterations: iter,
  };
}
