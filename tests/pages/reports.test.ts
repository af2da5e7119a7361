// The reports page's loader on a simulated store's real data. The simulator's churn has
// an onboarding wave in months 1-3, a quiet stretch in months 4-5 and a second,
// experience wave after month 6: the tenure report has to show both waves.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { dashboard } from "~/pages/home/dashboard.server";
import { loader } from "~/routes/app.reports";
import { simulateFromCurve } from "~/pages/reports/threshold";
import { runScoreCheck } from "~/health/score-check.server";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";

const SHOP = "reports-page.myshopify.com";
const OTHER = "reports-other.myshopify.com";
const DAY = 86_400_000;

/** Firings of one trigger whose outcome windows closed a week ago. */
async function closedFirings(shop: string, triggerKey: string, subscriberIds: string[], holdout: boolean, retained: number, monthlyValue: number) {
  const firedAt = new Date(Date.now() - 40 * DAY);
  await prisma.firing.createMany({
    data: subscriberIds.map((subscriberId, i) => ({
      shop,
      triggerKey,
      subscriberId,
      firedAt,
      holdout,
      reasons: "[]",
      snapshot: JSON.stringify({ subscriberId, monthlyValue }),
      outcomeDueAt: new Date(firedAt.getTime() + 30 * DAY),
      outcome: i < retained ? "retained" : "cancelled",
      outcomeAt: new Date(firedAt.getTime() + 30 * DAY),
    })),
  });
}

beforeAll(async () => {
  await seededShop(SHOP, { subscribers: 600, months: 12 });
  await seededShop(OTHER, { subscribers: 40, seed: 3 });
  // What the worker does after the seed's rescore run: the score check the validation tab reads.
  for (const shop of [SHOP, OTHER]) await runScoreCheck(shop, new Date());
  // Scoring a fresh store fires only for its last few days' crossings; the playbook's
  // measured history is written here instead: 40 played (36 still subscribed) and 40 held out (28).
  await prisma.firing.deleteMany({ where: { shop: SHOP } });
  const ids = (await prisma.subscriber.findMany({ where: { shop: SHOP }, select: { id: true }, orderBy: { id: "asc" }, take: 85 })).map((s) => s.id);
  await closedFirings(SHOP, "skip-streak", ids.slice(0, 40), false, 36, 25);
  await closedFirings(SHOP, "skip-streak", ids.slice(40, 80), true, 28, 25);
  await prisma.firing.createMany({
    data: ids.slice(80).map((subscriberId) => ({
      shop: SHOP,
      triggerKey: "card-expiring",
      subscriberId,
      firedAt: new Date(),
      holdout: false,
      reasons: "[]",
      snapshot: JSON.stringify({ subscriberId, monthlyValue: 30 }),
      outcomeDueAt: new Date(Date.now() + 30 * DAY),
    })),
  });
}, 120_000);

const overview = async (shop = SHOP) => {
  const { status, body } = await callRoute(loader, adminRequest(shop, "/app/reports"));
  expect(status).toBe(200);
  return body;
};

describe("the reports page", () => {
  it("shows the onboarding wave in months 1-3 and the experience wave after month 6", async () => {
    const { tenure } = await overview();
    expect(tenure.onboarding.cancelled).toBeGreaterThan(50);
    expect(tenure.experience.cancelled).toBeGreaterThan(20);
    // The quiet months 4-5 sit well below both waves.
    expect(tenure.onboarding.monthlyCancelRate).toBeGreaterThan(2 * tenure.between.monthlyCancelRate);
    expect(tenure.experience.monthlyCancelRate).toBeGreaterThan(1.5 * tenure.between.monthlyCancelRate);
    expect(tenure.reading).toMatch(/months 1-3/);
    expect(tenure.reading).toMatch(/after month 6/);
    expect(tenure.buckets.reduce((n: number, b: any) => n + b.cancelled, 0)).toBe(await prisma.subscriber.count({ where: { shop: SHOP, status: "cancelled" } }));
  });

  it("counts only the shop's own subscribers", async () => {
    expect((await overview(SHOP)).tenure.buckets[0].reached).toBe(600);
    expect((await overview(OTHER)).tenure.buckets[0].reached).toBe(40);
  });

  it("gives each signup month's retention as a triangle that only falls with time", async () => {
    const { cohorts } = await overview();
    expect(cohorts.cohorts.length).toBeGreaterThanOrEqual(12);
    expect(cohorts.cohorts.reduce((n: number, c: any) => n + c.size, 0)).toBeGreaterThan(500);
    for (const c of cohorts.cohorts) {
      const filled = c.retention.filter((r: number | null) => r != null);
      expect(filled).toEqual([...filled].sort((a, b) => b - a));
      // Once a cell is empty (cohort too young), every later one is too.
      expect(c.retention.slice(filled.length).every((r: number | null) => r == null)).toBe(true);
    }
    expect(cohorts.cohorts.at(-1).retention.at(-1)).toBeNull();
    expect(cohorts.cohorts[0].retention[0]).toBeGreaterThan(0.6);
  });

  it("counts this week's subscribers by band from the weekly snapshots", async () => {
    const { health, weekKey } = await overview();
    const thisWeek = health.at(-1);
    expect(thisWeek.week).toBe(weekKey);
    expect(thisWeek.total).toBe(await prisma.healthHistory.count({ where: { shop: SHOP, kind: "weekly", periodKey: weekKey } }));
    expect(thisWeek.total).toBeGreaterThan(0);
  });

  it("puts revenue at risk at the same figure as the home page", async () => {
    const { revenueAtRisk } = await overview();
    const home = await dashboard(SHOP);
    expect(revenueAtRisk.monthly).toEqual(home.revenueAtRisk.monthly);
    expect(revenueAtRisk.subscribers).toBe(home.revenueAtRisk.subscribers);
  });

  it("claims as saved only the lift over holdout: (90% - 70%) of 40 played at $25 a month", async () => {
    const { revenueSaved } = await overview();
    const skips = revenueSaved.triggers.find((t: any) => t.triggerId === "skip-streak");
    expect(skips.saved.kind).toBe("estimate");
    expect(skips.saved.subscribers).toBeCloseTo(8);
    expect(skips.saved.monthly).toBeCloseTo(200);
    expect(revenueSaved.total.monthly).toBeCloseTo(200);
    expect(revenueSaved.pending).toBe(5);
  });

  it("measures each trigger against its holdout, or says the sample is too small", async () => {
    const { triggers } = await overview();
    const skips = triggers.find((t: any) => t.triggerId === "skip-streak");
    expect(skips).toMatchObject({ firings: 80, holdoutFirings: 40 });
    expect(skips.lift.kind).toBe("estimate");
    expect(skips.lift.difference).toBeCloseTo(0.2);
    expect(skips.lift.lower).toBeLessThan(0.2);
    const card = triggers.find((t: any) => t.triggerId === "card-expiring");
    expect(card.lift.kind).toBe("insufficient_sample");
    expect(card.triggerName).not.toBe("card-expiring");
  });

  it("validates the score on request, with a threshold simulator, without sending every observation", async () => {
    const { status, body } = await callRoute(loader, adminRequest(SHOP, "/app/reports?section=validation&threshold=70"));
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.auc).toBeGreaterThan(0.5);
    expect(body.calibration.map((c: any) => c.band)).toEqual(["healthy", "watch", "at_risk", "critical"]);
    expect(body.simulation.threshold).toBe(70);
    // The browser's slider answers from the folded curve; it must agree with the server.
    expect(simulateFromCurve(body.curve, 70)).toEqual(body.simulation);
    expect(body.simulation.catchRate).toBeGreaterThan(simulateFromCurve(body.curve, body.currentThreshold).catchRate);
    expect(typeof body.observations).toBe("number");
    expect(JSON.stringify(body).length).toBeLessThan(20_000);
    const none = await callRoute(loader, adminRequest(SHOP, "/app/reports?section=validation&threshold=0"));
    expect(none.body.simulation.caught).toBe(0);
  });

  it("says honestly when there are too few cancellations to judge the score", async () => {
    const { body } = await callRoute(loader, adminRequest(OTHER, "/app/reports?section=validation"));
    expect(body.status).toBe("not_enough_data");
    expect(body.message).toMatch(/at least 20/);
  });

  it("answers 400 to a threshold out of range", async () => {
    const { status } = await callRoute(loader, adminRequest(SHOP, "/app/reports?section=validation&threshold=400"));
    expect(status).toBe(400);
  });

  it("refuses a request without a session token", async () => {
    for (const path of ["/app/reports", "/app/reports?section=validation"]) {
      const { status } = await callRoute(loader, adminRequest(SHOP, path, { unauthenticated: true }));
      expect([302, 401]).toContain(status);
    }
  });
});
