import { describe, expect, it } from "vitest";
import { DEFAULT_PLAYBOOK, defaultPlaybook } from "~/playbook/defaults";
import { evaluateTriggers } from "~/playbook/evaluate";
import { LIFELINE_METRIC_NAMES } from "~/playbook/metrics";
import { parsePlaybook } from "~/playbook/schema";
import type { SubscriberSnapshot } from "~/playbook/types";
import { daysAgo, NOW, snap } from "./fixtures";

const caps = { maxPlaysPerWeek: 100 };
const fired = (prev: SubscriberSnapshot, cur: SubscriberSnapshot) =>
  evaluateTriggers(prev, cur, DEFAULT_PLAYBOOK, [], caps, NOW).fire.map((f) => f.triggerId);

const failure = (failureClass: "soft_decline" | "hard_decline", errorCode: string) => ({
  lastFailure: { failureClass, errorCode, at: daysAgo(0) },
});

/** trigger id -> [previous, hit, near miss] */
const CASES: Record<string, [Partial<SubscriberSnapshot>, Partial<SubscriberSnapshot>, Partial<SubscriberSnapshot>]> = {
  "skip-streak": [{ consecutiveSkips: 1 }, { consecutiveSkips: 2 }, { consecutiveSkips: 1 }],
  "payment-failed-soft": [{}, failure("soft_decline", "INSUFFICIENT_FUNDS"), failure("hard_decline", "EXPIRED_PAYMENT_METHOD")],
  "payment-failed-hard": [{}, failure("hard_decline", "EXPIRED_PAYMENT_METHOD"), failure("soft_decline", "INSUFFICIENT_FUNDS")],
  "card-expiring": [{}, { cardExpiresBeforeNextBilling: true }, { cancelled: { at: daysAgo(1) }, cardExpiresBeforeNextBilling: true }],
  "first-cycle-ticket": [
    { tenureDays: 10, cycleIndex: 1 },
    { tenureDays: 10, cycleIndex: 1, ticketInFirstCycle: true },
    { tenureDays: 10, cycleIndex: 1 },
  ],
  "cancelled-winback": [{}, { cancelled: { at: daysAgo(0) } }, { pausedDays: 30 }],
  "entered-at-risk": [{ band: "watch" }, { band: "at_risk", score: 38 }, { band: "watch", score: 55 }],
  "onboarding-check": [
    { tenureDays: 6, cycleIndex: 1, segmentKey: "new:mid" },
    { tenureDays: 7, cycleIndex: 1, segmentKey: "new:mid" },
    { tenureDays: 6, cycleIndex: 1, segmentKey: "new:mid" },
  ],
  "loyalty-ask": [{ tenureDays: 200 }, { tenureDays: 200, upgradesLast90Days: 1 }, { tenureDays: 150, upgradesLast90Days: 2 }],
};

describe("default playbook", () => {
  it("is a valid playbook of retention triggers with owners, SLAs and stable metric names", () => {
    const parsed = parsePlaybook(defaultPlaybook());
    expect(parsed.ok).toBe(true);
    expect(DEFAULT_PLAYBOOK.map((t) => t.id).sort()).toEqual(Object.keys(CASES).sort());
    for (const t of DEFAULT_PLAYBOOK) {
      expect(t.owner).toBe("Store owner");
      expect(t.slaHours).toBeGreaterThan(0);
      for (const p of t.plays) if (p.kind === "klaviyo_event") expect(LIFELINE_METRIC_NAMES).toContain(p.metric);
    }
  });

  it("never holds out payment, card or first-cycle service plays", () => {
    for (const id of ["payment-failed-soft", "payment-failed-hard", "card-expiring", "first-cycle-ticket"]) {
      expect(DEFAULT_PLAYBOOK.find((t) => t.id === id)!.holdoutPercent).toBe(0);
    }
  });

  it("the service recovery trigger is urgent with a short SLA, task plus event", () => {
    const t = DEFAULT_PLAYBOOK.find((x) => x.id === "first-cycle-ticket")!;
    expect(t.priority).toBe("urgent");
    expect(t.slaHours).toBeLessThanOrEqual(8);
    expect(t.plays.map((p) => p.kind).sort()).toEqual(["klaviyo_event", "task"]);
  });

  it("a quiet, healthy subscriber fires nothing", () => {
    expect(fired(snap(), snap())).toEqual([]);
  });

  for (const [id, [prev, hit, miss]] of Object.entries(CASES)) {
    it(`${id}: fires on its sequence and not on a near miss`, () => {
      expect(fired(snap(prev), snap(hit))).toContain(id);
      expect(fired(snap(prev), snap(miss))).not.toContain(id);
      // and not again while the condition stays true
      expect(fired(snap(hit), snap(hit))).not.toContain(id);
    });
  }

  it("a new subscriber seen for the first time a week in gets the onboarding check", () => {
    expect(fired(null as never, snap({ tenureDays: 8, cycleIndex: 1 }))).toContain("onboarding-check");
    expect(fired(null as never, snap({ tenureDays: 40, cycleIndex: 2 }))).not.toContain("onboarding-check");
  });
});
