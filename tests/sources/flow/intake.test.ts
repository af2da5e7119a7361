// What /api/flow/record-event answers, and what it keeps: Flow counts only a 200 as done
// and resends a run with the same action_run_id until it gets one.
import { beforeAll, expect, test } from "vitest";
import { drain, prisma } from "../../support/app";
import { installShop } from "../../support/shop";
import { mockAdminOperation, resetAdminApi } from "../../support/admin-api";
import { deadLetters } from "~/models/inbox.server";
import { run, send } from "./support";

const SHOP = "flow-intake.myshopify.com";
const NOT_INSTALLED = "flow-never-installed.myshopify.com";
const CONTRACT = "gid://shopify/SubscriptionContract/5501";

beforeAll(async () => {
  resetAdminApi();
  mockAdminOperation("CustomerIdentity", () => ({ customer: null }));
  await installShop(SHOP);
});

const failed = (customer: string, at: string) => ({ customer_id: customer, contract_id: CONTRACT, event: "billing_failed", occurred_at: at, error_code: "EXPIRED_PAYMENT_METHOD" });
const stored = (shop: string) => prisma.webhookDelivery.count({ where: { shop } });
const eventsOf = (customer: string) => prisma.subscriberEvent.findMany({ where: { shop: SHOP, subscriber: { customerId: customer } } });

test("a run resent with the same action_run_id is answered 200 and recorded once", async () => {
  const body = run(SHOP, failed("301", "2026-05-02T08:00:00Z"), "0f6d6c1e-5b8f-4c1a-9d7e-000000000301");
  expect((await send(body)).status).toBe(200);
  expect((await send(body)).status).toBe(200);
  await drain();
  expect((await send(body)).status).toBe(200); // after it was processed, too
  await drain();
  const events = await eventsOf("301");
  expect(events.map((e) => e.type)).toEqual(["billing.failed"]);
  expect(events[0].occurredAt.toISOString()).toBe("2026-05-02T08:00:00.000Z");
  expect(JSON.parse(events[0].data)).toMatchObject({ errorCode: "EXPIRED_PAYMENT_METHOD", failureClass: "hard_decline" });
  const kept = await prisma.webhookDelivery.findMany({ where: { shop: SHOP, deliveryKey: "flow:0f6d6c1e-5b8f-4c1a-9d7e-000000000301" } });
  expect(kept.map((d) => [d.topic, d.triggeredAt?.toISOString()])).toEqual([["flow:billing_failed", "2026-05-02T08:00:00.000Z"]]);
});

test("two workflows reporting the same event (same kind, contract and time) add it once", async () => {
  expect((await send(run(SHOP, failed("302", "2026-05-03T08:00:00Z")))).status).toBe(200);
  expect((await send(run(SHOP, failed("302", "2026-05-03T08:00:00Z")))).status).toBe(200);
  await drain();
  expect((await eventsOf("302")).map((e) => e.type)).toEqual(["billing.failed"]);
});

test("a wrong signature, another app's secret or no signature is refused with 401 and nothing is kept", async () => {
  const before = await stored(SHOP);
  const body = run(SHOP, failed("303", "2026-05-04T08:00:00Z"));
  expect((await send(body, { hmac: "bm90IHRoZSByaWdodCBobWFj" })).status).toBe(401);
  expect((await send(body, { secret: "another-apps-secret" })).status).toBe(401);
  expect((await send(body, { hmac: null })).status).toBe(401);
  // Signed, then changed on the way.
  const raw = JSON.stringify(body);
  const { signFlowRequest } = await import("../../../simulator/flow");
  const tampered = raw.replace("EXPIRED_PAYMENT_METHOD", "INSUFFICIENT_FUNDS");
  expect((await send(tampered, { hmac: signFlowRequest(raw, process.env.SHOPIFY_API_SECRET!)["x-shopify-hmac-sha256"] })).status).toBe(401);
  await drain();
  expect(await stored(SHOP)).toBe(before);
  expect(await eventsOf("303")).toEqual([]);
});

test("a shop that has not installed the app is answered 404 and nothing is kept", async () => {
  expect((await send(run(NOT_INSTALLED, failed("304", "2026-05-05T08:00:00Z")))).status).toBe(404);
  expect(await stored(NOT_INSTALLED)).toBe(0);
  expect(await prisma.subscriber.count({ where: { shop: NOT_INSTALLED } })).toBe(0);
});

test("a Flow run posted to a shop's subscription-app address is answered 404: only the signed body may name the shop", async () => {
  const { signFlowRequest } = await import("../../../simulator/flow");
  const sources = await import("~/routes/api.sources.$source.$shop");
  const raw = JSON.stringify(run(NOT_INSTALLED, failed("306", "2026-05-07T08:00:00Z")));
  const request = new Request(`https://lifeline.test/api/sources/flow/${SHOP}`, { method: "POST", body: raw, headers: signFlowRequest(raw, process.env.SHOPIFY_API_SECRET!) });
  expect((await sources.action({ request, params: { source: "flow", shop: SHOP }, context: {} })).status).toBe(404);
  expect(await prisma.webhookDelivery.count({ where: { deliveryKey: { contains: "306" } } })).toBe(0);
  expect(await prisma.subscriber.count({ where: { customerId: "306" } })).toBe(0);
});

test("a signed body that names no shop or no run is refused with 400: there is nothing to file it under", async () => {
  const body = run(SHOP, failed("305", "2026-05-06T08:00:00Z"));
  expect((await send({ ...body, action_run_id: "" })).status).toBe(400);
  expect((await send(JSON.stringify({ ...body, shopify_domain: undefined }))).status).toBe(400);
  expect((await send("not json")).status).toBe(400);
  expect((await send({ ...body, handle: "place-auction-bid" })).status).toBe(400);
});

test("an unknown event kind is kept and dead-lettered with the reason", async () => {
  expect((await send(run(SHOP, { ...failed("306", "2026-05-07T08:00:00Z"), event: "refunded" }))).status).toBe(200);
  await drain();
  const letter = (await deadLetters(SHOP)).find((d) => d.topic === "flow:refunded");
  expect(letter?.error).toMatch(/Shopify Flow topic refunded is not one Lifeline reads/);
  expect(await eventsOf("306")).toEqual([]);
});

let malformed = 0;
test.each([
  ["occurred_at", { occurred_at: "yesterday" }, /occurred_at is not a date: "yesterday"/],
  ["occurred_at", { occurred_at: "" }, /occurred_at is missing/],
  ["contract_id", { contract_id: "gid://shopify/Order/12" }, /contract_id is not a Shopify SubscriptionContract id/],
  ["customer_id", { customer_id: "someone@example.com" }, /customer_id is not a Shopify Customer id/],
  ["amount", { event: "edited", amount: "ten dollars" }, /amount is not an amount/],
  ["status", { status: "ON_HOLD" }, /status is not a contract status/],
  ["billing_interval", { event: "edited", amount: "10", billing_interval: "FORTNIGHT" }, /billing_interval is not DAY, WEEK, MONTH or YEAR/],
  ["card expiry", { event: "payment_method_expiring" }, /payment_method_expiring needs card_expiry_month and card_expiry_year/],
])("a run whose %s does not read is kept and dead-lettered with the reason", async (_field, change, reason) => {
  const customer = String(400 + ++malformed);
  const body = run(SHOP, { ...failed(customer, "2026-05-08T08:00:00Z"), ...change });
  expect((await send(body)).status).toBe(200);
  await drain();
  const delivery = await prisma.webhookDelivery.findUniqueOrThrow({ where: { shop_deliveryKey: { shop: SHOP, deliveryKey: `flow:${body.action_run_id}` } } });
  expect(delivery.error).toMatch(reason);
  const job = await prisma.job.findFirstOrThrow({ where: { shop: SHOP, queue: "webhook", key: `${SHOP}:flow:${body.action_run_id}` } });
  expect(job.status).toBe("dead");
  expect(await eventsOf(customer)).toEqual([]);
  expect(await prisma.subscriber.count({ where: { shop: SHOP, customerId: customer } })).toBe(0);
});

test("a run with no event kind is kept and dead-lettered as such", async () => {
  expect((await send(run(SHOP, { ...failed("307", "2026-05-09T08:00:00Z"), event: "" }))).status).toBe(200);
  await drain();
  const letter = (await deadLetters(SHOP)).find((d) => d.topic === "flow:(no event)");
  expect(letter?.error).toMatch(/topic \(no event\) is not one Lifeline reads/);
});

test("the customer and contract may be given as gids, and the kind in the merchant's words", async () => {
  const body = run(SHOP, { ...failed("0", "2026-05-10T08:00:00Z"), customer_id: "gid://shopify/Customer/308", contract_id: "5508", event: "Billing failed" });
  expect((await send(body)).status).toBe(200);
  await drain();
  const events = await eventsOf("308");
  expect(events.map((e) => [e.type, e.contractId])).toEqual([["billing.failed", "5508"]]);
});
