// The weekly at-risk list's loader and actions, on a simulated store's real data.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action, loader } from "~/routes/app.at-risk";
import { loader as csvLoader } from "~/routes/app.at-risk[.]csv";
import { action as subscriberPageAction, loader as subscriberPageLoader } from "~/routes/app.subscribers.$id";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";

const SHOP = "at-risk-page.myshopify.com";
const OTHER = "someone-else.myshopify.com";

beforeAll(async () => {
  // A simulated store large enough to have a few subscribers at risk this week.
  await seededShop(SHOP, { subscribers: 800, seed: 5 });
  await seededShop(OTHER, { subscribers: 50, seed: 3 });
}, 60_000);

describe("the weekly at-risk list", () => {
  it("ranks this week's at-risk subscribers by monthly revenue at risk, each with reasons", async () => {
    const { status, body } = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(status).toBe(200);
    expect(body.rows.length).toBeGreaterThan(0);
    const values = body.rows.map((r: any) => r.monthlyValue);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    for (const row of body.rows) {
      expect(["at_risk", "critical"]).toContain(row.band);
      expect(row.reasons.length).toBeGreaterThan(0);
    }
  });

  it("refuses a request without a session token", async () => {
    const { status } = await callRoute(loader, adminRequest(SHOP, "/app/at-risk", { unauthenticated: true }));
    expect([302, 401]).toContain(status);
  });

  it("answers 404 when dismissing another shop's subscriber", async () => {
    const theirs = await prisma.subscriber.findFirstOrThrow({ where: { shop: OTHER }, select: { id: true } });
    const { status } = await callRoute(
      action,
      adminRequest(SHOP, "/app/at-risk", { form: { intent: "dismiss", subscriberId: theirs.id, reason: "false_positive" } }),
    );
    expect(status).toBe(404);
  });

  it("explains a dismissal without a reason, and changes nothing", async () => {
    const before = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const { status, body } = await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { intent: "dismiss", subscriberId: before.body.rows[0].subscriberId } }));
    expect(status).toBe(400);
    expect(body.error).toMatch(/why/i);
    const after = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(after.body.rows.length).toBe(before.body.rows.length);
  });

  it("takes a dismissed subscriber off the list to review and onto the dismissed tab", async () => {
    const before = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const first = before.body.rows[0];
    const { status } = await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { intent: "dismiss", subscriberId: first.subscriberId, reason: "false_positive" } }));
    expect(status).toBe(200);
    const after = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(after.body.rows.map((r: any) => r.subscriberId)).not.toContain(first.subscriberId);
    const dismissed = await callRoute(loader, adminRequest(SHOP, "/app/at-risk?view=dismissed"));
    expect(dismissed.body.rows.map((r: any) => r.subscriberId)).toContain(first.subscriberId);
  });

  it("dismissing a subscriber with two open tasks closes both, and the subscriber leaves the list", async () => {
    const before = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const row = before.body.rows[0];
    const now = new Date();
    for (const title of ["First play's task", "Second play's task"]) {
      await prisma.task.create({ data: { shop: SHOP, subscriberId: row.subscriberId as string, title, suggestedAction: "Reach out", reasons: "[]", owner: "Store owner", priority: "normal", dueAt: now, createdAt: now } });
    }
    expect(await prisma.task.count({ where: { shop: SHOP, subscriberId: row.subscriberId, status: { in: ["open", "snoozed"] } } })).toBeGreaterThanOrEqual(2);
    const { status } = await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { intent: "dismiss", subscriberId: row.subscriberId, reason: "false_positive" } }));
    expect(status).toBe(200);
    expect(await prisma.task.count({ where: { shop: SHOP, subscriberId: row.subscriberId, status: { in: ["open", "snoozed"] } } })).toBe(0);
    const after = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(after.body.rows.map((r: any) => r.subscriberId)).not.toContain(row.subscriberId);
  });

  it("marks a subscriber contacted without creating a task: the row says when, and nothing is overdue because of it", async () => {
    const before = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const row = before.body.rows.find((r: any) => r.task === null) ?? before.body.rows[0];
    const tasksBefore = await prisma.task.count({ where: { shop: SHOP, subscriberId: row.subscriberId } });
    const { status, body } = await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { intent: "contacted", subscriberId: row.subscriberId } }));
    expect(status).toBe(200);
    expect(body.message).toBe("Marked as contacted");
    expect(await prisma.task.count({ where: { shop: SHOP, subscriberId: row.subscriberId } })).toBe(tasksBefore);
    const subscriber = await prisma.subscriber.findUniqueOrThrow({ where: { id: row.subscriberId } });
    expect(subscriber.contactedAt).not.toBeNull();
    const after = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const shown = after.body.rows.find((r: any) => r.subscriberId === row.subscriberId);
    expect(shown.contactedAt).toBe(subscriber.contactedAt!.toISOString());
    expect(shown.task?.overdue ?? false).toBe(false);
  });

  it("notes the contact on the subscriber's open task, which stays open and is no longer shown overdue", async () => {
    const before = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const row = before.body.rows.at(-1);
    const past = new Date(Date.now() - 3 * 86_400_000);
    const task = await prisma.task.create({
      data: { shop: SHOP, subscriberId: row.subscriberId, title: "Call them", suggestedAction: "Call", reasons: "[]", owner: "Store owner", priority: "high", dueAt: past, createdAt: past },
    });
    const overdue = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(overdue.body.rows.find((r: any) => r.subscriberId === row.subscriberId).task.overdue).toBe(true);
    await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { intent: "contacted", subscriberId: row.subscriberId } }));
    const stored = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(stored.status).toBe("open");
    expect(stored.note).toMatch(/^Contacted /);
    const after = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const shown = after.body.rows.find((r: any) => r.subscriberId === row.subscriberId);
    expect(shown.task.overdue).toBe(false);
    expect(shown.contactedAt).not.toBeNull();
  });

  it("answers 404 when marking another shop's subscriber contacted, and marks nothing", async () => {
    const theirs = await prisma.subscriber.findFirstOrThrow({ where: { shop: OTHER }, select: { id: true } });
    const { status } = await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { intent: "contacted", subscriberId: theirs.id } }));
    expect(status).toBe(404);
    expect((await prisma.subscriber.findUniqueOrThrow({ where: { id: theirs.id } })).contactedAt).toBeNull();
  });

  it("undoes a dismissal: the subscriber is back on the list with their tasks open again", async () => {
    const before = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const row = before.body.rows[0];
    const dismissed = await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { intent: "dismiss", subscriberId: row.subscriberId, reason: "resolved" } }));
    expect(dismissed.body.undo.kind).toBe("dismiss");
    const off = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(off.body.rows.map((r: any) => r.subscriberId)).not.toContain(row.subscriberId);
    const undone = await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { intent: "undo", subscriberId: row.subscriberId, undo: JSON.stringify(dismissed.body.undo) } }));
    expect(undone.status).toBe(200);
    expect(undone.body.message).toBe("Back on this week's list");
    const back = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(back.body.rows.map((r: any) => r.subscriberId)).toContain(row.subscriberId);
  });

  it("acts from the subscriber's page with the same actions: snoozed there, they leave the list to review", async () => {
    const before = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const row = before.body.rows[2];
    const path = `/app/subscribers/${row.subscriberId}`;
    const { status, body } = await callRoute(subscriberPageAction, adminRequest(SHOP, path, { form: { intent: "snooze" } }), { id: row.subscriberId });
    expect(status).toBe(200);
    expect(body.message).toBe("Snoozed for 7 days");
    const page = await callRoute(subscriberPageLoader, adminRequest(SHOP, path), { id: row.subscriberId });
    expect(page.body.followUp.snoozedUntil).not.toBeNull();
    const after = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(after.body.rows.map((r: any) => r.subscriberId)).not.toContain(row.subscriberId);
    const snoozed = await callRoute(loader, adminRequest(SHOP, "/app/at-risk?view=snoozed"));
    expect(snoozed.body.rows.map((r: any) => r.subscriberId)).toContain(row.subscriberId);
  });

  it("offers past weeks in the week picker, newest first", async () => {
    const { body } = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    expect(body.weeks[0]).toBe(body.currentWeekKey);
    expect(body.weeks.length).toBeGreaterThan(4);
    expect([...body.weeks].sort().reverse()).toEqual(body.weeks);
  });

  it("answers each row action in well under 300 ms", async () => {
    const { body } = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const id = body.rows[1].subscriberId;
    const forms: Record<string, string>[] = [{ intent: "contacted" }, { intent: "snooze" }, { intent: "dismiss", reason: "could_not_reach" }];
    for (const form of forms) {
      const started = performance.now();
      const { status } = await callRoute(action, adminRequest(SHOP, "/app/at-risk", { form: { ...form, subscriberId: id } }));
      expect(status).toBe(200);
      expect(performance.now() - started).toBeLessThan(150);
    }
  });

  it("exports the list as CSV with a header and one line per subscriber", async () => {
    const list = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const { response } = await callRoute(csvLoader, adminRequest(SHOP, "/app/at-risk.csv"));
    expect(response!.headers.get("Content-Type")).toMatch(/text\/csv/);
    const lines = (await response!.text()).trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(list.body.total);
  });
});
