/**
 * Subscriber health scoring: pure functions from a timeline, a few facts, a
 * config and `now` to a 0..100 score with its plain-words explanation, plus
 * the tools to check it against real churn and to suggest better weights.
 */
export * from "./types";
export {
  SIGNALS,
  SEGMENT_KEYS,
  defaultHealthConfig,
  parseHealthConfig,
  resolveWeights,
  resolveBands,
  resolvedFor,
  overrideKeysFor,
  type BandThresholds,
  type Direction,
  type HealthConfig,
  type HealthConfigInput,
  type ParseConfigResult,
  type SegmentKey,
  type SegmentOverride,
  type Weights,
} from "./config";
export { computeSignals, type ComputedSignals, type SignalDetails } from "./signals";
export { score, scoreWith, scoreFromSignals, signalPoints, bandFor } from "./score";
export { factorText, formatMoney, formatDay, ago } from "./explain";
export { segmentOf, tenureSegment, valueSegment, tenureDays } from "./segments";
export { factsAt } from "./facts-at";
export {
  auc,
  atK,
  rankByRisk,
  calibration,
  simulateThreshold,
  backtest,
  type AtK,
  type BacktestObservation,
  type BacktestOptions,
  type BacktestResult,
  type BacktestSubject,
  type CalibrationRow,
  type CheckpointObservation,
  type ScoreAt,
  type ThresholdSimulation,
} from "./validation";
export { suggestWeights, type FitObservation, type FitOptions, type WeightFitResult, type WeightSuggestion } from "./weights-fit";
