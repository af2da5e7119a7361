/**
 * The time split of a store's weekly observations: the most recent checkpoint weeks are
 * held back to judge a fit, and only weeks whose outcome was already known before the
 * held-back weeks began are trained on. An observation at checkpoint t looks `horizonDays`
 * ahead for a cancel, so it belongs to training only if t + horizon <= testFrom; the weeks
 * in between (known only partly when testing starts) are left out of both.
 */
const DAY_MS = 86_400_000;

export interface TimedObservation {
  checkpoint: Date;
}

export interface TimeSplit<T extends TimedObservation> {
  train: T[];
  test: T[];
  /** First held-back checkpoint. */
  testFrom: Date;
  trainWeeks: number;
  testWeeks: number;
}

/** Null when there are not more checkpoint weeks than the held-back ones. */
export function splitByTime<T extends TimedObservation>(observations: readonly T[], testWeeks: number, horizonDays: number): TimeSplit<T> | null {
  const weeks = [...new Set(observations.map((o) => o.checkpoint.getTime()))].sort((a, b) => a - b);
  if (weeks.length <= testWeeks || testWeeks < 1) return null;
  const testFrom = weeks[weeks.length - testWeeks];
  const trainUntil = testFrom - horizonDays * DAY_MS;
  const train: T[] = [];
  const test: T[] = [];
  for (const o of observations) {
    const t = o.checkpoint.getTime();
    if (t >= testFrom) test.push(o);
    else if (t <= trainUntil) train.push(o);
  }
  return {
    train,
    test,
    testFrom: new Date(testFrom),
    trainWeeks: weeks.filter((t) => t <= trainUntil).length,
    testWeeks,
  };
}
