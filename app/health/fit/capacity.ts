/**
 * Bands sized to what the store can do: given how many people it can contact in a week, the
 * watch threshold (below it: the at-risk and critical bands, the list worked from) is moved
 * so that about that many live subscribers score below it. The at-risk threshold keeps its
 * distance below the watch threshold, so the critical band keeps its share of the list.
 */
import type { BandThresholds } from "../config";

export function thresholdsForCapacity(scores: readonly number[], weeklyContacts: number, current: BandThresholds): BandThresholds {
  const k = Math.floor(weeklyContacts);
  if (scores.length === 0 || k <= 0) return current;
  const sorted = [...scores].sort((a, b) => a - b);
  // Everyone scoring below the k-th lowest score is on the list (ties stay together).
  const target = k >= sorted.length ? sorted[sorted.length - 1] + 1 : sorted[k];
  // Healthy stays above watch, and watch above at-risk (config.ts refuses anything else).
  const watch = Math.max(1, Math.min(current.healthy - 1, Math.round(target)));
  const gap = current.watch - current.atRisk;
  const atRisk = Math.max(0, Math.min(watch - 1, watch - gap));
  return { healthy: current.healthy, watch, atRisk };
}
