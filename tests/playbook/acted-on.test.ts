// "Acted on" and the outcome figures, as every page reads them (measure.ts).
import { describe, expect, it } from "vitest";
import { actedOn, measureTrigger, type FiringRecord } from "~/playbook/measure";

const delivered = new Date("2026-11-30T10:00:00Z");

describe("acted on", () => {
  it("is a delivered play for a firing that gave the team no task", () => {
    expect(actedOn({ task: null, actionAt: delivered })).toBe(true);
    expect(actedOn({ task: null, actionAt: null })).toBe(false);
  });

  it("is a worked task for a firing with one, whatever Klaviyo was sent", () => {
    // The Klaviyo event beside the task was delivered (actionAt), but nobody has worked the task.
    expect(actedOn({ task: { closeReason: null }, actionAt: delivered })).toBe(false);
    expect(actedOn({ task: { closeReason: "resolved" }, actionAt: delivered })).toBe(true);
    expect(actedOn({ task: { closeReason: "could_not_reach" }, actionAt: null })).toBe(true);
  });

  it("is not a task closed as a false alarm, or closed for the team without anyone working it", () => {
    expect(actedOn({ task: { closeReason: "false_positive" }, actionAt: delivered })).toBe(false);
    expect(actedOn({ task: { closeReason: "cancelled" }, actionAt: delivered })).toBe(false);
  });
});

describe("outcome figures", () => {
  const due = (iso: string) => new Date(iso);
  const pending = (over: Partial<FiringRecord>): FiringRecord => ({ triggerId: "t", holdout: false, actedOn: true, outcome: "pending", ...over });

  it("has none while every outcome window is open, and says when the first one closes", () => {
    const m = measureTrigger("t", [
      pending({ outcomeDueAt: due("2027-01-13T10:00:00Z") }),
      pending({ outcomeDueAt: due("2026-12-13T16:00:00Z") }),
      pending({ holdout: true, actedOn: false, outcomeDueAt: due("2026-12-20T00:00:00Z") }),
    ]);
    expect(m.triggerToAction).toEqual({ successes: 2, n: 2, rate: 1 });
    expect(m.decidedOutcomes).toBe(0);
    expect(m.actionToOutcome.rate).toBeNull();
    expect(m.nextOutcomeAt).toEqual(due("2026-12-13T16:00:00Z"));
  });

  it("counts decided outcomes in both groups, and the next window only among the pending", () => {
    const m = measureTrigger("t", [
      pending({ outcome: "retained", outcomeDueAt: due("2026-10-01T00:00:00Z") }),
      pending({ holdout: true, outcome: "cancelled", outcomeDueAt: due("2026-10-02T00:00:00Z") }),
      pending({ outcomeDueAt: due("2026-12-31T00:00:00Z") }),
    ]);
    expect(m.decidedOutcomes).toBe(2);
    expect(m.holdoutFirings).toBe(1);
    expect(m.nextOutcomeAt).toEqual(due("2026-12-31T00:00:00Z"));
  });
});
