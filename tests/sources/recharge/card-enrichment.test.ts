// A Recharge customer's card, read back from Recharge's API: customer/payment_method_updated
// carries the customer, not the card, so a job reads `GET /payment_methods?customer_id=` from
// the local Recharge server after the delivery, and the card reaches the score as Shopify's
// own payment-method webhooks carry it: on the change's event and on the subscriber.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeEach, expect, test, vi } from "vitest";
import { config } from "~/config.server";
import { saveBackfillProgress, saveSourceCredentials } from "~/models/source-connection.server";
import { connectSource, disconnectSource } from "~/sources/connect.server";
import { createRechargePacer } from "~/sources/recharge/rate-limit";
import { buildRechargeDataSet } from "../../../simulator/recharge/dataset";
import type { RechargeObject } from "../../../simulator/recharge/server";
import { drain, prisma, workers } from "../../support/app";
import { installShop } from "../../support/shop";
import { CLIENT_SECRET, RECHARGE_FIXTURES, rechargeFixture, sendRecharge } from "./support";

const TOKEN = "sk_card_token";
const { server } = await vi.hoisted(async () => {
  const { startRechargeServer } = await import("../../../simulator/recharge/server");
  const server = await startRechargeServer({
    tokens: {
      sk_card_token: {},
      sk_card_small_bucket: { limit: { size: 5, leakPerSecond: 10 } },
      sk_card_no_payment_methods: { scopes: ["read_customers", "read_subscriptions", "read_orders"] },
    },
    clientSecret: "rc-client-secret-for-tests",
  });
  process.env.RECHARGE_API_BASE_URL = server.baseUrl;
  return { server };
});
afterAll(() => server.stop());

const CUSTOMER = "64962974"; // the fixture customer's Recharge id (Shopify's 5213433266347)
const SHOPIFY_CUSTOMER = "5213433266347";
/** The fixture's payment method (a hand-written sample), as this customer's card. */
function card(month: number, year: number, over: Record<string, unknown> = {}): RechargeObject {
  const [method] = JSON.parse(readFileSync(path.join(RECHARGE_FIXTURES, "payment-methods.list.json"), "utf8")).payment_methods;
  return { ...method, customer_id: Number(CUSTOMER), payment_details: [{ ...method.payment_details[0], exp_month: month, exp_year: year }], ...over };
}
const account = (paymentMethods: RechargeObject[]) => server.setData({ customers: [], subscriptions: [], charges: [], payment_methods: paymentMethods });
const changed = (at: string) => ({ customer: { ...rechargeFixture("customer"), updated_at: at } });
const changeKey = (at: string) => `recharge:customer:${CUSTOMER}:payment_method_updated:${new Date(at).toISOString()}`;

let shop = "";
let n = 0;
beforeEach(async () => {
  if (config().RECHARGE_API_BASE_URL !== server.baseUrl) throw new Error("the app read its configuration before the Recharge server started");
  shop = `recharge-card-${++n}.myshopify.com`;
  server.reset();
  await installShop(shop);
});

/** Connected, its setup done (as the setup job leaves it): card reads wait for the import. */
async function connected(token = TOKEN) {
  await saveSourceCredentials(shop, "recharge", { accessToken: token, clientSecret: CLIENT_SECRET }, new Date());
  await saveBackfillProgress(shop, "recharge", { status: "done", at: new Date() });
}
const send = async (topic: string, body: unknown) => expect((await sendRecharge(body, { shop, topic })).status).toBe(200);
const cardReads = () => server.requests.filter((r) => r.path === "/payment_methods");
const event = (key: string) => prisma.subscriberEvent.findUniqueOrThrow({ where: { shop_sourceKey: { shop, sourceKey: key } } });
const eventData = async (key: string) => JSON.parse((await event(key)).data) as Record<string, unknown>;
const subscriber = () => prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: SHOPIFY_CUSTOMER } });
const cardJob = () => prisma.job.findUnique({ where: { queue_key: { queue: "source", key: `source-card:${shop}:recharge:${CUSTOMER}` } } });
/** The job's retry is due now (its wait is not waited out here). */
const dueNow = async () => prisma.job.updateMany({ where: { shop, queue: "source" }, data: { runAt: new Date() } });

test("the card arrives after the payment_method_updated webhook: on its event and on the subscriber, dated by the change", async () => {
  await connected();
  account([card(12, 2027)]);
  await send("customer/payment_method_updated", changed("2026-03-02T10:00:00+00:00"));
  await workers.inbox.drain();
  // The timeline stands on the delivery; the card is not known yet.
  expect(await eventData(changeKey("2026-03-02T10:00:00+00:00"))).toEqual({});
  expect(cardReads()).toEqual([]);

  await drain();
  expect(cardReads().map((r) => r.query)).toEqual([{ customer_id: CUSTOMER, limit: "250" }]);
  expect(await eventData(changeKey("2026-03-02T10:00:00+00:00"))).toEqual({ cardExpiryMonth: 12, cardExpiryYear: 2027 });
  const s = await subscriber();
  expect({ month: s.cardExpiryMonth, year: s.cardExpiryYear, at: s.cardUpdatedAt?.toISOString() }).toEqual({ month: 12, year: 2027, at: "2026-03-02T10:00:00.000Z" });
  expect((await cardJob())?.status).toBe("done");
});

test("each change reads the card again; an earlier change keeps the card it had", async () => {
  await connected();
  account([card(12, 2027)]);
  await send("customer/payment_method_updated", changed("2026-03-02T10:00:00+00:00"));
  await drain();
  account([card(12, 2027, { default: false }), card(3, 2030, { id: 1234568 })]);
  await send("customer/payment_method_updated", changed("2026-05-20T08:00:00+00:00"));
  await drain();
  expect(cardReads()).toHaveLength(2);
  expect(await eventData(changeKey("2026-03-02T10:00:00+00:00"))).toEqual({ cardExpiryMonth: 12, cardExpiryYear: 2027 });
  // The default method is the card Recharge charges.
  expect(await eventData(changeKey("2026-05-20T08:00:00+00:00"))).toEqual({ cardExpiryMonth: 3, cardExpiryYear: 2030 });
  expect((await subscriber()).cardExpiryYear).toBe(2030);
});

test("a Recharge outage retries the read later; the timeline does not wait for it", async () => {
  await connected();
  account([card(12, 2027)]);
  server.failNext(1, 503);
  await send("customer/payment_method_updated", changed("2026-03-02T10:00:00+00:00"));
  await drain();
  const waiting = await cardJob();
  expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
  expect(waiting?.lastError).toMatch(/Recharge answered 503/);
  // Asked again in a minute, not in seconds: the bucket is shared with the import.
  expect(waiting!.runAt.getTime() - Date.now()).toBeGreaterThan(50_000);
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "payment_method.updated" } })).toBe(1);
  expect((await subscriber()).cardExpiryMonth).toBeNull();

  await dueNow();
  await drain();
  expect(cardReads().map((r) => r.status)).toEqual([503, 200]);
  expect(await eventData(changeKey("2026-03-02T10:00:00+00:00"))).toEqual({ cardExpiryMonth: 12, cardExpiryYear: 2027 });
  expect((await cardJob())?.status).toBe("done");
});

test("a customer without a card on file records no card", async () => {
  await connected();
  account([]);
  await send("customer/payment_method_updated", changed("2026-03-02T10:00:00+00:00"));
  await drain();
  expect(cardReads()).toHaveLength(1);
  expect(await eventData(changeKey("2026-03-02T10:00:00+00:00"))).toEqual({});
  const s = await subscriber();
  expect([s.cardExpiryMonth, s.cardExpiryYear]).toEqual([null, null]);
  expect((await cardJob())?.status).toBe("done");
});

test("a customer named for the first time has their card read once; later records of theirs read nothing", async () => {
  await connected();
  account([card(8, 2026)]);
  const subscription = { ...rechargeFixture("subscription"), order_interval_unit: "month", order_interval_frequency: "1", updated_at: "2026-01-05T10:00:00+00:00" };
  await send("subscription/created", { subscription, customer: rechargeFixture("customer") });
  await drain();
  // Nothing changed: the read waits its turn behind those that changes ask for.
  expect(cardReads()).toEqual([]);
  expect((await cardJob())!.runAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
  await dueNow();
  await drain();
  await send("subscription/updated", { subscription: { ...subscription, updated_at: "2026-01-09T10:00:00+00:00" }, customer: rechargeFixture("customer") });
  await drain();
  expect(cardReads()).toHaveLength(1);
  // No change on the timeline to fill: the subscriber's card, dated by the first record.
  const s = await subscriber();
  expect({ month: s.cardExpiryMonth, year: s.cardExpiryYear, at: s.cardUpdatedAt?.toISOString() }).toEqual({ month: 8, year: 2026, at: "2026-01-05T10:00:00.000Z" });
  expect(await prisma.subscriberEvent.count({ where: { shop, type: { startsWith: "payment_method." } } })).toBe(0);
});

test("a customer first held under their Recharge id has the card read onto them once their Shopify id is known", async () => {
  await connected();
  account([card(8, 2026)]);
  const subscription: Record<string, any> = { ...rechargeFixture("subscription"), order_interval_unit: "month", order_interval_frequency: "1", updated_at: "2026-01-05T10:00:00+00:00" };
  // Registered without included_objects: the subscription names only Recharge's customer id.
  await send("subscription/created", { subscription });
  await drain();
  expect(await prisma.subscriber.count({ where: { shop, customerId: `recharge:${CUSTOMER}` } })).toBe(1);
  const charge: Record<string, any> = { ...rechargeFixture("charge-success"), line_items: [{ ...rechargeFixture("charge-success").line_items[0], purchase_item_id: Number(subscription.id) }] };
  charge.customer = { ...charge.customer, id: Number(CUSTOMER), external_customer_id: { ecommerce: SHOPIFY_CUSTOMER } };
  await send("charge/paid", { charge });
  await dueNow();
  await drain();
  expect(cardReads()).toHaveLength(1);
  expect((await subscriber()).cardExpiryMonth).toBe(8);
});

test("card reads wait for the connection's import to finish, without using up attempts", async () => {
  await saveSourceCredentials(shop, "recharge", { accessToken: TOKEN, clientSecret: CLIENT_SECRET }, new Date());
  account([card(12, 2027)]);
  await send("customer/payment_method_updated", changed("2026-03-02T10:00:00+00:00"));
  await drain();
  expect(cardReads()).toEqual([]);
  expect(await cardJob()).toMatchObject({ status: "pending", attempts: 0 });

  await saveBackfillProgress(shop, "recharge", { status: "done", at: new Date() });
  await dueNow();
  await drain();
  expect(await eventData(changeKey("2026-03-02T10:00:00+00:00"))).toEqual({ cardExpiryMonth: 12, cardExpiryYear: 2027 });
});

test("a token without read access to payment methods gives the read up at once, naming the permission to add", async () => {
  await connected("sk_card_no_payment_methods");
  account([card(12, 2027)]);
  await send("customer/payment_method_updated", changed("2026-03-02T10:00:00+00:00"));
  await drain();
  expect(cardReads().map((r) => r.status)).toEqual([403]);
  const job = await cardJob();
  expect(job?.status).toBe("dead");
  expect(job?.lastError).toMatch(/give the token read access to .*Payment methods/);
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "payment_method.updated" } })).toBe(1);
});

test("the history import reads no cards (Recharge filters payment methods by one customer only)", async () => {
  const data = buildRechargeDataSet({ subscriptions: 30 });
  expect(data.payment_methods).toHaveLength(30);
  server.setData(data);
  expect((await connectSource(shop, "recharge", { accessToken: TOKEN, clientSecret: CLIENT_SECRET })).ok).toBe(true);
  await drain();
  expect(await prisma.contract.count({ where: { shop } })).toBe(30);
  expect(cardReads()).toEqual([]);
  expect(await prisma.job.count({ where: { shop, key: { startsWith: "source-card:" } } })).toBe(0);
});

test("after disconnecting, a queued card read asks Recharge nothing", async () => {
  await connected();
  account([card(12, 2027)]);
  await send("customer/payment_method_updated", changed("2026-03-02T10:00:00+00:00"));
  await workers.inbox.drain();
  await disconnectSource(shop, "recharge");
  await drain();
  expect(cardReads()).toEqual([]);
  expect(await eventData(changeKey("2026-03-02T10:00:00+00:00"))).toEqual({});
});

test("card reads are paced by the token's bucket: many customers' changes at once earn no 429", async () => {
  const saved = globalThis.lifelineRechargePacer;
  globalThis.lifelineRechargePacer = createRechargePacer({ limit: { size: 5, leakPerSecond: 10 } });
  try {
    await connected("sk_card_small_bucket");
    const customers = Array.from({ length: 15 }, (_, i) => ({ ...rechargeFixture("customer"), id: 70_000_000 + i, email: `card-${i}@example.com`, external_customer_id: { ecommerce: String(9_000_000 + i) } }));
    server.setData({ customers: [], subscriptions: [], charges: [], payment_methods: customers.map((c, i) => card(1 + (i % 12), 2028, { id: 5_000_000 + i, customer_id: c.id })) });
    for (const c of customers) await send("customer/payment_method_updated", { customer: { ...c, updated_at: "2026-03-02T10:00:00+00:00" } });
    await drain();
    expect(cardReads().filter((r) => r.status === 200)).toHaveLength(15);
    expect(server.throttled()).toEqual([]);
    expect(server.bucketPeak("sk_card_small_bucket")).toBeLessThanOrEqual(5);
    const known = await prisma.subscriber.count({ where: { shop, cardExpiryYear: 2028 } });
    expect(known).toBe(15);
  } finally {
    globalThis.lifelineRechargePacer = saved;
  }
});
