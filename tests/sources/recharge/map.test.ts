// Recharge's objects as records, pure: what each topic and each imported state says, and
// the same keys either way, so an import overlapping the webhooks doubles nothing.
import { describe, expect, test } from "vitest";
import { recordsFromCharge, recordsFromSubscription } from "~/sources/recharge/map";
import { rechargeRecords } from "~/sources/recharge/topics";
import { SourcePayloadError } from "~/sources/types";
import { rechargeFixture } from "./support";

const subscription = (over: Record<string, unknown> = {}) => ({ ...rechargeFixture("subscription"), ...over });
const cancelled = () =>
  subscription({ status: "cancelled", cancelled_at: "2023-06-02T10:00:00+00:00", cancellation_reason: "Too expensive", updated_at: "2023-06-02T10:00:01+00:00" });
const keys = (records: { events: { key: string }[] }[]) => records.flatMap((r) => r.events.map((e) => e.key)).sort();

describe("subscriptions", () => {
  test("the fixture subscription with its customer: who, what and worth what, under the Shopify customer id", () => {
    const [record] = recordsFromSubscription(subscription(), rechargeFixture("customer"), "subscription/created");
    expect(record.contractId).toBe("153601366");
    expect(record.customer).toEqual({ shopifyCustomerId: "5213433266347", email: "kozakevich_k@example.com", vendorCustomerId: "64962974", firstName: "Kelly", lastName: "Kozakevich" });
    expect(record.asOf).toEqual(new Date("2023-05-13T04:07:32Z"));
    // "365" days as Airbyte stored it: one delivery a year of 24.30, 2.03 a month.
    expect(record.contract).toEqual({
      status: "active",
      currency: "USD",
      billingInterval: "DAY",
      billingIntervalCount: 365,
      monthlyValue: 2.03,
      lines: [{ title: "Airbit Box Corner Short sleeve t-shirt", variantTitle: "L / City Green", quantity: 1, price: 24.3 }],
      nextBillingAt: new Date("2024-05-12T00:00:00Z"),
      createdAt: new Date("2021-05-13T09:46:47Z"),
    });
    expect(record.events).toEqual([{ type: "contract.created", occurredAt: new Date("2021-05-13T09:46:47Z"), key: "subscription:153601366:created" }]);
  });

  test("a monthly plan with its numbers as strings and its flags as 1/0, as Airbyte normalises them", () => {
    const [record] = recordsFromSubscription(subscription({ order_interval_unit: "month", order_interval_frequency: "1", price: "30.00", quantity: "2", max_retries_reached: 0 }), null, "subscription/updated");
    expect(record.contract).toMatchObject({ billingInterval: "MONTH", billingIntervalCount: 1, monthlyValue: 60, status: "active" });
    expect(record.customer).toEqual({ shopifyCustomerId: null, email: null, vendorCustomerId: "64962974" });
  });

  test("each lifecycle topic adds its event at the version's time", () => {
    const at = new Date("2023-05-13T04:07:32Z");
    const only = (topic: string, over: Record<string, unknown> = {}) => recordsFromSubscription(subscription(over), null, topic)[0].events.slice(1);
    expect(only("subscription/activated")).toEqual([{ type: "contract.activated", occurredAt: at, key: "subscription:153601366:activated:2023-05-13T04:07:32.000Z" }]);
    expect(only("subscription/paused", { status: "paused" })).toEqual([{ type: "contract.paused", occurredAt: at, key: "subscription:153601366:paused:2023-05-13T04:07:32.000Z" }]);
    expect(only("subscription/skipped")).toEqual([{ type: "cycle.skipped", occurredAt: at, key: "subscription:153601366:skipped:2023-05-13T04:07:32.000Z" }]);
    expect(only("subscription/unskipped")).toEqual([{ type: "cycle.unskipped", occurredAt: at, key: "subscription:153601366:unskipped:2023-05-13T04:07:32.000Z" }]);
    for (const topic of ["subscription/updated", "subscription/swapped", "subscription/created"]) expect(only(topic)).toEqual([]);
    expect(only("subscription/deleted")).toEqual([{ type: "contract.cancelled", occurredAt: at, key: "subscription:153601366:deleted", data: { cancelReason: "deleted in Recharge" } }]);
  });

  test("a cancellation is dated by cancelled_at with its reason, and every view of the cancelled subscription names the same one", () => {
    const event = { type: "contract.cancelled", occurredAt: new Date("2023-06-02T10:00:00Z"), key: "subscription:153601366:cancelled:2023-06-02T10:00:00.000Z", data: { cancelReason: "Too expensive" } };
    for (const topic of ["subscription/cancelled", "subscription/updated", "subscription/deleted", null]) {
      const [record] = recordsFromSubscription(cancelled(), null, topic);
      expect(record.events.filter((e) => e.type === "contract.cancelled")).toEqual([event]);
      expect(record.contract?.status).toBe("cancelled");
    }
  });

  test("expired and paused states; an active subscription at its retry limit is failed", () => {
    expect(recordsFromSubscription(subscription({ status: "EXPIRED" }), null, null)[0].events.map((e) => e.key)).toContain("subscription:153601366:expired");
    const paused = recordsFromSubscription(subscription({ status: "paused" }), null, null)[0];
    expect(paused.events.map((e) => e.type)).toEqual(["contract.created", "contract.paused"]);
    expect(paused.contract).toMatchObject({ status: "paused", nextBillingAt: null });
    expect(recordsFromSubscription(subscription({ max_retries_reached: 1 }), null, null)[0].contract?.status).toBe("failed");
  });

  test("imported and delivered, a subscription's creation and cancellation have the same keys", () => {
    expect(keys(recordsFromSubscription(cancelled(), null, null))).toEqual(keys(recordsFromSubscription(cancelled(), rechargeFixture("customer"), "subscription/cancelled")));
  });
});

describe("charges", () => {
  test("a paid charge is a success at processed_at for the subscription its line names, keyed by the charge", () => {
    const [record, ...rest] = recordsFromCharge(rechargeFixture("charge-success"), "charge/paid");
    expect(rest).toEqual([]);
    expect(record.contractId).toBe("153601366");
    expect(record.customer).toEqual({ shopifyCustomerId: "5213433266347", email: "kozakevich_k@example.com", vendorCustomerId: "64962974" });
    expect(record.events).toEqual([{ type: "billing.succeeded", occurredAt: new Date("2023-05-13T04:07:33Z"), key: "charge:580825303:paid" }]);
    expect(keys(recordsFromCharge(rechargeFixture("charge-success"), null))).toEqual(["charge:580825303:paid"]);
  });

  test("the max-retries charge: its last failure with code, class and message, and the contract failed", () => {
    const [record] = recordsFromCharge(rechargeFixture("charge-error-max-retries"), "charge/max_retries_reached");
    const at = new Date("2022-06-06T20:10:19Z");
    expect(record.contractId).toBe("153224593");
    expect(record.events).toEqual([
      {
        type: "billing.failed",
        occurredAt: at,
        key: "charge:386976088:failed:2022-06-06T20:10:19.000Z",
        data: { errorCode: "CLOSED_MAX_RETRIES_REACHED", failureClass: "inventory", errorMessage: "Inventory unavailable S / Black T1 6642695864491 requested qty. 1, inventory was: -1" },
      },
      { type: "contract.failed", occurredAt: at, key: "charge:386976088:max_retries_reached" },
    ]);
    // charge/failed for the same attempt and the import say the same, under the same keys.
    expect(keys(recordsFromCharge(rechargeFixture("charge-error-max-retries"), "charge/failed"))).toEqual(keys([record]));
    expect(keys(recordsFromCharge(rechargeFixture("charge-error-max-retries"), null))).toEqual(keys([record]));
  });

  test("each retry is its own failure; a failure before the limit does not end the contract", () => {
    const charge = { ...rechargeFixture("charge-error-max-retries"), error_type: "INSUFFICIENT_FUNDS", error: "Insufficient funds", charge_attempts: 1 };
    const first = recordsFromCharge({ ...charge, last_charge_attempt: "2022-05-12T04:06:00+00:00" }, "charge/failed")[0].events;
    const second = recordsFromCharge({ ...charge, last_charge_attempt: "2022-05-13T16:10:00+00:00" }, "charge/failed")[0].events;
    expect(first.map((e) => e.type)).toEqual(["billing.failed"]);
    expect(first[0].data).toMatchObject({ errorCode: "INSUFFICIENT_FUNDS", failureClass: "soft_decline" });
    expect(second[0].key).not.toBe(first[0].key);
  });

  test("a charge for several subscriptions is one record per subscription; a one-time line names none", () => {
    const charge = rechargeFixture("charge-success");
    const line = charge.line_items[0];
    charge.line_items = [line, { ...line, purchase_item_id: 999 }, { ...line, purchase_item_id: 555, purchase_item_type: "onetime" }];
    const records = recordsFromCharge(charge, "charge/paid");
    expect(records.map((r) => r.contractId)).toEqual(["153601366", "999"]);
    expect(keys(records)).toEqual(["charge:580825303:paid:subscription:153601366", "charge:580825303:paid:subscription:999"]);
  });

  test("imported skipped charges are skips only before the webhooks began; queued charges say nothing", () => {
    const skipped = { ...rechargeFixture("charge-queued"), status: "skipped" };
    expect(keys(recordsFromCharge(skipped, null, { webhooksSince: new Date("2024-01-01T00:00:00Z") }))).toEqual(["charge:817715206:skipped"]);
    expect(recordsFromCharge(skipped, null, { webhooksSince: new Date("2023-01-01T00:00:00Z") })).toEqual([]);
    expect(recordsFromCharge(rechargeFixture("charge-queued"), null)).toEqual([]);
  });
});

describe("bodies", () => {
  test("customer/payment_method_updated: a valid method is an update, none valid a revocation, with no card invented", () => {
    const [record] = rechargeRecords("customer/payment_method_updated", { customer: rechargeFixture("customer") });
    expect(record).toMatchObject({ contractId: null, customer: { shopifyCustomerId: "5213433266347" } });
    expect(record.card).toBeUndefined();
    expect(record.events).toEqual([{ type: "payment_method.updated", occurredAt: new Date("2023-05-13T04:16:36Z"), key: "customer:64962974:payment_method_updated:2023-05-13T04:16:36.000Z" }]);
    const invalid = rechargeRecords("customer/payment_method_updated", { customer: { ...rechargeFixture("customer"), has_valid_payment_method: false } });
    expect(invalid[0].events[0].type).toBe("payment_method.revoked");
  });

  test("a body without its wrapper, or an object missing what Lifeline reads, cannot be read", () => {
    expect(() => rechargeRecords("subscription/created", rechargeFixture("subscription"))).toThrow(SourcePayloadError);
    expect(() => rechargeRecords("charge/paid", { subscription: rechargeFixture("subscription") })).toThrow(/body.charge/);
    const { status: _, ...noStatus } = rechargeFixture("subscription");
    expect(() => rechargeRecords("subscription/cancelled", { subscription: noStatus })).toThrow(/subscription.status/);
    expect(() => rechargeRecords("charge/paid", { charge: { ...rechargeFixture("charge-success"), updated_at: "yesterday" } })).toThrow(/charge.updated_at/);
  });
});
