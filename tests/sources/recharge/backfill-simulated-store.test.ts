// The import of a simulated store as Recharge's API lists it (rechargeStateAt): the local
// Recharge server serves the simulator's own objects, and the real source job imports them,
// every subscription matched to its Shopify customer, each charge dated by its own times.
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { config } from "~/config.server";
import { connectSource } from "~/sources/connect.server";
import { sourceConnectionStatus } from "~/models/source-connection.server";
import { buildStore } from "../../../simulator";
import { rechargeStateAt } from "../../../simulator/recharge/webhooks";
import { prisma, workers } from "../../support/app";

const SHOP = "recharge-simulated.myshopify.com";
const store = buildStore({ seed: 5, subscribers: 60, months: 10, end: new Date("2026-06-01T00:00:00Z"), shopDomain: SHOP, duplicateRate: 0, lateRate: 0 });
const state = rechargeStateAt(store, store.end);

const { server } = await vi.hoisted(async () => {
  const { startRechargeServer } = await import("../../../simulator/recharge/server");
  const server = await startRechargeServer({ tokens: { sk_simulated_store: {} }, clientSecret: "rc-simulated-secret" });
  process.env.RECHARGE_API_BASE_URL = server.baseUrl;
  return { server };
});
afterAll(() => server.stop());

beforeAll(async () => {
  if (config().RECHARGE_API_BASE_URL !== server.baseUrl) throw new Error("the app read its configuration before the Recharge server started");
  server.setData(state);
  const connected = await connectSource(SHOP, "recharge", { accessToken: "sk_simulated_store", clientSecret: "rc-simulated-secret" });
  if (!connected.ok) throw new Error(connected.error);
  await workers.sources.drain();
}, 120_000);

test("every subscription Recharge lists becomes a contract of its Shopify customer", async () => {
  expect((await sourceConnectionStatus(SHOP, "recharge")).backfillStatus).toBe("done");
  expect(server.throttled()).toEqual([]);
  expect(await prisma.contract.count({ where: { shop: SHOP } })).toBe(state.subscriptions.length);
  const shopifyIds = new Set(state.customers.map((c) => String((c.external_customer_id as { ecommerce: string }).ecommerce)));
  const subscribers = await prisma.subscriber.findMany({ where: { shop: SHOP }, select: { customerId: true } });
  expect(subscribers.length).toBe(new Set(state.subscriptions.map((s) => s.customer_id)).size);
  for (const s of subscribers) expect(shopifyIds.has(s.customerId)).toBe(true);
});

test("each paid charge is a billing success at its processed_at, each failed one a failure at its last attempt", async () => {
  const events = await prisma.subscriberEvent.findMany({ where: { shop: SHOP, type: { in: ["billing.succeeded", "billing.failed"] } }, select: { sourceKey: true, occurredAt: true } });
  const at = new Map(events.map((e) => [e.sourceKey, e.occurredAt.getTime()]));
  const paid = state.charges.filter((c) => c.status === "success");
  const failed = state.charges.filter((c) => c.status === "error");
  expect(paid.length).toBeGreaterThan(100);
  for (const c of paid) expect(at.get(`recharge:charge:${c.id}:paid`)).toBe(Date.parse(String(c.processed_at)));
  for (const c of failed) {
    const last = new Date(String(c.last_charge_attempt));
    expect(at.get(`recharge:charge:${c.id}:failed:${last.toISOString()}`)).toBe(last.getTime());
  }
});
