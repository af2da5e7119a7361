import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { post, drain, prisma } from "../support/app";
import { installShop } from "../support/shop";
import { FIXTURES, fixture, topicOfFixture } from "../support/webhooks";
import { mockAdminOperation, resetAdminApi } from "../support/admin-api";
import { contractNode } from "../support/factories";

let shop = "fixtures.myshopify.com";
let n = 0;

// The domain event each fixture should become (null: no timeline event, by design).
const EXPECTED: Record<string, string | null> = {
  "subscription_contracts/create": "contract.created",
  "subscription_contracts/update": null, // same value as the stored contract: not an edit
  "subscription_contracts/activate": "contract.activated",
  "subscription_contracts/pause": "contract.paused",
  "subscription_contracts/cancel": "contract.cancelled",
  "subscription_contracts/expire": "contract.expired",
  "subscription_contracts/fail": "contract.failed",
  "subscription_billing_attempts/success": "billing.succeeded",
  "subscription_billing_attempts/failure": "billing.failed",
  "subscription_billing_attempts/challenged": "billing.challenged",
  "subscription_billing_cycles/skip": "cycle.skipped",
  "subscription_billing_cycles/unskip": "cycle.unskipped",
  "subscription_billing_cycle_edits/create": "cycle.edited",
  "subscription_billing_cycle_edits/update": "cycle.edited",
  "subscription_billing_cycle_edits/delete": "cycle.edited",
  "customer_payment_methods/create": "payment_method.added",
  "customer_payment_methods/update": "payment_method.updated",
  "customer_payment_methods/revoke": "payment_method.revoked",
  "app/uninstalled": null,
  "customers/data_request": null,
  "customers/redact": null,
  "shop/redact": null,
};

const files = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith(".json")),
  ...readdirSync(path.join(FIXTURES, "variants")).map((f) => `variants/${f}`),
];

beforeEach(async () => {
  // A shop per test, so each test sees only its own delivery's effects.
  shop = `fixtures-${++n}.myshopify.com`;
  resetAdminApi();
  await installShop(shop);
  // Shopify knows every contract the fixtures name, all of customer 1 (as their payloads say).
  mockAdminOperation("SubscriptionContractDetails", (vars) => ({
    subscriptionContract: contractNode({ id: String(vars.id).split("/").pop()!, customerId: "1" }),
  }));
});

describe("every topic Shopify sends is ingested and processed", () => {
  for (const file of files) {
    const topic = topicOfFixture(file);
    test(`${file} (${topic})`, async () => {
      const res = await post({ topic, shop, body: fixture(file) });
      expect(res.status).toBe(200);
      await drain();
      const job = await prisma.job.findFirstOrThrow({ where: { queue: "webhook" }, orderBy: { id: "desc" } });
      if (topic === "shop/redact") {
        expect(await prisma.subscriber.count({ where: { shop } })).toBe(0);
        return;
      }
      expect(job.lastError).toBeNull();
      expect(job.status).toBe("done");
      const expected = EXPECTED[topic];
      const events = await prisma.subscriberEvent.findMany({ where: { shop } });
      if (expected) expect(events.map((e) => e.type)).toContain(expected);
      else expect(events.filter((e) => e.type !== "contract.created")).toEqual([]);
    });
  }
});

test("a billing failure keeps its error code and class, whatever the case it came in", async () => {
  await post({
    topic: "subscription_billing_attempts/failure",
    shop,
    body: fixture("variants/subscription_billing_attempts-failure.reference-app-insufficient_funds.json"),
  });
  await drain();
  const event = await prisma.subscriberEvent.findFirstOrThrow({ where: { shop, type: "billing.failed" } });
  expect(JSON.parse(event.data)).toMatchObject({ errorCode: "INSUFFICIENT_FUNDS", failureClass: "soft_decline" });
});

test("an unknown or missing error code is kept as 'other' and never fails the delivery", async () => {
  const base = fixture("subscription_billing_attempts-failure.json");
  await post({ topic: "subscription_billing_attempts/failure", shop, body: { ...base, error_code: "SOME_NEW_CODE", idempotency_key: "a" } });
  await post({ topic: "subscription_billing_attempts/failure", shop, body: { ...base, error_code: null, idempotency_key: "b" } });
  await drain();
  const events = await prisma.subscriberEvent.findMany({ where: { shop, type: "billing.failed" }, orderBy: { createdAt: "asc" } });
  expect(events.map((e) => JSON.parse(e.data))).toEqual([
    expect.objectContaining({ errorCode: "SOME_NEW_CODE", failureClass: "other" }),
    expect.objectContaining({ errorCode: null, failureClass: "other" }),
  ]);
});

test("a payment method's card expiry becomes the subscriber's card on file", async () => {
  await post({ topic: "customer_payment_methods/create", shop, body: fixture("customer_payment_methods-create.json") });
  await drain();
  const subscriber = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "82850125" } });
  expect([subscriber.cardExpiryMonth, subscriber.cardExpiryYear]).toEqual([8, 2060]);
});
