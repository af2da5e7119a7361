// Which card a Recharge customer's payment methods name, when a record asks for it to be
// read, and the local Recharge account's payment methods shaped like the fixture's.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { cardEnrichmentsFor, cardOf, cardRecord } from "~/sources/recharge/card";
import { recordsFromCharge, recordsFromSubscription } from "~/sources/recharge/map";
import { rechargeRecords } from "~/sources/recharge/topics";
import { buildStore } from "../../../simulator";
import { buildRechargeDataSet } from "../../../simulator/recharge/dataset";
import { rechargeStateAt } from "../../../simulator/recharge/webhooks";
import { RECHARGE_FIXTURES, rechargeFixture } from "./support";

const listed = () => JSON.parse(readFileSync(path.join(RECHARGE_FIXTURES, "payment-methods.list.json"), "utf8")).payment_methods as Record<string, any>[];
const method = (over: Record<string, unknown>) => ({ ...listed()[0], ...over });
const keys = (o: object) => Object.keys(o).sort();

describe("the card Recharge charges", () => {
  test("is the fixture's card: its expiry only", () => {
    expect(cardOf(listed(), "100001")).toEqual({ month: 12, year: 2021 });
  });

  test("is the default method's, whatever the order; without a default, the latest updated", () => {
    const old = method({ id: 1, default: false, payment_details: [{ exp_month: 1, exp_year: 2027 }], updated_at: "2026-01-01T00:00:00+00:00" });
    const current = method({ id: 2, default: true, payment_details: [{ exp_month: 9, exp_year: 2029 }], updated_at: "2025-01-01T00:00:00+00:00" });
    expect(cardOf([old, current], "100001")).toEqual({ month: 9, year: 2029 });
    expect(cardOf([old, { ...current, default: false }], "100001")).toEqual({ month: 1, year: 2027 });
  });

  test("reads payment_details as one object too (Recharge's storefront types), and two-digit years", () => {
    expect(cardOf([method({ payment_details: { brand: "visa", exp_month: "4", exp_year: 28, last4: "4242" } })], "100001")).toEqual({ month: 4, year: 2028 });
  });

  test("is none for a method without an expiry (PayPal), no method, or another customer's", () => {
    expect(cardOf([method({ payment_type: "PAYPAL", payment_details: { paypal_email: "a@example.com" } })], "100001")).toBeNull();
    expect(cardOf([], "100001")).toBeNull();
    expect(cardOf(listed(), "100002")).toBeNull();
  });
});

describe("when a card is read", () => {
  const change = rechargeRecords("customer/payment_method_updated", { customer: { ...rechargeFixture("customer"), updated_at: "2026-03-02T10:00:00+00:00" } })[0];

  test("a payment-method change asks again each time, for its customer", () => {
    expect(cardEnrichmentsFor(change, "delivery")).toEqual([
      {
        kind: "card",
        subject: "64962974",
        again: true,
        payload: { customerId: "64962974", customer: { shopifyCustomerId: "5213433266347", email: "kozakevich_k@example.com" }, since: "2026-03-02T10:00:00.000Z" },
      },
    ]);
  });

  test("any other delivery naming a customer asks once, after ten minutes; a charge names its customer too", () => {
    const [created] = recordsFromSubscription(rechargeFixture("subscription"), rechargeFixture("customer"), "subscription/created");
    expect(cardEnrichmentsFor(created, "delivery").map((r) => [r.subject, r.again, r.delayMs])).toEqual([["64962974", false, 10 * 60_000]]);
    const [paid] = recordsFromCharge(rechargeFixture("charge-success"), "charge/paid");
    expect(cardEnrichmentsFor(paid, "delivery")).toHaveLength(1);
  });

  test("the import's records ask nothing", () => {
    expect(cardEnrichmentsFor(change, "import")).toEqual([]);
  });

  test("what a read tells is the card alone: no event of its own", () => {
    const [request] = cardEnrichmentsFor(change, "delivery");
    const record = cardRecord(request.payload as never, { month: 12, year: 2027 });
    expect(record).toEqual({
      contractId: null,
      customer: { shopifyCustomerId: "5213433266347", email: "kozakevich_k@example.com", vendorCustomerId: "64962974" },
      asOf: new Date("2026-03-02T10:00:00Z"),
      events: [],
      card: { month: 12, year: 2027 },
    });
  });
});

describe("the local Recharge account's payment methods", () => {
  test("have exactly the fixture's fields, from the dataset and from a simulated store", () => {
    const store = buildStore({ seed: 5, subscribers: 30, months: 6, end: new Date("2026-06-01T00:00:00Z"), shopDomain: "card-shapes.myshopify.com" });
    const fromStore = rechargeStateAt(store, store.end).payment_methods;
    const fromDataset = buildRechargeDataSet({ subscriptions: 10 }).payment_methods!;
    for (const m of [fromStore[0], fromDataset[0]]) {
      expect(keys(m)).toEqual(keys(listed()[0]));
      expect(keys(m.billing_address as object)).toEqual(keys(listed()[0].billing_address));
      expect(keys((m.payment_details as object[])[0])).toEqual(keys(listed()[0].payment_details[0]));
    }
  });

  test("a simulated customer's default card is the simulator's latest card for them", () => {
    const store = buildStore({ seed: 5, subscribers: 60, months: 10, end: new Date("2026-06-01T00:00:00Z"), shopDomain: "card-latest.myshopify.com" });
    const state = rechargeStateAt(store, store.end);
    let compared = 0;
    for (const customer of state.customers) {
      const sub = store.subscribers.find((s) => String(s.customerId) === (customer.external_customer_id as { ecommerce: string }).ecommerce)!;
      const latest = sub.facts.filter((f) => f.kind === "payment_method" && f.topic !== "revoke").at(-1);
      if (!latest || latest.kind !== "payment_method") continue;
      const mine = state.payment_methods.filter((m) => m.customer_id === customer.id);
      expect(cardOf(mine, String(customer.id))).toEqual({ month: latest.card.month, year: latest.card.year });
      // A replaced card is gone from the account; a renewed one is the same method.
      expect(mine.filter((m) => m.default)).toHaveLength(1);
      compared++;
    }
    expect(compared).toBe(state.customers.length);
  });
});
