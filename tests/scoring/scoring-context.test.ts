// What a scoring batch reads besides the subscribers (firings for cooldowns, last week's
// score, whether the shop is installed), read on the direct connection: it must see
// exactly what Prisma wrote.
import { beforeAll, expect, test } from "vitest";
import prisma from "~/db.server";
import { loadScoringContext } from "~/health/score-store.server";
import { installShop } from "../support/shop";

const SHOP = "context.myshopify.com";
const NOW = new Date("2026-03-02T12:00:00Z");
const DAY = 86_400_000;
let ids: string[] = [];

beforeAll(async () => {
  await installShop(SHOP);
  ids = await Promise.all(
    ["1", "2"].map(async (customerId) => (await prisma.subscriber.create({ data: { shop: SHOP, customerId, status: "active" } })).id),
  );
  const firing = (subscriberId: string, daysAgo: number, triggerKey: string) =>
    prisma.firing.create({
      data: { shop: SHOP, triggerKey, subscriberId, firedAt: new Date(NOW.getTime() - daysAgo * DAY), holdout: false, reasons: "[]", snapshot: "{}", outcomeDueAt: NOW },
    });
  await firing(ids[0], 3, "skip-streak");
  await firing(ids[0], 90, "onboarding-check");
  await prisma.healthHistory.create({
    data: { shop: SHOP, subscriberId: ids[1], kind: "weekly", periodKey: "2026-02-23", at: new Date(NOW.getTime() - 7 * DAY), score: 71, band: "watch" },
  });
});

test("reads each subscriber's firings since the cut-off, at the times Prisma wrote", () => {
  const context = loadScoringContext(SHOP, ids, "2026-02-23", new Date(NOW.getTime() - 60 * DAY));
  expect(context.recentFirings.get(ids[0])).toEqual([{ triggerId: "skip-streak", firedAt: new Date(NOW.getTime() - 3 * DAY) }]);
  expect(context.recentFirings.get(ids[1])).toBeUndefined();
});

test("reads last week's score and whether the shop is installed", () => {
  const context = loadScoringContext(SHOP, ids, "2026-02-23", new Date(NOW.getTime() - 60 * DAY));
  expect(context.scoreWeekAgo).toEqual(new Map([[ids[1], 71]]));
  expect(context.hasOfflineSession).toBe(true);
  expect(loadScoringContext("not-installed.myshopify.com", ids, "2026-02-23", NOW).hasOfflineSession).toBe(false);
});
