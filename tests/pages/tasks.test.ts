// The task inbox's loader and actions, on a simulated store with playbook tasks in its inbox.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action, loader } from "~/routes/app.tasks";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";
import { pageLabel } from "~/pages/tasks/task-options";

const SHOP = "tasks-page.myshopify.com";
const OTHER = "someone-else.myshopify.com";
const HOUR = 3_600_000;

/**
 * The tasks the playbook's task triggers leave behind, due at different times around now.
 * (A seeded store's first score fires only for trouble in its last few days, which some days
 * it has and some days not: the inbox is emptied and filled here, with a firing per task as
 * the engine writes them.)
 */
const FIXTURES = [
  { triggerKey: "payment-failed-hard", title: "Payment failed (card must be updated)", dueInHours: 20, priority: "urgent" },
  { triggerKey: "first-cycle-ticket", title: "Support ticket in the first cycle", dueInHours: -30, priority: "high" },
  { triggerKey: "crossed-at-risk", title: "Crossed into at risk", dueInHours: 3, priority: "normal" },
  { triggerKey: "winback", title: "Cancelled: win back", dueInHours: -2, priority: "normal" },
  { triggerKey: "crossed-at-risk", title: "Crossed into at risk", dueInHours: 40, priority: "normal" },
  { triggerKey: "payment-failed-hard", title: "Payment failed (card must be updated)", dueInHours: -5, priority: "urgent" },
];

async function fillInbox(shop: string) {
  await prisma.task.deleteMany({ where: { shop } });
  await prisma.firing.deleteMany({ where: { shop } });
  const now = Date.now();
  const subscribers = await prisma.subscriber.findMany({ where: { shop }, take: FIXTURES.length, orderBy: { id: "asc" }, select: { id: true } });
  for (const [i, f] of FIXTURES.entries()) {
    const subscriberId = subscribers[i].id;
    const firedAt = new Date(now - 48 * HOUR + i * 1000);
    const reasons = JSON.stringify([`Reason ${i} for ${f.title}`]);
    const firing = await prisma.firing.create({
      data: { shop, triggerKey: f.triggerKey, subscriberId, firedAt, holdout: false, reasons, snapshot: "{}", outcomeDueAt: new Date(now + 30 * 24 * HOUR) },
    });
    await prisma.task.create({
      data: {
        shop,
        firingId: firing.id,
        subscriberId,
        title: f.title,
        suggestedAction: "Contact the subscriber.",
        reasons,
        owner: "Store owner",
        priority: f.priority,
        dueAt: new Date(now + f.dueInHours * HOUR),
        createdAt: firedAt,
      },
    });
  }
}

beforeAll(async () => {
  await seededShop(SHOP, { subscribers: 120 });
  await seededShop(OTHER, { subscribers: 40, seed: 3 });
  await fillInbox(SHOP);
  await fillInbox(OTHER);
}, 120_000);

const inbox = async (query = "") => (await callRoute(loader, adminRequest(SHOP, `/app/tasks${query}`))).body;
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
const post = (shop: string, form: Record<string, string>) => callRoute(action, adminRequest(shop, "/app/tasks", { form }));

function dayAfter(days: number): string {
  return new Date(Date.now() + days * 24 * HOUR).toISOString().slice(0, 10);
}

describe("the task inbox", () => {
  it("lists overdue tasks first, then by due time, with what the merchant needs to act", async () => {
    const { rows, counts } = await inbox();
    const hoursLeft = rows.map((r: any) => Math.round((new Date(r.dueAt).getTime() - Date.now()) / HOUR));
    expect(hoursLeft).toEqual([-30, -5, -2, 3, 20, 40]);
    expect(rows.map((r: any) => r.overdue)).toEqual([true, true, true, false, false, false]);
    expect(counts).toMatchObject({ open: 6, snoozed: 0, done: 0, all: 6 });
    expect(rows[0]).toMatchObject({
      title: "Support ticket in the first cycle",
      triggerKey: "first-cycle-ticket",
      priority: "high",
      suggestedAction: "Contact the subscriber.",
      reasons: ["Reason 1 for Support ticket in the first cycle"],
    });
    for (const r of rows) {
      expect(r.subscriber.id).toMatch(/\S/);
      expect(r.subscriber.name).toMatch(/\S/);
    }
  });

  it("refuses to close a task without a reason, with a field error, and leaves it open", async () => {
    const [first] = (await inbox()).rows;
    const { status, body } = await post(SHOP, { intent: "close", taskId: first.id });
    expect(status).toBe(400);
    expect(body.fieldErrors.reason).toBe("Choose why you are closing this task.");
    expect((await prisma.task.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("open");
    expect(ids((await inbox()).rows)).toContain(first.id);
  });

  it("moves a task closed with a reason from open to done", async () => {
    const [first] = (await inbox()).rows;
    const { status, body } = await post(SHOP, { intent: "close", taskId: first.id, reason: "could_not_reach", note: "Voicemail twice" });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(ids((await inbox()).rows)).not.toContain(first.id);
    const done = (await inbox("?tab=done")).rows.find((r: any) => r.id === first.id);
    expect(done).toMatchObject({ status: "done", closeReason: "could_not_reach", note: "Voicemail twice" });
  });

  it("hides a snoozed task from open until the day it was snoozed to", async () => {
    const [first] = (await inbox()).rows;
    const { status } = await post(SHOP, { intent: "snooze", taskId: first.id, until: dayAfter(7) });
    expect(status).toBe(200);
    expect(ids((await inbox()).rows)).not.toContain(first.id);
    expect(ids((await inbox("?tab=snoozed")).rows)).toContain(first.id);
  });

  it("refuses a snooze into the past", async () => {
    const [first] = (await inbox()).rows;
    const { status, body } = await post(SHOP, { intent: "snooze", taskId: first.id, until: dayAfter(-2) });
    expect(status).toBe(400);
    expect(body.error).toBe("Snooze until a time in the future.");
    expect(ids((await inbox()).rows)).toContain(first.id);
  });

  it("filters by owner once a task is assigned", async () => {
    const [, second] = (await inbox()).rows;
    expect((await post(SHOP, { intent: "assign", taskId: second.id, owner: "  Grace " })).status).toBe(200);
    const mine = await inbox("?owner=Grace");
    expect(ids(mine.rows)).toEqual([second.id]);
    expect(mine.owners).toContain("Grace");
  });

  it("answers 404 for another shop's task and leaves it untouched", async () => {
    const theirs = (await callRoute(loader, adminRequest(OTHER, "/app/tasks"))).body.rows[0];
    if (!theirs) throw new Error("the other shop has no open task to try");
    expect((await post(SHOP, { intent: "close", taskId: theirs.id, reason: "resolved" })).status).toBe(404);
    expect((await post(SHOP, { intent: "snooze", taskId: theirs.id, until: dayAfter(3) })).status).toBe(404);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("open");
    expect(ids((await inbox("?tab=all")).rows)).not.toContain(theirs.id);
  });

  it("closes the selected tasks together with one reason, and only this shop's", async () => {
    await fillInbox(SHOP);
    const [a, b] = (await inbox()).rows;
    const theirs = (await callRoute(loader, adminRequest(OTHER, "/app/tasks"))).body.rows[0];
    const { status, body } = await post(SHOP, { intent: "close_many", taskIds: [a.id, b.id, theirs.id].join(","), reason: "resolved" });
    expect(status).toBe(200);
    expect(body.message).toBe("2 tasks closed: Handled: nothing more to do");
    const done = await prisma.task.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(done.map((t) => [t.status, t.closeReason])).toEqual([
      ["done", "resolved"],
      ["done", "resolved"],
    ]);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("open");
    expect((await inbox()).counts.open).toBe(FIXTURES.length - 2);
  });

  it("refuses a bulk close without a reason, and closes nothing", async () => {
    await fillInbox(SHOP);
    const rows = (await inbox()).rows;
    const { status, body } = await post(SHOP, { intent: "close_many", taskIds: rows.map((r: any) => r.id).join(",") });
    expect(status).toBe(400);
    expect(body.fieldErrors.reason).toBe("Choose why you are closing this task.");
    expect((await inbox()).counts.open).toBe(FIXTURES.length);
  });

  it("pages through a long inbox fifty at a time, with the tab's count", async () => {
    await fillInbox(SHOP);
    const subscriber = await prisma.subscriber.findFirstOrThrow({ where: { shop: SHOP }, select: { id: true } });
    const due = Date.now() + 100 * HOUR;
    await prisma.task.createMany({
      data: Array.from({ length: 54 }, (_, i) => ({ shop: SHOP, subscriberId: subscriber.id, title: `Later ${i}`, suggestedAction: "Call", reasons: "[]", owner: "Store owner", priority: "low", dueAt: new Date(due + i * HOUR) })),
    });
    const first = await inbox();
    expect(first.counts.open).toBe(60);
    expect([first.page, first.pageSize, first.rows.length]).toEqual([1, 50, 50]);
    const second = await inbox("?page=2");
    expect(second.rows.length).toBe(10);
    expect(second.rows.at(-1).title).toBe("Later 53");
    expect(new Set([...ids(first.rows), ...ids(second.rows)]).size).toBe(60);
    expect(pageLabel(2, 50, 1056)).toBe("51-100 of 1,056");
    expect(pageLabel(1, 50, 1056)).toBe("1-50 of 1,056");
  });
});
