import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { defaultHealthConfig } from "~/health/config";
import { shopScoring } from "~/health/settings.server";

const SHOP = "capacity.myshopify.com";
const OTHER = "plain.myshopify.com";
const NOW = new Date("2026-06-01T00:00:00Z");

beforeAll(async () => {
  for (const shop of [SHOP, OTHER]) {
    for (let i = 0; i < 200; i++) {
      const s = await prisma.subscriber.create({ data: { shop, customerId: String(i), status: "active" } });
      await prisma.healthScore.create({
        data: { subscriberId: s.id, shop, score: i % 100, band: "healthy", segmentKey: "established:low", factors: "[]", signals: "{}", computedAt: NOW, bandSince: NOW, live: i < 180 },
      });
    }
  }
  await prisma.shopSettings.create({ data: { shop: SHOP, weeklyContacts: 30 } });
  await prisma.shopSettings.create({ data: { shop: OTHER } });
});

describe("the shop's scoring config with a weekly contact capacity", () => {
  it("moves the watch threshold so about that many live subscribers are below it", async () => {
    const { config } = await shopScoring(SHOP);
    const live = await prisma.healthScore.findMany({ where: { shop: SHOP, live: true }, select: { score: true } });
    const onList = live.filter((r) => r.score < config.bands.watch).length;
    expect(Math.abs(onList - 30)).toBeLessThanOrEqual(2);
    expect(config.bands.watch).not.toBe(defaultHealthConfig.bands.watch);
  });

  it("keeps the configured thresholds when no capacity is set", async () => {
    const { config } = await shopScoring(OTHER);
    expect(config.bands).toEqual(defaultHealthConfig.bands);
  });
});
