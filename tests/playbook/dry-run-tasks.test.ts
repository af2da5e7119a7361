import { describe, expect, it } from "vitest";
import { dryRun, type SubscriberHistory } from "~/playbook/dry-run";
import { closeTask, isOverdue, snoozeTask, validateTaskClose, type PlaybookTask } from "~/playbook/tasks";
import { daysAgo, NOW, snap, trigger } from "./fixtures";

/** One snapshot a day for `days` days ending today, skips given per day-ago. */
function history(id: string, days: number, skipsOn: (dayAgo: number) => number): SubscriberHistory {
  const snapshots = [];
  for (let d = days - 1; d >= 0; d--) {
    snapshots.push({ at: daysAgo(d), snapshot: snap({ subscriberId: id, consecutiveSkips: skipsOn(d) }) });
  }
  return { subscriberId: id, snapshots };
}

describe("dry run", () => {
  const t = trigger({ cooldownDays: 14, enabled: false });

  it("counts edges, applies cooldown, buckets by week and lists who", () => {
    const histories = [
      // true on days-ago 60..55, false, true again 50..: second edge inside 14 days -> cooldown
      history("a", 100, (d) => ((d <= 60 && d >= 55) || d <= 50 ? 2 : 0)),
      // true 30..20, false, true 5..0: two firings
      history("b", 90, (d) => ((d <= 30 && d >= 20) || d <= 5 ? 2 : 0)),
      // never two skips
      history("c", 90, () => 1),
      // true on day 100 ago, before the window and never false since: no edge inside the window
      history("d", 120, (d) => (d <= 100 ? 2 : 0)),
    ];
    const r = dryRun(t, histories, { now: NOW });
    expect(r.totalFirings).toBe(3);
    expect(r.suppressed).toEqual({ segment: 0, cooldown: 1 });
    expect(r.subscriberIds).toEqual(["a", "b"]);
    expect(r.subscribersAffected).toBe(2);
    expect(r.truncated).toBe(false);
    expect(r.perWeek.reduce((s, w) => s + w.count, 0)).toBe(3);
    expect(r.perWeek.length).toBeGreaterThanOrEqual(13);
    // NOW is Monday 2025-06-02: b's second firing (Wednesday, 5 days ago) falls in the previous week.
    expect(r.perWeek.at(-1)).toEqual({ weekStart: "2025-06-02", count: 0 });
    expect(r.perWeek.at(-2)).toEqual({ weekStart: "2025-05-26", count: 1 });
  });

  it("caps the subscriber list", () => {
    const many = Array.from({ length: 5 }, (_, i) => history(`s${i}`, 3, (d) => (d === 0 ? 2 : 0)));
    const r = dryRun(t, many, { now: NOW, maxSubscriberIds: 2 });
    expect(r.totalFirings).toBe(5);
    expect(r.subscriberIds).toEqual(["s0", "s1"]);
    expect(r.truncated).toBe(true);
  });
});

describe("tasks", () => {
  const task: PlaybookTask = { status: "open", createdAt: NOW, slaHours: 4 };
  const at = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

  it("is overdue past its SLA unless done or snoozed into the future", () => {
    expect(isOverdue(task, at(3))).toBe(false);
    expect(isOverdue(task, at(5))).toBe(true);
    const snoozed = snoozeTask(task, at(24), at(1));
    expect(snoozed.ok && isOverdue(snoozed.task, at(5))).toBe(false);
    expect(snoozed.ok && isOverdue(snoozed.task, at(25))).toBe(true);
  });

  it("closing requires a reason code from the list", () => {
    const missing = validateTaskClose({});
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error).toMatch(/Choose a reason.*resolved.*false_positive/);
    const wrong = closeTask(task, { reason: "done" }, at(1));
    expect(!wrong.ok && wrong.error).toBe(
      '"done" is not a close reason; use one of: resolved, subscriber_recovered, false_positive, could_not_reach, churned_anyway.',
    );
    const ok = closeTask(task, { reason: "false_positive", note: "  already resolved by phone " }, at(1));
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.task).toMatchObject({ status: "done", closeReason: "false_positive", closeNote: "already resolved by phone", closedAt: at(1) });
    expect(isOverdue(ok.task, at(100))).toBe(false);
    expect(closeTask(ok.task, { reason: "resolved" }, at(2)).ok).toBe(false);
  });
});
