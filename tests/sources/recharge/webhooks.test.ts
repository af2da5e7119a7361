// Recharge webhooks through the real route, a connected shop and the workers: every topic
// Lifeline reads lands as the Shopify path's timeline events, once; late and shuffled
// deliveries end as in order; unsigned or stale deliveries store nothing; bodies that
// cannot be read are kept and dead-lettered with their reason.
import { beforeEach, expect, test } from "vitest";
import { drain, prisma } from "../../support/app";
import { installShop } from "../../support/shop";
import { saveSourceCredentials } from "~/models/source-connection.server";
import { deadLetters } from "~/models/inbox.server";
import { CLIENT_SECRET, RECHARGE_FIXTURES, rechargeFixture, sendRecharge, type SendOptions } from "./support";
import { readFileSync } from "node:fs";
import path from "node:path";

let shop = "";
let n = 0;
beforeEach(async () => {
  shop = `recharge-${++n}.myshopify.com`;
  await installShop(shop);
  await saveSourceCredentials(shop, "recharge", { accessToken: "sk_test_token", clientSecret: CLIENT_SECRET }, new Date());
});

const SUB = "153601366";
const CUSTOMER = "5213433266347";
const customer = (at = "2026-01-05T10:00:00+00:00") => ({ ...rechargeFixture("customer"), updated_at: at });
/** The fixture subscription as a monthly plan, at a version. */
function subscription(updatedAt: string, over: Record<string, unknown> = {}, id = SUB): Record<string, any> {
  return {
    ...rechargeFixture("subscription"),
    id: Number(id),
    created_at: id === SUB ? "2026-01-05T10:00:00+00:00" : "2026-03-02T10:00:00+00:00",
    order_interval_unit: "month",
    order_interval_frequency: "1",
    charge_interval_frequency: "1",
    updated_at: updatedAt,
    ...over,
  };
}
const subscriptionBody = (updatedAt: string, over: Record<string, unknown> = {}, id = SUB) => ({ subscription: subscription(updatedAt, over, id), customer: customer() });
const cancelledOver = (at: string, reason = "I have too much product") => ({ status: "cancelled", cancelled_at: at, cancellation_reason: reason });
/** A fixture charge billing our subscription, for our customer. */
function charge(name: "charge-success" | "charge-error-max-retries", over: Record<string, unknown>, id = SUB) {
  const c = rechargeFixture(name);
  c.line_items[0].purchase_item_id = Number(id);
  c.customer = rechargeFixture("charge-success").customer;
  return { charge: { ...c, ...over } };
}

const send = (topic: string | null, body: unknown, opts: Partial<SendOptions> = {}) => sendRecharge(body, { shop, topic, ...opts });
async function sendAll(deliveries: [string, unknown][]) {
  for (const [topic, body] of deliveries) expect((await send(topic, body)).status).toBe(200);
  await drain();
}

async function timeline() {
  const events = await prisma.subscriberEvent.findMany({ where: { shop }, orderBy: [{ occurredAt: "asc" }, { type: "asc" }] });
  return events.map((e) => ({ type: e.type, at: e.occurredAt.toISOString(), contractId: e.contractId, data: JSON.parse(e.data) as Record<string, unknown>, key: e.sourceKey }));
}
const types = async () => (await timeline()).map((e) => e.type);
const contract = (id = SUB) => prisma.contract.findFirstOrThrow({ where: { shop, contractId: `recharge:${id}` } });
const deliveryRows = () => prisma.webhookDelivery.count({ where: { shop } });

test("every topic Lifeline reads lands as its timeline event, with its data, on the subscriber named by the Shopify customer id", async () => {
  await sendAll([
    ["subscription/created", subscriptionBody("2026-01-05T10:00:00+00:00")],
    ["charge/paid", charge("charge-success", { processed_at: "2026-01-05T10:00:05+00:00", updated_at: "2026-01-05T10:00:06+00:00" })],
    ["subscription/skipped", subscriptionBody("2026-02-01T09:00:00+00:00", { next_charge_scheduled_at: "2026-03-05" })],
    ["subscription/unskipped", subscriptionBody("2026-02-02T09:00:00+00:00", { next_charge_scheduled_at: "2026-02-05" })],
    ["subscription/paused", subscriptionBody("2026-03-01T09:00:00+00:00", { status: "paused" })],
    ["subscription/activated", subscriptionBody("2026-04-01T09:00:00+00:00")],
    ["subscription/updated", subscriptionBody("2026-04-10T09:00:00+00:00", { quantity: 2 })],
    ["subscription/swapped", subscriptionBody("2026-04-11T09:00:00+00:00", { quantity: 2, product_title: "Airbit Box Corner Long sleeve t-shirt" })],
    ["charge/failed", charge("charge-error-max-retries", { last_charge_attempt: "2026-05-05T16:10:00+00:00", updated_at: "2026-05-05T16:10:01+00:00" })],
    ["charge/max_retries_reached", charge("charge-error-max-retries", { last_charge_attempt: "2026-05-05T16:10:00+00:00", updated_at: "2026-05-05T16:10:01+00:00" })],
    ["customer/payment_method_updated", { customer: customer("2026-05-06T08:00:00+00:00") }],
    ["subscription/cancelled", subscriptionBody("2026-05-10T12:00:01+00:00", { quantity: 2, ...cancelledOver("2026-05-10T12:00:00+00:00") })],
    ["subscription/deleted", subscriptionBody("2026-05-20T12:00:00+00:00", { quantity: 2, ...cancelledOver("2026-05-10T12:00:00+00:00") })],
  ]);
  const events = await timeline();
  expect(events.map((e) => [e.at, e.type])).toEqual([
    ["2026-01-05T10:00:00.000Z", "contract.created"],
    ["2026-01-05T10:00:05.000Z", "billing.succeeded"],
    ["2026-02-01T09:00:00.000Z", "cycle.skipped"],
    ["2026-02-02T09:00:00.000Z", "cycle.unskipped"],
    ["2026-03-01T09:00:00.000Z", "contract.paused"],
    // Recharge says activated; after a pause that is a resume.
    ["2026-04-01T09:00:00.000Z", "contract.resumed"],
    ["2026-04-10T09:00:00.000Z", "contract.edited"],
    ["2026-05-05T16:10:00.000Z", "billing.failed"],
    ["2026-05-05T16:10:00.000Z", "contract.failed"],
    ["2026-05-06T08:00:00.000Z", "payment_method.updated"],
    ["2026-05-10T12:00:00.000Z", "contract.cancelled"],
  ]);
  const byType = new Map(events.map((e) => [e.type, e]));
  expect(byType.get("contract.edited")!.data).toEqual({ fromMonthlyValue: 24.3, toMonthlyValue: 48.6 });
  expect(byType.get("billing.failed")!.data).toEqual({
    errorCode: "CLOSED_MAX_RETRIES_REACHED",
    failureClass: "inventory",
    errorMessage: "Inventory unavailable S / Black T1 6642695864491 requested qty. 1, inventory was: -1",
  });
  expect(byType.get("contract.cancelled")!.data).toEqual({ cancelReason: "I have too much product" });
  expect(byType.get("payment_method.updated")!.contractId).toBeNull();
  expect(events.filter((e) => e.contractId !== null).every((e) => e.contractId === `recharge:${SUB}`)).toBe(true);

  const subscriber = await prisma.subscriber.findFirstOrThrow({ where: { shop } });
  expect(subscriber).toMatchObject({ customerId: CUSTOMER, email: "kozakevich_k@example.com", firstName: "Kelly", status: "cancelled" });
  expect(await prisma.subscriber.count({ where: { shop } })).toBe(1);
  expect(await contract()).toMatchObject({ status: "cancelled", monthlyValue: 48.6, currency: "USD" });
  expect(await deadLetters(shop)).toEqual([]);
});

test("a redelivery, and the same fact told by two topics, are recorded once", async () => {
  const created = subscriptionBody("2026-01-05T10:00:00+00:00");
  const cancelled = subscriptionBody("2026-05-10T12:00:01+00:00", cancelledOver("2026-05-10T12:00:00+00:00"));
  const paid = charge("charge-success", { processed_at: "2026-01-05T10:00:05+00:00" });
  await sendAll([
    ["subscription/created", created],
    ["subscription/created", created],
    ["charge/paid", paid],
    ["charge/paid", paid],
    // Recharge sends updated beside cancelled for the same change.
    ["subscription/cancelled", cancelled],
    ["subscription/updated", cancelled],
    ["subscription/cancelled", cancelled],
  ]);
  expect(await types()).toEqual(["contract.created", "billing.succeeded", "contract.cancelled"]);
  // The redeliveries were acknowledged and not stored again.
  expect(await deliveryRows()).toBe(4);
});

test("a late pause never overwrites a newer cancel, yet lands on the timeline at its true time", async () => {
  await sendAll([
    ["subscription/created", subscriptionBody("2026-03-01T10:00:00+00:00")],
    ["subscription/cancelled", subscriptionBody("2026-07-01T10:00:00+00:00", cancelledOver("2026-07-01T10:00:00+00:00"))],
  ]);
  await sendAll([["subscription/paused", subscriptionBody("2026-06-01T10:00:00+00:00", { status: "paused" })]]);
  expect((await contract()).status).toBe("cancelled");
  expect(await types()).toEqual(["contract.created", "contract.paused", "contract.cancelled"]);
});

test("an activation after a pause is a resume, even when the pause arrives after it", async () => {
  await sendAll([
    ["subscription/created", subscriptionBody("2026-03-01T10:00:00+00:00")],
    ["subscription/activated", subscriptionBody("2026-07-01T10:00:00+00:00")],
  ]);
  await sendAll([["subscription/paused", subscriptionBody("2026-06-01T10:00:00+00:00", { status: "paused" })]]);
  expect(await types()).toEqual(["contract.created", "contract.paused", "contract.resumed"]);
  expect((await contract()).status).toBe("active");
});

test("a late cancel lands at its time and does not undo a reactivation after it", async () => {
  await sendAll([
    ["subscription/created", subscriptionBody("2026-03-01T10:00:00+00:00")],
    ["subscription/activated", subscriptionBody("2026-07-01T10:00:00+00:00")],
  ]);
  await sendAll([["subscription/cancelled", subscriptionBody("2026-06-01T10:00:01+00:00", cancelledOver("2026-06-01T10:00:00+00:00"))]]);
  expect(await types()).toEqual(["contract.created", "contract.cancelled", "contract.activated"]);
  expect((await contract()).status).toBe("active");
  expect((await prisma.subscriber.findFirstOrThrow({ where: { shop } })).status).toBe("active");
});

function history(): [string, unknown][] {
  return [
    ["subscription/created", subscriptionBody("2026-03-01T10:00:00+00:00")],
    ["subscription/created", subscriptionBody("2026-03-02T10:00:00+00:00", { price: 20 }, "777")],
    ["subscription/skipped", subscriptionBody("2026-04-01T10:00:00+00:00")],
    ["subscription/skipped", subscriptionBody("2026-05-01T10:00:00+00:00")],
    ["subscription/unskipped", subscriptionBody("2026-05-02T10:00:00+00:00")],
    ["charge/failed", charge("charge-error-max-retries", { error_type: null, error: "Your card has insufficient funds.", last_charge_attempt: "2026-04-02T10:00:00+00:00" }, "777")],
    ["charge/paid", charge("charge-success", { id: 580825999, processed_at: "2026-04-05T10:00:00+00:00" }, "777")],
    ["subscription/paused", subscriptionBody("2026-06-01T10:00:00+00:00", { status: "paused" })],
    ["subscription/activated", subscriptionBody("2026-07-01T10:00:00+00:00")],
    ["subscription/cancelled", subscriptionBody("2026-07-15T10:00:00+00:00", { ...cancelledOver("2026-07-15T10:00:00+00:00"), price: 20 }, "777")],
  ];
}

async function finalState() {
  const subs = await prisma.subscriber.findMany({ where: { shop }, orderBy: { customerId: "asc" }, select: { customerId: true, status: true, monthlyValue: true } });
  const cons = await prisma.contract.findMany({ where: { shop }, orderBy: { contractId: "asc" }, select: { contractId: true, status: true, monthlyValue: true } });
  const events = (await timeline()).map((e) => `${e.at} ${e.contractId} ${e.type} ${JSON.stringify(e.data)}`).sort();
  return { subs, cons, events };
}

test("the same deliveries shuffled end in the same state as in order", async () => {
  await sendAll(history());
  const inOrder = await finalState();

  shop = `recharge-shuffled-${n}.myshopify.com`;
  await installShop(shop);
  await saveSourceCredentials(shop, "recharge", { accessToken: "sk_test_token", clientSecret: CLIENT_SECRET }, new Date());
  // A fixed permutation that puts cancels, resumes and skips before what preceded them.
  for (const i of [9, 3, 8, 6, 0, 4, 7, 2, 5, 1]) await sendAll([history()[i]]);
  expect(await finalState()).toEqual(inOrder);
  expect(inOrder.cons.map((c) => [c.contractId, c.status])).toEqual([
    [`recharge:${SUB}`, "active"],
    ["recharge:777", "cancelled"],
  ]);
  expect(inOrder.events.some((e) => e.includes("contract.resumed"))).toBe(true);
});

test("bad, stale, wrongly hashed or missing signatures are refused and store nothing", async () => {
  const body = subscriptionBody("2026-01-05T10:00:00+00:00");
  expect((await send("subscription/created", body, { secret: "not-the-client-secret" })).status).toBe(401);
  expect((await send("subscription/created", body, { t: Math.floor(Date.now() / 1000) - 172_900 })).status).toBe(401);
  expect((await send("subscription/created", body, { scheme: "legacy", secret: "not-the-client-secret" })).status).toBe(401);
  expect((await send("subscription/created", body, { scheme: "none" })).status).toBe(400);
  // A failing timestamp-bound signature is not rescued by a good legacy hash.
  expect((await send("subscription/created", body, { scheme: "both", t: Math.floor(Date.now() / 1000) - 172_900 })).status).toBe(401);
  // Signed with the access token instead of the client secret.
  expect((await send("subscription/created", body, { secret: "sk_test_token" })).status).toBe(401);
  await drain();
  expect(await deliveryRows()).toBe(0);
  expect(await prisma.subscriberEvent.count({ where: { shop } })).toBe(0);
  expect(await prisma.job.count({ where: { shop } })).toBe(0);
});

test("the legacy hash alone is accepted", async () => {
  expect((await send("subscription/created", subscriptionBody("2026-01-05T10:00:00+00:00"), { scheme: "legacy" })).status).toBe(200);
  await drain();
  expect(await types()).toEqual(["contract.created"]);
});

test("a topic Lifeline does not read, and bodies it cannot read, are kept and dead-lettered with their reason", async () => {
  // The one verbatim Recharge webhook body in the fixtures.
  const address = JSON.parse(readFileSync(path.join(RECHARGE_FIXTURES, "address-created.json"), "utf8"));
  const { status: _, ...noStatus } = subscription("2026-01-05T10:00:00+00:00");
  await sendAll([
    ["address/created", address],
    ["subscription/cancelled", "{\"subscription\": {"],
    ["subscription/updated", { subscription: noStatus }],
    ["charge/paid", rechargeFixture("charge-success")],
  ]);
  expect((await send(null, subscriptionBody("2026-01-06T10:00:00+00:00"))).status).toBe(200);
  await drain();
  expect(await deliveryRows()).toBe(5);
  expect(await prisma.subscriberEvent.count({ where: { shop } })).toBe(0);
  const dead = await deadLetters(shop);
  const reasons = new Map(dead.map((d) => [d.topic, d.error]));
  expect(dead).toHaveLength(5);
  expect(reasons.get("recharge:address/created")).toMatch(/address\/created is not one Lifeline reads/);
  expect(reasons.get("recharge:subscription/cancelled")).toMatch(/not valid JSON/);
  expect(reasons.get("recharge:subscription/updated")).toMatch(/subscription\.status: Required/);
  expect(reasons.get("recharge:charge/paid")).toMatch(/body\.charge: Required/);
  expect(reasons.get("recharge:(no topic in the webhook address)")).toMatch(/is not one Lifeline reads/);
});

test("a shop that has not connected Recharge gets 404 and nothing is stored", async () => {
  const stranger = "no-recharge.myshopify.com";
  const response = await sendRecharge(subscriptionBody("2026-01-05T10:00:00+00:00"), { shop: stranger, topic: "subscription/created" });
  expect(response.status).toBe(404);
  expect(await prisma.webhookDelivery.count({ where: { shop: stranger } })).toBe(0);
});
