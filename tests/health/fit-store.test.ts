import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runStoreFit, revertFit } from "~/health/fit/store-fit.server";
import { shopScoring } from "~/health/settings.server";
import { seededShop } from "../support/seeded-shop";

const SHOP = "fit-store.myshopify.com";
/** Weights that ignore the strongest warnings a subscriber gives: a store's history says otherwise. */
const BLIND = { weights: { paused: 0, consecutiveSkips: 0, skipRate: 0, hardDecline: 0, softDecline: 0, tenure: 0 } };
let now: Date;

beforeAll(async () => {
  ({ now } = await seededShop(SHOP, { subscribers: 500, months: 10 }));
  await prisma.shopSettings.upsert({ where: { shop: SHOP }, create: { shop: SHOP, healthConfig: JSON.stringify(BLIND) }, update: { healthConfig: JSON.stringify(BLIND) } });
}, 300_000);

describe("a store's monthly weight fit", () => {
  it("adopts better weights into the shop's config, and a revert puts the previous weights back", async () => {
    const outcome = await runStoreFit(SHOP, now, { minTrainCancels: 10, minTestCancels: 5 });
    const result = outcome.result!;
    console.info("store fit:", result.status, result.reason, result.status === "fitted" ? JSON.stringify({ current: result.current, fitted: result.fitted, ceiling: result.ceiling }) : "");
    expect(outcome.status).toBe("adopted");
    if (result.status !== "fitted") return;
    const adopted = await shopScoring(SHOP);
    expect(adopted.config.weights).toEqual(result.fittedWeights);
    const row = await prisma.scoreFit.findUniqueOrThrow({ where: { id: outcome.fitId } });
    expect(JSON.parse(row.previousConfig!)).toEqual(BLIND);
    expect(await prisma.rescoreRun.count({ where: { shop: SHOP, reason: "weights fitted to the store" } })).toBe(1);

    const reverted = await revertFit(SHOP, outcome.fitId, now);
    expect(reverted.ok).toBe(true);
    const back = await shopScoring(SHOP);
    for (const [s, w] of Object.entries(BLIND.weights)) expect(back.config.weights[s as keyof typeof back.config.weights]).toBe(w);
    const after = await prisma.scoreFit.findUniqueOrThrow({ where: { id: outcome.fitId } });
    expect(after.status).toBe("reverted");
    expect(after.revertedAt).not.toBeNull();
    expect(await prisma.rescoreRun.count({ where: { shop: SHOP, reason: "fitted weights reverted" } })).toBe(1);
  }, 300_000);

  it("runs once per shop and month", async () => {
    const again = await runStoreFit(SHOP, new Date(now.getTime() + 60_000));
    expect(again.existing).toBe(true);
    expect(await prisma.scoreFit.count({ where: { shop: SHOP } })).toBe(1);
  });
});
