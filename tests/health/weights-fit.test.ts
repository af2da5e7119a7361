import { describe, expect, it } from "vitest";
import { SIGNAL_NAMES, defaultHealthConfig, suggestWeights, type FitObservation, type HealthConfig, type SignalValues } from "../../app/health";
import { rng } from "./factory";

function zeros(): SignalValues {
  return Object.fromEntries(SIGNAL_NAMES.map((s) => [s, 0])) as SignalValues;
}

/** Synthetic history: hard declines drive churn, tickets are pure noise. */
function planted(n: number, seed: number): FitObservation[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const signals = zeros();
    signals.hardDecline = r() < 0.3 ? 1 + r() : 0;
    signals.tickets = r() < 0.5 ? r() * 2 : 0;
    signals.ordersInARow = Math.floor(r() * 6);
    const logit = -2.5 + 2.5 * signals.hardDecline;
    return { signals, churned: r() < 1 / (1 + Math.exp(-logit)) };
  });
}

const uninformative: HealthConfig = {
  ...defaultHealthConfig,
  weights: { ...(Object.fromEntries(SIGNAL_NAMES.map((s) => [s, 0])) as HealthConfig["weights"]), tickets: 10 },
};

describe("weight suggestions", () => {
  const obs = planted(2000, 7);
  const fit = suggestWeights(obs, uninformative);
  if (fit.status !== "ok") throw new Error("expected a fit");
  const row = (s: string) => fit.suggestions.find((x) => x.signal === s)!;

  it("recovers the direction of a planted risk signal", () => {
    expect(row("hardDecline").coefficient).toBeGreaterThan(0);
    expect(row("hardDecline").suggested).toBeGreaterThan(row("tickets").suggested);
  });

  it("scores the history at least as well as the uninformative config", () => {
    expect(fit.aucSuggested).toBeGreaterThanOrEqual(fit.aucCurrent);
    expect(fit.aucSuggested).toBeGreaterThan(0.7);
  });

  it("lists current and suggested side by side for every signal", () => {
    expect(fit.suggestions.map((s) => s.signal)).toEqual([...SIGNAL_NAMES]);
    expect(row("tickets").current).toBe(10);
  });

  it("keeps signals that never varied as they are", () => {
    expect(row("paused")).toMatchObject({ current: 0, suggested: 0, coefficient: 0 });
  });

  it("suggests 0 for a helping signal that went with cancelling", () => {
    const r = rng(3);
    const flipped = Array.from({ length: 1000 }, () => {
      const signals = zeros();
      signals.ordersInARow = Math.floor(r() * 6);
      return { signals, churned: r() < 1 / (1 + Math.exp(-(-3 + 0.8 * signals.ordersInARow))) };
    });
    const f = suggestWeights(flipped, defaultHealthConfig);
    if (f.status !== "ok") throw new Error("expected a fit");
    const orders = f.suggestions.find((x) => x.signal === "ordersInARow")!;
    expect(orders.coefficient).toBeGreaterThan(0);
    expect(orders.suggested).toBe(0);
    expect(orders.note).toMatch(/did not go with staying/);
  });

  it("is deterministic", () => {
    expect(suggestWeights(obs, uninformative)).toEqual(fit);
  });

  it("needs both cancels and stays", () => {
    const none = planted(50, 1).map((o) => ({ ...o, churned: false }));
    expect(suggestWeights(none, defaultHealthConfig).status).toBe("not_enough_data");
  });

  it("fits one segment against that segment's weights", () => {
    const tagged = obs.map((o, i) => ({ ...o, segmentKey: i % 2 ? "new:low" : "established:low" }));
    const f = suggestWeights(tagged, defaultHealthConfig, { segment: "new:*" });
    if (f.status !== "ok") throw new Error("expected a fit");
    expect(f.observations).toBe(1000);
    expect(f.suggestions.find((x) => x.signal === "tenure")!.current).toBe(18);
  });
});
