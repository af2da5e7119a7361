import { beforeEach, expect, test } from "vitest";
import { post, drain, prisma } from "../support/app";
import { installShop } from "../support/shop";
import { fixture, type Delivery } from "../support/webhooks";
import { mockAdminOperation, resetAdminApi } from "../support/admin-api";
import { contractNode } from "../support/factories";
import { rescoreProgress, startRescore } from "~/rescore/index.server";
import { weekOf } from "~/health/weeks.server";

let shop = "";
let n = 0;
beforeEach(async () => {
  shop = `scoring-${++n}.myshopify.com`;
  resetAdminApi();
  await installShop(shop);
  mockAdminOperation("SubscriptionContractDetails", (vars) => ({
    subscriptionContract: contractNode({
      id: String(vars.id).split("/").pop()!,
      customerId: "61",
      createdAt: new Date(Date.now() - 200 * 86_400_000).toISOString(),
      nextBillingDate: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    }),
  }));
});

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
const create = (): Delivery => ({ topic: "subscription_contracts/create", shop, triggeredAt: daysAgo(200), body: { ...fixture("subscription_contracts-create.json"), id: 700, customer_id: 61 } });
const skip = (cycle: number, ago: number): Delivery => ({
  topic: "subscription_billing_cycles/skip",
  shop,
  triggeredAt: daysAgo(ago),
  body: { ...fixture("subscription_billing_cycles-skip.json"), subscription_contract_id: 700, cycle_index: cycle },
});
const paid = (key: string, ago: number): Delivery => ({
  topic: "subscription_billing_attempts/success",
  shop,
  triggeredAt: daysAgo(ago),
  body: { ...fixture("subscription_billing_attempts-success.json"), subscription_contract_id: 700, idempotency_key: key },
});

async function health() {
  const sub = await prisma.subscriber.findFirstOrThrow({ where: { shop }, include: { health: true } });
  return sub.health!;
}

test("a processed delivery leaves the subscriber scored, with reasons in plain words", async () => {
  await post(create());
  for (let i = 0; i < 5; i++) await post(paid(`p${i}`, 150 - i * 30));
  await drain();
  const h = await health();
  expect(h.band).toBe("healthy");
  expect(h.score).toBeGreaterThanOrEqual(75);
  expect((await prisma.subscriber.findFirstOrThrow({ where: { shop } })).scoreDirtyAt).toBeNull();
});

test("two skips in a row lower the score, record the band change, and explain it", async () => {
  await post(create());
  for (let i = 0; i < 3; i++) await post(paid(`p${i}`, 150 - i * 30));
  await drain();
  const before = await health();
  await post(skip(5, 40));
  await post(skip(6, 10));
  await drain();
  const after = await health();
  expect(after.score).toBeLessThan(before.score);
  const factors = JSON.parse(after.factors) as Array<{ text: string; share: number }>;
  expect(factors[0].text).toMatch(/Skipped the last 2 deliveries/);
  if (after.band !== before.band) {
    const change = await prisma.healthHistory.findFirstOrThrow({ where: { shop, kind: "band_change" } });
    expect([change.fromBand, change.band]).toEqual([before.band, after.band]);
  }
});

test("every week of the subscriber's history keeps one snapshot, this week's being the score now", async () => {
  await post(create());
  await drain();
  await post(skip(2, 3));
  await drain();
  const weekly = await prisma.healthHistory.findMany({ where: { shop, kind: "weekly" }, orderBy: { periodKey: "asc" } });
  // Subscribed 200 days ago: about 29 weeks, each once, dated by the events rather than by the two scorings.
  expect(weekly.length).toBeGreaterThanOrEqual(28);
  expect(new Set(weekly.map((w) => w.periodKey)).size).toBe(weekly.length);
  expect(weekly.at(-1)!.periodKey).toBe(weekOf(new Date(), "UTC"));
  expect(weekly.at(-1)!.score).toBe((await health()).score);
});

test("a rescore after a config change is a run whose progress can be read until done", async () => {
  await post(create());
  await drain();
  const first = await health();
  // Bands so strict that only a perfect score stays healthy.
  await prisma.shopSettings.create({ data: { shop, healthConfig: JSON.stringify({ bands: { healthy: 100, watch: 99, atRisk: 98 }, overrides: {} }) } });
  await startRescore(shop, "config changed", new Date());
  const started = await rescoreProgress(shop);
  expect(started).toMatchObject({ reason: "config changed", status: "running", total: 1, done: 0 });
  await drain();
  expect(await rescoreProgress(shop)).toMatchObject({ status: "done", total: 1, done: 1 });
  const rescored = await health();
  expect(rescored.computedAt.getTime()).toBeGreaterThan(first.computedAt.getTime());
  expect(rescored.band).toBe(rescored.score >= 100 ? "healthy" : rescored.score >= 99 ? "watch" : rescored.score >= 98 ? "at_risk" : "critical");
  expect(rescored.score).toBeLessThan(100);
});
