import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PLAYBOOK } from "~/playbook/defaults";
import { dryRunTrigger } from "~/playbook/dry-run.server";
import { decideOutcome, type OutcomeInput } from "~/playbook/outcome";
import { recordOutcomes, triggerReport } from "~/playbook/outcomes.server";
import { ensurePlaybook } from "~/models/triggers.server";
import { T0, addEvents, at, createSubscriber, event, prisma } from "./support";

let shop = "";
let n = 0;
beforeEach(async () => {
  shop = `measure-${++n}.myshopify.com`;
  await prisma.$transaction((tx) => ensurePlaybook(tx, shop));
});

describe("decideOutcome: what happened by the end of the window", () => {
  const base = (over: Partial<OutcomeInput>): OutcomeInput => ({
    kind: "retention",
    firedAt: at(-30),
    dueAt: at(-1),
    timeline: [event("contract.created", at(-400))],
    currentStatus: "active",
    ...over,
  });

  it("still subscribed is retained; cancelled within the window is cancelled", () => {
    expect(decideOutcome(base({}))).toBe("retained");
    expect(decideOutcome(base({ timeline: [event("contract.created", at(-400)), event("contract.cancelled", at(-10))] }))).toBe("cancelled");
  });

  it("reads the state at the window's end, not today's", () => {
    const later = [event("contract.created", at(-400)), event("contract.cancelled", at(0))];
    expect(decideOutcome(base({ timeline: later, currentStatus: "cancelled" }))).toBe("retained");
  });

  it("a payment play is recovered by a later successful charge", () => {
    const charged = [event("contract.created", at(-400)), event("billing.failed", at(-31)), event("billing.succeeded", at(-20))];
    expect(decideOutcome(base({ kind: "payment", timeline: charged }))).toBe("recovered");
    expect(decideOutcome(base({ kind: "payment" }))).toBe("retained");
    expect(decideOutcome(base({ kind: "payment", timeline: [...charged, event("contract.cancelled", at(-5))] }))).toBe("cancelled");
  });

  it("a win-back succeeds when the subscriber comes back, and is churned otherwise", () => {
    const gone = [event("contract.created", at(-400)), event("contract.cancelled", at(-31))];
    expect(decideOutcome(base({ kind: "winback", timeline: gone }))).toBe("churned");
    expect(decideOutcome(base({ kind: "winback", timeline: [...gone, event("contract.activated", at(-10))] }))).toBe("recovered");
  });

  it("without contract events, falls back on the subscriber's stored status", () => {
    expect(decideOutcome(base({ timeline: [], currentStatus: "cancelled" }))).toBe("cancelled");
  });
});

async function firing(subscriberId: string, triggerKey: string, firedAt: Date, outcomeDueAt: Date, over: { holdout?: boolean; actionAt?: Date | null; outcome?: string | null } = {}) {
  return prisma.firing.create({
    data: {
      shop,
      triggerKey,
      subscriberId,
      firedAt,
      outcomeDueAt,
      holdout: over.holdout ?? false,
      actionAt: over.actionAt ?? null,
      outcome: over.outcome ?? null,
      reasons: "[]",
      snapshot: "{}",
    },
  });
}

describe("recordOutcomes", () => {
  it("writes the outcome of every firing whose window has closed, once", async () => {
    const s = (name: string) => createSubscriber(shop, `${shop}-${name}`);
    const [gone, paid, stayed, waiting] = await Promise.all([s("gone"), s("paid"), s("stayed"), s("waiting")]);
    for (const id of [gone, paid, stayed, waiting]) await addEvents(shop, id, [event("contract.created", at(-400))]);
    await addEvents(shop, gone, [event("contract.cancelled", at(-20))]);
    await addEvents(shop, paid, [event("billing.failed", at(-21)), event("billing.succeeded", at(-15))]);

    const f1 = await firing(gone, "skip-streak", at(-70), at(-10));
    const f2 = await firing(paid, "payment-failed-soft", at(-20), at(-6));
    const f3 = await firing(stayed, "skip-streak", at(-70), at(-10));
    const f4 = await firing(waiting, "skip-streak", at(-5), at(55));

    expect(await recordOutcomes(shop, T0)).toBe(3);
    const outcome = async (id: string) => prisma.firing.findUniqueOrThrow({ where: { id }, select: { outcome: true, outcomeAt: true } });
    expect(await outcome(f1.id)).toEqual({ outcome: "cancelled", outcomeAt: at(-10) });
    expect(await outcome(f2.id)).toEqual({ outcome: "recovered", outcomeAt: at(-6) });
    expect(await outcome(f3.id)).toEqual({ outcome: "retained", outcomeAt: at(-10) });
    expect(await outcome(f4.id)).toEqual({ outcome: null, outcomeAt: null });
    expect(await recordOutcomes(shop, T0)).toBe(0);
  });
});

describe("triggerReport", () => {
  it("reports firings, action, outcome and false positives per trigger, and holds lift back on a small sample", async () => {
    const id = await createSubscriber(shop, `${shop}-s`);
    // Skip streak: 4 treated (2 acted on, both retained; 1 cancelled without action), 2 held out.
    await firing(id, "skip-streak", at(-90), at(-30), { actionAt: at(-89), outcome: "retained" });
    await firing(id, "skip-streak", at(-80), at(-20), { actionAt: at(-79), outcome: "retained" });
    await firing(id, "skip-streak", at(-70), at(-10), { outcome: "cancelled" });
    await firing(id, "skip-streak", at(-5), at(55));
    await firing(id, "skip-streak", at(-60), at(-1), { holdout: true, outcome: "cancelled" });
    await firing(id, "skip-streak", at(-50), at(-2), { holdout: true, outcome: "retained" });
    // Hard declines with tasks: one closed as a false alarm, one resolved.
    for (const [i, reason] of (["false_positive", "resolved"] as const).entries()) {
      const f = await firing(id, "payment-failed-hard", at(-40 + i), at(-26 + i));
      await prisma.task.create({
        data: { shop, firingId: f.id, subscriberId: id, title: "t", suggestedAction: "a", reasons: "[]", owner: "o", priority: "urgent", dueAt: at(-39), status: "done", closeReason: reason },
      });
    }

    const report = await triggerReport(shop);
    expect(report.map((r) => r.triggerId)).toEqual(["payment-failed-hard", "skip-streak"]);
    const skips = report.find((r) => r.triggerId === "skip-streak")!;
    expect(skips).toMatchObject({ triggerName: "Two skips in a row", firings: 6, treatedFirings: 4, holdoutFirings: 2 });
    expect(skips.triggerToAction).toEqual({ successes: 2, n: 4, rate: 0.5 });
    expect(skips.actionToOutcome).toEqual({ successes: 2, n: 2, rate: 1 });
    expect(skips.lift).toEqual({ kind: "insufficient_sample", treatedN: 3, holdoutN: 2, minPerGroup: 30 });
    const hard = report.find((r) => r.triggerId === "payment-failed-hard")!;
    expect(hard.falsePositive).toEqual({ successes: 1, n: 2, rate: 0.5 });

    const small = await triggerReport(shop, { minSamplePerGroup: 2 });
    const lift = small.find((r) => r.triggerId === "skip-streak")!.lift;
    expect(lift).toMatchObject({ kind: "estimate", treatedRetention: 2 / 3, holdoutRetention: 0.5 });
  });
});

describe("dryRunTrigger", () => {
  const skipStreak = DEFAULT_PLAYBOOK.find((t) => t.id === "skip-streak")!;

  it("counts what the trigger would have done over the last 90 days of stored timelines", async () => {
    const s = (name: string) => createSubscriber(shop, `${shop}-${name}`);
    const once = await s("once");
    const never = await s("never");
    const before = await s("before");
    const twice = await s("twice");
    const created = event("contract.created", at(-400));
    await addEvents(shop, once, [created, event("cycle.skipped", at(-40)), event("cycle.skipped", at(-35))]);
    await addEvents(shop, never, [created, event("cycle.skipped", at(-35))]);
    // Already two skips in a row before the window: no new edge inside it.
    await addEvents(shop, before, [created, event("cycle.skipped", at(-200)), event("cycle.skipped", at(-150))]);
    // Two streaks, far enough apart for the 30-day cooldown.
    await addEvents(shop, twice, [
      created,
      event("cycle.skipped", at(-80)),
      event("cycle.skipped", at(-75)),
      event("billing.succeeded", at(-60)),
      event("cycle.skipped", at(-30)),
      event("cycle.skipped", at(-25)),
    ]);

    const run = await dryRunTrigger(shop, skipStreak, T0);
    if (!run.ok) throw new Error(run.errors.join("; "));
    expect(run.result).toMatchObject({ triggerId: "skip-streak", totalFirings: 3, subscribersAffected: 2, truncated: false });
    expect(run.result.subscriberIds.sort()).toEqual([once, twice].sort());
    expect(run.result.perWeek.reduce((sum, w) => sum + w.count, 0)).toBe(3);
  });

  it("refuses an invalid trigger with the reasons", async () => {
    const run = await dryRunTrigger(shop, { ...skipStreak, cooldownDays: -1 }, T0);
    expect(run).toEqual({ ok: false, errors: ["cooldownDays: cooldownDays must be at least 0"] });
  });
});
