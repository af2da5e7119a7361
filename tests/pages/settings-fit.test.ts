// The settings page's "Fitted to your store" card: its loader data, the weekly contacts
// saved with the page's save bar, and keeping or reverting an adopted fit.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import * as route from "~/routes/app.settings";
import { adminRequest, callRoute } from "../support/admin";
import { seededShop } from "../support/seeded-shop";

const SHOP = "settings-fit.myshopify.com";
const page = async () => (await callRoute(route.loader, adminRequest(SHOP, "/app/settings"))).body;
const post = (form: Record<string, string>) => callRoute(route.action, adminRequest(SHOP, "/app/settings", { form }));
const PREVIOUS = { weights: { consecutiveSkips: 12 } };
const FIGURES = { auc: 0.7, catchRateTop10: 0.3, catchRateList: 0.4, listPerWeek: 20 };

beforeAll(async () => {
  await seededShop(SHOP, { subscribers: 30, months: 2 });
}, 120_000);

describe("the fitted-to-your-store card", () => {
  it("shows no fit and no capacity on a new store", async () => {
    expect((await page()).fit).toEqual({ weeklyContacts: null, fit: null });
  });

  it("saves the people the store can contact in a week with the save bar, and refuses what is not a number", async () => {
    const refused = await post({ intent: "save", sections: "capacity", weeklyContacts: "lots" });
    expect(refused.status).toBe(400);
    const saved = await post({ intent: "save", sections: "capacity", weeklyContacts: "25" });
    expect(saved.status).toBe(200);
    expect((await page()).fit.weeklyContacts).toBe(25);
  });

  it("goes back to the previous weights of an adopted fit", async () => {
    const asOf = new Date();
    await prisma.shopSettings.update({ where: { shop: SHOP }, data: { healthConfig: JSON.stringify({ weights: { consecutiveSkips: 18 } }) } });
    const fit = await prisma.scoreFit.create({
      data: { shop: SHOP, status: "adopted", reason: "Better.", fittedWeights: "{}", previousConfig: JSON.stringify(PREVIOUS), metrics: JSON.stringify({ current: FIGURES, fitted: FIGURES, ceiling: FIGURES, changes: ["Skips in a row now counts more: 18 points per skip, was 12 points."] }), asOf, decidedAt: asOf },
    });
    expect((await page()).fit.fit).toMatchObject({ id: fit.id, status: "adopted" });
    const reverted = await post({ intent: "fit-revert", fitId: fit.id });
    expect(reverted.status).toBe(200);
    const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(JSON.parse(settings.healthConfig!)).toEqual(PREVIOUS);
    expect((await page()).fit.fit).toMatchObject({ status: "reverted" });
    expect((await post({ intent: "fit-keep", fitId: fit.id })).status).toBe(404);
  });
});
