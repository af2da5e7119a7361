// Seal's subscription body as Lifeline reads it: the captured subscription/created, and
// the same body as the capture's author describes it on the other topics.
import { expect, test } from "vitest";
import { sealRecord } from "~/sources/seal/records";
import { seal } from "~/sources/seal/index.server";
import { SourcePayloadError } from "~/sources/types";
import { attempt, capturedBody, sealBody } from "./fixture";

const RECEIVED = new Date("2025-11-11T15:52:50Z");

test("the captured subscription/created: Shopify's customer and contract ids, the plan, its next billing and card", () => {
  expect(sealRecord("subscription/created", capturedBody(), RECEIVED)).toEqual({
    contractId: "25708429559",
    customer: { shopifyCustomerId: "8885250982135", email: "REDACTED@example.com", vendorCustomerId: null, firstName: "REDACTED", lastName: "REDACTED" },
    // The activity log's last entry, the latest time the body carries.
    asOf: new Date("2025-11-11T15:52:43Z"),
    contract: {
      status: "active",
      currency: "EUR",
      billingInterval: "MONTH",
      billingIntervalCount: 1,
      lines: [{ title: "Screentime Journey - Monthly", variantTitle: null, quantity: 1, price: 0 }],
      monthlyValue: 0,
      nextBillingAt: new Date("2025-12-11T15:00:00Z"),
      createdAt: new Date("2025-11-11T15:52:28Z"),
    },
    events: [{ type: "contract.created", occurredAt: new Date("2025-11-11T15:52:28Z"), key: "subscription:8458680:created" }],
    card: { month: 12, year: 2029 },
  });
});

test("the scheduled attempt of the capture (status \"\") is the next billing, not a charge", () => {
  const events = sealRecord("subscription/updated", capturedBody(), RECEIVED).events;
  expect(events.map((e) => e.type)).toEqual(["contract.created"]);
});

test("settled billing attempts are charges and failures at their dates, failures with Shopify's code and its class", () => {
  const body = sealBody({
    billing_attempts: [
      attempt(79779410, "2025-12-11T15:00:00+00:00", "succeeded"),
      attempt(79779411, "2026-01-11T15:00:00+00:00", "failed", "insufficient_funds", "Your card has insufficient funds."),
      attempt(79779412, "2026-01-14T15:00:00+00:00", "failed", "EXPIRED_PAYMENT_METHOD", ""),
      attempt(79779413, "2026-01-17T15:00:00+00:00", "failed", "some_new_code", "?"),
      attempt(79779414, "2026-02-11T15:00:00+00:00", ""),
    ],
  });
  const record = sealRecord("subscription/updated", body, new Date("2026-01-20T00:00:00Z"));
  expect(record.events.slice(1)).toEqual([
    { type: "billing.succeeded", occurredAt: new Date("2025-12-11T15:00:00Z"), key: "attempt:79779410:succeeded", data: undefined },
    {
      type: "billing.failed",
      occurredAt: new Date("2026-01-11T15:00:00Z"),
      key: "attempt:79779411:failed",
      data: { errorCode: "INSUFFICIENT_FUNDS", failureClass: "soft_decline", errorMessage: "Your card has insufficient funds." },
    },
    {
      type: "billing.failed",
      occurredAt: new Date("2026-01-14T15:00:00Z"),
      key: "attempt:79779412:failed",
      data: { errorCode: "EXPIRED_PAYMENT_METHOD", failureClass: "hard_decline", errorMessage: null },
    },
    { type: "billing.failed", occurredAt: new Date("2026-01-17T15:00:00Z"), key: "attempt:79779413:failed", data: { errorCode: "SOME_NEW_CODE", failureClass: "other", errorMessage: "?" } },
  ]);
  expect(record.contract?.nextBillingAt).toEqual(new Date("2026-02-11T15:00:00Z"));
  // The latest settled attempt is the latest time this body carries.
  expect(record.asOf).toEqual(new Date("2026-01-17T15:00:00Z"));
});

test("a cancellation is dated by cancelled_on and keyed by it, so every later body of it says the same", () => {
  const body = sealBody({ status: "CANCELLED", cancelled_on: "2026-02-01T10:00:00+01:00", billing_attempts: [] });
  const record = sealRecord("subscription/cancelled", body, new Date("2026-02-01T09:00:05Z"));
  expect(record.contract).toMatchObject({ status: "cancelled", nextBillingAt: null });
  expect(record.events.at(-1)).toEqual({ type: "contract.cancelled", occurredAt: new Date("2026-02-01T09:00:00Z"), key: "subscription:8458680:cancelled:2026-02-01T10:00:00+01:00" });
  expect(record.asOf).toEqual(new Date("2026-02-01T09:00:00Z"));
  expect(sealRecord("subscription/updated", body, new Date("2026-03-01T00:00:00Z")).events.at(-1)?.key).toBe(record.events.at(-1)?.key);
});

test("a pause is dated by paused_on; a status change the body does not date takes the delivery's time", () => {
  const paused = sealRecord("subscription/updated", sealBody({ status: "PAUSED", paused_on: "2026-01-05T12:00:00+00:00" }), new Date("2026-01-05T12:00:03Z"));
  expect(paused.events.at(-1)).toEqual({ type: "contract.paused", occurredAt: new Date("2026-01-05T12:00:00Z"), key: "subscription:8458680:paused:2026-01-05T12:00:00+00:00" });
  const undated = sealRecord("subscription/updated", sealBody({ status: "PAUSED" }), new Date("2026-01-06T08:00:00Z"));
  expect(undated.events.at(-1)).toEqual({ type: "contract.paused", occurredAt: new Date("2026-01-06T08:00:00Z"), key: "subscription:8458680:paused:undated" });
  const cancelled = sealRecord("subscription/cancelled", sealBody({ status: "CANCELLED" }), new Date("2026-01-07T08:00:00Z"));
  expect(cancelled.events.at(-1)).toMatchObject({ type: "contract.cancelled", occurredAt: new Date("2026-01-07T08:00:00Z") });
});

test("active again with paused_on still filled is an activation after that pause, at the delivery's time", () => {
  const resumed = sealRecord("subscription/updated", sealBody({ paused_on: "2026-01-05T12:00:00+00:00" }), new Date("2026-02-01T08:00:00Z"));
  expect(resumed.events.at(-1)).toEqual({ type: "contract.activated", occurredAt: new Date("2026-02-01T08:00:00Z"), key: "subscription:8458680:resumed-after:2026-01-05T12:00:00+00:00" });
  expect(resumed.contract?.status).toBe("active");
  // In the history import the body's first time after the pause stands in (the log's entry for the resume).
  const later = [attempt(79779415, "2026-02-11T15:00:00+00:00", "succeeded")];
  const imported = sealRecord(null, sealBody({ paused_on: "2026-01-05T12:00:00+00:00", billing_attempts: later, addLog: [{ content: "Resumed.", created: "2026-01-20 09:30:00" }] }), new Date("2026-03-01T00:00:00Z"));
  expect(imported.events.find((e) => e.type === "contract.activated")?.occurredAt).toEqual(new Date("2026-01-20T09:30:00Z"));
});

test("a cancelled body still shows the pause before it, and the resume its later charges imply", () => {
  const body = sealBody({
    status: "CANCELLED",
    paused_on: "2026-01-05T12:00:00+00:00",
    cancelled_on: "2026-04-01T10:00:00+00:00",
    billing_attempts: [attempt(79779412, "2026-03-11T15:00:00+00:00", "failed", "insufficient_funds")],
    addLog: [{ content: "Resumed.", created: "2026-02-20 08:00:00" }],
  });
  const events = sealRecord(null, body, new Date("2026-05-01T00:00:00Z")).events.map((e) => `${e.occurredAt.toISOString()} ${e.type}`);
  expect(events).toEqual([
    "2025-11-11T15:52:28.000Z contract.created",
    "2026-01-05T12:00:00.000Z contract.paused",
    "2026-04-01T10:00:00.000Z contract.cancelled",
    "2026-02-20T08:00:00.000Z contract.activated",
    "2026-03-11T15:00:00.000Z billing.failed",
  ]);
  // Cancelled straight from the pause: no resume.
  const straight = sealRecord(null, sealBody({ status: "CANCELLED", paused_on: "2026-01-05T12:00:00+00:00", cancelled_on: "2026-04-01T10:00:00+00:00" }), new Date("2026-05-01T00:00:00Z"));
  expect(straight.events.map((e) => e.type)).toEqual(["contract.created", "contract.paused", "contract.cancelled"]);
});

test("a plan's monthly value counts its deliveries, one-time items left out", () => {
  const body = sealBody({
    delivery_interval: "2 weeks",
    billing_interval: "2 weeks",
    items: [
      { id: 1, title: "Coffee", quantity: 2, price: "12.0", final_price: "10.0" },
      { id: 2, title: "Mug", quantity: 1, price: "8.0", final_price: "8.0", is_one_time_item: 1 },
    ],
  });
  expect(sealRecord("subscription/updated", body, RECEIVED).contract).toMatchObject({
    billingInterval: "WEEK",
    billingIntervalCount: 2,
    lines: [{ title: "Coffee", variantTitle: null, quantity: 2, price: 10 }],
    monthlyValue: Math.round(20 * (52 / 12 / 2) * 100) / 100,
  });
});

test("a list page read without items or billing attempts leaves lines, value and next billing as they were", () => {
  const { items: _items, billing_attempts: _attempts, ...bare } = capturedBody();
  const contract = sealRecord(null, bare, RECEIVED).contract!;
  expect(Object.keys(contract).sort()).toEqual(["billingInterval", "billingIntervalCount", "createdAt", "currency", "status"]);
});

test("without Shopify's contract id the contract is Seal's, namespaced; Shopify's is kept as it is", () => {
  expect(sealRecord("subscription/updated", sealBody({ shopify_graphql_subscription_contract_id: "" }), RECEIVED).contractId).toBe("seal:8458680");
  expect(sealRecord("subscription/updated", sealBody({ shopify_graphql_subscription_contract_id: "gid://shopify/SubscriptionContract/25708429559" }), RECEIVED).contractId).toBe("25708429559");
  expect([seal.contractKey("25708429559"), seal.contractKey("seal:8458680")]).toEqual(["25708429559", "seal:8458680"]);
});

test("extra fields and odd optional values are passed by; the customer is still named by email", () => {
  const body = sealBody({ customer_id: "", card_expiry_month: "", items: "none", surprise: { nested: true }, log: [{ created: "yesterday" }] });
  const record = sealRecord("subscription/updated", body, RECEIVED);
  expect(record.customer).toMatchObject({ shopifyCustomerId: null, email: "REDACTED@example.com" });
  expect(record.card).toBeUndefined();
  expect(record.contract?.lines).toBeUndefined();
});

test("what is not a Seal subscription is refused with its reason", () => {
  const reason = (topic: string, body: unknown) => {
    try {
      sealRecord(topic, body, RECEIVED);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(SourcePayloadError);
      return (error as Error).message;
    }
  };
  expect(reason("subscription/updated", [1, 2])).toMatch(/^not a Seal subscription/);
  expect(reason("subscription/updated", { ...capturedBody(), id: "abc" })).toMatch(/^not a Seal subscription: id/);
  expect(reason("subscription/updated", { ...capturedBody(), status: "EXPIRED" })).toBe('status "EXPIRED" is not one Seal is known to send (ACTIVE, PAUSED, CANCELLED)');
  expect(reason("subscription/cancelled", capturedBody())).toBe("subscription/cancelled for subscription 8458680 has status ACTIVE, not CANCELLED");
});
