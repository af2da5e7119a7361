/**
 * Fitting a store's weights to its own history, and deciding whether the fit earns its place.
 *
 * The history is the score replayed at weekly checkpoints (validation.ts backtest). The most
 * recent weeks are held back (split.ts); the weights are fitted on the older weeks only, then
 * the current and the fitted weights are both judged on the held-back weeks. The fitted ones
 * are adopted only when they rank those weeks' cancels clearly better (AUC up by a margin)
 * and catch no fewer of them, in the riskiest 10% and on the at-risk list. Otherwise the
 * current weights are kept. Beside that, a "ceiling": the same model fitted with hindsight on
 * the held-back weeks themselves, as good as any weights of this form could have done there.
 */
import type { HealthConfig, Weights } from "../config";
import { SIGNALS } from "../config";
import { SIGNAL_NAMES } from "../types";
import { describeChanges } from "./describe";
import { figuresFor, withWeights, type Figures, type FitObservation } from "./figures";
import { fitWeights } from "./fit-weights";
import { splitByTime } from "./split";

export interface StoreFitOptions {
  horizonDays?: number;
  /** Most recent checkpoint weeks held back to judge the fit; default 6. */
  testWeeks?: number;
  /**
   * Training needs this many subscribers who cancelled with a warning sign (some risk signal
   * above 0 at a checkpoint in the horizon before the cancel); default 40. A cancel nobody
   * could have seen coming teaches the weights nothing. 14 weights, pulled towards the current
   * ones, are a stable fit from about 3 such cancels per weight; fewer and a few subscribers
   * decide it.
   */
  minTrainCancels?: number;
  /**
   * The held-back weeks need this many cancels; default 15. Below it an AUC difference of a
   * few hundredths is one subscriber more or less, not a better score.
   */
  minTestCancels?: number;
  /** Training needs this many checkpoint weeks, so that it spans more than one month's mood; default 8. */
  minTrainWeeks?: number;
  /** L2 pull towards the current weights, standardised units; default 0.02. */
  lambda?: number;
  /** AUC gain on the held-back weeks needed to adopt; default 0.01. */
  aucMargin?: number;
}

export interface StoreFitHistory {
  trainWeeks: number;
  testWeeks: number;
  testFrom: string;
  observations: { train: number; test: number };
  /** Distinct subscribers who cancelled within the horizon, with a warning sign (train) / at all (test). */
  cancels: { train: number; test: number };
}

export type StoreFitResult =
  | {
      status: "refused";
      reason: string;
      /** Cancels with warning signs in the training weeks, and how many are needed. */
      cancelsWithSignals: number;
      needed: number;
      history: StoreFitHistory | null;
    }
  | {
      status: "fitted";
      decision: "adopt" | "keep";
      reason: string;
      fittedWeights: Weights;
      current: Figures;
      fitted: Figures;
      ceiling: Figures;
      changes: string[];
      history: StoreFitHistory;
    };

const hasWarningSign = (o: FitObservation) => SIGNAL_NAMES.some((s) => SIGNALS[s].direction === "risk" && o.signals[s] > 0);

function distinctCancels(obs: readonly FitObservation[], withSign: boolean): number {
  const ids = new Set<number | string>();
  for (const o of obs) if (o.churned && (!withSign || hasWarningSign(o))) ids.add(o.subject);
  return ids.size;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const two = (x: number) => x.toFixed(2);

/**
 * `observations` are the store's weekly checkpoints pooled (several weeks, any order); `config`
 * is the store's config now, whose base weights are the starting point and the prior. Pure and
 * deterministic: the same history gives the same answer.
 */
export function fitStoreWeights(given: readonly FitObservation[], config: HealthConfig, options: StoreFitOptions = {}): StoreFitResult {
  // One order whatever the order given: ties in the riskiest 10% and sums in the fit depend on it.
  const observations = [...given].sort((a, b) => a.checkpoint.getTime() - b.checkpoint.getTime() || (String(a.subject) < String(b.subject) ? -1 : String(a.subject) > String(b.subject) ? 1 : 0));
  const horizonDays = options.horizonDays ?? 30;
  const testWeeks = options.testWeeks ?? 6;
  const minTrainCancels = options.minTrainCancels ?? 40;
  const minTestCancels = options.minTestCancels ?? 15;
  const minTrainWeeks = options.minTrainWeeks ?? 8;
  const lambda = options.lambda ?? 0.02;
  const aucMargin = options.aucMargin ?? 0.01;

  const split = splitByTime(observations, testWeeks, horizonDays);
  if (!split) {
    return { status: "refused", reason: `Not enough weeks of history yet: the fit holds back the latest ${testWeeks} weeks to check itself, and needs at least ${minTrainWeeks} older ones to learn from.`, cancelsWithSignals: 0, needed: minTrainCancels, history: null };
  }
  const history: StoreFitHistory = {
    trainWeeks: split.trainWeeks,
    testWeeks: split.testWeeks,
    testFrom: split.testFrom.toISOString(),
    observations: { train: split.train.length, test: split.test.length },
    cancels: { train: distinctCancels(split.train, true), test: distinctCancels(split.test, false) },
  };
  const refuse = (reason: string): StoreFitResult => ({ status: "refused", reason, cancelsWithSignals: history.cancels.train, needed: minTrainCancels, history });
  if (split.trainWeeks < minTrainWeeks) {
    return refuse(`Not enough weeks of history yet: ${split.trainWeeks} week${split.trainWeeks === 1 ? "" : "s"} to learn from, needs ${minTrainWeeks}.`);
  }
  if (history.cancels.train < minTrainCancels) {
    return refuse(`Not enough history yet: ${history.cancels.train} cancel${history.cancels.train === 1 ? "" : "s"} with warning signs, needs ${minTrainCancels}.`);
  }
  if (history.cancels.test < minTestCancels || split.test.every((o) => o.churned)) {
    return refuse(`Not enough recent cancels to check a fit against: ${history.cancels.test} in the latest ${testWeeks} weeks, needs ${minTestCancels}.`);
  }

  const current = config.weights;
  const fittedWeights = fitWeights(split.train, current, lambda).weights;
  const ceilingWeights = fitWeights(split.test, current, lambda).weights;
  const now = figuresFor(split.test, config);
  const fitted = figuresFor(split.test, withWeights(config, fittedWeights));
  const ceiling = figuresFor(split.test, withWeights(config, ceilingWeights));

  const aucGain = fitted.auc - now.auc;
  const adopt = aucGain >= aucMargin && fitted.catchRateTop10 >= now.catchRateTop10 && fitted.catchRateList >= now.catchRateList;
  const reason = adopt
    ? `On the latest ${testWeeks} weeks, which the fit did not see, the fitted weights rank cancels better (AUC ${two(fitted.auc)}, was ${two(now.auc)}) and catch ${pct(fitted.catchRateTop10)} of cancels in the riskiest 10% (was ${pct(now.catchRateTop10)}).`
    : aucGain < aucMargin
      ? `On the latest ${testWeeks} weeks the fitted weights do not rank cancels clearly better (AUC ${two(fitted.auc)} against ${two(now.auc)} now; a gain of ${aucMargin} is needed), so the current weights stay.`
      : `On the latest ${testWeeks} weeks the fitted weights would catch fewer cancels (${pct(fitted.catchRateTop10)} in the riskiest 10% against ${pct(now.catchRateTop10)}, ${pct(fitted.catchRateList)} on the at-risk list against ${pct(now.catchRateList)}), so the current weights stay.`;
  return {
    status: "fitted",
    decision: adopt ? "adopt" : "keep",
    reason,
    fittedWeights,
    current: now,
    fitted,
    ceiling,
    changes: describeChanges(current, fittedWeights),
    history,
  };
}
