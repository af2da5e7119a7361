import { beforeEach, describe, expect, it } from "vitest";
import { assignTask, closeTask, listTasks, markContacted, snoozeTask } from "~/models/tasks.server";
import { T0, at, createSubscriber, prisma } from "./support";

const HOUR = 3_600_000;
let shop = "";
let n = 0;
let subscriberId = "";
beforeEach(async () => {
  shop = `tasks-${++n}.myshopify.com`;
  subscriberId = await createSubscriber(shop, `${shop}-s`);
});

/** A task from a firing, due `dueInHours` after T0. */
async function task(title: string, dueInHours: number, over: { status?: string; snoozedUntil?: Date } = {}) {
  const firing = await prisma.firing.create({
    data: {
      shop,
      triggerKey: "payment-failed-hard",
      subscriberId,
      firedAt: new Date(T0.getTime() + dueInHours * HOUR),
      holdout: false,
      reasons: "[]",
      snapshot: "{}",
      outcomeDueAt: at(14),
    },
  });
  return prisma.task.create({
    data: {
      shop,
      firingId: firing.id,
      subscriberId,
      title,
      suggestedAction: "Call",
      reasons: "[]",
      owner: "Store owner",
      priority: "urgent",
      dueAt: new Date(T0.getTime() + dueInHours * HOUR),
      status: over.status ?? "open",
      snoozedUntil: over.snoozedUntil ?? null,
      createdAt: new Date(T0.getTime() - 24 * HOUR),
    },
  });
}

const titles = (tasks: { title: string }[]) => tasks.map((t) => t.title);

describe("the task inbox", () => {
  it("lists overdue tasks first, then by due time", async () => {
    await task("due in 5h", 5);
    await task("overdue 1h", -1);
    await task("due in 2h", 2);
    await task("overdue 10h", -10);
    const inbox = await listTasks(shop, { now: T0 });
    expect(titles(inbox)).toEqual(["overdue 10h", "overdue 1h", "due in 2h", "due in 5h"]);
    expect(inbox.map((t) => t.overdue)).toEqual([true, true, false, false]);
  });

  it("a snoozed task leaves the inbox until its snooze ends", async () => {
    await task("open", 5);
    const snoozed = await task("later", -3);
    expect((await snoozeTask(shop, snoozed.id, at(2), T0)).ok).toBe(true);
    expect(titles(await listTasks(shop, { now: T0 }))).toEqual(["open"]);
    expect(titles(await listTasks(shop, { status: "snoozed", now: T0 }))).toEqual(["later"]);
    expect(titles(await listTasks(shop, { now: at(3) }))).toEqual(["later", "open"]); // back, and overdue
  });

  it("a snooze must end in the future", async () => {
    const t = await task("t", 5);
    expect(await snoozeTask(shop, t.id, at(-1), T0)).toEqual({ ok: false, status: 400, error: "Snooze until a time in the future." });
  });

  it("assigns an owner", async () => {
    const t = await task("t", 5);
    const result = await assignTask(shop, t.id, "  Grace ");
    expect(result.ok && result.task.owner).toBe("Grace");
    expect((await assignTask(shop, t.id, " ")).ok).toBe(false);
  });

  it("refuses to close a task without a reason code, and says which reasons exist", async () => {
    const t = await task("t", 5);
    const result = await closeTask(shop, t.id, { note: "done" }, T0);
    expect(result).toEqual({
      ok: false,
      status: 400,
      error: "Choose a reason to close this task: resolved, subscriber_recovered, false_positive, could_not_reach, churned_anyway.",
    });
    expect((await closeTask(shop, t.id, { reason: "done" }, T0)).ok).toBe(false);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("open");
  });

  it("closes with a reason and note, and counts as the firing's action", async () => {
    const t = await task("t", 5);
    const result = await closeTask(shop, t.id, { reason: "subscriber_recovered", note: " Card updated on the phone " }, T0);
    expect(result.ok && result.task).toMatchObject({ status: "done", closeReason: "subscriber_recovered", note: "Card updated on the phone", closedAt: T0 });
    expect((await prisma.firing.findUniqueOrThrow({ where: { id: t.firingId! } })).actionAt).toEqual(T0);
    expect(await closeTask(shop, t.id, { reason: "resolved" }, T0)).toMatchObject({ ok: false, status: 409 });
    expect(titles(await listTasks(shop, { status: "done", now: T0 }))).toEqual(["t"]);
  });

  it("closing as a false positive is not an action on the subscriber", async () => {
    const t = await task("t", 5);
    await closeTask(shop, t.id, { reason: "false_positive" }, T0);
    expect((await prisma.firing.findUniqueOrThrow({ where: { id: t.firingId! } })).actionAt).toBeNull();
  });

  it("marking contacted records the first action time and leaves the task open", async () => {
    const t = await task("t", 5);
    await markContacted(shop, t.id, T0);
    await markContacted(shop, t.id, at(1));
    expect((await prisma.firing.findUniqueOrThrow({ where: { id: t.firingId! } })).actionAt).toEqual(T0);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("open");
  });

  it("another shop's task is not found, whatever the operation", async () => {
    const t = await task("t", 5);
    const other = "someone-else.myshopify.com";
    const notFound = { ok: false, status: 404, error: "Task not found." };
    expect(await snoozeTask(other, t.id, at(1), T0)).toEqual(notFound);
    expect(await assignTask(other, t.id, "Mallory")).toEqual(notFound);
    expect(await closeTask(other, t.id, { reason: "resolved" }, T0)).toEqual(notFound);
    expect(await markContacted(other, t.id, T0)).toEqual(notFound);
    expect(await listTasks(other, { status: "all", now: T0 })).toEqual([]);
    expect(await prisma.task.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ status: "open", owner: "Store owner" });
  });
});
