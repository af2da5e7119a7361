// What the intake's writes keep true whatever order deliveries arrive in: the newest card
// stays on file, the rescore starts from the earliest news, and a contract's enrichment
// is queued again after a change unless a worker is on it right now.
import { beforeEach, expect, test } from "vitest";
import { post, prisma, workers } from "../support/app";
import { installShop } from "../support/shop";
import { fixture, type Delivery } from "../support/webhooks";
import { mockAdminOperation } from "../support/admin-api";
import { contractNode } from "../support/factories";
import { createPrismaJobQueue } from "~/queue/jobs.server";

let shop = "";
let n = 0;
beforeEach(async () => {
  shop = `writes-${++n}.myshopify.com`;
  await installShop(shop);
  mockAdminOperation("SubscriptionContractDetails", (vars) => ({
    subscriptionContract: contractNode({ id: String(vars.id).split("/").pop()!, customerId: String(CUSTOMER) }),
  }));
  // Earlier tests' enrichments done, so the only one waiting is this test's.
  await workers.shopify.drain();
});

const CONTRACT = 701;
const CUSTOMER = 71;
const contract = (topic: string, revision: number, at: string): Delivery => ({
  topic: `subscription_contracts/${topic}`,
  shop,
  triggeredAt: at,
  body: { ...fixture("subscription_contracts-create.json"), id: CONTRACT, customer_id: CUSTOMER, revision_id: String(revision) },
});
const card = (month: number, year: number, at: string): Delivery => ({
  topic: "customer_payment_methods/update",
  shop,
  triggeredAt: at,
  body: { ...fixture("customer_payment_methods-update.json"), customer_id: CUSTOMER, payment_instrument: { month, year } },
});
const billed = (key: string, at: string): Delivery => ({
  topic: "subscription_billing_attempts/success",
  shop,
  triggeredAt: at,
  body: { ...fixture("subscription_billing_attempts-success.json"), subscription_contract_id: CONTRACT, idempotency_key: key },
});
const subscriber = () => prisma.subscriber.findFirstOrThrow({ where: { shop, customerId: String(CUSTOMER) } });
const enrichment = () => prisma.job.findFirstOrThrow({ where: { shop, queue: "enrich" } });

test("a card update older than the card on file is recorded on the timeline but changes no card", async () => {
  await post(card(9, 2031, "2026-05-01T10:00:00Z"));
  await post(card(3, 2027, "2026-04-01T10:00:00Z"));
  await workers.inbox.drain();
  const s = await subscriber();
  expect([s.cardExpiryMonth, s.cardExpiryYear, s.cardUpdatedAt?.toISOString()]).toEqual([9, 2031, "2026-05-01T10:00:00.000Z"]);
  expect(await prisma.subscriberEvent.count({ where: { shop, type: "payment_method.updated" } })).toBe(2);
});

test("the rescore starts from the earliest event recorded since the last one, however late it arrives", async () => {
  await post(contract("create", 1, "2026-03-01T10:00:00Z"));
  await workers.inbox.drain();
  expect((await subscriber()).scoreDirtyFrom?.toISOString()).toBe("2026-03-01T10:00:00.000Z");

  await post(billed("k-april", "2026-04-01T10:00:00Z"));
  await workers.inbox.drain();
  expect((await subscriber()).scoreDirtyFrom?.toISOString()).toBe("2026-03-01T10:00:00.000Z");

  await post(billed("k-february", "2026-02-01T10:00:00Z"));
  await workers.inbox.drain();
  expect((await subscriber()).scoreDirtyFrom?.toISOString()).toBe("2026-02-01T10:00:00.000Z");
});

test("a contract update queues its finished enrichment again, from its first attempt", async () => {
  await post(contract("create", 1, "2026-03-01T10:00:00Z"));
  await workers.inbox.drain();
  await workers.shopify.drain();
  const done = await enrichment();
  expect(done.status).toBe("done");

  await post(contract("update", 2, "2026-03-05T10:00:00Z"));
  await workers.inbox.drain();
  const job = await enrichment();
  expect([job.id, job.status, job.attempts]).toEqual([done.id, "pending", 0]);
});

test("a contract update leaves an enrichment a worker is running alone", async () => {
  await post(contract("create", 1, "2026-03-01T10:00:00Z"));
  await workers.inbox.drain();
  const [running] = await createPrismaJobQueue().claim("enricher", 1, new Date(), ["enrich"]);

  await post(contract("update", 2, "2026-03-05T10:00:00Z"));
  await workers.inbox.drain();
  const job = await enrichment();
  expect([job.status, job.attempts, job.lockedBy]).toEqual(["running", running.attempts, "enricher"]);
});
