// The weekly at-risk list's loader and actions, on a simulated store's real data.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action, loader } from "~/routes/app.at-risk";
import { loader as csvLoader } from "~/routes/app.at-risk[.]csv";
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

  it("exports the list as CSV with a header and one line per subscriber", async () => {
    const list = await callRoute(loader, adminRequest(SHOP, "/app/at-risk"));
    const { response } = await callRoute(csvLoader, adminRequest(SHOP, "/app/at-risk.csv"));
    expect(response!.headers.get("Content-Type")).toMatch(/text\/csv/);
    const lines = (await response!.text()).trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(list.body.total);
  });
});
