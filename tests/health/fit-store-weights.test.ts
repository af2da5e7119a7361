import { describe, expect, it } from "vitest";
import { defaultHealthConfig } from "../../app/health/config";
import { describeChanges } from "../../app/health/fit/describe";
import type { FitObservation } from "../../app/health/fit/figures";
import { fitStoreWeights } from "../../app/health/fit/fit-store-weights";
import { splitByTime } from "../../app/health/fit/split";
import { SIGNAL_NAMES, type SignalValues } from "../../app/health/types";
import { rng } from "./factory";

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);


const zero = (): SignalValues => Object.fromEntries(SIGNAL_NAMES.map((s) => [s, 0])) as SignalValues;

/**
 * `weeks` weekly checkpoints of `people` subscribers. With `signal` true, skips in a row and
 * tickets drive cancelling (tickets far more than their default weight says); with false,
 * signals are drawn and cancels happen regardless of them.
 */
function history(seed: number, opts: { weeks?: number; people?: number; signal?: boolean; churn?: number } = {}): FitObservation[] {
  const r = rng(seed);
  const weeks = opts.weeks ?? 26;
  const people = opts.people ?? 300;
  const out: FitObservation[] = [];
  for (let w = 0; w < weeks; w++) {
    const checkpoint = new Date(START + w * 7 * DAY);
    for (let p = 0; p < people; p++) {
      const s = zero();
      s.consecutiveSkips = r() < 0.2 ? Math.floor(r() * 4) + 1 : 0;
      s.tickets = r() < 0.15 ? Math.floor(r() * 3) + 1 : 0;
      s.paused = r() < 0.05 ? 1 : 0;
      s.ordersInARow = Math.floor(r() * 8);
      const base = opts.churn ?? 0.04;
      const logit = Math.log(base / (1 - base)) + (opts.signal === false ? 0 : 0.5 * s.consecutiveSkips + 1.2 * s.tickets);
      const churned = r() < 1 / (1 + Math.exp(-logit));
      out.push({ subject: `w${w}-p${p}`, checkpoint, signals: s, churned, segmentKey: "established:low" });
    }
  }
  return out;
}

describe("the time split", () => {
  it("trains only on checkpoints whose 30-day outcome was known before the held-back weeks start", () => {
    const obs = history(1, { weeks: 20, people: 5 });
    const split = splitByTime(obs, 6, 30)!;
    const testFrom = split.testFrom.getTime();
    expect(split.test.every((o) => o.checkpoint.getTime() >= testFrom)).toBe(true);
    expect(split.train.length).toBeGreaterThan(0);
    for (const o of split.train) expect(o.checkpoint.getTime() + 30 * DAY).toBeLessThanOrEqual(testFrom);
    // The weeks in between belong to neither side.
    expect(split.train.length + split.test.length).toBeLessThan(obs.length);
  });

  it("holds back the most recent weeks", () => {
    const obs = history(2, { weeks: 12, people: 3 });
    const split = splitByTime(obs, 3, 30)!;
    const weeks = new Set(split.test.map((o) => o.checkpoint.getTime()));
    expect([...weeks].sort()).toEqual([9, 10, 11].map((w) => START + w * 7 * DAY));
  });
});

describe("fitting a store's weights", () => {
  it("refuses with the count of cancels with warning signs, and how many it needs", () => {
    const result = fitStoreWeights(history(3, { people: 20 }), defaultHealthConfig);
    expect(result.status).toBe("refused");
    if (result.status !== "refused") return;
    expect(result.needed).toBe(40);
    expect(result.cancelsWithSignals).toBeLessThan(40);
    expect(result.reason).toContain(`${result.cancelsWithSignals} cancel`);
    expect(result.reason).toContain("needs 40");
  });

  it("refuses when there are too few weeks for a time split", () => {
    const result = fitStoreWeights(history(4, { weeks: 5 }), defaultHealthConfig);
    expect(result.status).toBe("refused");
    if (result.status === "refused") expect(result.reason).toMatch(/weeks/);
  });

  it("adopts weights that rank a store's cancels better when its history shows a signal under-weighted", () => {
    const result = fitStoreWeights(history(5), defaultHealthConfig);
    expect(result.status).toBe("fitted");
    if (result.status !== "fitted") return;
    expect(result.decision).toBe("adopt");
    expect(result.fittedWeights.tickets).toBeGreaterThan(defaultHealthConfig.weights.tickets);
    expect(result.fitted.auc).toBeGreaterThan(result.current.auc + 0.01);
    expect(result.changes.some((c) => c.startsWith("Support tickets now counts more"))).toBe(true);
    console.info("adopt case:", JSON.stringify({ current: result.current, fitted: result.fitted, ceiling: result.ceiling, history: result.history }));
  });

  it("gives the same answer for the same history", () => {
    const obs = history(6);
    expect(fitStoreWeights(obs, defaultHealthConfig)).toEqual(fitStoreWeights([...obs].reverse(), defaultHealthConfig));
  });

  it("never adopts weights that do worse on the held-back weeks, over many histories, noise ones included", () => {
    let adopted = 0;
    let kept = 0;
    for (let seed = 100; seed < 112; seed++) {
      const signal = seed % 2 === 0;
      const result = fitStoreWeights(history(seed, { signal, people: 200 }), defaultHealthConfig);
      if (result.status !== "fitted") continue;
      if (result.decision === "adopt") {
        adopted++;
        expect(result.fitted.auc).toBeGreaterThanOrEqual(result.current.auc + 0.01);
        expect(result.fitted.catchRateTop10).toBeGreaterThanOrEqual(result.current.catchRateTop10);
        expect(result.fitted.catchRateList).toBeGreaterThanOrEqual(result.current.catchRateList);
      } else kept++;
    }
    console.info(`property: ${adopted} adopted, ${kept} kept`);
    expect(adopted + kept).toBeGreaterThan(0);
  });

  it("reports a hindsight ceiling fitted on the held-back weeks themselves", () => {
    const result = fitStoreWeights(history(7), defaultHealthConfig);
    if (result.status !== "fitted") throw new Error(result.reason);
    expect(Number.isFinite(result.ceiling.auc)).toBe(true);
    expect(result.ceiling.auc).toBeGreaterThanOrEqual(result.current.auc - 0.005);
  });
});

describe("describing a change of weights", () => {
  it("says what counts more, less or no longer, in plain words", () => {
    const before = { ...defaultHealthConfig.weights, consecutiveSkips: 12, tickets: 4, unskip: 3 };
    const after = { ...before, consecutiveSkips: 18, tickets: 2, unskip: 0 };
    expect(describeChanges(before, after)).toEqual([
      "Skips in a row now counts more: 18 points per skip, was 12 points.",
      "Took back a skip no longer counts: it was 3 points per skip taken back.",
      "Support tickets now counts less: 2 points per ticket, was 4 points.",
    ]);
  });
});
