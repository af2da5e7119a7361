import { describe, expect, it } from "vitest";
import { evaluateTriggers, segmentMatches } from "~/playbook/evaluate";
import { daysAgo, daysLater, NOW, snap, trigger } from "./fixtures";

const caps = { maxPlaysPerWeek: 10 };

describe("edge-triggering", () => {
  const t = trigger({ cooldownDays: 14 });
  const off = snap({ consecutiveSkips: 1 });
  const on = snap({ consecutiveSkips: 2 });

  it("fires when the condition becomes true, treating a null previous as false", () => {
    expect(evaluateTriggers(off, on, [t], [], caps, NOW).fire.map((f) => f.triggerId)).toEqual(["skips"]);
    expect(evaluateTriggers(null, on, [t], [], caps, NOW).fire).toHaveLength(1);
  });

  it("does not fire again while the condition stays true", () => {
    const r = evaluateTriggers(on, snap({ consecutiveSkips: 3 }), [t], [], caps, NOW);
    expect(r.fire).toEqual([]);
    expect(r.suppressed).toEqual([]);
  });

  it("fires again after the condition went false and true, once the cooldown has passed", () => {
    const history = [{ triggerId: "skips", firedAt: NOW }];
    // false again, then true again 5 days later: inside the 14-day cooldown
    const early = evaluateTriggers(off, on, [t], history, caps, daysLater(5));
    expect(early.fire).toEqual([]);
    expect(early.suppressed).toEqual([{ triggerId: "skips", reason: "cooldown" }]);
    // and 20 days later: outside it
    const late = evaluateTriggers(off, on, [t], history, caps, daysLater(20));
    expect(late.fire).toHaveLength(1);
    expect(late.fire[0]!.firedAt).toEqual(daysLater(20));
  });

  it("ignores disabled triggers entirely", () => {
    const r = evaluateTriggers(off, on, [trigger({ enabled: false })], [], caps, NOW);
    expect(r).toEqual({ fire: [], suppressed: [] });
  });
});

describe("cooldown", () => {
  it("is per trigger: another trigger's firing does not cool this one", () => {
    const r = evaluateTriggers(null, snap({ consecutiveSkips: 2 }), [trigger()], [{ triggerId: "other", firedAt: daysAgo(1) }], caps, NOW);
    expect(r.fire).toHaveLength(1);
  });

  it("a cooldown of 0 never suppresses", () => {
    const r = evaluateTriggers(null, snap({ consecutiveSkips: 2 }), [trigger({ cooldownDays: 0 })], [{ triggerId: "skips", firedAt: NOW }], caps, NOW);
    expect(r.fire).toHaveLength(1);
  });
});

describe("weekly cap", () => {
  const a = trigger({ id: "a-urgent", priority: "urgent", condition: { type: "payment_failed" } });
  const b = trigger({ id: "b-low", priority: "low", condition: { type: "consecutive_skips_at_least", n: 2 } });
  const c = trigger({ id: "c-high", priority: "high", condition: { type: "card_expires_before_next_billing" } });
  const current = snap({
    consecutiveSkips: 2,
    cardExpiresBeforeNextBilling: true,
    lastFailure: { failureClass: "soft_decline", errorCode: "INSUFFICIENT_FUNDS", at: daysAgo(0) },
  });

  it("caps firings across triggers, most urgent first, counting earlier firings in the last 7 days", () => {
    const recent = [
      { triggerId: "x", firedAt: daysAgo(2) },
      { triggerId: "y", firedAt: daysAgo(8) }, // outside the week: does not count
    ];
    const r = evaluateTriggers(null, current, [b, c, a], recent, { maxPlaysPerWeek: 2 }, NOW);
    expect(r.fire.map((f) => f.triggerId)).toEqual(["a-urgent"]);
    expect(r.suppressed).toEqual([
      { triggerId: "c-high", reason: "weekly_cap" },
      { triggerId: "b-low", reason: "weekly_cap" },
    ]);
  });

  it("returns firings in deterministic order: priority, then id", () => {
    const d = trigger({ id: "a-high", priority: "high", condition: { type: "entered_band", band: "watch" } });
    const r = evaluateTriggers(null, { ...current, band: "watch" }, [b, c, d, a], [], caps, NOW);
    expect(r.fire.map((f) => f.triggerId)).toEqual(["a-urgent", "a-high", "c-high", "b-low"]);
  });
});

describe("segment filter", () => {
  it("matches exact keys and wildcards", () => {
    expect(segmentMatches(undefined, "new:high")).toBe(true);
    expect(segmentMatches(["new:*"], "new:high")).toBe(true);
    expect(segmentMatches(["*:high"], "new:high")).toBe(true);
    expect(segmentMatches(["new:low", "established:*"], "new:high")).toBe(false);
  });

  it("suppresses a trigger outside its segments", () => {
    const r = evaluateTriggers(null, snap({ consecutiveSkips: 2 }), [trigger({ segments: ["new:*"] })], [], caps, NOW);
    expect(r).toEqual({ fire: [], suppressed: [{ triggerId: "skips", reason: "segment" }] });
  });
});

describe("firing contents and holdout", () => {
  it("carries SLA due time, outcome time and reasons", () => {
    const [f] = evaluateTriggers(null, snap({ consecutiveSkips: 2 }), [trigger()], [], caps, NOW).fire;
    expect(f!.dueAt).toEqual(new Date(NOW.getTime() + 48 * 3_600_000));
    expect(f!.outcomeDueAt).toEqual(daysLater(30));
    expect(f!.reasons).toEqual(["Skipped 2 deliveries in a row"]);
    expect(f!.holdout).toBe(false);
  });

  it("a holdout firing keeps only plays marked runInHoldout, and counts toward the cap", () => {
    const t = trigger({
      holdoutPercent: 50,
      plays: [
        { kind: "klaviyo_event", metric: "Lifeline: Cancelled" },
        { kind: "task", suggestedAction: "Capture the reason", runInHoldout: true },
      ],
    });
    let held = 0;
    for (let i = 0; i < 40; i++) {
      const s = snap({ subscriberId: `sub-${i}`, consecutiveSkips: 2 });
      const [f] = evaluateTriggers(null, s, [t], [], caps, NOW, { shopId: "shop-1" }).fire;
      if (f!.holdout) {
        held++;
        expect(f!.plays.map((p) => p.kind)).toEqual(["task"]);
      } else expect(f!.plays).toHaveLength(2);
    }
    expect(held).toBeGreaterThan(5);
    expect(held).toBeLessThan(35);
  });
});
