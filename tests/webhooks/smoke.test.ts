import { beforeEach, expect, test } from "vitest";
import { post, drain, prisma, serveContracts } from "../support/app";
import { installShop } from "../support/shop";
import { fixture } from "../support/webhooks";
import { resetAdminApi } from "../support/admin-api";

const shop = "smoke.myshopify.com";
beforeEach(async () => {
  resetAdminApi();
  await installShop(shop);
});

test("a contract create is acknowledged, processed and lands on the timeline", async () => {
  serveContracts(new Map([["9998878778", { id: "9998878778", customerId: "1" }]]));
  const res = await post({ topic: "subscription_contracts/create", shop, body: fixture("subscription_contracts-create.json") });
  expect(res.status).toBe(200);
  expect(await drain()).toBe(1);
  const events = await prisma.subscriberEvent.findMany({ where: { shop } });
  expect(events.map((e) => e.type)).toEqual(["contract.created"]);
});
