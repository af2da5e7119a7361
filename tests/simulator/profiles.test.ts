import { describe, expect, it } from "vitest";
import {
  buildStore,
  defaultProfile,
  drawProfile,
  HELD_OUT_PROFILE_SEEDS,
  PARAMS,
  TUNING_PROFILE_SEEDS,
  type ChurnProfile,
  type SimulatedSubscriber,
} from "../../simulator";

const END = new Date("2025-06-01T00:00:00Z");
const DAY = 86_400_000;
const WARNINGS = new Set(["cycle.skipped", "contract.paused", "billing.failed"]);

const store = (profile: ChurnProfile, subscribers = 3000) => buildStore({ seed: 42, subscribers, end: END, profile }).subscribers;
const cancelled = (subs: SimulatedSubscriber[]) => subs.filter((s) => s.truth.cancelledAt && s.truth.cause !== "payment_failure");
const within = (s: SimulatedSubscriber, days: number, pass: (type: string, data: Record<string, unknown>) => boolean) =>
  s.timeline.some((e) => {
    const before = s.truth.cancelledAt!.getTime() - e.occurredAt.getTime();
    return before > 0 && before <= days * DAY && pass(e.type, e.data as Record<string, unknown>);
  });
/** Share of voluntary cancels with a skip in the 60 days before. */
const skipBeforeCancel = (subs: SimulatedSubscriber[]) => {
  const c = cancelled(subs);
  return c.filter((s) => within(s, 60, (t) => t === "cycle.skipped")).length / c.length;
};
const warned = (s: SimulatedSubscriber) =>
  within(s, 60, (t, d) => WARNINGS.has(t) || (t === "contract.edited" && Number(d.toMonthlyValue) < Number(d.fromMonthlyValue)));
const skipsOf = (s: SimulatedSubscriber) => s.timeline.filter((e) => e.type === "cycle.skipped").length;

describe("store profiles", () => {
  it("the default profile is the demo store's parameters", () => {
    expect(defaultProfile()).toEqual(PARAMS);
  });

  it("draws the same profile from the same seed, and a different one from another", () => {
    expect(drawProfile(901)).toEqual(drawProfile(901));
    expect(drawProfile(902)).not.toEqual(drawProfile(901));
  });

  it("gives stores whose cancels are preceded by a skip in visibly different shares", () => {
    const shares = TUNING_PROFILE_SEEDS.slice(0, 5).map((seed) => skipBeforeCancel(store(drawProfile(seed))));
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(0.15);
  });

  it("a store of mostly silent cancels has fewer warned cancels", () => {
    const share = (subs: SimulatedSubscriber[]) => cancelled(subs).filter(warned).length / cancelled(subs).length;
    const loud = share(store(defaultProfile()));
    const silent = share(store({ ...defaultProfile(), silentCancelShare: 0.8 }));
    expect(silent).toBeLessThan(loud - 0.15);
  });

  it("vacation skippers skip a lot but cancel less than other heavy skippers", () => {
    const heavy = (subs: SimulatedSubscriber[]) => subs.filter((s) => skipsOf(s) >= 3);
    const rate = (subs: SimulatedSubscriber[]) => subs.filter((s) => s.truth.cancelledAt).length / subs.length;
    const plain = store(defaultProfile());
    const vacation = store({ ...defaultProfile(), vacationSkipperShare: 0.2 });
    expect(heavy(vacation).length).toBeGreaterThan(heavy(plain).length * 1.5);
    expect(rate(heavy(vacation))).toBeLessThan(rate(heavy(plain)) - 0.05);
  });

  it("keeps the held-out stores apart from the tuning stores", () => {
    expect(HELD_OUT_PROFILE_SEEDS.length).toBeGreaterThanOrEqual(10);
    expect(HELD_OUT_PROFILE_SEEDS.filter((s) => TUNING_PROFILE_SEEDS.includes(s))).toEqual([]);
    const key = (seed: number) => JSON.stringify(drawProfile(seed));
    const tuning = new Set(TUNING_PROFILE_SEEDS.map(key));
    expect(HELD_OUT_PROFILE_SEEDS.some((s) => tuning.has(key(s)))).toBe(false);
  });
});
