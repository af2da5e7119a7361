// Flow names the customer by id only: name and email come from Shopify's customer record
// (Admin API `customer(id:)`), in an enrich job of its own, so an outage there delays the
// name and nothing else.
import { beforeEach, expect, test } from "vitest";
import { drain, prisma, workers } from "../../support/app";
import { installShop } from "../../support/shop";
import { adminCalls, mockAdminOperation, resetAdminApi, setAdminApiDown } from "../../support/admin-api";
import { createWorkers } from "~/workers.server";
import { run, send } from "./support";

let shop = "";
let n = 0;
beforeEach(async () => {
  shop = `flow-enrich-${++n}.myshopify.com`;
  resetAdminApi();
  mockAdminOperation("CustomerIdentity", (vars) =>
    vars.id === "gid://shopify/Customer/4401"
      ? { customer: { id: vars.id, firstName: "Ada", lastName: "Lovelace", displayName: "Ada Lovelace", defaultEmailAddress: { emailAddress: "ada@example.com" } } }
      : { customer: null },
  );
  await installShop(shop);
});

const created = (customer: string, at = "2026-05-01T09:00:00Z") =>
  run(shop, { customer_id: customer, contract_id: "gid://shopify/SubscriptionContract/8801", event: "created", occurred_at: at, amount: "25", billing_interval: "MONTH" });
const skipped = (customer: string) => run(shop, { customer_id: customer, contract_id: "8801", event: "skipped", occurred_at: "2026-06-01T09:00:00Z", cycle_index: "2" });
const identity = async (customer: string) => {
  const s = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: customer } });
  return [s.email, s.firstName, s.lastName, s.displayName];
};
const enrichJobs = () => prisma.job.findMany({ where: { shop, queue: "enrich" } });

test("a customer known only by id gets name and email from Shopify's customer record, asked once", async () => {
  expect((await send(created("4401"))).status).toBe(200);
  await workers.inbox.drain();
  expect(await identity("4401")).toEqual([null, null, null, null]);
  const [job] = await enrichJobs();
  expect([job.key, JSON.parse(job.payload), job.status]).toEqual([`customer:${shop}:4401`, { customerId: "4401" }, "pending"]);

  await drain();
  expect(await identity("4401")).toEqual(["ada@example.com", "Ada", "Lovelace", "Ada Lovelace"]);
  expect(adminCalls.map((c) => [c.shop, c.operationName, c.variables])).toEqual([[shop, "CustomerIdentity", { id: "gid://shopify/Customer/4401" }]]);

  // Known now: the next run asks nothing.
  await send(skipped("4401"));
  await drain();
  expect(adminCalls).toHaveLength(1);
  expect((await enrichJobs()).map((j) => j.status)).toEqual(["done"]);
});

test("with the Admin API down the timeline lands at once; the name follows when it is back", async () => {
  setAdminApiDown(true);
  await send(created("4401"));
  await send(skipped("4401"));
  await drain();
  const events = await prisma.subscriberEvent.findMany({ where: { shop }, orderBy: { occurredAt: "asc" } });
  expect(events.map((e) => e.type)).toEqual(["contract.created", "cycle.skipped"]);
  const [waiting] = await enrichJobs();
  expect([waiting.status, waiting.attempts]).toEqual(["pending", 1]);
  expect(waiting.runAt.getTime()).toBeGreaterThan(Date.now());
  expect(await identity("4401")).toEqual([null, null, null, null]);

  setAdminApiDown(false);
  const anHourLater = new Date(Date.now() + 3_600_000);
  await createWorkers({ now: () => anHourLater }).shopify.drain();
  expect(await identity("4401")).toEqual(["ada@example.com", "Ada", "Lovelace", "Ada Lovelace"]);
  expect((await enrichJobs()).map((j) => j.status)).toEqual(["done"]);
});

test("a customer Shopify does not know leaves a dead job to look at, and the timeline as it was", async () => {
  await send(created("4402"));
  await drain();
  const [job] = await enrichJobs();
  expect([job.status, job.lastError]).toEqual(["dead", "PermanentError: customer 4402 is not known to Shopify"]);
  expect(await prisma.subscriberEvent.count({ where: { shop } })).toBe(1);
});

test("a contract enrichment job (payload contractId) still reads the contract, not a customer", async () => {
  mockAdminOperation("SubscriptionContractDetails", () => ({ subscriptionContract: null }));
  await prisma.job.create({ data: { queue: "enrich", key: `enrich:${shop}:8801`, shop, payload: JSON.stringify({ contractId: "8801" }), runAt: new Date() } });
  await workers.shopify.drain();
  expect(adminCalls.map((c) => c.operationName)).toEqual(["SubscriptionContractDetails"]);
});
