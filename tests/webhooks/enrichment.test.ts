// The timeline stands on what deliveries carry; the Admin API's facts come later, in the
// contract's own enrichment job, and an outage there delays only those facts.
import { beforeEach, expect, test } from "vitest";
import { post, drain, prisma, serveContracts, workers } from "../support/app";
import { installShop } from "../support/shop";
import { fixture, type Delivery } from "../support/webhooks";
import { adminCalls, resetAdminApi, setAdminApiDown } from "../support/admin-api";
import type { ContractSpec } from "../support/factories";
import { weeklyAtRisk } from "~/pages/at-risk/week-list.server";
import { createWorkers } from "~/workers.server";

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY).toISOString();

let shop = "";
let n = 0;
const contracts = new Map<string, ContractSpec>();
beforeEach(async () => {
  shop = `enrich-${++n}.myshopify.com`;
  resetAdminApi();
  contracts.clear();
  contracts.set("701", { id: "701", customerId: "88", lines: [{ title: "Espresso", price: 45 }], email: "grace@example.com", firstName: "Grace", lastName: "Hopper", createdAt: daysAgo(60) });
  serveContracts(contracts);
  await installShop(shop);
});

function created(id: string, customer: string, at: string): Delivery {
  const body = { ...fixture("subscription_contracts-create.json"), id: Number(id), admin_graphql_api_id: `gid://shopify/SubscriptionContract/${id}`, customer_id: Number(customer), revision_id: "1" };
  return { topic: "subscription_contracts/create", shop, triggeredAt: at, body };
}
function skipped(id: string, cycle: number, at: string): Delivery {
  return { topic: "subscription_billing_cycles/skip", shop, triggeredAt: at, body: { ...fixture("subscription_billing_cycles-skip.json"), subscription_contract_id: Number(id), cycle_index: cycle } };
}
function declined(id: string, at: string): Delivery {
  const body = { ...fixture("subscription_billing_attempts-failure.json"), subscription_contract_id: Number(id), idempotency_key: `decline-${id}`, error_code: "EXPIRED_PAYMENT_METHOD" };
  return { topic: "subscription_billing_attempts/failure", shop, triggeredAt: at, body };
}

/** A subscriber who skips twice, then their card is refused for good. */
async function troubledSubscriber(): Promise<void> {
  for (const d of [created("701", "88", daysAgo(60)), skipped("701", 1, daysAgo(30)), skipped("701", 2, daysAgo(10)), declined("701", daysAgo(2))]) await post(d);
  await drain();
}

async function timelineOf(customerId: string): Promise<string[]> {
  const events = await prisma.subscriberEvent.findMany({ where: { shop, subscriber: { customerId } }, orderBy: { occurredAt: "asc" } });
  return events.map((e) => e.type);
}

test("a contract webhook is recorded without asking the Admin API", async () => {
  setAdminApiDown(true);
  await post(created("701", "88", daysAgo(60)));
  await workers.inbox.drain();
  expect(adminCalls).toEqual([]);
  expect(await timelineOf("88")).toEqual(["contract.created"]);
  const contract = await prisma.contract.findFirstOrThrow({ where: { shop, contractId: "701" } });
  expect([contract.status, contract.billingInterval, contract.currency, contract.enrichedAt]).toEqual(["active", "MONTH", "USD", null]);
  const enrich = await prisma.job.findFirstOrThrow({ where: { shop, queue: "enrich" } });
  expect([enrich.key, enrich.status]).toEqual([`enrich:${shop}:701`, "pending"]);
});

test("with the Admin API down, a create, two skips and a hard decline land, are scored, and put the subscriber on the at-risk list", async () => {
  setAdminApiDown(true);
  await troubledSubscriber();
  expect(await timelineOf("88")).toEqual(["contract.created", "cycle.skipped", "cycle.skipped", "billing.failed"]);
  const subscriber = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "88" }, include: { health: true } });
  expect(subscriber.health?.band).toMatch(/^(at_risk|critical)$/);
  const list = await weeklyAtRisk(shop, { all: true });
  expect(list.rows.map((r) => r.customerId)).toContain("88");
  // Only the enrichment waits on the API, retrying with backoff.
  const enrich = await prisma.job.findFirstOrThrow({ where: { shop, queue: "enrich" } });
  expect([enrich.status, enrich.attempts]).toEqual(["pending", 1]);
  expect(enrich.lastError).toMatch(/retries/);
  expect(enrich.runAt.getTime()).toBeGreaterThan(Date.now());
});

test("when the Admin API returns, the enrichment's retry fills value, email and name, and marks the subscriber for rescoring", async () => {
  setAdminApiDown(true);
  await troubledSubscriber();
  const before = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "88" } });
  expect([before.monthlyValue, before.email, before.scoreDirtyAt]).toEqual([0, null, null]);

  setAdminApiDown(false);
  const anHourLater = new Date(Date.now() + 3_600_000);
  await createWorkers({ now: () => anHourLater }).shopify.drain();
  const after = await prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: "88" } });
  expect([after.monthlyValue, after.email, after.firstName, after.lastName]).toEqual([45, "grace@example.com", "Grace", "Hopper"]);
  expect(after.scoreDirtyAt).not.toBeNull();
  expect((await prisma.job.findFirstOrThrow({ where: { shop, queue: "enrich" } })).status).toBe("done");

  await drain(); // the scoring pass that follows the intake
  const list = await weeklyAtRisk(shop, { all: true });
  expect(list.rows.find((r) => r.customerId === "88")?.monthlyValue).toBe(45);
});

test("a billing event for a contract not seen yet is kept, and joins the subscriber's timeline once when its create arrives", async () => {
  setAdminApiDown(true);
  await post(declined("701", daysAgo(2)));
  await drain();
  expect(await prisma.subscriberEvent.count({ where: { shop } })).toBe(0);
  expect(await prisma.unattachedEvent.count({ where: { shop, contractId: "701" } })).toBe(1);

  await post(created("701", "88", daysAgo(60)));
  await drain();
  expect(await timelineOf("88")).toEqual(["contract.created", "billing.failed"]);
  expect(await prisma.unattachedEvent.count({ where: { shop } })).toBe(0);

  // Enrichment catching up later finds nothing more to attach.
  setAdminApiDown(false);
  const anHourLater = new Date(Date.now() + 3_600_000);
  await createWorkers({ now: () => anHourLater }).drainIntake();
  expect(await timelineOf("88")).toEqual(["contract.created", "billing.failed"]);
  expect(await prisma.subscriber.count({ where: { shop } })).toBe(1);
});

test("an update that changes the plan's value is an edit, written by the enrichment that sees the new value", async () => {
  await post(created("701", "88", daysAgo(60)));
  await drain();
  contracts.set("701", { ...contracts.get("701")!, lines: [{ title: "Espresso", price: 60 }], updatedAt: daysAgo(1) });
  const update = created("701", "88", daysAgo(1));
  await post({ ...update, topic: "subscription_contracts/update", body: { ...(update.body as object), revision_id: "2" } });
  await drain();
  const edits = await prisma.subscriberEvent.findMany({ where: { shop, type: "contract.edited" } });
  expect(edits.map((e) => JSON.parse(e.data))).toEqual([{ fromMonthlyValue: 45, toMonthlyValue: 60 }]);
  expect(edits[0].occurredAt.toISOString()).toBe(contracts.get("701")!.updatedAt);
});
