/**
 * Weights fitted on a set of observations, pulled towards the weights in use.
 *
 * 1. The weights in use give each observation its risk points; a one-variable logistic fit
 *    of cancelling on those points gives the store's "log-odds per point" (how much one point
 *    of score means here). That turns the current weights into a prior in log-odds.
 * 2. All signals are standardised and fitted together, the L2 penalty on the distance from
 *    that prior (logistic.ts): little history leaves the weights where they were.
 * 3. Coefficients go back to points with the same log-odds per point, so the fitted weights
 *    sit on the scale of the current ones and the bands keep their meaning. A weight cannot
 *    flip a signal's direction (config.ts): one that would is 0; none goes above 100.
 */
import { SIGNALS, type Weights } from "../config";
import { SIGNAL_NAMES } from "../types";
import { fitTowardsPrior } from "./logistic";
import type { FitObservation } from "./figures";

/** +1 when the signal takes points off (goes with cancelling), -1 when it adds points. */
const RISK_SIGN = SIGNAL_NAMES.map((s) => (SIGNALS[s].direction === "risk" ? 1 : -1));
/** Used when the current weights do not go with cancelling at all in this history. */
const FALLBACK_LOG_ODDS_PER_POINT = 0.05;

const round = (w: number) => Math.min(100, Math.max(0, Math.round(w * 2) / 2));

export interface WeightsFit {
  weights: Weights;
  /** Log-odds of cancelling per point of score under the current weights. */
  logOddsPerPoint: number;
}

function standardise(values: Float64Array): { mean: number; sd: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, sd: Math.sqrt(sq / values.length) };
}

export function fitWeights(obs: readonly FitObservation[], current: Weights, lambda: number): WeightsFit {
  const n = obs.length;
  const d = SIGNAL_NAMES.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = obs[i].churned ? 1 : 0;

  // 1. Log-odds per point of the current weights.
  const points = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let j = 0; j < d; j++) p += RISK_SIGN[j] * current[SIGNAL_NAMES[j]] * obs[i].signals[SIGNAL_NAMES[j]];
    points[i] = p;
  }
  const ps = standardise(points);
  let perPoint = FALLBACK_LOG_ODDS_PER_POINT;
  if (ps.sd > 1e-12) {
    const x1 = Float64Array.from(points, (p) => (p - ps.mean) / ps.sd);
    const one = fitTowardsPrior(x1, y, 1, new Float64Array(1), 0);
    const slope = one.beta[0] / ps.sd;
    if (slope > 1e-6) perPoint = slope;
  }

  // 2. Standardised fit of every signal that varies, towards the prior.
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const st = standardise(Float64Array.from(obs, (o) => o.signals[SIGNAL_NAMES[j]]));
    mean[j] = st.mean;
    sd[j] = st.sd;
  }
  const used = [...Array(d).keys()].filter((j) => sd[j] > 1e-12);
  const m = used.length;
  const x = new Float64Array(n * m);
  const prior = new Float64Array(m);
  for (let u = 0; u < m; u++) {
    const j = used[u];
    prior[u] = perPoint * RISK_SIGN[j] * current[SIGNAL_NAMES[j]] * sd[j];
    for (let i = 0; i < n; i++) x[i * m + u] = (obs[i].signals[SIGNAL_NAMES[j]] - mean[j]) / sd[j];
  }
  const fit = fitTowardsPrior(x, y, m, prior, lambda);

  // 3. Back to points on the current scale.
  const weights = { ...current };
  for (let u = 0; u < m; u++) {
    const j = used[u];
    weights[SIGNAL_NAMES[j]] = round((RISK_SIGN[j] * fit.beta[u]) / (sd[j] * perPoint));
  }
  return { weights, logOddsPerPoint: perPoint };
}
