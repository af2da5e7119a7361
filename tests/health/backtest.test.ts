import { describe, expect, it } from "vitest";
import {
  backtest,
  defaultHealthConfig,
  factsAt,
  scoreWith,
  type BacktestSubject,
  type ScoreAt,
} from "../../app/health";
import type { TimelineEvent } from "../../app/domain/timeline";
import { created, decline, edit, ev, facts, newCard, order } from "./factory";

const DAY = 86_400_000;
const T0 = new Date("2025-01-01T00:00:00Z");
const at = (day: number) => new Date(T0.getTime() + day * DAY);
/** Events relative to T0: the factory counts back from its NOW, so shift by day offsets. */
const on = (day: number, e: TimelineEvent): TimelineEvent => ({ ...e, occurredAt: at(day) });

const checkpoints = [at(0), at(30), at(60)];
const score = scoreWith(defaultHealthConfig);

function subject(cancelDay: number | null, events: TimelineEvent[] = []): BacktestSubject {
  return {
    timeline: [on(-400, created(0)), ...events],
    facts: facts({ firstSubscribedAt: at(-400) }),
    cancelledAt: cancelDay === null ? null : at(cancelDay),
  };
}

describe("backtest", () => {
  it("reports not enough data below the minimum cancels", () => {
    const subjects = [subject(10), subject(null), subject(null)];
    const r = backtest(subjects, score, checkpoints, 30);
    expect(r).toMatchObject({ status: "not_enough_data", cancels: 1, minimum: 20 });
    expect(r.status === "not_enough_data" && r.message).toMatch(/Only 1 subscriber cancelled/);
  });

  it("does not look ahead: an event after a checkpoint does not change that checkpoint's score", () => {
    const quiet = subject(null);
    const later = subject(null, [on(10, decline(0, "EXPIRED_PAYMENT_METHOD"))]);
    const run = (s: BacktestSubject) => backtest([s], score, [at(5)], 30, { minimumCancels: 0 });
    const a = run(quiet);
    const b = run(later);
    expect(a.status === "ok" && b.status === "ok").toBe(true);
    if (a.status === "ok" && b.status === "ok") expect(b.observations[0].score).toBe(a.observations[0].score);
  });

  it("hands the scorer only events up to the checkpoint", () => {
    let latest = 0;
    const spy: ScoreAt = (timeline, f, now) => {
      for (const e of timeline) if (e.occurredAt > now) latest++;
      return score(timeline, f, now);
    };
    backtest([subject(null, [on(10, order(0)), on(45, order(0))])], spy, checkpoints, 30, { minimumCancels: 0 });
    expect(latest).toBe(0);
  });

  it("labels churn within the horizon and skips subscribers already gone", () => {
    const r = backtest([subject(45)], score, checkpoints, 30, { minimumCancels: 0 });
    if (r.status !== "ok") throw new Error("expected ok");
    // day 0: cancels 45 days later (outside 30), day 30: within, day 60: already cancelled
    expect(r.observations.map((o) => o.churned)).toEqual([false, true]);
  });

  it("finds that declines predict cancels when they do", () => {
    const subjects: BacktestSubject[] = [];
    for (let i = 0; i < 25; i++) subjects.push(subject(40, [on(25, decline(0, "EXPIRED_PAYMENT_METHOD"))]));
    for (let i = 0; i < 25; i++) subjects.push(subject(null, [on(20, order(0))]));
    const r = backtest(subjects, score, [at(30)], 30);
    if (r.status !== "ok") throw new Error(`expected ok, got ${r.status}`);
    expect(r.cancels).toBe(25);
    expect(r.auc).toBe(1);
    expect(r.atK.precision).toBe(1);
    expect(r.lift).toBe(2);
    expect(r.calibration.find((c) => c.band === "healthy")!.churned).toBe(0);
  });
});

describe("facts at a checkpoint", () => {
  const latest = facts({ monthlyValue: 35, cardExpiry: { month: 1, year: 2031 }, firstSubscribedAt: at(-400), billingIntervalDays: 30 });
  const timeline = [on(-400, created(0)), on(-10, order(0)), on(20, edit(0, 60, 35)), on(25, newCard(0, 1, 2031))];

  it("undoes plan edits made after the checkpoint", () => {
    expect(factsAt(latest, timeline, at(0)).monthlyValue).toBe(60);
  });

  it("does not know the card from before an unseen card change", () => {
    expect(factsAt(latest, timeline, at(0)).cardExpiry).toBeNull();
    expect(factsAt(latest, timeline, at(30)).cardExpiry).toEqual({ month: 1, year: 2031 });
  });

  it("estimates the next billing one interval after the last charge", () => {
    expect(factsAt(latest, timeline, at(0)).nextBillingAt).toEqual(at(20));
  });

  it("keeps unrelated facts", () => {
    const withPause = [...timeline, on(-5, ev("contract.paused", 0))];
    expect(factsAt(latest, withPause, at(0)).firstSubscribedAt).toEqual(at(-400));
  });
});
