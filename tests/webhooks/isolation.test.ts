import { beforeEach, expect, test } from "vitest";
import { post, drain, prisma } from "../support/app";
import { installShop } from "../support/shop";
import { fixture } from "../support/webhooks";
import { adminCalls, mockAdminOperation, resetAdminApi } from "../support/admin-api";
import { contractNode } from "../support/factories";
import { inboxSummary } from "~/models/inbox.server";

const A = "alpha.myshopify.com";
const B = "beta.myshopify.com";

beforeEach(async () => {
  resetAdminApi();
  await installShop(A);
  await installShop(B);
  // Each shop's Admin API knows a different customer for the same contract id.
  mockAdminOperation("SubscriptionContractDetails", (vars, shop) => ({
    subscriptionContract: contractNode({
      id: String(vars.id).split("/").pop()!,
      customerId: shop === A ? "1" : "2",
      email: shop === A ? "a@alpha.test" : "b@beta.test",
    }),
  }));
});

test("two shops with the same contract ids never see each other's data", async () => {
  const create = fixture("subscription_contracts-create.json");
  await post({ topic: "subscription_contracts/create", shop: A, body: create, eventId: "same-event" });
  await post({ topic: "subscription_contracts/create", shop: B, body: { ...create, customer_id: 2 }, eventId: "same-event" });
  await post({ topic: "subscription_billing_cycles/skip", shop: B, body: { ...fixture("subscription_billing_cycles-skip.json"), subscription_contract_id: 9998878778 } });
  await drain();

  // The same event id from two shops is two deliveries: keys are per shop.
  expect(await prisma.webhookDelivery.count({ where: { shop: A } })).toBe(1);
  expect(await prisma.webhookDelivery.count({ where: { shop: B } })).toBe(2);
  const a = await prisma.subscriber.findMany({ where: { shop: A }, include: { events: true } });
  const b = await prisma.subscriber.findMany({ where: { shop: B }, include: { events: true } });
  expect(a.map((s) => s.email)).toEqual(["a@alpha.test"]);
  expect(b.map((s) => s.email)).toEqual(["b@beta.test"]);
  expect(a[0].events.map((e) => e.type)).toEqual(["contract.created"]);
  expect(b[0].events.map((e) => e.type).sort()).toEqual(["contract.created", "cycle.skipped"]);
  expect(adminCalls.every((c) => c.shop === A || c.shop === B)).toBe(true);
  expect((await inboxSummary(A)).received).toBe(1);
});
