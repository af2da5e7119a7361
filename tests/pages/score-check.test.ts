// The score check (score accuracy on the store's own cancels, and the weights fitted on
// the same replay) is computed by a job after a rescore run, never by a page: the reports
// tab and the settings panel read what the job stored, and say so while there is nothing.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { SCORE_CHECK_QUEUE } from "~/health/score-check.server";
import { saveScoreSettings } from "~/pages/settings/score-settings.server";
import { scoreDirtySubscribers } from "~/rescore/index.server";
import * as reports from "~/routes/app.reports";
import * as weights from "~/routes/app.settings.weights";
import { createWorkers } from "~/workers.server";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";

const SHOP = "score-check.myshopify.com";
const workers = createWorkers();

const accuracy = async () => (await callRoute(reports.loader, adminRequest(SHOP, "/app/reports?section=validation"))).body;
const suggested = async () => (await callRoute(weights.loader, adminRequest(SHOP, "/app/settings/weights"))).body;
const job = () => prisma.job.findUnique({ where: { queue_key: { queue: SCORE_CHECK_QUEUE, key: SHOP } } });
const stored = () => prisma.cacheEntry.findMany({ where: { shop: SHOP, key: { startsWith: "score-check:" } } });

beforeAll(async () => {
  await seededShop(SHOP, { subscribers: 400, months: 12 });
}, 120_000);

describe("the score check", () => {
  it("is queued when a rescore run finishes, and the pages say it is still being computed until the job has run", async () => {
    expect(await job()).toMatchObject({ status: "pending", shop: SHOP });
    expect(await stored()).toEqual([]);
    expect(await accuracy()).toMatchObject({ section: "validation", status: "computing" });
    expect(await suggested()).toEqual({ status: "computing", suggestions: [] });
    // Reading never computes it.
    expect(await stored()).toEqual([]);
  });

  it("is computed by the worker's job and stored with the time it was computed", async () => {
    await workers.checks.drain();
    // The first check is followed by the store's first weight fit; when the fit adopts new
    // weights it starts a rescore, whose end queues the check again, for the new weights.
    const fit = await prisma.scoreFit.findFirst({ where: { shop: SHOP } });
    expect(fit?.status).toMatch(/^(adopted|kept|refused)$/);
    if (fit?.status === "adopted") {
      await workers.drainIntake();
      await workers.checks.drain();
    }
    expect((await job())?.status).toBe("done");
    const [entry] = await stored();
    const check = JSON.parse(entry.value!);
    expect(check.sample).toEqual({ subjects: 400, of: 400 });
    expect(Date.parse(check.computedAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(check.accuracy.status).toBe("ok");
    expect(check.weights.map((w: { scope: string }) => w.scope)).toEqual(["all", "new:*", "established:*", "*:high", "*:low"]);
  }, 180_000);

  it("is what both pages show: read from the store, not computed again", async () => {
    const [entry] = await stored();
    const check = JSON.parse(entry.value!);
    // Mark the stored figures: a page that replayed history itself would not show the marks.
    check.accuracy.auc = 0.777;
    check.weights[0].suggested.paused = 42;
    await prisma.cacheEntry.update({ where: { shop_key: { shop: SHOP, key: entry.key } }, data: { value: JSON.stringify(check) } });

    const report = await accuracy();
    expect(report).toMatchObject({ status: "ok", auc: 0.777, computedAt: check.computedAt, sample: { subjects: 400, of: 400 } });
    const panel = await suggested();
    expect(panel).toMatchObject({ status: "ready", computedAt: check.computedAt, sample: { subjects: 400, of: 400 } });
    expect(panel.suggestions[0].suggested.paused).toBe(42);
  });

  it("is computed again for new score settings: until then the pages say it is being computed", async () => {
    const saved = await saveScoreSettings(SHOP, { "all|weights.paused": "3" });
    expect(saved.ok).toBe(true);
    expect(await accuracy()).toMatchObject({ status: "computing" });
    expect((await suggested()).status).toBe("computing");
    while ((await scoreDirtySubscribers(new Date(), 2000)) > 0);
    expect((await job())?.status).toBe("pending");
    await workers.checks.drain();
    const report = await accuracy();
    expect(report.status).toBe("ok");
    expect(report.auc).not.toBe(0.777);
    expect((await suggested()).status).toBe("ready");
  }, 180_000);
});
