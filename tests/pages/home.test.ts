// The home page's loader and replay action, on a simulated store's real data.
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action, loader } from "~/routes/app._index";
import { TREND_WEEKS } from "~/pages/home/dashboard.server";
import { startRescore, scoreDirtySubscribers } from "~/rescore/index.server";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";
import { installShop } from "../support/shop";
import { addTrouble } from "../browser/support/trouble";

const SHOP = "home-page.myshopify.com";
const OTHER = "someone-else.myshopify.com";
const NEW_SHOP = "just-installed.myshopify.com";
let ownDead: number;
let otherDead: number;

async function deadJob(shop: string, key: string): Promise<number> {
  const job = await prisma.job.create({ data: { queue: "webhook", key: `${shop}:${key}`, shop, status: "dead", attempts: 5, lastError: "payload failed validation" } });
  return job.id;
}

beforeAll(async () => {
  const { now } = await seededShop(SHOP, { subscribers: 300 });
  // A few subscribers in trouble this week, so there is revenue at risk and band changes to count.
  const db = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""));
  addTrouble(db, SHOP, 8, now);
  db.close();
  await startRescore(SHOP, "trouble", now);
  while ((await scoreDirtySubscribers(now, 2000)) > 0);
  await seededShop(OTHER, { subscribers: 40, seed: 3 });
  await installShop(NEW_SHOP);
  await prisma.shop.create({ data: { shop: NEW_SHOP, backfillStatus: "running", backfillCount: 120 } });
  ownDead = await deadJob(SHOP, "evt-1");
  otherDead = await deadJob(OTHER, "evt-2");
}, 90_000);

describe("the home page", () => {
  it("counts current subscribers by health band as the scores hold them", async () => {
    const { status, body } = await callRoute(loader, adminRequest(SHOP, "/app"));
    expect(status).toBe(200);
    const rows = await prisma.healthScore.groupBy({ by: ["band"], where: { shop: SHOP, subscriber: { status: { not: "cancelled" } } }, _count: { _all: true } });
    const expected = { healthy: 0, watch: 0, at_risk: 0, critical: 0 } as Record<string, number>;
    for (const r of rows) expected[r.band] = r._count._all;
    expect(body.bands).toEqual(expected);
    expect(body.bands.at_risk + body.bands.critical).toBeGreaterThan(0);
  });

  it("shows 12 weeks of trend ending this week, this week's bar matching this week's snapshots", async () => {
    const { body } = await callRoute(loader, adminRequest(SHOP, "/app"));
    expect(body.trend).toHaveLength(TREND_WEEKS);
    const last = body.trend.at(-1);
    expect(last.week).toBe(body.weekKey);
    const snapshots = await prisma.healthHistory.count({ where: { shop: SHOP, kind: "weekly", periodKey: body.weekKey } });
    expect(last.healthy + last.watch + last.at_risk + last.critical).toBe(snapshots);
  });

  it("adds up the monthly revenue of at-risk and critical subscribers, per currency", async () => {
    const { body } = await callRoute(loader, adminRequest(SHOP, "/app"));
    const atRisk = await prisma.subscriber.findMany({
      where: { shop: SHOP, status: { not: "cancelled" }, health: { is: { band: { in: ["at_risk", "critical"] } } } },
      select: { monthlyValue: true, currency: true },
    });
    expect(body.revenueAtRisk.subscribers).toBe(atRisk.length);
    const byCurrency: Record<string, number> = {};
    for (const r of atRisk) byCurrency[r.currency ?? "USD"] = (byCurrency[r.currency ?? "USD"] ?? 0) + r.monthlyValue;
    expect(Object.keys(body.revenueAtRisk.monthly).sort()).toEqual(Object.keys(byCurrency).sort());
    for (const [currency, amount] of Object.entries(byCurrency)) expect(body.revenueAtRisk.monthly[currency]).toBeCloseTo(amount, 2);
    expect(body.revenueAtRisk.monthly.USD).toBeGreaterThan(0);
  });

  it("counts open tasks (snoozed ones whose snooze ended too) and those overdue", async () => {
    const [a, b, c] = await prisma.subscriber.findMany({ where: { shop: SHOP }, take: 3, select: { id: true } });
    const task = { shop: SHOP, title: "Call them", suggestedAction: "call", reasons: "[]", owner: "merchant", priority: "high" };
    const day = 86_400_000;
    const before = await callRoute(loader, adminRequest(SHOP, "/app"));
    await prisma.task.createMany({
      data: [
        { ...task, subscriberId: a.id, dueAt: new Date(Date.now() - 2 * day) },
        { ...task, subscriberId: b.id, dueAt: new Date(Date.now() + 2 * day), status: "snoozed", snoozedUntil: new Date(Date.now() - day) },
        { ...task, subscriberId: c.id, dueAt: new Date(Date.now() + 2 * day), status: "snoozed", snoozedUntil: new Date(Date.now() + day) },
      ],
    });
    const { body } = await callRoute(loader, adminRequest(SHOP, "/app"));
    expect(body.tasks.open - before.body.tasks.open).toBe(2);
    expect(body.tasks.overdue - before.body.tasks.overdue).toBe(1);
  });

  it("counts this week's subscribers who became at risk", async () => {
    const { body } = await callRoute(loader, adminRequest(SHOP, "/app"));
    expect(body.changes.thisWeek.enteredAtRisk).toBeGreaterThan(0);
    expect(body.changes.thisWeek.worsened).toBeGreaterThanOrEqual(body.changes.thisWeek.enteredAtRisk);
  });

  it("lists only this shop's failed deliveries", async () => {
    const { body } = await callRoute(loader, adminRequest(SHOP, "/app"));
    expect(body.failedDeliveries.map((d: any) => d.jobId)).toEqual([ownDead]);
  });

  it("shows a new install's checklist: import running, nothing connected or sent", async () => {
    const { status, body } = await callRoute(loader, adminRequest(NEW_SHOP, "/app"));
    expect(status).toBe(200);
    expect(body.checklist).toEqual({
      backfill: { status: "running", count: 120 },
      klaviyoConnected: false,
      eventsReachedKlaviyo: false,
      playbookReviewed: false,
    });
    expect(body.bands).toEqual({ healthy: 0, watch: 0, at_risk: 0, critical: 0 });
  });

  it("refuses a request without a session token", async () => {
    const { status } = await callRoute(loader, adminRequest(SHOP, "/app", { unauthenticated: true }));
    expect([302, 401]).toContain(status);
  });
});

describe("replaying a failed delivery", () => {
  it("answers 404 for another shop's delivery, and leaves it failed", async () => {
    const { status } = await callRoute(action, adminRequest(SHOP, "/app", { form: { jobId: String(otherDead) } }));
    expect(status).toBe(404);
    expect((await prisma.job.findUniqueOrThrow({ where: { id: otherDead } })).status).toBe("dead");
  });

  it("explains a request that names no delivery", async () => {
    const { status, body } = await callRoute(action, adminRequest(SHOP, "/app", { form: { jobId: "abc" } }));
    expect(status).toBe(400);
    expect(body.message).toMatch(/choose a failed delivery/i);
  });

  it("queues this shop's delivery again and takes it off the list", async () => {
    const { status, body } = await callRoute(action, adminRequest(SHOP, "/app", { form: { jobId: String(ownDead) } }));
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect((await prisma.job.findUniqueOrThrow({ where: { id: ownDead } })).status).toBe("pending");
    const after = await callRoute(loader, adminRequest(SHOP, "/app"));
    expect(after.body.failedDeliveries).toEqual([]);
  });
});
