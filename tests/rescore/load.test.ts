// What a rescore batch reads (firings for cooldowns, where the walk resumes, whether the
// shop is installed), on the direct connection: it must see exactly what Prisma wrote.
import { beforeAll, expect, test } from "vitest";
import prisma from "~/db.server";
import { loadBatch } from "~/rescore/load.server";
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
});

test("reads each subscriber's firings since the cut-off, at the times Prisma wrote", () => {
  const { subscribers } = loadBatch(SHOP, ids, "UTC", NOW, new Date(NOW.getTime() - 60 * DAY));
  const [first, second] = ids.map((id) => subscribers.find((s) => s.id === id)!);
  expect(first.recentFirings).toEqual([{ triggerId: "skip-streak", firedAt: new Date(NOW.getTime() - 3 * DAY) }]);
  expect(second.recentFirings).toEqual([]);
});

test("reads where the walk resumes, the earliest late event, and whether the shop is installed", async () => {
  const stepAt = new Date(NOW.getTime() - DAY);
  await prisma.healthScore.create({
    data: { subscriberId: ids[1], shop: SHOP, score: 71, band: "watch", segmentKey: "established:low", factors: "[]", signals: "{}", computedAt: NOW, bandSince: stepAt, stepAt, stepBand: "watch" },
  });
  const late = new Date(NOW.getTime() - 20 * DAY);
  await prisma.subscriber.update({ where: { id: ids[1] }, data: { scoreDirtyAt: NOW, scoreDirtyFrom: late } });
  const batch = loadBatch(SHOP, ids, "UTC", NOW, new Date(NOW.getTime() - 60 * DAY));
  const second = batch.subscribers.find((s) => s.id === ids[1])!;
  expect(second.previous).toEqual({ band: "watch", bandSince: stepAt, stepAt, stepBand: "watch" });
  expect(second.changedFrom).toEqual(late);
  expect(batch.hasOfflineSession).toBe(true);
  expect(loadBatch("not-installed.myshopify.com", ids, "UTC", NOW, NOW).hasOfflineSession).toBe(false);
});
